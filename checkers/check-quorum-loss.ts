// Quorum loss: no write may succeed while etcd has no healthy majority, and writes must succeed again once it has.
import type { History } from '../history/history.ts';
import { clientOps, isWrite } from '../history/operations.ts';
import { etcdSamples, hasQuorum } from '../history/samples.ts';
import { safeCheck } from './safe-check.ts';
import { toVerdict } from './verdict.ts';

export interface QuorumLossOptions {
  /** The period is shrunk by this much at both ends before judging writes (samples are discrete). */
  graceMs?: number;
}

export type QuorumLossFigures = {
  periodStart: number | null;
  /** First later sample with a healthy majority again; null if never seen. */
  periodEnd: number | null;
  lengthMs: number | null;
  /** Writes started inside the (unshrunk) period, by outcome. */
  writesDuring: { ok: number; fail: number; info: number };
  /** Ok writes that started and completed inside the shrunk period. */
  violations: Array<{ f: string; name?: string; start: number; end: number }>;
  /** Completion time of the first ok write completed after the period ended. */
  firstOkWriteAfter: number | null;
};

function quorumLoss(history: History, options: QuorumLossOptions = {}) {
  const { graceMs = 0 } = options;
  const samples = etcdSamples(history);
  const lostAt = samples.findIndex((s) => !hasQuorum(s.value));
  const lost = samples[lostAt];
  const figures: QuorumLossFigures = { periodStart: null, periodEnd: null, lengthMs: null, writesDuring: { ok: 0, fail: 0, info: 0 }, violations: [], firstOkWriteAfter: null };
  if (!lost) return toVerdict('quorum-loss', figures, [], [`quorum was never lost in ${samples.length} etcd samples`]);
  const regained = samples.slice(lostAt + 1).find((s) => hasQuorum(s.value));
  const start = lost.time;
  // Never regained: judge writes only up to the last sample (nothing is known of quorum after it).
  const lastSample = samples[samples.length - 1] ?? lost;
  const end = regained?.time ?? lastSample.time;
  figures.periodStart = start;
  figures.periodEnd = regained?.time ?? null;
  figures.lengthMs = regained ? end - start : null;
  const writes = clientOps(history).filter(isWrite);
  for (const w of writes.filter((op) => op.start >= start && op.start < end)) figures.writesDuring[w.type] += 1;
  figures.violations = writes
    .filter((op) => op.type === 'ok' && op.start >= start + graceMs && op.end <= end - graceMs)
    .map((op) => ({ f: op.f, ...(op.value.name ? { name: op.value.name } : {}), start: op.start, end: op.end }));
  const failures = figures.violations.map(
    (v) => `${v.f} ${v.name ?? ''} succeeded without quorum: ${v.start}–${v.end} ms, quorum lost ${start}–${end} ms (grace ${graceMs} ms)`,
  );
  if (!regained) return toVerdict('quorum-loss', figures, [...failures, `quorum was never regained (lost at ${start} ms, last sample at ${lastSample.time} ms)`]);
  const after = writes.filter((op) => op.end >= end);
  const okEnds = after.filter((op) => op.type === 'ok').map((op) => op.end);
  figures.firstOkWriteAfter = okEnds.length ? Math.min(...okEnds) : null;
  if (after.length === 0) return toVerdict('quorum-loss', figures, failures, [`no write completed after quorum was regained at ${end} ms`]);
  if (figures.firstOkWriteAfter === null) failures.push(`writes never recovered: none of ${after.length} writes completed after ${end} ms succeeded`);
  return toVerdict('quorum-loss', figures, failures);
}

export const checkQuorumLoss = safeCheck('quorum-loss', quorumLoss);
