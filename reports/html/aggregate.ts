// Client operations → fixed time buckets (counts by outcome, latency p50/p99), per-phase figures and downtime runs (pure).
import { phaseOf, type ClientOp, type FaultWindow, type Phase } from '../../history/operations.ts';
import type { Downtime } from './figures.ts';

export const BUCKET_MS = 100;

/** Column-wise, ready for a chart; dense from 0 to the last bucket so that quiet stretches show as zero. */
export interface Buckets {
  bucketMs: number;
  /** Bucket start, ms since the scenario started. */
  start: number[];
  ok: number[];
  fail: number[];
  info: number[];
  /** Latency (ms) of the completed — ok or failed — ops started in the bucket; null when there were none. */
  p50: Array<number | null>;
  p99: Array<number | null>;
}

export interface PhaseFigures {
  total: number;
  ok: number;
  fail: number;
  info: number;
  availabilityPct: number | null;
  p50: number | null;
  p99: number | null;
}

/** Nearest-rank percentile of values sorted ascending; null for none. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] ?? null;
}

/** Unknown outcomes (`info`) have no meaningful end: a timeout or the end of the history. */
const latencyOf = (op: ClientOp): number | undefined => (op.type === 'info' ? undefined : op.end - op.start);
const ascending = (a: number, b: number): number => a - b;
const round1 = (x: number | null): number | null => (x === null ? null : Math.round(x * 10) / 10);

/** Buckets by start time from 0 up to `untilMs` (or the last op, if later). Ops never go in raw: 100k ops → a few hundred buckets. */
export function toBuckets(ops: readonly ClientOp[], untilMs = 0, bucketMs = BUCKET_MS): Buckets {
  if (!(bucketMs > 0 && Number.isFinite(bucketMs))) throw new Error(`bucketMs: must be a positive number, got ${bucketMs}`);
  const lastStart = ops.reduce((max, op) => Math.max(max, op.start), untilMs);
  const n = Math.floor(Math.max(0, lastStart) / bucketMs) + 1;
  const zeros = (): number[] => new Array<number>(n).fill(0);
  const b = { ok: zeros(), fail: zeros(), info: zeros() };
  const latencies: number[][] = Array.from({ length: n }, () => []);
  for (const op of ops) {
    const i = Math.max(0, Math.floor(op.start / bucketMs));
    b[op.type][i]! += 1;
    const latency = latencyOf(op);
    if (latency !== undefined) latencies[i]!.push(latency);
  }
  const sorted = latencies.map((l) => l.sort(ascending));
  return {
    bucketMs,
    start: Array.from({ length: n }, (_, i) => i * bucketMs),
    ...b,
    p50: sorted.map((l) => round1(percentile(l, 50))),
    p99: sorted.map((l) => round1(percentile(l, 99))),
  };
}

function figuresOf(ops: readonly ClientOp[]): PhaseFigures {
  const count = (type: ClientOp['type']): number => ops.filter((op) => op.type === type).length;
  const latencies = ops.map(latencyOf).filter((l): l is number => l !== undefined).sort(ascending);
  const ok = count('ok');
  return {
    total: ops.length,
    ok,
    fail: count('fail'),
    info: count('info'),
    availabilityPct: ops.length === 0 ? null : (100 * ok) / ops.length,
    p50: round1(percentile(latencies, 50)),
    p99: round1(percentile(latencies, 99)),
  };
}

/** Before / during / after the faults, by op start — the same phases the availability checker uses. */
export function phaseFigures(ops: readonly ClientOp[], faults: readonly FaultWindow[]): Record<Phase, PhaseFigures> {
  const groups: Record<Phase, ClientOp[]> = { before: [], during: [], after: [] };
  for (const op of ops) groups[phaseOf(op.start, faults)].push(op);
  return { before: figuresOf(groups.before), during: figuresOf(groups.during), after: figuresOf(groups.after) };
}

