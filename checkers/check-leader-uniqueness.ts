// Leaders after the faults settle: every lease has a holder and etcd has at most one leader; holder changes over the run.
import type { History } from '../history/history.ts';
import { faultWindows } from '../history/operations.ts';
import { etcdSamples, leaderCount, leaders, leaseNames, leasesSamples, leasesWithoutHolder } from '../history/samples.ts';
import { safeCheck } from './safe-check.ts';
import { toVerdict } from './verdict.ts';

export interface LeaderUniquenessOptions {
  /** Samples are judged from the `recovered` marker (or, without one, the last fault-end) plus this much. */
  settleMs?: number;
}

export type LeaderUniquenessFigures = {
  since: number;
  leasesSamplesAfter: number;
  etcdSamplesAfter: number;
  /** Per lease: samples after `since` with no holder. */
  samplesWithoutHolder: Record<string, number>;
  multiLeaderSamples: number;
  /** Per lease, over the whole history: how often the holder changed from one defined holder to another. */
  holderChanges: Record<string, number>;
  holdersSeen: Record<string, string[]>;
  /** Samples (whole run) in which more than one process claimed one Lease. */
  splitBrainSamples?: number;
  notes?: string[];
};

function leaderUniqueness(history: History, options: LeaderUniquenessOptions = {}) {
  const { settleMs = 0 } = options;
  const windows = faultWindows(history);
  // From the runner's `recovered` marker when there is one (the cluster was seen healthy again), else the last heal.
  const recovered = history.filter((op) => op.process === 'nemesis' && op.f === 'recovered').map((op) => op.time);
  const since = (recovered.length ? Math.max(...recovered) : Math.max(0, ...windows.map((w) => w.end))) + settleMs;
  const leases = leasesSamples(history);
  const names = leaseNames(leases);
  const etcdAfter = etcdSamples(history).filter((s) => s.time >= since);
  const leasesAfter = leases.filter((s) => s.time >= since);
  const figures: LeaderUniquenessFigures = {
    since,
    leasesSamplesAfter: leasesAfter.length,
    etcdSamplesAfter: etcdAfter.length,
    samplesWithoutHolder: {},
    multiLeaderSamples: 0,
    holderChanges: {},
    holdersSeen: {},
  };
  const failures: string[] = [];
  const notes: string[] = [];
  for (const name of names) {
    const holders = leases.map((s) => s.value.holders[name]).filter((h): h is string => h !== undefined);
    figures.holdersSeen[name] = [...new Set(holders)];
    figures.holderChanges[name] = holders.filter((h, i) => i > 0 && h !== holders[i - 1]).length;
    const without = leasesAfter.filter((s) => leasesWithoutHolder(s.value, [name]).length > 0);
    figures.samplesWithoutHolder[name] = without.length;
    // A Lease briefly without holder after recovery is a liveness matter (the recovery checker's), not two leaders.
    if (without[0]) notes.push(`${name} had no holder in ${without.length} of ${leasesAfter.length} leases samples from ${since} ms (first at ${without[0].time} ms)`);
  }
  // Split brain: two processes of one role both reporting themselves leader, at any time of the run.
  const split = leases.filter((s) => Object.values(s.value.claims ?? {}).some((c) => c.length > 1));
  figures.splitBrainSamples = split.length;
  if (split[0]) failures.push(`${split.length} leases samples show two leaders of one role (first at ${split[0].time} ms: ${Object.entries(split[0].value.claims ?? {}).filter(([, c]) => c.length > 1).map(([r, c]) => `${r}: ${c.join(', ')}`).join('; ')})`);
  const multi = etcdAfter.filter((s) => leaderCount(s.value) > 1);
  figures.multiLeaderSamples = multi.length;
  if (multi[0]) failures.push(`${multi.length} of ${etcdAfter.length} etcd samples from ${since} ms show several leaders (first at ${multi[0].time} ms: ${leaders(multi[0].value).join(', ')})`);
  const doubts = [
    ...windows.filter((w) => !w.healed).map((w) => `fault ${w.fault} (started ${w.start} ms) has no fault-end`),
    ...(leasesAfter.length === 0 ? [`no leases samples at or after ${since} ms`] : []),
    ...(etcdAfter.length === 0 ? [`no etcd samples at or after ${since} ms`] : []),
  ];
  figures.notes = notes;
  return toVerdict('leader-uniqueness', figures, failures, doubts);
}

export const checkLeaderUniqueness = safeCheck('leader-uniqueness', leaderUniqueness);
