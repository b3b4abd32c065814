// Cluster health as a condition: 3 healthy etcd members with one leader and equal hashes, 3 VIP backends, both Leases
// currently held, every Node Ready. Checked before every fault and waited for after every heal.
import type { Cluster } from '../deployer/cluster/cluster.ts';
import { currentHolder } from './observer.ts';

export interface Health {
  healthy: boolean;
  problems: string[];
}

export async function checkHealth(cluster: Cluster, withHashes: boolean): Promise<Health> {
  const problems: string[] = [];
  const [members, backends, leases, nodes] = await Promise.all([
    cluster.etcdMembers().catch((e: Error) => { problems.push(`etcd: ${e.message.split('\n')[0]}`); return []; }),
    cluster.vipBackends().catch(() => []),
    cluster.leaderLeases().catch(() => []),
    cluster.nodes().catch(() => []),
  ]);
  const healthy = members.filter((m) => m.healthy).length;
  if (members.length && (healthy !== 3 || members.length !== 3)) problems.push(`etcd: ${healthy}/${members.length} members healthy`);
  if (members.length && members.filter((m) => m.isLeader).length !== 1) problems.push('etcd: no single leader');
  if (withHashes && !problems.length) {
    const hashes = Object.values(await cluster.etcdHashes().catch(() => ({})));
    if (hashes.length !== 3 || new Set(hashes).size !== 1) problems.push(`etcd: hashkv not equal on 3 members (${hashes.join(', ')})`);
  }
  if (backends.length !== 3) problems.push(`VIP: ${backends.length}/3 backends`);
  for (const name of ['kube-scheduler', 'kube-controller-manager']) {
    const l = leases.find((x) => x.name === name);
    if (!l || !currentHolder(l, Date.now())) problems.push(`Lease ${name}: no current holder`);
  }
  for (const role of ['kube-scheduler', 'kube-controller-manager'] as const) {
    const claims = await cluster.leaderClaims(role).catch(() => []);
    if (claims.length !== 1) problems.push(`${role}: ${claims.length} instances claim leadership`);
  }
  const notReady = nodes.filter((n) => !n.ready).map((n) => n.name);
  if (!nodes.length) problems.push('Nodes: none listed');
  if (notReady.length) problems.push(`Nodes not Ready: ${notReady.join(', ')}`);
  return { healthy: problems.length === 0, problems };
}

/** Waits until healthy (a condition, not a sleep); returns how long it took, or throws with what is still wrong. */
export async function waitHealthy(cluster: Cluster, timeoutMs: number, withHashes = true): Promise<number> {
  const started = Date.now();
  let last: Health = { healthy: false, problems: ['not checked yet'] };
  while (Date.now() - started < timeoutMs) {
    last = await checkHealth(cluster, withHashes);
    if (last.healthy) return Date.now() - started;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`cluster not healthy after ${Math.round(timeoutMs / 1000)} s: ${last.problems.join('; ')}`);
}
