// One HTTPS request with Node's https module: a timeout, the whole body read as text, never throws an HTTP status.
import { Agent, request } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import { DcosConnectionError } from './errors.ts';

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

export interface TlsOptions {
  /** PEM of the CA that signed the cluster's certificate; absent only with `insecure`. */
  ca?: string | Buffer;
  /** Skip certificate verification (DC/OS clusters with self-signed certificates and no CA file). */
  insecure?: boolean;
}

/** A keep-alive agent that verifies the server against `ca`, or verifies nothing when `insecure`. */
export function createHttpsAgent(tls: TlsOptions): Agent {
  if (!tls.insecure && tls.ca === undefined) throw new Error('DC/OS TLS: give a CA (ca) or say insecure: true');
  return new Agent({ keepAlive: true, maxSockets: 8, ...(tls.insecure ? { rejectUnauthorized: false } : { ca: tls.ca }) });
}

export function sendHttps(agent: Agent, method: string, url: URL, headers: Record<string, string>, body: string | undefined, timeoutMs: number): Promise<RawResponse> {
  // The URL shown in errors never carries a query (it might one day carry something secret) nor credentials.
  const shown = `${url.origin}${url.pathname}`;
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent, headers: body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) }, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', (e) => reject(new DcosConnectionError(method, shown, e.message)));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer in ${timeoutMs} ms`)));
    req.on('error', (e) => reject(new DcosConnectionError(method, shown, e.message)));
    req.end(body);
  });
}
