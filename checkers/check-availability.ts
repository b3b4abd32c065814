// Availability of the API as clients saw it: success rate overall, per time window, per phase, per f and per connection kind.
import type { History } from '../history/history.ts';
import { clientOps, faultWindows, isWitnessOp, phaseOf, type ClientOp, type Phase } from '../history/operations.ts';
import { availabilityByClass, phaseWindows, type ByClass, type OpClass, type PhaseWindow } from './availability-by-class.ts';
import { safeCheck } from './safe-check.ts';
import { tally, tallyBy, type Tally } from './tally.ts';
import { toVerdict } from './verdict.ts';

export interface AvailabilityOptions {
  /** Width of the buckets ops are sorted into by start time. */
  windowMs?: number;
  slo?: {
    maxDowntimeMs?: number; maxFailedDuring?: number; maxFailedTotal?: number; maxDefiniteFailures?: number; maxUnknown?: number; minAvailabilityPct?: number;
    /**
     * Answers of an apiserver that is up but not ready yet (403 from an RBAC cache still empty, 503 while its
     * informers sync): counted on their own, at most `max`, and not as definite failures — only for requests started
     * between the first fault's start and the moment the cluster first looked healthy after the last (the restarts,
     * and the last restarted apiserver warming up; the same status in the baseline, the settle period or after is a
     * definite failure). Any other definite failure still counts.
     */
    startingAnswers?: { statuses: number[]; max: number };
    /**
     * Client timeouts (unknown outcome) of requests sent in the same window as startingAnswers, counted apart from
     * maxUnknown up to `max`: a returned apiserver behind a VIP without readiness takes connections before it serves.
     */
    startingTimeouts?: { max: number };
  };
  /** Judge only these operation kinds (e.g. the API calls, leaving out /readyz probes); all kinds when absent. */
  fs?: string[];
  /** Bounds per operation class inside the fault window and the recovery window (see availability-by-class.ts). */
  classes?: Partial<Record<OpClass, Partial<Record<PhaseWindow, ClassSlo>>>>;
}

export interface ClassSlo {
  minAvailabilityPct?: number;
  maxDowntimeMs?: number;
  /** Recovery window: the last failure of the class must end within this long after the heal. */
  maxMsToLastFailure?: number;
}

export type TimeWindow = Tally & { index: number; start: number; end: number };
export type Downtime = { start: number; end: number; lengthMs: number };

export type AvailabilityFigures = Tally & {
  windowMs: number;
  availabilityPct: number;
  /** Non-empty windows only, in time order. */
  windows: TimeWindow[];
  downtime: Downtime[];
  longestDowntimeMs: number;
  phases: { before: Tally; during: Tally; after: Tally };
  byF: Record<string, Tally>;
  byConn: Record<string, Tally>;
  /** Definite failures with a status a starting apiserver gives, when the scenario names them (slo.startingAnswers). */
  startingAnswers?: { count: number; byStatus: Record<string, number> };
  /** Client timeouts in the starting window, when the scenario names them (slo.startingTimeouts). */
  startingTimeouts?: { count: number };
  /** Per class (reads, writes, readyz), in the fault and the recovery window; absent without a fault window. */
  byClass?: ByClass;
  /** The same per-class figures for the independent witness (vegeta), when it ran: the two clients side by side. */
  witness?: ByClass & { requests: number };
};

/**
 * A 409 (a resourceVersion precondition that lost to another writer, or a create of a name that exists) and a 404 (a
 * key another op deleted) are the API answering correctly: served, for availability. Whether they were right to answer
 * so is the linearizability checker's question.
 */
export function asServed(op: ClientOp): ClientOp {
  return op.type === 'fail' && (op.value.status === 404 || op.value.status === 409) ? { ...op, type: 'ok' } : op;
}

function timeWindows(ops: readonly ClientOp[], windowMs: number): TimeWindow[] {
  const buckets = new Map<number, ClientOp[]>();
  for (const op of ops) {
    const index = Math.floor(op.start / windowMs);
    buckets.set(index, [...(buckets.get(index) ?? []), op]);
  }
  return [...buckets]
    .sort(([a], [b]) => a - b)
    .map(([index, group]) => ({ index, start: index * windowMs, end: (index + 1) * windowMs, ...tally(group) }));
}

