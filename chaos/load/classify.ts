// Sorts a request's outcome: ok, definite failure, or unknown outcome (a write that may still have happened).

export type Outcome = 'ok' | 'fail' | 'info';

/** Errors raised before any byte of the request could reach a server: the operation surely did not happen. */
const NOT_SENT = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ERR_TLS_CERT_ALTNAME_INVALID']);

export function classify(isWrite: boolean, result: { status?: number; errorCode?: string }): Outcome {
  const { status, errorCode } = result;
  if (status !== undefined) {
    if (status >= 200 && status < 300) return 'ok';
    // 4xx (conflict, throttling, shutdown's 429 Retry-After): the server refused the request; nothing was done.
    if (status < 500) return 'fail';
    // 5xx: for a write the server may have committed it (e.g. an etcd timeout after the proposal) — unknown.
    return isWrite ? 'info' : 'fail';
  }
  if (errorCode && NOT_SENT.has(errorCode)) return 'fail';
  // Timeouts and resets after sending: a read simply failed; a write's outcome is unknown.
  return isWrite ? 'info' : 'fail';
}
