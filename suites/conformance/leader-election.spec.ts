// Leader election: each Lease has a holder, and exactly one instance of each component reports itself leader.
import { test, expect } from '../fixtures.ts';
import { expectOnlyTheVip } from './kubeconfig.ts';

test.describe('leader election', () => {
  test('the scheduler and controller-manager Leases each have a holder', async ({ cluster }) => {
    const leases = await cluster.leaderLeases();
    expect(leases.map((l) => l.name).sort()).toEqual(['kube-controller-manager', 'kube-scheduler']);
    for (const l of leases) expect(l.holder, `${l.name} holder`).toBeTruthy();
  });

  for (const role of ['kube-scheduler', 'kube-controller-manager'] as const) {
    test(`exactly one ${role} of 3 is leader`, async ({ cluster }) => {
      const procs = await cluster.processes(role);
      expect(procs).toHaveLength(3);
      // Each instance's own leader_election_master_status gauge (from its /metrics).
      const claims = await cluster.leaderClaims(role);
      expect(claims).toHaveLength(1);
      expect(procs.map((p) => p.task)).toContain(claims[0]);
    });

    test(`${role} reaches the API only through the VIP name`, async ({ cluster }) => {
      await expectOnlyTheVip(cluster, role);
    });
  }
});
