// Availability per operation class (reads, writes, /readyz probes) inside the fault window and the recovery window,
// separately: what a scenario's HA promise is about, undiluted by the quiet baseline and after-phase.
import type { History } from '../history/history.ts';
import { faultWindows, type ClientOp } from '../history/operations.ts';
import { tally, type Tally } from './tally.ts';

export const OP_CLASSES = { reads: ['get', 'list'], writes: ['create', 'update', 'delete'], readyz: ['readyz'] } as const;
export type OpClass = keyof typeof OP_CLASSES;
export type PhaseWindow = 'fault' | 'recovery' | 'settle';

export type ClassFigures = Tally & {
  /** [start, end) of the window on the history's clock. */
  from: number;
  to: number;
  availabilityPct: number | null;
  /** The longest run of consecutive `windowMs` windows in which this class had ops and none succeeded. */
  longestDowntimeMs: number;
  /** The worst `windowMs` window's error rate (not ok ÷ ops), in percent. */
  worstWindowErrorPct: number | null;
  /** From the window's start to the first op of this class that did not succeed (fault: time to first failure). */
  msToFirstFailure: number | null;
  /** From the window's start to the end of the last op of this class that did not succeed (recovery: heal → last failure). */
  msToLastFailure: number | null;
};

export type ByClass = Record<OpClass, Record<PhaseWindow, ClassFigures>>;

/**
 * The fault window (the first fault in effect — its `fault-in-effect`, else its fault-start — → the last fault's heal
 * beginning, its first fault-end), the recovery window (last fault-end, the heal done → `recovered`, else the end) and
 * the settle window (`recovered` → the settle period's end, `settled`; empty in histories without one). While the heal
 * runs, the fault is being undone: ops sent then belong to neither window (only the whole-scenario figures see them),
 * as those between fault-start and the fault in effect do. (Up to the heal's end, the fault window took in a heal of
 * 1.4 s beside the upstream suite in which the held apiserver was started again and dcos-net took it back before it
 * served; a create sent to it 6 ms before the heal ended timed out and failed sigkill-apiserver's "last failure 4.5 s
 * after the kill" — stored as sigkill-apiserver-with-e2e-heal-in-fault-window.jsonl, session 10's CI simulation.)
 */
export function phaseWindows(history: History): Record<PhaseWindow, { from: number; to: number }> | undefined {
  const faults = faultWindows(history);
  if (!faults.length) return undefined;
  const end = Math.max(0, ...history.map((op) => op.time));
  const heal = Math.max(...faults.map((w) => w.end));
  const healBegan = faults.reduce((last, w) => (w.end > last.end ? w : last)).healStart;
  const marker = (f: string, after: number) => history.filter((op) => op.process === 'nemesis' && op.f === f && op.type === 'info' && op.time >= after).map((op) => op.time);
  const recovered = marker('recovered', heal);
  const recoveredAt = recovered.length ? Math.min(...recovered) : end;
  const settled = marker('settled', recoveredAt);
  return {
    fault: { from: Math.min(...faults.map((w) => w.inEffect)), to: healBegan }, recovery: { from: heal, to: recoveredAt },
    settle: { from: recoveredAt, to: settled.length ? Math.min(...settled) : recoveredAt },
  };
}

function classFigures(ops: readonly ClientOp[], from: number, to: number, windowMs: number): ClassFigures {
  const inside = ops.filter((op) => op.start >= from && op.start < to);
  const t = tally(inside);
  const buckets = new Map<number, { ops: number; ok: number }>();
  for (const op of inside) {
    const i = Math.floor((op.start - from) / windowMs);
    const b = buckets.get(i) ?? { ops: 0, ok: 0 };
    b.ops += 1;
    if (op.type === 'ok') b.ok += 1;
    buckets.set(i, b);
  }
  let longest = 0;
  let run = 0;
  let prev: number | undefined;
  for (const [i, b] of [...buckets].sort(([a], [c]) => a - c)) {
    run = b.ok === 0 ? (prev === i - 1 && run > 0 ? run + 1 : 1) : 0;
    longest = Math.max(longest, run);
    prev = i;
  }
  const rates = [...buckets.values()].map((b) => (100 * (b.ops - b.ok)) / b.ops);
  const bad = inside.filter((op) => op.type !== 'ok');
  return {
    ...t, from, to,
    availabilityPct: t.total ? (100 * t.ok) / t.total : null,
    longestDowntimeMs: longest * windowMs,
    worstWindowErrorPct: rates.length ? Math.max(...rates) : null,
    msToFirstFailure: bad.length ? Math.min(...bad.map((op) => op.start)) - from : null,
    msToLastFailure: bad.length ? Math.max(...bad.map((op) => op.end)) - from : null,
  };
}

export function availabilityByClass(history: History, ops: readonly ClientOp[], windowMs: number): ByClass | undefined {
  const windows = phaseWindows(history);
  if (!windows) return undefined;
  const out = {} as ByClass;
  for (const [cls, fs] of Object.entries(OP_CLASSES) as Array<[OpClass, readonly string[]]>) {
    const mine = ops.filter((op) => fs.includes(op.f));
    out[cls] = {
      fault: classFigures(mine, windows.fault.from, windows.fault.to, windowMs), recovery: classFigures(mine, windows.recovery.from, windows.recovery.to, windowMs),
      settle: classFigures(mine, windows.settle.from, windows.settle.to, windowMs),
    };
  }
  return out;
}
