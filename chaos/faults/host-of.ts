// Resolves a fault's host target: a named host, or the host running a selected task (e.g. the etcd leader's).
import type { Cluster, Role } from '../../targets/cluster.ts';
import { selectTasks, type Selector } from './targets.ts';

export type HostTarget = { host: string } | { hostOf: { role: Role; selector: Selector } } | { busiest: true };

export async function resolveHosts(cluster: Cluster, target: HostTarget, random: () => number): Promise<string[]> {
  if ('host' in target) return [target.host];
  if ('hostOf' in target) return [...new Set((await selectTasks(cluster, target.hostOf.role, target.hostOf.selector, random)).map((t) => t.host))];
  // The agent running both an etcd member and an apiserver (and the most tasks): the worst single host to lose.
  const tasks = await cluster.tasks();
  const agents = new Set(await cluster.agentHosts());
  const hosts = [...new Set(tasks.map((t) => t.host))].filter((h) => agents.has(h));
  const score = (h: string) => (tasks.some((t) => t.host === h && t.role === 'etcd') && tasks.some((t) => t.host === h && t.role === 'kube-apiserver') ? 100 : 0) + tasks.filter((t) => t.host === h).length;
  return [hosts.sort((a, b) => score(b) - score(a) || a.localeCompare(b))[0]!];
}
