// RS256 JSON Web Tokens as DC/OS uses them, both ways: service login tokens (signed by a service account, checked by
// IAM) and DC/OS authentication tokens (signed by IAM, checked by Admin Router) — header {alg: RS256, typ: JWT},
// claims {uid, exp}. Also the IAM's signing key, one per process.
// source: DC/OS 2.0 docs security/oss/login/service-login and security/oss/authentication/authentication-token
// (archive-docs.d2iq.com); dcos/dcos packages/adminrouter/extra/src/lib/auth/common.lua (validate_jwt) @ 2.2
import { createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';

export interface JwtClaims {
  uid?: unknown;
  exp?: unknown;
  [claim: string]: unknown;
}

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** `<header>.<claims>.<signature>` signed with RSA-SHA256. */
export function signRs256(claims: JwtClaims, privateKey: KeyObject | string): string {
  const unsigned = `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64(claims)}`;
  return `${unsigned}.${sign('RSA-SHA256', Buffer.from(unsigned), privateKey).toString('base64url')}`;
}

/** The claims of a token whose header says RS256 and whose signature the key verifies; else why not. Pure. */
export function verifyRs256(token: string, publicKey: KeyObject | string): { claims: JwtClaims } | { problem: string } {
  const parts = token.split('.');
  if (parts.length !== 3) return { problem: 'not a JWT (three dot-separated parts)' };
  const [h, c, sig] = parts as [string, string, string];
  let header: unknown;
  let claims: unknown;
  try {
    header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8'));
    claims = JSON.parse(Buffer.from(c, 'base64url').toString('utf8'));
  } catch {
    return { problem: 'header or claims are not base64url JSON' };
  }
  if (!header || typeof header !== 'object' || (header as { alg?: unknown }).alg !== 'RS256') return { problem: 'the header must say alg RS256' };
  if (!claims || typeof claims !== 'object' || Array.isArray(claims)) return { problem: 'the claims are not an object' };
  let key: KeyObject;
  try {
    key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
  } catch {
    return { problem: 'the account has no usable public key' };
  }
  if (!verify('RSA-SHA256', Buffer.from(`${h}.${c}`), key, Buffer.from(sig, 'base64url'))) return { problem: 'the signature does not verify' };
  return { claims: claims as JwtClaims };
}

/** Whether `exp` (seconds) is a number still in the future. */
export function notExpired(claims: JwtClaims, nowMs: number): boolean {
  return typeof claims.exp === 'number' && claims.exp * 1000 > nowMs;
}

let processKey: { privateKey: KeyObject; publicKey: KeyObject } | undefined;

/** The emulated IAM's RSA signing key: made on first use, the same for every surface in this process. */
export function iamSigningKey(): { privateKey: KeyObject; publicKey: KeyObject } {
  if (!processKey) {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    processKey = { privateKey: pair.privateKey, publicKey: pair.publicKey };
  }
  return processKey;
}
