// Quorum loss: while etcd has no healthy majority no write and no consistent read may succeed, and both must succeed
// again once it has. Judged over every no-quorum interval that overlaps a fault window; observer samples that could
// not read the cluster at all are unknown, never "no quorum".
import type { History } from '../history/history.ts';
import { clientOps, faultWindows, isWrite, type ClientOp } from '../history/operations.ts';
import { etcdSamples, quorumOf, spansTooLong } from '../history/samples.ts';
import { safeCheck } from './safe-check.ts';
import { toVerdict } from './verdict.ts';

export interface QuorumLossOptions {
  /** Each interval is shrunk by this much at both ends before judging ops (samples are discrete). */
  graceMs?: number;
}

export interface Interval {
  start: number;
  /** The first later sample with a healthy majority; null if never seen. */
  end: number | null;
  /**
   * When the last sample without quorum was asked: the last moment no quorum was measured. A sample's answer can come
   * seconds after it was asked, and quorum may be back meanwhile: ops are judged only up to here.
   */
  lastLost: number;
}

export type QuorumLossFigures = {
  /** The first judged interval (kept for the report): start, end, length. */
  periodStart: number | null;
  periodEnd: number | null;
  lengthMs: number | null;
  /** Every no-quorum interval inside a fault window, and those outside one (not judged, reported). */
  intervals: Interval[];
  outsideFaults: Interval[];
  /** Samples in which the observer could not read etcd at all. */
  unknownSamples: number;
  /** Ops started inside the judged intervals, by class and outcome. */
  writesDuring: { ok: number; fail: number; info: number };
  readsDuring: { ok: number; fail: number; info: number };
  /** Ok writes and consistent reads that started and completed inside a shrunk interval. */
  violations: Array<{ f: string; name?: string; start: number; end: number; process: string | number }>;
  /** Completion time of the first ok write / read completed after the last interval ended. */
  firstOkWriteAfter: number | null;
  firstOkReadAfter: number | null;
};

const CONSISTENT_READS = ['get', 'list'];
const isConsistentRead = (op: ClientOp): boolean => CONSISTENT_READS.includes(op.f) && !(op.value as { stale?: boolean }).stale;

/** Maximal runs of known samples without quorum (unknown samples neither start nor end a run). */
export function noQuorumIntervals(history: History): { intervals: Interval[]; unknownSamples: number; lastSample: number } {
  const intervals: Interval[] = [];
  let lastSample = 0;
  let open: Interval | undefined;
  let unknownSamples = 0;
  for (const s of etcdSamples(history)) {
    lastSample = s.time;
    // A sample that took seconds is no evidence either way.
    const q = spansTooLong(s) ? undefined : quorumOf(s.value);
    if (q === undefined) { unknownSamples += 1; continue; }
    if (!q && !open) { open = { start: s.time, end: null, lastLost: s.time }; intervals.push(open); }
    if (!q && open) open.lastLost = Math.max(open.start, s.value.askedAt ?? s.time);
    if (q && open) { open.end = s.time; open = undefined; }
  }
  return { intervals, unknownSamples, lastSample };
}

