// Agent crash: every task on the host dies and its link goes down; heal brings the agent back (tasks relaunch).
import { can, type Cluster, type HostPower } from '../../targets/cluster.ts';
import type { Fault } from './fault.ts';
import { resolveHosts, type HostTarget } from './host-of.ts';

export const crashAgent: Fault<HostTarget> = {
  name: 'crash-agent',
  description: 'kill every task on an agent and take its link down; the agent returns at heal',
  available: async (cluster) => can.powerHosts(cluster),
  async inject({ cluster, random, inEffect }, target) {
    const power = powered(cluster);
    const hosts = await resolveHosts(cluster, target, random);
    const tasks: string[] = [];
    for (const h of hosts) {
      tasks.push(...(await power.crashHost(h)));
      inEffect?.();
    }
    return { fault: 'crash-agent', targets: hosts, undo: { tasks } };
  },
  async heal({ cluster }, injection) {
    for (const h of injection.targets) await powered(cluster).restoreHost(h);
  },
};

function powered(cluster: Cluster): HostPower {
  if (!can.powerHosts(cluster)) throw new Error('this target cannot crash and restore a host');
  return cluster;
}
