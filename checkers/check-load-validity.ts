// Was the load honest? An availability figure counts only when the generator delivered the planned open-model rate:
// every scheduled arrival issued, on time. Like etcd's robustness tests ("results not reliable" when the QPS before
// the fault is below the profile minimum), a run whose load fell short is `unknown`, never `pass`.
import type { History } from '../history/history.ts';
import { clientOps, faultWindows } from '../history/operations.ts';
import { safeCheck } from './safe-check.ts';
import { toVerdict } from './verdict.ts';

export interface LoadValidityOptions {
  /** Achieved ÷ planned arrivals before the first fault, at least (default 0.95). */
  minRateRatio?: number;
  /** Issue lag (issue time − scheduled time) above this counts as late (default 100 ms)… */
  maxLagMs?: number;
  /** …and at most this share of all arrivals may be late (default 0.01). */
  maxLateShare?: number;
}

export type LoadValidityFigures = {
  plannedPerSecond: number | null;
  /** Arrivals scheduled before the first fault, and how many of them were issued. */
  baselinePlanned: number;
  baselineIssued: number;
  achievedRatio: number | null;
  arrivals: number;
  /** Arrivals without a scheduled time (a request the open model did not plan, e.g. a retry) are not counted. */
  unscheduled: number;
  late: number;
  lateShare: number | null;
  lagP50Ms: number | null;
  lagP99Ms: number | null;
  lagMaxMs: number | null;
};

const percentile = (sorted: number[], p: number): number | null => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : null);

function loadValidity(history: History, options: LoadValidityOptions = {}) {
  const { minRateRatio = 0.95, maxLagMs = 100, maxLateShare = 0.01 } = options;
  const plan = history.find((op) => op.process === 'load' && op.f === 'plan');
  const planned = typeof (plan?.value as { ratePerSecond?: unknown } | undefined)?.ratePerSecond === 'number' ? (plan!.value as { ratePerSecond: number }).ratePerSecond : null;
  const ops = clientOps(history);
  const scheduled = ops.filter((op) => typeof op.value.scheduled === 'number');
  // An update whose resourceVersion was unknown first reads the key (process `<arrival>-rv`): the arrival was taken up
  // when that read was issued, not when the update that waited for it was.
  const preRead = new Map(ops.filter((op) => String(op.process).endsWith('-rv')).map((op) => [String(op.process).slice(0, -3), op.start]));
  const issuedAt = (op: (typeof ops)[number]) => Math.min(op.start, preRead.get(String(op.process)) ?? Infinity);
  const lags = scheduled.map((op) => issuedAt(op) - op.value.scheduled!).sort((a, b) => a - b);
  const late = lags.filter((l) => l > maxLagMs).length;
  const faultStart = Math.min(...faultWindows(history).map((w) => w.start));
  const loadStart = plan?.time ?? Math.min(...scheduled.map((op) => op.value.scheduled!));
  const baselineEnd = Number.isFinite(faultStart) ? faultStart : Math.max(0, ...history.map((op) => op.time));
  const baselinePlanned = planned === null ? 0 : Math.floor(((baselineEnd - loadStart) / 1000) * planned);
  const baselineIssued = scheduled.filter((op) => op.value.scheduled! < baselineEnd).length;
  const figures: LoadValidityFigures = {
    plannedPerSecond: planned, baselinePlanned, baselineIssued,
    achievedRatio: baselinePlanned > 0 ? baselineIssued / baselinePlanned : null,
    arrivals: scheduled.length, unscheduled: ops.length - scheduled.length, late,
    lateShare: scheduled.length ? late / scheduled.length : null,
    lagP50Ms: percentile(lags, 50), lagP99Ms: percentile(lags, 99), lagMaxMs: lags.length ? lags[lags.length - 1]! : null,
  };
  const doubts: string[] = [];
  if (planned === null) doubts.push('no load plan in the history (process load, f plan): the achieved rate cannot be judged');
  else if (figures.achievedRatio === null) doubts.push('no baseline before the first fault: the achieved rate cannot be judged');
  else if (figures.achievedRatio < minRateRatio)
    doubts.push(`results not reliable: ${baselineIssued} of ${baselinePlanned} planned arrivals issued before the fault (${(100 * figures.achievedRatio).toFixed(1)}% < ${100 * minRateRatio}%)`);
  if (scheduled.length === 0) doubts.push('no arrival has a scheduled time: issue lag cannot be judged');
  else if (figures.lateShare! > maxLateShare)
    doubts.push(`results not reliable: ${late} of ${scheduled.length} arrivals issued more than ${maxLagMs} ms late (${(100 * figures.lateShare!).toFixed(2)}% > ${100 * maxLateShare}%; p99 lag ${figures.lagP99Ms?.toFixed(1)} ms)`);
  return toVerdict('load-validity', figures, [], doubts);
}

export const checkLoadValidity = safeCheck('load-validity', loadValidity);
