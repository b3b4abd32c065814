// One GET of an apiserver's own /readyz at its address (not through the VIP), with the cluster's CA: what the readyz
// VIP policy probes every 200 ms, and what haproof's health check asks of each apiserver.
import { request } from 'node:https';

export type ReadyzAnswer = 'ready' | 'not-ready' | 'refused' | 'timeout';

/** `client`: a certificate to present (an apiserver with `--anonymous-auth=false` answers an anonymous /readyz 401). */
export function probeReadyz(o: { ip: string; port: number; ca: Buffer; servername: string; timeoutMs: number; client?: { cert: Buffer; key: Buffer }; path?: '/readyz' | '/healthz' }): Promise<ReadyzAnswer> {
  return new Promise((resolve) => {
    const req = request({ host: o.ip, port: o.port, path: o.path ?? '/readyz', method: 'GET', ca: o.ca, servername: o.servername, agent: false, timeout: o.timeoutMs, ...(o.client ?? {}) }, (res) => {
      res.resume();
      resolve(res.statusCode === 200 ? 'ready' : 'not-ready');
    });
    // No answer in time (a frozen or cut-off host, a stalled machine) is not the same as nothing listening.
    req.on('timeout', () => { req.destroy(); resolve('timeout'); });
    req.on('error', () => resolve('refused'));
    req.end();
  });
}
