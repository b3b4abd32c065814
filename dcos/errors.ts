// Errors of the DC/OS client: each names the request and the status, none ever holds the token.

/** The cluster refused the token (401) or the login itself. */
export class DcosAuthError extends Error {
  override name = 'DcosAuthError';
  constructor(readonly url: string, readonly kind: 'token' | 'login', detail?: string) {
    super(kind === 'token'
      ? `the DC/OS token was refused (401) by ${url}; log in again (haproof logs in with the credentials file named in the target file)`
      : `DC/OS refused the login (401) at ${url}${detail ? `: ${detail}` : ''}; check the credentials file named in the target file`);
  }
}

/** A non-2xx answer other than 401. */
export class DcosApiError extends Error {
  override name = 'DcosApiError';
  constructor(readonly method: string, readonly path: string, readonly status: number, readonly detail: string) {
    super(`DC/OS ${method} ${path} answered ${status}${detail ? `: ${detail}` : ''}`);
  }
}

/** The answer did not have the documented shape. */
export class DcosResponseError extends Error {
  override name = 'DcosResponseError';
  constructor(readonly method: string, readonly path: string, readonly status: number, detail: string) {
    super(`DC/OS ${method} ${path} (${status}) did not answer in the documented shape: ${detail}`);
  }
}

/** No HTTP answer at all (connection refused, TLS failure, timeout). */
export class DcosConnectionError extends Error {
  override name = 'DcosConnectionError';
  constructor(readonly method: string, readonly url: string, detail: string) {
    super(`DC/OS ${method} ${url}: no answer (${detail})`);
  }
}

/** A followed plan reached ERROR (HTTP 417). */
export class DcosPlanError extends Error {
  override name = 'DcosPlanError';
  constructor(readonly plan: string, readonly errors: string[], readonly progress: string) {
    super(`plan ${plan} failed: ${errors.join('; ') || 'status ERROR'} (${progress})`);
  }
}

/** A followed plan did not complete in time. */
export class DcosPlanTimeout extends Error {
  override name = 'DcosPlanTimeout';
  constructor(readonly plan: string, readonly timeoutMs: number, readonly progress: string | undefined, lastError: string | undefined) {
    super(`plan ${plan} did not complete within ${timeoutMs} ms; last seen: ${progress ?? '(no answer)'}${lastError ? `; last error: ${lastError}` : ''}`);
  }
}
