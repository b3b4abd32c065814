// Samples the cluster's state into the history on the same clock as the load: etcd members and leader, the VIP's
// backends, and the current (unexpired) holder of each leader Lease.
import { claimantsOf, type Cluster } from '../../targets/cluster.ts';
import type { EtcdSample, HistoryRecorder, LeasesSample, VipSample } from '../../history/history.ts';
import { withTimeout } from '../../core/with-timeout.ts';

export const OBSERVE_INTERVAL_MS = 1_000;

/** A Lease counts as held only while its last renewal is younger than its duration (pure). */
export function currentHolder(l: { holder?: string; renewTime?: string; durationSeconds?: number }, nowMs: number): string | undefined {
  if (!l.holder || !l.renewTime || !l.durationSeconds) return undefined;
  return Date.parse(l.renewTime) + l.durationSeconds * 1000 >= nowMs ? l.holder : undefined;
}

export class Observer {
  private running = false;
  private loop: Promise<void> | undefined;
  private memberNames: string[] = ['etcd-0', 'etcd-1', 'etcd-2'];

  constructor(private readonly cluster: Cluster, private readonly history: HistoryRecorder) {}

  start(): void {
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        const started = Date.now();
        await this.sample();
        await new Promise((r) => setTimeout(r, Math.max(0, OBSERVE_INTERVAL_MS - (Date.now() - started))));
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  /** One sample of everything; `withHashes` adds `endpoint hashkv` per member. */
  async sample(withHashes = false): Promise<void> {
    await Promise.all([this.sampleEtcd(withHashes), this.sampleVip(), this.sampleLeases()]);
  }

  // Each sample is stamped when its answer came (`time`), with `askedAt` beside it: a call can take seconds, and a
  // state seen at the end of it must not be dated to its start.
  private async sampleEtcd(withHashes: boolean): Promise<void> {
    const askedAt = this.history.now();
    let value: EtcdSample;
    try {
      const members = await withTimeout(this.cluster.etcdMembers(), 10_000, 'etcd members');
      const hashes = withHashes ? await withTimeout(this.cluster.etcdHashes(), 10_000, 'hashkv') : {};
      this.memberNames = members.map((m) => m.name || m.id);
      value = {
        askedAt,
        members: members.map((m) => ({
          name: m.name || m.id, healthy: m.healthy, isLeader: m.isLeader, answered: m.answered,
          ...(m.raftTerm !== undefined ? { term: m.raftTerm } : {}),
          ...(withHashes && m.endpoint && hashes[m.endpoint] ? { hash: hashes[m.endpoint] } : {}),
        })),
      };
    } catch (e) {
      // No answer at all (etcdctl failed or timed out): the state is unknown — not "every member unhealthy", which a
      // slow sample in the baseline would otherwise turn into a quorum loss.
      value = { askedAt, unknown: true, members: this.memberNames.map((name) => ({ name, healthy: false, isLeader: false, answered: false })) };
      this.history.record({ type: 'info', process: 'observer', f: 'etcd', value, error: (e as Error).message.slice(0, 200) });
      return;
    }
    this.history.record({ type: 'info', process: 'observer', f: 'etcd', value });
  }

  private async sampleVip(): Promise<void> {
    const askedAt = this.history.now();
    try {
      const value: VipSample & { askedAt: number } = { askedAt, backends: await withTimeout(this.cluster.vipBackends(), 5_000, 'VIP backends') };
      this.history.record({ type: 'info', process: 'observer', f: 'vip', value });
    } catch (e) {
      this.history.record({ type: 'info', process: 'observer', f: 'vip', value: { askedAt, backends: [], unknown: true }, error: (e as Error).message.slice(0, 200) });
    }
  }

  private async sampleLeases(): Promise<void> {
    const askedAt = this.history.now();
    const leases = await withTimeout(this.cluster.leaderLeases(), 2_000, 'Leases').catch(() => []);
    const holders: LeasesSample['holders'] = { 'kube-scheduler': undefined, 'kube-controller-manager': undefined };
    for (const l of leases) holders[l.name] = currentHolder(l, Date.now());
    const roles = ['kube-scheduler', 'kube-controller-manager'] as const;
    const gauges = await Promise.all(roles.map(async (r) => [r, await withTimeout(this.cluster.leaderGauges(r), 5_000, 'leader gauges').catch(() => undefined)] as const));
    // claims: gauge 1 (holds the Lease); unelected: /metrics without the gauge and `--leader-elect=false` on the
    // process's own command line (a restarted instance whose elector has not started yet is neither).
    const claims = Object.fromEntries(gauges.map(([r, g]) => [r, g ? claimantsOf(g) : []]));
    const unelected = Object.fromEntries(gauges.map(([r, g]) => [r, (g ?? []).filter((x) => x.gauge === 'no-election').map((x) => x.task)]));
    const notStarted = Object.fromEntries(gauges.map(([r, g]) => [r, (g ?? []).filter((x) => x.gauge === 'not-started').map((x) => x.task)]));
    this.history.record({ type: 'info', process: 'observer', f: 'leases', value: { askedAt, holders, claims, unelected, notStarted } });
  }
}
