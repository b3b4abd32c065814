// The API server a component reaches: the server of the kubeconfig its own command line names, read as that process
// sees it (its filesystem: a container's or a static pod's), and that must be the VIP name — never an apiserver's address.
import { KubeConfig } from '@kubernetes/client-node';
import { expect } from '../fixtures.ts';
import type { Cluster, Role } from '../../targets/cluster.ts';

export async function expectOnlyTheVip(cluster: Cluster, role: Role): Promise<void> {
  const procs = await cluster.processes(role);
  expect(procs.length, `${role} processes`).toBeGreaterThan(0);
  for (const p of procs) {
    const flag = p.argv.find((a) => a.startsWith('--kubeconfig='));
    expect(flag, `${p.task}: --kubeconfig in its command line`).toBeDefined();
    const kc = new KubeConfig();
    kc.loadFromString(await cluster.readProcessFile(p, flag!.slice('--kubeconfig='.length)));
    expect(kc.getClusters().map((c) => c.server), `${p.task}'s kubeconfig`).toEqual([`https://${cluster.vip.name}:${cluster.vip.port}`]);
  }
}