/** Maximal runs of consecutive windows that had ops and no ok among them (an empty window ends a run). */
function downtimes(windows: readonly TimeWindow[]): Downtime[] {
  const runs: Array<{ first: TimeWindow; last: TimeWindow }> = [];
  for (const w of windows.filter((x) => x.ok === 0)) {
    const run = runs[runs.length - 1];
    if (run && run.last.index === w.index - 1) run.last = w;
    else runs.push({ first: w, last: w });
  }
  return runs.map(({ first, last }) => ({ start: first.start, end: last.end, lengthMs: last.end - first.start }));
}

/** One op in a few words for a verdict's reason: what, when (ms since the history's start), on which connection, how it ended. */
function describeOp(op: ClientOp): string {
  const how = op.value.status !== undefined ? `http ${op.value.status}` : (op.error ?? 'no answer').slice(0, 80);
  return `${op.f} at ${Math.round(op.start)} ms (${op.value.conn ?? 'conn ?'}${op.value.retried ? ', retried' : ''}): ${how}`;
}

/** The first few of a list, described, and how many more: so a red verdict says what failed, not only how many. */
function firstFew(ops: readonly ClientOp[], n = 5): string {
  return `${ops.slice(0, n).map(describeOp).join('; ')}${ops.length > n ? `; and ${ops.length - n} more` : ''}`;
}

function sloBreaches(f: AvailabilityFigures, slo: NonNullable<AvailabilityOptions['slo']>, definite: readonly ClientOp[]): string[] {
  const notOk = (t: Tally): string => `${t.fail + t.info} (${t.fail} failed, ${t.info} unknown)`;
  const breaches: string[] = [];
  const longest = f.downtime.find((d) => d.lengthMs === f.longestDowntimeMs);
  if (slo.maxDowntimeMs !== undefined && longest && longest.lengthMs > slo.maxDowntimeMs)
    breaches.push(`longest downtime ${longest.lengthMs} ms (${longest.start}–${longest.end} ms) > maxDowntimeMs ${slo.maxDowntimeMs}`);
  if (slo.maxFailedDuring !== undefined && f.phases.during.total - f.phases.during.ok > slo.maxFailedDuring)
    breaches.push(`ops not ok during faults: ${notOk(f.phases.during)} > maxFailedDuring ${slo.maxFailedDuring}`);
  if (slo.maxFailedTotal !== undefined && f.total - f.ok > slo.maxFailedTotal)
    breaches.push(`ops not ok in total: ${notOk(f)} > maxFailedTotal ${slo.maxFailedTotal}`);
  const starting = f.startingAnswers?.count ?? 0;
  if (slo.maxDefiniteFailures !== undefined && f.fail - starting > slo.maxDefiniteFailures)
    breaches.push(`definitely failed ops: ${f.fail - starting}${starting ? ` (besides ${starting} answers of a starting apiserver)` : ''} > maxDefiniteFailures ${slo.maxDefiniteFailures} — ${firstFew(definite)}`);
  if (slo.startingAnswers && starting > slo.startingAnswers.max)
    breaches.push(`answers of a starting apiserver (${slo.startingAnswers.statuses.join(', ')}): ${starting} > ${slo.startingAnswers.max}`);
  const timeouts = f.startingTimeouts?.count ?? 0;
  if (slo.startingTimeouts && timeouts > slo.startingTimeouts.max)
    breaches.push(`client timeouts while restarted apiservers start: ${timeouts} > ${slo.startingTimeouts.max}`);
  if (slo.maxUnknown !== undefined && f.info - timeouts > slo.maxUnknown)
    breaches.push(`unknown-outcome ops: ${f.info - timeouts}${timeouts ? ` (besides ${timeouts} client timeouts while restarted apiservers start)` : ''} > maxUnknown ${slo.maxUnknown}`);
  if (slo.minAvailabilityPct !== undefined && f.availabilityPct < slo.minAvailabilityPct)
    breaches.push(`availability ${f.availabilityPct.toFixed(2)}% (${f.ok}/${f.total} ok) < minAvailabilityPct ${slo.minAvailabilityPct}`);
  return breaches;
}

