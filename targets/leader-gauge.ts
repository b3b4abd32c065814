// Reads `leader_election_master_status` from a scheduler or controller-manager's /metrics (client-cert auth).
import { readFileSync } from 'node:fs';
import { request } from 'node:https';

export const METRICS_PORTS = { 'kube-scheduler': 10259, 'kube-controller-manager': 10257 } as const;

/**
 * 1 when this instance holds its Lease, 0 when not, 'no-election' when /metrics answers without the gauge at all — a
 * component started with `--leader-elect=false` never registers it and acts as leader; rejects when /metrics cannot be read.
 */
export function leaderGauge(ip: string, port: number, certFile: string, keyFile: string, timeoutMs = 3_000): Promise<0 | 1 | 'no-election'> {
  return new Promise((resolve, reject) => {
    // Each component serves /metrics with its own self-signed certificate; only the gauge is read over it.
    const req = request({ host: ip, port, path: '/metrics', cert: readFileSync(certFile), key: readFileSync(keyFile), rejectUnauthorized: false, agent: false, timeout: timeoutMs }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => {
        const m = /^leader_election_master_status\{[^}]*\} (\d)/m.exec(body);
        if (res.statusCode !== 200) reject(new Error(`${ip}:${port}/metrics: status ${res.statusCode}`));
        else resolve(m ? (m[1] === '1' ? 1 : 0) : 'no-election');
      });
    });
    req.on('timeout', () => req.destroy(new Error(`${ip}:${port}/metrics timed out`)));
    req.on('error', reject);
    req.end();
  });
}
