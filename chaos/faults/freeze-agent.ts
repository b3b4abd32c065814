// Freeze every process of an agent (cgroup freezer) and thaw it at heal: a host that stops answering, then returns.
import { can, type Cluster, type HostFreeze } from '../../targets/cluster.ts';
import type { Fault } from './fault.ts';
import { resolveHosts, type HostTarget } from './host-of.ts';

export const freezeAgent: Fault<HostTarget> = {
  name: 'freeze-agent',
  description: 'freeze all processes of an agent; thaw at heal',
  available: async (cluster) => can.freezeHosts(cluster),
  async inject({ cluster, random, inEffect }, target) {
    const hosts = await resolveHosts(cluster, target, random);
    for (const h of hosts) {
      await freezer(cluster).freezeHost(h);
      inEffect?.();
    }
    return { fault: 'freeze-agent', targets: hosts };
  },
  async heal({ cluster }, injection) {
    for (const h of injection.targets) await freezer(cluster).thawHost(h);
  },
};

function freezer(cluster: Cluster): HostFreeze {
  if (!can.freezeHosts(cluster)) throw new Error('this target cannot freeze a host');
  return cluster;
}