function classBreaches(byClass: ByClass | undefined, classes: NonNullable<AvailabilityOptions['classes']>): { failures: string[]; doubts: string[] } {
  const failures: string[] = [];
  const doubts: string[] = [];
  for (const [cls, windows] of Object.entries(classes) as Array<[OpClass, Partial<Record<PhaseWindow, ClassSlo>>]>) {
    for (const [window, bound] of Object.entries(windows) as Array<[PhaseWindow, ClassSlo]>) {
      const f = byClass?.[cls][window];
      if (!f || f.total === 0) { doubts.push(`${cls} in the ${window} window: no operations to judge`); continue; }
      const where = `${cls} in the ${window} window (${f.from}–${f.to} ms)`;
      if (bound.minAvailabilityPct !== undefined && (f.availabilityPct ?? 0) < bound.minAvailabilityPct)
        failures.push(`${where}: ${(f.availabilityPct ?? 0).toFixed(2)}% (${f.ok}/${f.total} ok; ${f.fail} failed, ${f.info} unknown) < ${bound.minAvailabilityPct}%`);
      if (bound.maxDowntimeMs !== undefined && f.longestDowntimeMs > bound.maxDowntimeMs)
        failures.push(`${where}: downtime ${f.longestDowntimeMs} ms > ${bound.maxDowntimeMs} ms`);
      if (bound.maxMsToLastFailure !== undefined && f.msToLastFailure !== null && f.msToLastFailure > bound.maxMsToLastFailure)
        failures.push(`${where}: last failure ${f.msToLastFailure} ms after the window began > ${bound.maxMsToLastFailure} ms`);
    }
  }
  return { failures, doubts };
}

function availability(history: History, options: AvailabilityOptions = {}) {
  const { windowMs = 1000, slo = {} } = options;
  if (!(windowMs > 0 && Number.isFinite(windowMs))) throw new Error(`windowMs: must be a positive number, got ${windowMs}`);
  const all = clientOps(history).map(asServed);
  const ops = all.filter((op) => !options.fs || options.fs.includes(op.f));
  const faults = faultWindows(history);
  const overall = tally(ops);
  const windows = timeWindows(ops, windowMs);
  const downtime = downtimes(windows);
  const inPhase = (phase: Phase): ClientOp[] => ops.filter((op) => phaseOf(op.start, faults) === phase);
  const figures: AvailabilityFigures = {
    ...overall,
    windowMs,
    availabilityPct: overall.total === 0 ? 0 : (100 * overall.ok) / overall.total,
    windows,
    downtime,
    longestDowntimeMs: Math.max(0, ...downtime.map((d) => d.lengthMs)),
    phases: { before: tally(inPhase('before')), during: tally(inPhase('during')), after: tally(inPhase('after')) },
    byF: tallyBy(ops, (op) => op.f),
    byConn: tallyBy(ops, (op) => op.value.conn ?? 'unspecified'),
  };
  let startingHits = new Set<ClientOp>();
  // While restarted apiservers start: from the first fault's start until the cluster first looked healthy after the
  // last — the last apiserver restarted is back behind the VIP (the fault's end) before its caches are warm.
  const w = slo.startingAnswers || slo.startingTimeouts ? phaseWindows(history) : undefined;
  const whileStarting = (op: ClientOp) => w !== undefined && op.start >= w.fault.from && op.start <= w.recovery.to;
  if (slo.startingAnswers) {
    const statuses = slo.startingAnswers.statuses;
    const hits = ops.filter((op) => op.type === 'fail' && typeof op.value.status === 'number' && statuses.includes(op.value.status) && whileStarting(op));
    figures.startingAnswers = { count: hits.length, byStatus: Object.fromEntries(statuses.map((s) => [String(s), hits.filter((op) => op.value.status === s).length])) };
    startingHits = new Set(hits);
  }
  if (slo.startingTimeouts) figures.startingTimeouts = { count: ops.filter((op) => op.type === 'info' && op.error === 'ETIMEDOUT' && whileStarting(op)).length };
  const definite = ops.filter((op) => op.type === 'fail' && !startingHits.has(op)).sort((a, b) => a.start - b.start);
  // Per class from every client op (the `fs` filter narrows only the whole-scenario figures above).
  const byClass = availabilityByClass(history, all, windowMs);
  if (byClass) figures.byClass = byClass;
  const witnessOps = clientOps(history, isWitnessOp).map(asServed);
  const witness = witnessOps.length ? availabilityByClass(history, witnessOps, windowMs) : undefined;
  if (witness) figures.witness = { ...witness, requests: witnessOps.length };
  if (ops.length === 0) return toVerdict('availability', figures, [], ['no client operations in the history']);
  const classes = classBreaches(byClass, options.classes ?? {});
  return toVerdict('availability', figures, [...sloBreaches(figures, slo, definite), ...classes.failures], classes.doubts);
}

export const checkAvailability = safeCheck('availability', availability);
