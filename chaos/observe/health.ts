// Cluster health as a condition: 3 healthy etcd members with one leader and equal hashes, 3 VIP backends, each
// apiserver's own /readyz (where the target can ask), both Leases currently held, every Node Ready. Checked before
// every fault and waited for after every heal.
import { can, type Cluster } from '../../targets/cluster.ts';
import { currentHolder } from './observer.ts';
import { withTimeout } from '../../core/with-timeout.ts';

const CALL_TIMEOUT_MS = 10_000;

export interface Health {
  healthy: boolean;
  /** What the cluster showed to be wrong. */
  problems: string[];
  /**
   * What could not be told: a read of the observer's own that failed where the cluster's state is not in doubt (the VIP
   * table, a /metrics endpoint that did not answer while no other instance claims to lead). Never healthy evidence.
   */
  unreadable: string[];
}

export async function checkHealth(cluster: Cluster, withHashes: boolean): Promise<Health> {
  const problems: string[] = [];
  const unreadable: string[] = [];
  const firstLine = (e: Error) => e.message.split('\n')[0]!;
  // Every call is bounded: a request stuck on a host that was cut off must not stall the wait for recovery.
  // An apiserver read that fails (Leases, Nodes, through the VIP) is the API failing: a problem, not doubt.
  const [members, backends, leases, nodes, readiness] = await Promise.all([
    withTimeout(cluster.etcdMembers(), CALL_TIMEOUT_MS, 'etcd members').catch((e: Error) => { problems.push(`etcd: ${firstLine(e)}`); return []; }),
    withTimeout(cluster.vipBackends(), CALL_TIMEOUT_MS, 'VIP backends').catch((e: Error) => { unreadable.push(`VIP backends: ${firstLine(e)}`); return undefined; }),
    withTimeout(cluster.leaderLeases(), CALL_TIMEOUT_MS, 'Leases').catch((e: Error) => { problems.push(`Leases: ${firstLine(e)}`); return []; }),
    withTimeout(cluster.nodes(), CALL_TIMEOUT_MS, 'Nodes').catch((e: Error) => { problems.push(`Nodes: ${firstLine(e)}`); return undefined; }),
    // Each apiserver's own /readyz where the target can ask it: the VIP's listing can keep a dead one (static pods).
    can.probeApiservers(cluster) ? withTimeout(cluster.apiserverReadiness(), CALL_TIMEOUT_MS, 'apiserver /readyz').catch((e: Error) => { unreadable.push(`apiserver /readyz: ${firstLine(e)}`); return []; }) : Promise.resolve([]),
  ]);
  // Three apiservers must answer, whatever the target lists: a task that is not running (or not listed) is not serving.
  if (can.probeApiservers(cluster) && readiness.length !== 3 && !unreadable.some((u) => u.startsWith('apiserver /readyz'))) problems.push(`apiservers: ${readiness.filter((a) => a.answer === 'ready').length}/3 ready (${readiness.length} running)`);
  for (const a of readiness) {
    if (a.answer === 'not-ready' || a.answer === 'refused') problems.push(`${a.task}: /readyz ${a.answer}`);
    else if (a.answer === 'timeout') unreadable.push(`${a.task}: /readyz did not answer in time`);
  }
  const healthy = members.filter((m) => m.healthy).length;
  if (members.length && (healthy !== 3 || members.length !== 3)) problems.push(`etcd: ${healthy}/${members.length} members healthy`);
  if (members.length && members.filter((m) => m.isLeader).length !== 1) problems.push('etcd: no single leader');
  if (withHashes && !problems.length) {
    const hashes = Object.values(await withTimeout(cluster.etcdHashes(), CALL_TIMEOUT_MS, 'hashkv').catch(() => ({})));
    if (hashes.length !== 3 || new Set(hashes).size !== 1) problems.push(`etcd: hashkv not equal on 3 members (${hashes.join(', ')})`);
  }
  if (backends && backends.length !== 3) problems.push(`VIP: ${backends.length}/3 backends`);
  for (const name of ['kube-scheduler', 'kube-controller-manager']) {
    const l = leases.find((x) => x.name === name);
    if (!l || !currentHolder(l, Date.now())) problems.push(`Lease ${name}: no current holder`);
  }
  for (const role of ['kube-scheduler', 'kube-controller-manager'] as const) {
    const gauges = await withTimeout(cluster.leaderGauges(role), CALL_TIMEOUT_MS, 'leader gauges').catch((e: Error) => { unreadable.push(`${role} leader gauges: ${firstLine(e)}`); return undefined; });
    if (!gauges) continue;
    const claims = gauges.filter((g) => g.gauge === 1).length;
    const unread = gauges.filter((g) => g.gauge === 'unreadable').map((g) => g.task);
    // Two claims are wrong whatever else is unread; no claim with a gauge unread may be that instance leading.
    if (claims > 1 || (claims === 0 && !unread.length)) problems.push(`${role}: ${claims} instances claim leadership`);
    else if (claims === 0) unreadable.push(`${role}: no instance claims leadership, and the gauge of ${unread.join(', ')} could not be read`);
  }
  if (nodes) {
    const notReady = nodes.filter((n) => !n.ready).map((n) => n.name);
    if (!nodes.length) problems.push('Nodes: none listed');
    if (notReady.length) problems.push(`Nodes not Ready: ${notReady.join(', ')}`);
  }
  return { healthy: problems.length === 0 && unreadable.length === 0, problems, unreadable };
}

/** Waits until healthy (a condition, not a sleep); returns how long it took, or throws with what is still wrong. */
export async function waitHealthy(cluster: Cluster, timeoutMs: number, withHashes = true, log?: (line: string) => void): Promise<number> {
  const started = Date.now();
  let last: Health = { healthy: false, problems: ['not checked yet'], unreadable: [] };
  let reported = started;
  while (Date.now() - started < timeoutMs) {
    last = await checkHealth(cluster, withHashes);
    if (last.healthy) return Date.now() - started;
    if (log && Date.now() - reported >= 5_000) {
      reported = Date.now();
      log(`  still recovering after ${Math.round((Date.now() - started) / 1000)} s: ${[...last.problems, ...last.unreadable].join('; ')}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`cluster not healthy after ${Math.round(timeoutMs / 1000)} s: ${[...last.problems, ...last.unreadable].join('; ')}`);
}
