// Leader uniqueness over the whole scenario: at most one etcd leader per raft term (raft's Election Safety), never two
// instances acting as holder of one Lease at once, and the intervals with no Lease holder reported. An unreadable
// member or gauge is unknown, never "not leader".
import type { History } from '../history/history.ts';
import { faultWindows } from '../history/operations.ts';
import { etcdSamples, leaseNames, MAX_SAMPLE_SPAN_MS, leasesSamples, leasesWithoutHolder, type Sample } from '../history/samples.ts';
import type { EtcdSample, LeasesSample } from '../history/history.ts';
import { safeCheck } from './safe-check.ts';
import { toVerdict } from './verdict.ts';

export interface LeaderUniquenessOptions {
  /** Kept for stored scenarios; leader uniqueness is judged over the whole scenario now. */
  settleMs?: number;
}

export type LeaderUniquenessFigures = {
  etcdSamples: number;
  /** Samples the observer could not read at all; members that did not answer their status (leader unknown). */
  unknownEtcdSamples: number;
  unansweredMemberSamples: number;
  /** Raft term → the members seen claiming leadership in it (more than one: two leaders in one term). */
  leadersByTerm: Record<string, string[]>;
  termsWithTwoLeaders: number;
  /** Samples where two members claimed leadership in different terms (a deposed leader not yet told: allowed). */
  staleLeaderSamples: number;
  /** Leader claims without a term (an older etcd, or a partial answer): judged per sample instead. */
  claimsWithoutTerm: number;
  /** Fresh leaders' claims whose term the next sample, still leading, raised (their applied term lagged): not counted. */
  appliedTermLagClaims: number;
  leasesSamples: number;
  /** Samples (whole run) in which more than one instance claimed one Lease. */
  splitBrainSamples: number;
  /** Per role: instances seen without any leader-election gauge, and the longest run of consecutive samples so. */
  unelected: Record<string, { instances: string[]; longestRun: number }>;
  /** Per role: instances seen with no gauge yet while their command line leaves election on, and the longest such time. */
  notStarted: Record<string, { instances: string[]; longestMs: number }>;
  /** Per lease: how often the holder changed from one defined holder to another, and every holder seen. */
  holderChanges: Record<string, number>;
  holdersSeen: Record<string, string[]>;
  /** Per lease: intervals with no holder (from the first such sample to the next sample with one). */
  noHolder: Record<string, Array<{ start: number; end: number | null }>>;
};

/**
 * Leader claims that say nothing about the term they name. The term etcd reports (`endpoint status` raftTerm, like
 * every response header's raft_term) is the term of the last entry the member has applied (etcd
 * `server/etcdserver/server.go` apply: `s.setTerm(e.Term)`), not its raft term: a member just elected in T+1 reports T
 * until its first entry of T+1 is committed and applied — milliseconds, or longer when the election ends a loss of
 * quorum. Found live (session 13's CI simulation, kill-2-of-3-etcd): etcd-2, elected as the two killed members
 * returned, was sampled leading "term 6", the dead leader's, and 0.8 s later leading term 7
 * (regressions/kill-2-of-3-etcd-successor-reports-applied-term.jsonl). Only that shape is excused, each part of it
 * required (a fresh-eyes review found every looser reading let a real split pass): member X's claim of T in sample i
 * is left out only when X's previous answer did not have it leading (a fresh election), no other member claims T in
 * sample i, and the very next sample is readable, within MAX_SAMPLE_SPAN_MS, with X answering in it and leading a
 * higher term. A second leader of one term sampled exactly once before its term rose still passes unseen: these
 * samples cannot tell it from the lag. Keys are sample indexes.
 */
