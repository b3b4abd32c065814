// Recovery after the last fault: time from the heal (or the fault start) until clients, etcd and leader leases are fine again.
import type { History } from '../history/history.ts';
import { clientOps, faultWindows } from '../history/operations.ts';
import { etcdSamples, isEtcdHealthy, leaderCount, leaseNames, leasesSamples, leasesWithoutHolder, type Sample } from '../history/samples.ts';
import { safeCheck } from './safe-check.ts';
import { judgeSettleChecks } from '../history/settle-checks.ts';
import { toVerdict } from './verdict.ts';

export interface RecoveryOptions {
  /** Reference time: the last fault's fault-end ('heal', the default) or when it took effect ('fault-start'). */
  from?: 'heal' | 'fault-start';
  slo?: { maxRecoveryMs?: number };
  /** For a leader kill: also time until this Lease has a holder other than the one before the fault. */
  leaseTakeover?: string;
}

export type RecoveryFigures = {
  from: 'heal' | 'fault-start';
  fault: string | null;
  reference: number | null;
  /** Until the completion of the first ok client op started at/after the reference. */
  msToFirstOk: number | null;
  msToEtcdLeader: number | null;
  msToEtcdHealthy: number | null;
  msToLeaseHolders: number | null;
  msToLeaseTakeover?: number | null;
  /**
   * Until the cluster stayed healthy for the settle period (node monitor grace + lease duration) — the first healthy
   * settle check after the last one that found something wrong; absent in histories from before the settle period.
   */
  msToStable?: number | null;
  /** The settle period, the checks in it that found something wrong (time, problems), and how many could not tell. */
  settle?: { settleMs: number | null; checks: number; unknown: number; breaks: Array<{ at: number; problems: string[] }> };
  /** The largest of the measures, when all were reached. */
  recoveryMs: number | null;
};

type MeasureName = 'msToFirstOk' | 'msToEtcdLeader' | 'msToEtcdHealthy' | 'msToLeaseHolders' | 'msToLeaseTakeover' | 'msToStable';

/**
 * The settle period after the cluster first looked healthy: every `settle-health` check the runner recorded. A break
 * extends the recovery to the first healthy check after the last break; a period that never ended healthy fails.
 */
function stable(history: History, reference: number, figures: RecoveryFigures): Measure | undefined {
  const checks = history.filter((op) => op.process === 'nemesis' && op.f === 'settle-health' && op.time >= reference);
  const settled = history.filter((op) => op.process === 'nemesis' && op.f === 'settled');
  if (checks.length === 0 && settled.length === 0) return undefined;
  const strings = (x: unknown): string[] => (Array.isArray(x) ? x.map(String) : []);
  const judged = judgeSettleChecks(checks.map((op) => {
    const v = op.value as { healthy?: unknown; problems?: unknown; unreadable?: unknown; askedAt?: unknown };
    return { time: op.time, ...(typeof v.askedAt === 'number' ? { askedAt: v.askedAt } : {}), healthy: v.healthy === true, problems: strings(v.problems), unreadable: strings(v.unreadable) };
  }));
  const { breaks } = judged;
  const settleMs = (settled[0]?.value as { settleMs?: unknown } | undefined)?.settleMs;
  figures.settle = { settleMs: typeof settleMs === 'number' ? settleMs : null, checks: checks.length, unknown: judged.unknown, breaks: breaks.slice(0, 20) };
  const ended = settled.some((op) => op.type === 'info');
  if (!ended) return { name: 'msToStable', ms: null, failure: `msToStable: the cluster never stayed healthy for the settle period (${checks.length} checks, ${breaks.length} found problems${breaks.length ? `, last: ${breaks.at(-1)!.problems.join('; ')}` : ''})` };
  const blind = judged.unknown > checks.length / 2 ? `msToStable: ${judged.unknown} of ${checks.length} settle checks could not tell` : undefined;
  if (breaks.length === 0) return blind ? { name: 'msToStable', ms: null, doubt: blind } : undefined; // healthy throughout: the other measures are the recovery
  if (judged.stableFrom === undefined) return { name: 'msToStable', ms: null, failure: 'msToStable: no healthy settle check after the last break' };
  const first = breaks[0]!;
  return { name: 'msToStable', ms: judged.stableFrom - reference, ...(blind ? { doubt: blind } : {}), note: `broke ${Math.round(first.at - reference)} ms after the heal (${first.problems.join('; ')}), healthy for good from ${Math.round(judged.stableFrom - reference)} ms` };
}
type Measure = { name: MeasureName; ms: number | null; failure?: string; doubt?: string; note?: string };

