// A small anonymous HTTPS client for conformance checks (cluster CA, TLS server name = the VIP name).
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import type { Cluster } from '../../targets/cluster.ts';

export function getJson(cluster: Cluster, ip: string, path: string, port = cluster.vip.port): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: ip, port, path, ca: readFileSync(cluster.caFile), servername: cluster.vip.name, agent: false, timeout: 5_000 }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`GET https://${ip}:${port}${path} timed out`)));
    req.on('error', reject);
    req.end();
  });
}