function appliedTermLagClaims(samples: ReadonlyArray<Sample<EtcdSample>>): Set<string> {
  const lagging = new Set<string>();
  const wasLeading = new Map<string, boolean>();
  samples.forEach((s, i) => {
    if (s.value.unknown) return;
    const next = samples[i + 1];
    for (const m of s.value.members) {
      if (m.answered === false) continue;
      const fresh = wasLeading.get(m.name) !== true;
      wasLeading.set(m.name, m.isLeader);
      if (!m.isLeader || m.term === undefined || !fresh || !next || next.value.unknown || next.time - s.time > MAX_SAMPLE_SPAN_MS) continue;
      if (s.value.members.some((o) => o.name !== m.name && o.isLeader && o.answered !== false && o.term === m.term)) continue;
      const after = next.value.members.find((o) => o.name === m.name);
      if (after && after.answered !== false && after.isLeader && after.term !== undefined && after.term > m.term) lagging.add(`${i}|${m.name}`);
    }
  });
  return lagging;
}

function etcdLeaders(samples: ReadonlyArray<Sample<EtcdSample>>, figures: LeaderUniquenessFigures, failures: string[]): void {
  const byTerm = new Map<number, Map<string, number>>();
  const lagging = appliedTermLagClaims(samples);
  for (const [i, s] of samples.entries()) {
    if (s.value.unknown) { figures.unknownEtcdSamples += 1; continue; }
    figures.unansweredMemberSamples += s.value.members.filter((m) => m.answered === false).length;
    const claiming = s.value.members.filter((m) => m.isLeader && m.answered !== false);
    const withTerm = claiming.filter((m) => m.term !== undefined);
    figures.claimsWithoutTerm += claiming.length - withTerm.length;
    for (const m of withTerm) {
      if (lagging.has(`${i}|${m.name}`)) { figures.appliedTermLagClaims += 1; continue; }
      const leaders = byTerm.get(m.term!) ?? new Map<string, number>();
      if (!leaders.has(m.name)) leaders.set(m.name, s.time);
      byTerm.set(m.term!, leaders);
    }
    if (new Set(withTerm.map((m) => m.term)).size > 1) figures.staleLeaderSamples += 1;
    const noTerm = claiming.filter((m) => m.term === undefined);
    if (noTerm.length > 1) failures.push(`etcd sample at ${s.time} ms: ${noTerm.map((m) => m.name).join(', ')} all claim leadership (no raft term reported)`);
  }
  for (const [term, leaders] of [...byTerm].sort(([a], [b]) => a - b)) {
    figures.leadersByTerm[String(term)] = [...leaders.keys()];
    if (leaders.size > 1) {
      figures.termsWithTwoLeaders += 1;
      failures.push(`raft term ${term} had ${leaders.size} leaders: ${[...leaders].map(([n, t]) => `${n} (first seen ${t} ms)`).join(', ')}`);
    }
  }
}

/** Consecutive leases samples (1 s apart) without a leader gauge that make an instance "leader election off". */
export const UNELECTED_RUN = 3;
/**
 * How long an instance may run with election on but no gauge yet (its elector starts after its informers synced:
 * seconds). Longer, its leadership was never seen — a config file turning election off would look the same — so the
 * verdict cannot be pass.
 */
export const NOT_STARTED_MAX_MS = 30_000;

function notStartedTooLong(samples: ReadonlyArray<Sample<LeasesSample>>, figures: LeaderUniquenessFigures, doubts: string[]): void {
  for (const s of samples) for (const [role, tasks] of Object.entries(s.value.notStarted ?? {})) {
    const n = (figures.notStarted[role] ??= { instances: [], longestMs: 0 });
    for (const t of tasks) if (!n.instances.includes(t)) n.instances.push(t);
  }
  for (const [role, n] of Object.entries(figures.notStarted)) {
    for (const task of n.instances) {
      let since: number | undefined;
      for (const s of samples) {
        const now = (s.value.notStarted?.[role] ?? []).includes(task);
        since = now ? (since ?? s.time) : undefined;
        if (since !== undefined) n.longestMs = Math.max(n.longestMs, s.time - since);
      }
    }
    if (n.longestMs > NOT_STARTED_MAX_MS) doubts.push(`${role}: ${n.instances.join(', ')} ran ${Math.round(n.longestMs / 1000)} s with no leader gauge while its command line leaves election on (more than ${NOT_STARTED_MAX_MS / 1000} s): its leadership was not seen`);
  }
}

