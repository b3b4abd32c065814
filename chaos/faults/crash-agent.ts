// Agent crash: every task on the host dies and its link goes down; heal brings the agent back (tasks relaunch).
import type { Fault } from './fault.ts';
import { resolveHosts, type HostTarget } from './host-of.ts';

export const crashAgent: Fault<HostTarget> = {
  name: 'crash-agent',
  description: 'kill every task on an agent and take its link down; the agent returns at heal',
  available: async (cluster) => cluster.capabilities.crashHost,
  async inject({ cluster, random }, target) {
    const hosts = await resolveHosts(cluster, target, random);
    const tasks: string[] = [];
    for (const h of hosts) tasks.push(...(await cluster.crashHost(h)));
    return { fault: 'crash-agent', targets: hosts, undo: { tasks } };
  },
  async heal({ cluster }, injection) {
    for (const h of injection.targets) await cluster.restoreHost(h);
  },
};
