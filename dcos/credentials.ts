// DC/OS credentials: the credentials file (a token, a uid/password, or a service-account secret) and the RS256 service
// login token. Errors name the file and the keys, never a secret value.
import { createSign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { UsageError } from '../config/options.ts';
import { issuesText } from '../core/zod-error.ts';

export type DcosCredentials =
  | { kind: 'token'; token: string }
  | { kind: 'password'; uid: string; password: string }
  | { kind: 'service-account'; uid: string; privateKey: string };

const tokenFile = z.strictObject({ token: z.string().min(1) });
const passwordFile = z.strictObject({ uid: z.string().min(1), password: z.string().min(1) });
/**
 * The service-account secret as `dcos security secrets create-sa-secret` writes it: `{login_endpoint, private_key,
 * scheme, uid}`, the key PEM (PKCS#8 or PKCS#1), and RS256 the only scheme. `login_endpoint` names the cluster-internal
 * URL (e.g. `https://master.mesos/acs/api/v1/auth/login`); haproof logs in at the target's URL instead.
 * source: dcos/dcos-cli vendor/github.com/dcos/client-go/dcos/client_api.go (ServiceAccountOptions,
 * LoginWithServiceAccount) @ 5c1264af
 */
const serviceAccountFile = z.strictObject({
  uid: z.string().min(1),
  private_key: z.string().includes('PRIVATE KEY', { message: 'must be a PEM private key' }),
  scheme: z.literal('RS256', { error: 'must be "RS256" (the only scheme DC/OS service login supports)' }),
  login_endpoint: z.string().optional(),
});

const EXPECTED = 'a token on one line, or JSON {"token"}, {"uid","password"} or a service-account secret {"uid","private_key","scheme":"RS256"}';

/** Parses the text of a credentials file; `source` names the file in errors. */
export function parseCredentials(text: string, source: string): DcosCredentials {
  const trimmed = text.trim();
  if (trimmed === '') throw new UsageError(`credentials file ${source}: empty; expected ${EXPECTED}`);
  if (!trimmed.startsWith('{')) {
    if (/\s/.test(trimmed)) throw new UsageError(`credentials file ${source}: not JSON and not a single token (it contains whitespace); expected ${EXPECTED}`);
    return { kind: 'token', token: trimmed };
  }
  let json: unknown;
  try {
    json = JSON.parse(trimmed);
  } catch {
    // The parser's message may quote the file's text, which holds secrets: say only that it is not JSON.
    throw new UsageError(`credentials file ${source}: starts with "{" but is not valid JSON; expected ${EXPECTED}`);
  }
  const keys = json && typeof json === 'object' && !Array.isArray(json) ? Object.keys(json).sort() : [];
  const t = tokenFile.safeParse(json);
  if (t.success) return { kind: 'token', token: t.data.token };
  const p = passwordFile.safeParse(json);
  if (p.success) return { kind: 'password', uid: p.data.uid, password: p.data.password };
  const s = serviceAccountFile.safeParse(json);
  if (s.success) return { kind: 'service-account', uid: s.data.uid, privateKey: s.data.private_key };
  // Name the closest shape's failing keys (no values: they are secrets).
  const closest = keys.includes('private_key') ? s : keys.includes('password') ? p : keys.includes('token') ? t : undefined;
  const why = closest && !closest.success ? issuesText(closest.error, '(keys)') : `has keys [${keys.join(', ')}]`;
  throw new UsageError(`credentials file ${source}: ${why}; expected ${EXPECTED}`);
}

export function readCredentialsFile(path: string): DcosCredentials {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`credentials file ${path}: cannot read it (${(e as NodeJS.ErrnoException).code ?? e})`);
  }
  return parseCredentials(text, path);
}

/**
 * The service login token DC/OS expects with a service account's uid (`POST /acs/api/v1/auth/login {uid, token}`): an
 * RS256 JWT, header `{alg: RS256, typ: JWT}`, claims `{uid, exp}`, valid 5 minutes as the dcos-cli builds it.
 * source: dcos/dcos-cli pkg/login/flow.go (serviceToken) @ 5c1264af; the same claims in mesosphere/dcos-commons
 * sdk/scheduler/src/main/java/com/mesosphere/sdk/dcos/clients/ServiceAccountIAMTokenClient.java @ 0bcc52ad; DC/OS 2.0
 * docs security/oss/login/service-login
 */
export function serviceLoginToken(uid: string, privateKeyPem: string, nowSeconds: number = Math.floor(Date.now() / 1000)): string {
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const unsigned = `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64({ uid, exp: nowSeconds + 300 })}`;
  const signature = createSign('RSA-SHA256').update(unsigned).sign(privateKeyPem).toString('base64url');
  return `${unsigned}.${signature}`;
}
