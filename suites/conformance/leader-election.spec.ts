// Leader election: each Lease has a holder, and exactly one instance of each component reports itself leader.
import { readFileSync } from 'node:fs';
import { test, expect } from '../fixtures.ts';
import { leaderGauge } from '../../deployer/cluster/leader-gauge.ts';

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
      const gauges = await Promise.all(procs.map((p) => leaderGauge(p.argv.find((a) => a.startsWith('--bind-address='))!.split('=')[1]!, port, `${pki}admin.crt`, `${pki}admin.key`)));
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
