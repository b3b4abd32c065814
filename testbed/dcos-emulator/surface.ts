// The testbed's DC/OS API surface as a pure request handler: login and token check, then SDK plans/pods/endpoints,
// Cosmos install/uninstall, Mesos-DNS, Mesos master and operator API, dcos-net VIPs. No I/O: it answers from the view
// and the state it is handed (which it updates); work it cannot do (relaunching, moving pods, stopping the service)
// comes back as `actions` for the caller.
import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { podCommand, podInfo, podInstanceStatus, podList, podStatusAll, endpoint, endpointList } from './surface-pods.ts';
import { mesosDnsHosts, mesosFrameworks, mesosOperatorCall, mesosSlaves, mesosState, vips } from './surface-mesos.ts';
import { installPackage, uninstallPackage } from './surface-package.ts';
import { getPlan, PLAN_NAMES, runPlanCommand, type PlanCommandName } from './surface-plans.ts';
import { json, text, type DcosResponse } from './surface-reply.ts';
import { observe, type SurfaceState } from './surface-state.ts';
import type { DcosView } from './view.ts';

export type { DcosResponse } from './surface-reply.ts';
export { createSurfaceState, type SurfaceAction, type SurfaceState, type SurfaceUser } from './surface-state.ts';

export interface DcosRequest {
  method: string;
  /** Path with an optional query, e.g. `/service/kubernetes-cluster/v1/plans/deploy/interrupt?phase=etcd`. */
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body?: string | undefined;
}

const loginBody = z.union([
  z.strictObject({ uid: z.string().min(1), password: z.string() }),
  z.strictObject({ uid: z.string().min(1), token: z.string() }),
]);

/**
 * IAM error bodies. [UNCONFIRMED] the reference gives no 401 body or header; DC/OS IAM answers `{title, description,
 * code}` (as the dcos-cli decodes it) and Admin Router challenges with `WWW-Authenticate: acsjwt`.
 */
function unauthorized(description: string, code: string): DcosResponse {
  return json(401, { title: 'Unauthorized', description, code }, [], { 'www-authenticate': 'acsjwt' });
}

