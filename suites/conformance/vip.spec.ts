// The apiserver VIP: its DC/OS name resolves to the VIP, and the API answers through it.
import { test, expect } from '../fixtures.ts';
import { getJson } from './http.ts';
import { expectOnlyTheVip } from './kubeconfig.ts';

test.describe('apiserver VIP', () => {
  test('the l4lb name resolves to the VIP address in the cluster DNS', async ({ cluster }) => {
    expect(cluster.vip.name).toBe(`apiserver.${cluster.name}.l4lb.thisdcos.directory`);
    expect(await cluster.resolve(cluster.vip.name)).toEqual([cluster.vip.ip]);
  });

  // The design's clause: "controller-manager, scheduler and the kubelets reach the apiserver only through this name"
  // (the first two in leader-election.spec.ts). On the testbed kwok stands in for each agent's kubelet.
  test('the kubelets reach the API only through the VIP name', async ({ cluster }) => {
    await expectOnlyTheVip(cluster, 'kwok');
  });

  test('/readyz answers 200 through the VIP on new connections', async ({ cluster }) => {
    for (let i = 0; i < 20; i++) {
      const r = await getJson(cluster, cluster.vip.ip, '/readyz');
      expect(r.status).toBe(200);
      expect(r.body).toBe('ok');
    }
  });
});
