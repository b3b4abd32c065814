// Picks fault targets by role and selector: one, minority, majority, all, leader, follower, or a named task.
import type { Cluster, Role, TaskView } from '../../targets/cluster.ts';

export type Selector = 'one' | 'minority' | 'majority' | 'all' | 'leader' | 'follower' | { name: string };

/** How many of n a selector takes (pure): minority = ⌊(n−1)/2⌋ (at least 1), majority = ⌊n/2⌋+1. */
export function selectorCount(selector: 'one' | 'minority' | 'majority' | 'all', n: number): number {
  switch (selector) {
    case 'one': return Math.min(1, n);
    case 'minority': return Math.max(1, Math.floor((n - 1) / 2));
    case 'majority': return Math.floor(n / 2) + 1;
    case 'all': return n;
  }
}

/** A seeded shuffle (pure given `random`). */
export function shuffled<T>(xs: readonly T[], random: () => number): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export async function selectTasks(cluster: Cluster, role: Role, selector: Selector, random: () => number): Promise<TaskView[]> {
  const tasks = (await cluster.tasks()).filter((t) => t.role === role).sort((a, b) => a.task.localeCompare(b.task));
  if (typeof selector === 'object') {
    const named = tasks.filter((t) => t.task === selector.name);
    if (!named.length) throw new Error(`no ${role} task named ${JSON.stringify(selector.name)} (have ${tasks.map((t) => t.task).join(', ')})`);
    return named;
  }
  if (selector === 'leader' || selector === 'follower') {
    if (role !== 'etcd' && role !== 'kube-scheduler' && role !== 'kube-controller-manager') throw new Error(`role ${role} has no leader`);
    const leader = await cluster.leaderTask(role);
    if (!leader) throw new Error(`no ${role} leader right now`);
    const pool = selector === 'leader' ? tasks.filter((t) => t.task === leader) : tasks.filter((t) => t.task !== leader);
    return selector === 'leader' ? pool : shuffled(pool, random).slice(0, 1);
  }
  return shuffled(tasks, random).slice(0, selectorCount(selector, tasks.length));
}
