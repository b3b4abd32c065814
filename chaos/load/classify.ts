// Sorts a request's outcome: ok, definite failure, or unknown outcome (a write that may still have happened).

export type Outcome = 'ok' | 'fail' | 'info';

/** What a request came back with: an HTTP status (when headers arrived) and/or a client error code. */
export interface RequestResult {
  status?: number;
  errorCode?: string;
}

/** Errors raised before any byte of the request could reach a server: the operation surely did not happen. */
const NOT_SENT = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ERR_TLS_CERT_ALTNAME_INVALID', 'client-saturated']);

export function classify(isWrite: boolean, result: RequestResult): Outcome {
  const { status, errorCode } = result;
  // A read whose body broke off after the headers did not deliver what it read: failed, whatever the status said.
  if (status !== undefined && !(errorCode && !isWrite)) {
    if (status >= 200 && status < 300) return 'ok';
    // 4xx: the server refused the request and did nothing — 409 conflict (CAS, AlreadyExists), 404, 422 invalid,
    // throttling and shutdown's 429 Retry-After: a definite failure.
    if (status < 500) return 'fail';
    // 5xx: for a write the server may have committed it (e.g. an etcd timeout after the proposal) — unknown.
    return isWrite ? 'info' : 'fail';
  }
  if (errorCode && NOT_SENT.has(errorCode)) return 'fail';
  // Timeouts and resets after sending: a read simply failed; a write's outcome is unknown.
  return isWrite ? 'info' : 'fail';
}

/** The `error` recorded for an op that was not ok: the client's error code, else `http <status>`. */
export function errorOf(result: RequestResult): string {
  return result.errorCode ?? `http ${result.status}`;
}