function leaseHolders(samples: ReadonlyArray<Sample<LeasesSample>>, figures: LeaderUniquenessFigures, failures: string[]): void {
  const names = leaseNames(samples);
  for (const name of names) {
    const holders = samples.map((s) => s.value.holders[name]).filter((h): h is string => h !== undefined);
    figures.holdersSeen[name] = [...new Set(holders)];
    figures.holderChanges[name] = holders.filter((h, i) => i > 0 && h !== holders[i - 1]).length;
    const gaps: Array<{ start: number; end: number | null }> = [];
    for (const s of samples) {
      const without = leasesWithoutHolder(s.value, [name]).length > 0;
      const open = gaps[gaps.length - 1];
      if (without && (!open || open.end !== null)) gaps.push({ start: s.time, end: null });
      else if (!without && open && open.end === null) open.end = s.time;
    }
    figures.noHolder[name] = gaps;
  }
  // No gauge at all: leader election is off (every instance acts as leader) — or the instance has just started and has
  // not built its elector yet, which lasts one sample. Seen in UNELECTED_RUN samples in a row, it is the former.
  for (const s of samples) {
    for (const [role, tasks] of Object.entries(s.value.unelected ?? {})) {
      const u = (figures.unelected[role] ??= { instances: [], longestRun: 0 });
      for (const t of tasks) if (!u.instances.includes(t)) u.instances.push(t);
    }
  }
  for (const [role, u] of Object.entries(figures.unelected)) {
    for (const task of u.instances) {
      let run = 0;
      for (const s of samples) {
        run = (s.value.unelected?.[role] ?? []).includes(task) ? run + 1 : 0;
        u.longestRun = Math.max(u.longestRun, run);
      }
    }
    if (u.longestRun >= UNELECTED_RUN) failures.push(`${role}: ${u.instances.join(', ')} ran without leader election (no leader gauge in ${u.longestRun} samples in a row): each acts as leader`);
  }
  const split = samples.filter((s) => Object.values(s.value.claims ?? {}).some((c) => c.length > 1));
  figures.splitBrainSamples = split.length;
  if (split[0]) failures.push(`${split.length} leases samples show two leaders of one role (first at ${split[0].time} ms: ${Object.entries(split[0].value.claims ?? {}).filter(([, c]) => c.length > 1).map(([r, c]) => `${r}: ${c.join(', ')}`).join('; ')})`);
}

function leaderUniqueness(history: History, _options: LeaderUniquenessOptions = {}) {
  const etcd = etcdSamples(history);
  const leases = leasesSamples(history);
  const figures: LeaderUniquenessFigures = {
    etcdSamples: etcd.length, unknownEtcdSamples: 0, unansweredMemberSamples: 0, leadersByTerm: {}, termsWithTwoLeaders: 0, appliedTermLagClaims: 0,
    staleLeaderSamples: 0, claimsWithoutTerm: 0, leasesSamples: leases.length, splitBrainSamples: 0, unelected: {}, notStarted: {}, holderChanges: {}, holdersSeen: {}, noHolder: {},
  };
  const failures: string[] = [];
  etcdLeaders(etcd, figures, failures);
  leaseHolders(leases, figures, failures);
  const doubts = [
    ...faultWindows(history).filter((w) => !w.healed).map((w) => `fault ${w.fault} (started ${w.start} ms) has no fault-end`),
    ...(leases.length === 0 ? ['no leases samples'] : []),
    ...(etcd.length === figures.unknownEtcdSamples ? ['no readable etcd sample'] : []),
  ];
  notStartedTooLong(leases, figures, doubts);
  return toVerdict('leader-uniqueness', figures, failures, doubts);
}

export const checkLeaderUniqueness = safeCheck('leader-uniqueness', leaderUniqueness);