/** Time from `reference` to the first sample at/after it satisfying `good`; a doubt if nothing was observed. */
function firstGood<T>(name: MeasureName, samples: Array<Sample<T>>, reference: number, good: (v: T) => boolean, what: string): Measure {
  const after = samples.filter((s) => s.time >= reference);
  if (after.length === 0) return { name, ms: null, doubt: `${name}: no ${what} samples at or after ${reference} ms` };
  const hit = after.find((s) => good(s.value));
  return hit ? { name, ms: hit.time - reference } : { name, ms: null, failure: `${name}: never reached in ${after.length} ${what} samples after ${reference} ms` };
}

/** The first API request that succeeded: a /readyz probe says the process is up, not that the API serves. */
function firstOk(history: History, reference: number): Measure {
  const after = clientOps(history).filter((op) => op.start >= reference && op.f !== 'readyz');
  if (after.length === 0) return { name: 'msToFirstOk', ms: null, doubt: `msToFirstOk: no API request started at or after ${reference} ms` };
  const ends = after.filter((op) => op.type === 'ok').map((op) => op.end);
  if (ends.length === 0) return { name: 'msToFirstOk', ms: null, failure: `msToFirstOk: none of ${after.length} API requests started after ${reference} ms succeeded` };
  return { name: 'msToFirstOk', ms: Math.min(...ends) - reference };
}

function recovery(history: History, options: RecoveryOptions = {}) {
  const { from = 'heal', slo = {} } = options;
  const figures: RecoveryFigures = { from, fault: null, reference: null, msToFirstOk: null, msToEtcdLeader: null, msToEtcdHealthy: null, msToLeaseHolders: null, recoveryMs: null };
  const last = faultWindows(history).pop();
  if (!last) return toVerdict('recovery', figures, [], ['no fault window in the history']);
  figures.fault = last.fault;
  if (from === 'heal' && !last.healed) return toVerdict('recovery', figures, [], [`the last fault (${last.fault}, started ${last.start} ms) has no fault-end`]);
  // From the fault: the moment it took effect (e.g. the kill), not when the nemesis started choosing its target.
  const reference = from === 'heal' ? last.end : last.injected;
  figures.reference = reference;
  const leases = leasesSamples(history);
  const names = leaseNames(leases);
  const measures: Measure[] = [
    firstOk(history, reference),
    firstGood('msToEtcdLeader', etcdSamples(history), reference, (s) => leaderCount(s) === 1, 'etcd'),
    firstGood('msToEtcdHealthy', etcdSamples(history), reference, isEtcdHealthy, 'etcd'),
    firstGood('msToLeaseHolders', leases, reference, (s) => leasesWithoutHolder(s, names).length === 0, 'leases'),
  ];
  if (options.leaseTakeover) {
    const lease = options.leaseTakeover;
    const before = leases.filter((x) => x.time < last.start).pop()?.value.holders[lease];
    if (before === undefined) measures.push({ name: 'msToLeaseTakeover', ms: null, doubt: `msToLeaseTakeover: no holder of ${lease} seen before the fault` });
    else measures.push(firstGood('msToLeaseTakeover', leases, reference, (v) => v.holders[lease] !== undefined && v.holders[lease] !== before, 'leases'));
  }
  const settled = stable(history, reference, figures);
  if (settled) measures.push(settled);
  for (const m of measures) figures[m.name] = m.ms;
  const reached = measures.map((m) => m.ms).filter((ms): ms is number => ms !== null);
  if (reached.length === measures.length) figures.recoveryMs = Math.max(...reached);
  const failures = measures.flatMap((m) => (m.failure ? [m.failure] : []));
  const max = slo.maxRecoveryMs;
  if (max !== undefined) for (const m of measures) if (m.ms !== null && m.ms > max) failures.push(`${m.name} ${m.ms} ms > maxRecoveryMs ${max}${m.note ? ` (${m.note})` : ''}`);
  return toVerdict('recovery', figures, failures, measures.flatMap((m) => (m.doubt ? [m.doubt] : [])));
}

export const checkRecovery = safeCheck('recovery', recovery);
