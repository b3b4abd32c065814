// The testbed's DC/OS API surface as a pure request handler: IAM login and Admin Router's token check, then SDK
// plans/pods/endpoints, Cosmos install/uninstall, Mesos-DNS, Mesos master and operator API, dcos-net VIPs. No I/O: it
// answers from the view and the state it is handed (which it updates); work it cannot do (relaunching, moving pods,
// stopping the service) comes back as `actions` for the caller.
import { podCommand, podInfo, podInstanceStatus, podList, podStatusAll, endpoint, endpointList } from './surface-pods.ts';
import { mesosDnsHosts, mesosFrameworks, mesosOperatorCall, mesosSlaves, mesosState, vips } from './surface-mesos.ts';
import { installPackage, uninstallPackage } from './surface-package.ts';
import { getPlan, PLAN_NAMES, runPlanCommand, type PlanCommandName } from './surface-plans.ts';
import { adminRouterUnauthorized, authorized, headerValue, login, type DcosRequest } from './surface-auth.ts';
import { json, text, type DcosResponse } from './surface-reply.ts';
import { observe, type SurfaceState } from './surface-state.ts';
import type { DcosView } from './view.ts';

export type { DcosResponse } from './surface-reply.ts';
export type { DcosRequest } from './surface-auth.ts';
export { createSurfaceState, type SurfaceAction, type SurfaceOptions, type SurfaceServiceAccount, type SurfaceState, type SurfaceUser } from './surface-state.ts';

/**
 * Admin Router's answer when it finds no scheduler for `/service/<name>/`: no running Marathon task labelled with the
 * name, no Mesos framework of that name, no Mesos-DNS SRV record. source: dcos/dcos
 * packages/adminrouter/extra/src/lib/service.lua (recursive_resolve) @ 2.2
 */
function serviceNotFound(): DcosResponse {
  return text(404, '404 Not Found: service not found.\n');
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
  if (!authorized(req, state)) return adminRouterUnauthorized(state);

  const pods = observe(view, state);
  const get = method === 'GET';
  const post = method === 'POST';
  const wrongMethod = () => text(405, 'Method Not Allowed');

  // Admin Router: /service/<service-name>/ → the scheduler, prefix stripped (the name may hold folders:
  // dev/kubernetes01). source: dcos/dcos packages/adminrouter/extra/src/lib/service.lua @ 2.2
  const svc = view.cluster.split('/').filter(Boolean);
  if (segments[0] === 'service') {
    // An uninstalled service, or one whose scheduler keeps exiting, has no scheduler for Admin Router to proxy to.
    const named = svc.every((s, i) => segments[i + 1] === s);
    if (!named || !state.installed || state.schedulerFailure !== undefined) return serviceNotFound();
    // The scheduler's own 404 (Jetty) for a path it does not serve. [UNCONFIRMED] its body.
    if (segments[svc.length + 1] !== 'v1') return text(404, 'Not Found');
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

  // Admin Router: /package/ → Cosmos, /mesos_dns/ → Mesos-DNS, /mesos/ → the leading master, /net/ → dcos-net.
  // source: dcos/dcos packages/adminrouter/extra/src/includes/server/master.conf @ 2.2
  const cosmosRequest = () => ({ contentType: headerValue(req, 'content-type'), accept: headerValue(req, 'accept'), body: req.body });
  if (path === '/package/install') return post ? installPackage(cosmosRequest(), view, state) : wrongMethod();
  if (path === '/package/uninstall') return post ? uninstallPackage(cosmosRequest(), view, state) : wrongMethod();

  if (segments[0] === 'mesos_dns' && segments[1] === 'v1' && segments[2] === 'hosts' && segments.length === 4) {
    return get ? mesosDnsHosts(segments[3]!, view, pods, state) : wrongMethod();
  }
  if (path === '/mesos/master/state' || path === '/mesos/master/state.json') return get ? mesosState(view, pods, state) : wrongMethod();
  if (path === '/mesos/slaves' || path === '/mesos/master/slaves') return get ? mesosSlaves(view, pods, state) : wrongMethod();
  if (path === '/mesos/frameworks' || path === '/mesos/master/frameworks') return get ? mesosFrameworks(view, pods, state) : wrongMethod();
  if (path === '/mesos/api/v1') return post ? mesosOperatorCall(req.body, view, pods, state) : wrongMethod();
  if (path === '/net/v1/vips') return get ? vips(view, pods, state) : wrongMethod();
  return text(404, 'Not Found');
}
