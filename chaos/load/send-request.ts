// Sends one HTTPS request to the target's ip (bounded by a timeout) and resolves, never rejects, with what came back.
import { type Agent, request } from 'node:https';
import type { SecureContext } from 'node:tls';
import type { RequestResult } from './classify.ts';
import type { LoadTarget } from './load-config.ts';

export interface HttpResult extends RequestResult {
  /** The body of a 2xx answer, when asked for. */
  body?: string;
  /** Failed on a kept-alive connection before any response (the server had closed it): safe to retry a GET. */
  reusedSocketClosed?: boolean;
  /** A 429's Retry-After, in seconds (an apiserver shutting down sends it: the request was not processed). */
  retryAfter?: number;
}

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  body?: unknown;
  /** Keep the body of a 2xx answer. */
  wantBody?: boolean;
}

/** Bodies beyond this are cut off as an error (the load never reads anything that large). */
const MAX_BODY_BYTES = 16 * 1024 * 1024;
const RESET = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

/**
 * `secureContext` (made once from the target's CA) spares each new connection from parsing the CA again: a fresh
 * connection per request then costs the handshake only.
 */
export function sendRequest(target: LoadTarget, agent: Agent | false, r: HttpRequest, timeoutMs: number, secureContext?: SecureContext): Promise<HttpResult> {
  const payload = r.body === undefined ? undefined : JSON.stringify(r.body);
  return new Promise((resolve) => {
    let done = false;
    let status: number | undefined;
    const finish = (result: HttpResult): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(result);
    };
    const req = request({
      host: target.ip, port: target.port, path: r.path, method: r.method, servername: target.servername, ...(secureContext ? { secureContext } : { ca: target.ca }), agent,
      headers: {
        authorization: `Bearer ${target.token}`, accept: 'application/json',
        ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
      },
    }, (res) => {
      status = res.statusCode;
      const keep = r.wantBody === true && status !== undefined && status < 300;
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        if (!keep) return;
        size += c.length;
        if (size > MAX_BODY_BYTES) req.destroy(Object.assign(new Error('body too large'), { code: 'EBODYTOOLARGE' }));
        else chunks.push(c);
      });
      const retryAfter = status === 429 ? Number(res.headers['retry-after']) : NaN;
      res.on('end', () => finish({ status, ...(keep ? { body: Buffer.concat(chunks).toString('utf8') } : {}), ...(Number.isFinite(retryAfter) ? { retryAfter } : {}) }));
      res.on('error', (e: NodeJS.ErrnoException) => finish({ status, errorCode: e.code ?? 'ERESPONSE' }));
    });
    const timer = setTimeout(() => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })), timeoutMs);
    req.on('error', (e: NodeJS.ErrnoException) => finish({
      ...(status !== undefined ? { status } : {}),
      errorCode: e.code ?? 'EREQUEST',
      reusedSocketClosed: status === undefined && req.reusedSocket && RESET.has(e.code ?? ''),
    }));
    // A safety net: whatever else happened, a closed request has an answer.
    req.on('close', () => finish({ ...(status !== undefined ? { status } : {}), errorCode: 'ECLOSED' }));
    req.end(payload);
  });
}