function login(req: DcosRequest, state: SurfaceState): DcosResponse {
  let input: unknown;
  try {
    input = JSON.parse(req.body ?? '');
  } catch {
    return json(400, { title: 'Bad Request', description: 'Request has bad Content-Type or lacks JSON data', code: 'ERR_MALFORMED_REQUEST' });
  }
  const parsed = loginBody.safeParse(input);
  if (!parsed.success) return json(400, { title: 'Bad Request', description: 'Expected {"uid", "password"} or {"uid", "token"}', code: 'ERR_MALFORMED_REQUEST' });
  const creds = parsed.data;
  // The surface knows no service-account public keys: a service login is refused like a wrong password.
  const user = 'password' in creds ? state.users.find((u) => u.uid === creds.uid && sameSecret(u.password, creds.password)) : undefined;
  if (!user) return unauthorized('The UID or password is invalid', 'ERR_INVALID_CREDENTIALS');
  const token = state.randomBytes(24).toString('base64url');
  state.tokens.set(token, user.uid);
  return json(200, { token });
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** A request header's (first) value, whatever the case of its name. */
function headerValue(req: DcosRequest, name: string): string | undefined {
  const key = Object.keys(req.headers).find((k) => k.toLowerCase() === name);
  const h = key === undefined ? undefined : req.headers[key];
  return Array.isArray(h) ? h[0] : h;
}

function authorized(req: DcosRequest, state: SurfaceState): boolean {
  const value = headerValue(req, 'authorization');
  const m = value ? /^token=(\S+)$/.exec(value.trim()) : null;
  return m !== null && state.tokens.has(m[1]!);
}

/** Answers one request. */
export function handleDcosRequest(req: DcosRequest, view: DcosView, state: SurfaceState): DcosResponse {
  const url = new URL(req.path, 'https://surface.invalid');
  const method = req.method.toUpperCase();
  let segments: string[];
  try {
    segments = url.pathname.split('/').filter((s) => s !== '').map(decodeURIComponent);
  } catch {
    return text(400, 'Bad path encoding');
  }
  const path = `/${segments.join('/')}`;

  if (path === '/acs/api/v1/auth/login') return method === 'POST' ? login(req, state) : text(405, 'Method Not Allowed');
  if (!authorized(req, state)) return unauthorized('Authentication required: send the header Authorization: token=<DC/OS auth token>', 'ERR_MISSING_AUTH_TOKEN');

  const pods = observe(view, state);
  const get = method === 'GET';
  const post = method === 'POST';
  const wrongMethod = () => text(405, 'Method Not Allowed');

  // Admin Router: /service/<service-name>/ → the scheduler (the name may hold folders: dev/kubernetes01).
  const svc = view.cluster.split('/').filter(Boolean);
  if (segments[0] === 'service') {
    // An uninstalled service has no scheduler for Admin Router to proxy to.
    if (!state.installed) return text(404, 'Not Found');
    const matches = svc.every((s, i) => segments[i + 1] === s) && segments[svc.length + 1] === 'v1';
    if (!matches) return text(404, 'Not Found');
    const [area, a, b, c] = segments.slice(svc.length + 2);
    if (area === 'plans') {
      if (a === undefined) return get ? json(200, [...PLAN_NAMES]) : wrongMethod();
      if (b === undefined) return get ? getPlan(a, view.cluster, pods, state) : wrongMethod();
      if (c === undefined && ['interrupt', 'continue', 'restart', 'forceComplete'].includes(b)) {
        if (!post) return wrongMethod();
        const q = { phase: url.searchParams.get('phase') ?? undefined, step: url.searchParams.get('step') ?? undefined };
        return runPlanCommand(a, b as PlanCommandName, q, view.cluster, pods, state);
      }
    }
    if (area === 'pod') {
      if (a === undefined) return get ? podList(pods) : wrongMethod();
      if (a === 'status' && b === undefined) return get ? podStatusAll(view.cluster, pods) : wrongMethod();
      if (b === 'status' && c === undefined) return get ? podInstanceStatus(pods, a) : wrongMethod();
      if (b === 'info' && c === undefined) return get ? podInfo(view, pods, a) : wrongMethod();
      if ((b === 'restart' || b === 'replace') && c === undefined) return post ? podCommand(b, pods, a, state) : wrongMethod();
    }
    if (area === 'endpoints') {
      if (a === undefined) return get ? endpointList() : wrongMethod();
      if (b === undefined) return get ? endpoint(view, pods, a) : wrongMethod();
    }
    return text(404, 'Not Found');
  }

  // Admin Router: /package/ → Cosmos.
  if (path === '/package/install') return post ? installPackage(headerValue(req, 'content-type'), req.body, view, state) : wrongMethod();
  if (path === '/package/uninstall') return post ? uninstallPackage(headerValue(req, 'content-type'), req.body, view, state) : wrongMethod();

  if (segments[0] === 'mesos_dns' && segments[1] === 'v1' && segments[2] === 'hosts' && segments.length === 4) {
    return get ? mesosDnsHosts(segments[3]!, view, pods, state) : wrongMethod();
  }
  if (path === '/mesos/master/state' || path === '/mesos/master/state.json') return get ? mesosState(view, pods, state) : wrongMethod();
  if (path === '/mesos/slaves' || path === '/mesos/master/slaves') return get ? mesosSlaves(view, pods, state) : wrongMethod();
  if (path === '/mesos/frameworks' || path === '/mesos/master/frameworks') return get ? mesosFrameworks(view, pods, state) : wrongMethod();
  if (path === '/mesos/api/v1') return post ? mesosOperatorCall(req.body, view, pods, state) : wrongMethod();
  if (path === '/net/v1/vips') return get ? vips(view, state) : wrongMethod();
  return text(404, 'Not Found');
}