function quorumLoss(history: History, options: QuorumLossOptions = {}) {
  const { graceMs = 0 } = options;
  const faults = faultWindows(history);
  const { intervals: all, unknownSamples, lastSample } = noQuorumIntervals(history);
  // An interval never closed is judged only up to the last sample: nothing is known of quorum after it.
  const lastTime = lastSample;
  const overlapsFault = (i: Interval) => faults.some((w) => i.start <= w.end && (i.end ?? lastTime) >= w.start);
  const intervals = all.filter(overlapsFault);
  const first = intervals[0];
  const figures: QuorumLossFigures = {
    periodStart: first?.start ?? null, periodEnd: first?.end ?? null, lengthMs: first?.end != null ? first.end - first.start : null,
    intervals, outsideFaults: all.filter((i) => !overlapsFault(i)), unknownSamples,
    writesDuring: { ok: 0, fail: 0, info: 0 }, readsDuring: { ok: 0, fail: 0, info: 0 }, violations: [], firstOkWriteAfter: null, firstOkReadAfter: null,
  };
  const doubts = figures.outsideFaults.map((i) => `quorum was lost outside any fault window: ${i.start}–${i.end ?? 'end'} ms (not judged)`);
  if (!first) return toVerdict('quorum-loss', figures, [], [`quorum was never lost during a fault (${all.length} no-quorum intervals in all, ${unknownSamples} unknown samples)`, ...doubts]);
  const ops = clientOps(history);
  const failures: string[] = [];
  for (const i of intervals) {
    const end = i.lastLost;
    for (const op of ops.filter((o) => o.start >= i.start && o.start < end)) {
      if (isWrite(op)) figures.writesDuring[op.type] += 1;
      else if (isConsistentRead(op)) figures.readsDuring[op.type] += 1;
    }
    const served = ops.filter((op) => (isWrite(op) || isConsistentRead(op)) && op.type === 'ok' && op.start >= i.start + graceMs && op.end <= end - graceMs);
    for (const op of served) {
      figures.violations.push({ f: op.f, ...(op.value.name ? { name: op.value.name } : {}), start: op.start, end: op.end, process: op.process });
      failures.push(`${op.f} ${op.value.name ?? ''} (process ${op.process}) succeeded without quorum: ${op.start}–${op.end} ms, quorum lost ${i.start}–${end} ms (grace ${graceMs} ms)`);
    }
  }
  // The judged span of an interval runs from its first no-quorum answer to when its last no-quorum sample was asked: a
  // loss seen by one sample only, or only by samples that took seconds, leaves nothing judged — no evidence, no pass.
  // Evidence is a write sent inside a span shrunk by the grace: the cluster had the chance to acknowledge it there
  // (one that timed out was not acknowledged in time; one that did is a violation above). A span the grace leaves
  // empty, or one no write was sent in, proves nothing.
  const judgedMs = intervals.reduce((sum, i) => sum + Math.max(0, i.lastLost - graceMs - (i.start + graceMs)), 0);
  const judgeable = intervals.reduce((n, i) => n + ops.filter((op) => isWrite(op) && op.start >= i.start + graceMs && op.start < i.lastLost - graceMs).length, 0);
  if (judgeable === 0) doubts.push(`no write was sent inside the ${Math.round(judgedMs)} ms of no-quorum time that samples bound on both sides, less the grace (${graceMs} ms at each end; ${intervals.length} interval(s), ${unknownSamples} unknown samples): nothing judged`);
  const last = intervals[intervals.length - 1]!;
  if (last.end === null) return toVerdict('quorum-loss', figures, [...failures, `quorum was never regained (lost at ${last.start} ms)`], doubts);
  const after = ops.filter((op) => op.end >= last.end!);
  const firstOkEnd = (pick: (op: ClientOp) => boolean) => {
    const ends = after.filter((op) => pick(op) && op.type === 'ok').map((op) => op.end);
    return ends.length ? Math.min(...ends) : null;
  };
  figures.firstOkWriteAfter = firstOkEnd(isWrite);
  figures.firstOkReadAfter = firstOkEnd(isConsistentRead);
  const writesAfter = after.filter(isWrite).length;
  if (writesAfter === 0) return toVerdict('quorum-loss', figures, failures, [`no write completed after quorum was regained at ${last.end} ms`, ...doubts]);
  if (figures.firstOkWriteAfter === null) failures.push(`writes never recovered: none of ${writesAfter} writes completed after ${last.end} ms succeeded`);
  const readsAfter = after.filter(isConsistentRead).length;
  if (readsAfter > 0 && figures.firstOkReadAfter === null) failures.push(`consistent reads never recovered: none of ${readsAfter} reads completed after ${last.end} ms succeeded`);
  return toVerdict('quorum-loss', figures, failures, doubts);
}

export const checkQuorumLoss = safeCheck('quorum-loss', quorumLoss);
