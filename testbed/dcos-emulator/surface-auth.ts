// Logging in and being let in: IAM's `POST /acs/api/v1/auth/login` (a user's uid/password, or a service account's
// uid and RS256 service login token) issues a DC/OS authentication token; Admin Router lets a request through only
// with a valid one (header `token=`, `Bearer`, or the `dcos-acs-auth-cookie` cookie) and otherwise answers its 401.
import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { notExpired, signRs256, verifyRs256 } from './jwt.ts';
import { json, type DcosResponse } from './surface-reply.ts';
import type { SurfaceState } from './surface-state.ts';

export interface DcosRequest {
  method: string;
  /** Path with an optional query, e.g. `/service/kubernetes-cluster/v1/plans/deploy/interrupt?phase=etcd`. */
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body?: string | undefined;
}

/** DC/OS authentication tokens are valid 5 days. source: DC/OS 2.0 docs security/oss/authentication/authentication-token */
const TOKEN_LIFETIME_SECONDS = 5 * 24 * 3600;

const loginBody = z.union([
  z.strictObject({ uid: z.string().min(1), password: z.string() }),
  z.strictObject({ uid: z.string().min(1), token: z.string() }),
]);

/** A request header's (first) value, whatever the case of its name. */
export function headerValue(req: DcosRequest, name: string): string | undefined {
  const key = Object.keys(req.headers).find((k) => k.toLowerCase() === name);
  const h = key === undefined ? undefined : req.headers[key];
  return Array.isArray(h) ? h[0] : h;
}

/**
 * IAM's refusal of a login. [UNCONFIRMED] the body, code and header: IAM (Bouncer) is not public; the dcos-cli decodes
 * `{title, description, code}`.
 */
function loginRefused(description: string): DcosResponse {
  return json(401, { title: 'Unauthorized', description, code: 'ERR_INVALID_CREDENTIALS' }, [], { 'www-authenticate': 'acsjwt' });
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Why a service login token does not log this account in, if it does: an RS256 JWT signed with the account's private
 * key, whose `uid` is the account and whose `exp` is in the future.
 * source: DC/OS 2.0 docs security/oss/login/service-login (uid and exp claims, RS256); dcos/dcos
 * test-e2e/test_service_account.py @ 2.2 (POST {uid, token} answers 200). [UNCONFIRMED] that IAM refuses a token
 * without `exp` (the docs say every service login token should carry one).
 */
function serviceLoginProblem(uid: string, token: string, state: SurfaceState): string | undefined {
  const account = state.serviceAccounts.find((a) => a.uid === uid);
  if (!account) return 'no such service account';
  const checked = verifyRs256(token, account.publicKey);
  if ('problem' in checked) return checked.problem;
  if (checked.claims.uid !== uid) return 'the token names another uid';
  if (!notExpired(checked.claims, state.now())) return 'the token has no exp in the future';
  return undefined;
}

/** `POST /acs/api/v1/auth/login`: `{"token": <DC/OS authentication token>}`, an RS256 JWT `{uid, exp}` signed by IAM. */
export function login(req: DcosRequest, state: SurfaceState): DcosResponse {
  let input: unknown;
  try {
    input = JSON.parse(req.body ?? '');
  } catch {
    // [UNCONFIRMED] IAM's answer to a body that is not JSON.
    return json(400, { title: 'Bad Request', description: 'Request has bad Content-Type or lacks JSON data', code: 'ERR_MALFORMED_REQUEST' });
  }
  const parsed = loginBody.safeParse(input);
  if (!parsed.success) return json(400, { title: 'Bad Request', description: 'Expected {"uid", "password"} or {"uid", "token"}', code: 'ERR_MALFORMED_REQUEST' });
  const creds = parsed.data;
  let uid: string;
  if ('password' in creds) {
    const user = state.users.find((u) => u.uid === creds.uid && sameSecret(u.password, creds.password));
    if (!user) return loginRefused('The UID or password is invalid');
    uid = user.uid;
  } else {
    const problem = serviceLoginProblem(creds.uid, creds.token, state);
    // The reason stays in the emulator: IAM does not say which check failed.
    if (problem) return loginRefused('The service login token is invalid');
    uid = creds.uid;
  }
  const token = signRs256({ uid, exp: Math.floor(state.now() / 1000) + TOKEN_LIFETIME_SECONDS }, state.iamKey.privateKey);
  state.tokens.set(token, uid);
  return json(200, { token });
}

/**
 * The token a request carries: `Authorization: token=<t>`, else `Authorization: Bearer <t>`; without an Authorization
 * header, the `dcos-acs-auth-cookie` cookie.
 * source: dcos/dcos packages/adminrouter/extra/src/lib/auth/common.lua (validate_jwt) @ 2.2
 */
function requestToken(req: DcosRequest): string | undefined {
  const auth = headerValue(req, 'authorization');
  if (auth !== undefined) return /token=(.+)/.exec(auth)?.[1]?.trim() ?? /Bearer (.+)/.exec(auth)?.[1]?.trim();
  const cookies = headerValue(req, 'cookie') ?? '';
  return /(?:^|;\s*)dcos-acs-auth-cookie=([^;]+)/.exec(cookies)?.[1];
}

/**
 * Whether Admin Router lets the request through: a token IAM signed, with a `uid` claim; `exp`, when present, in the
 * future. source: dcos/dcos packages/adminrouter/extra/src/lib/auth/common.lua (validate_jwt: uid required, exp
 * optional) @ 2.2
 */
export function authorized(req: DcosRequest, state: SurfaceState): boolean {
  const token = requestToken(req);
  if (!token) return false;
  const checked = verifyRs256(token, state.iamKey.publicKey);
  if ('problem' in checked) return false;
  if (typeof checked.claims.uid !== 'string') return false;
  return checked.claims.exp === undefined || notExpired(checked.claims, state.now());
}

const UNAUTHORIZED_PAGE = '<html>\n<head><title>401 Unauthorized</title></head>\n<body>\n<h1>401 Unauthorized</h1>\n'
  + '<p>Log in to DC/OS first (send Authorization: token=&lt;DC/OS authentication token&gt;).</p>\n</body>\n</html>\n';

/**
 * Admin Router's 401: an HTML page, `WWW-Authenticate: oauthjwt` on DC/OS Open, `acsjwt` on Enterprise.
 * source: dcos/dcos packages/adminrouter/extra/src/lib/auth/common.lua (exit_401), lib/auth/open.lua,
 * test-harness/modules/util.py (auth_type_str: acsjwt on EE), packages/dcos-integration-test/extra/test_auth.py @ 2.2.
 * The page text is the emulator's own.
 */
export function adminRouterUnauthorized(state: SurfaceState): DcosResponse {
  return { status: 401, headers: { 'content-type': 'text/html; charset=UTF-8', 'www-authenticate': state.enterprise ? 'acsjwt' : 'oauthjwt' }, body: UNAUTHORIZED_PAGE, actions: [] };
}
