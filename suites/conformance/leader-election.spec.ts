// Leader election: each Lease has a holder, and exactly one instance of each component reports itself leader.
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { test, expect } from '../fixtures.ts';
import type { ProcessView } from '../../deployer/cluster/cluster.ts';

/** Reads `leader_election_master_status` from one instance's /metrics with the admin client certificate. */
function leaderGauge(p: ProcessView, port: number, certFile: string, keyFile: string): Promise<number> {
  const addr = p.argv.find((a) => a.startsWith('--bind-address='))!.split('=')[1]!;
  return new Promise((resolve, reject) => {
    // These serving certificates are self-signed by each component; only the metrics are read over them.
    const req = request({ host: addr, port, path: '/metrics', cert: readFileSync(certFile), key: readFileSync(keyFile), rejectUnauthorized: false, agent: false, timeout: 5_000 }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => {
        const m = /^leader_election_master_status\{[^}]*\} (\d)/m.exec(body);
        if (res.statusCode !== 200 || !m) reject(new Error(`${p.task} /metrics: ${res.statusCode}, gauge ${m ? 'found' : 'missing'}`));
        else resolve(Number(m[1]));
      });
    });
    req.on('error', reject);
    req.end();
  });
}

test.describe('leader election', () => {
  test('the scheduler and controller-manager Leases each have a holder', async ({ cluster }) => {
    const leases = await cluster.leaderLeases();
    expect(leases.map((l) => l.name).sort()).toEqual(['kube-controller-manager', 'kube-scheduler']);
    for (const l of leases) expect(l.holder, `${l.name} holder`).toBeTruthy();
  });

  for (const [role, port] of [['kube-scheduler', 10259], ['kube-controller-manager', 10257]] as const) {
    test(`exactly one ${role} of 3 is leader`, async ({ cluster }) => {
      const procs = await cluster.processes(role);
      expect(procs).toHaveLength(3);
      const pki = cluster.caFile.replace(/ca\.crt$/, '');
      const gauges = await Promise.all(procs.map((p) => leaderGauge(p, port, `${pki}admin.crt`, `${pki}admin.key`)));
      expect(gauges.filter((g) => g === 1)).toHaveLength(1);
    });

    test(`${role} reaches the API only through the VIP name`, async ({ cluster }) => {
      for (const p of await cluster.processes(role)) {
        const kubeconfigFlag = p.argv.find((a) => a.startsWith('--kubeconfig='))!;
        const kc = JSON.parse(readFileSync(kubeconfigFlag.split('=')[1]!, 'utf8')) as { clusters: Array<{ cluster: { server: string } }> };
        expect(kc.clusters.map((c) => c.cluster.server)).toEqual([`https://${cluster.vip.name}:${cluster.vip.port}`]);
      }
    });
  }
});
