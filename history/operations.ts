// Reads a history as client operations (each invoke paired with its completion), fault windows and phases.
import { WRITE_FS, type ClientValue, type History, type Op } from './history.ts';

export type Outcome = 'ok' | 'fail' | 'info';
export type Phase = 'before' | 'during' | 'after';

export interface ClientOp {
  process: string | number;
  f: string;
  value: ClientValue;
  start: number;
  end: number;
  type: Outcome;
  error?: string;
}

export interface FaultWindow {
  fault: string;
  targets: string[];
  start: number;
  /** When the fault took effect: the last fault-start op of the window (the nemesis' completion), else `start`. */
  injected: number;
  /** When the fault's first action had returned (its `fault-in-effect`), else `start`: the fault window is judged from here. */
  inEffect: number;
  /** The (last) fault-end, or the last op time when the fault was never healed. */
  end: number;
  /** When the heal began (the first fault-end: the nemesis set out to undo the fault), else `end`. */
  healStart: number;
  healed: boolean;
}

const NON_CLIENT_PROCESSES: ReadonlyArray<string | number> = ['nemesis', 'observer', 'final', 'load'];
/** Final-state readers (`final-<via>`), watches (`watch-<via>`) and load bookkeeping (`load-<n>`) are not client requests. */
const NON_CLIENT_PREFIXES = ['final-', 'watch-', 'load-', 'witness-'];

export const isClientOp = (op: Op): boolean =>
  !NON_CLIENT_PROCESSES.includes(op.process) && !(typeof op.process === 'string' && NON_CLIENT_PREFIXES.some((p) => (op.process as string).startsWith(p)));
/** The independent witness's requests (vegeta): judged beside haproof's own, never mixed with them. */
export const isWitnessOp = (op: Op): boolean => typeof op.process === 'string' && op.process.startsWith('witness-');
export const isWrite = (op: { f: string }): boolean => (WRITE_FS as readonly string[]).includes(op.f);
export const lastTime = (history: History): number => history.reduce((max, op) => Math.max(max, op.time), 0);
const record = (value: unknown): Record<string, unknown> => (value && typeof value === 'object' ? (value as Record<string, unknown>) : {});

/** Client operations sorted by start; an invoke never completed counts as `info` ending at the last op time. */
export function clientOps(history: History, pick: (op: Op) => boolean = isClientOp): ClientOp[] {
  const lastOpTime = lastTime(history);
  const pending = new Map<string | number, Op>();
  const done: ClientOp[] = [];
  const complete = (invoke: Op, type: Outcome, end: number, completion?: Op): void => {
    const value = { ...record(invoke.value), ...record(completion?.value) } as ClientValue;
    const error = completion?.error;
    done.push({ process: invoke.process, f: invoke.f, value, start: invoke.time, end, type, ...(error ? { error } : {}) });
  };
  for (const op of history.filter(pick)) {
    const invoke = pending.get(op.process);
    if (op.type === 'invoke') {
      if (invoke) complete(invoke, 'info', lastOpTime);
      pending.set(op.process, op);
    } else if (invoke) {
      complete(invoke, op.type, op.time, op);
      pending.delete(op.process);
    }
  }
  for (const invoke of pending.values()) complete(invoke, 'info', lastOpTime);
  return done.sort((a, b) => a.start - b.start);
}

/** Fault windows sorted by start: fault-start to the matching fault-end of the same fault name (a failed nemesis op is ignored). */
export function faultWindows(history: History): FaultWindow[] {
  const windows: Array<Omit<FaultWindow, 'end' | 'healed' | 'injected' | 'inEffect' | 'healStart'> & { end?: number; injected?: number; inEffect?: number; healStart?: number }> = [];
  const nemesis = history.filter((op) => op.process === 'nemesis' && op.type !== 'fail').sort((a, b) => a.time - b.time);
  for (const op of nemesis) {
    const value = record(op.value);
    const fault = typeof value.fault === 'string' ? value.fault : 'unknown';
    const targets = Array.isArray(value.targets) ? value.targets.map(String) : [];
    const current = windows.filter((w) => w.fault === fault).pop();
    if (op.f === 'fault-start' && (!current || current.end !== undefined)) windows.push({ fault, targets, start: op.time, injected: op.time });
    else if (op.f === 'fault-start' && current) { current.injected = op.time; if (targets.length) current.targets = targets; }
    else if (op.f === 'fault-in-effect' && current && current.end === undefined && current.inEffect === undefined) current.inEffect = op.time;
    else if (op.f === 'fault-end' && current) { current.healStart ??= op.time; current.end = op.time; }
  }
  const lastOpTime = lastTime(history);
  return windows.map((w) => ({ ...w, injected: w.injected ?? w.start, inEffect: w.inEffect ?? w.start, end: w.end ?? lastOpTime, healStart: w.healStart ?? w.end ?? lastOpTime, healed: w.end !== undefined }));
}

/**
 * The span a scenario's verdicts call its fault: from the first fault start to the end of the last settle period
 * (`settled`), or to the history's end when it never settled; `from` is undefined when the history has no fault.
 */
export function faultSpan(history: History): { from?: number; to: number; end: number } {
  const windows = faultWindows(history);
  const settled = history.filter((op) => op.process === 'nemesis' && op.f === 'settled' && op.type === 'info').map((op) => op.time);
  const end = lastTime(history);
  const to = settled.length ? Math.max(...settled) : end;
  return windows.length ? { from: Math.min(...windows.map((w) => w.start)), to, end } : { to, end };
}

/** 'before' the first fault-start, 'during' any fault window (ends included), 'after' otherwise. */
export function phaseOf(time: number, windows: readonly FaultWindow[]): Phase {
  if (windows.some((w) => time >= w.start && time <= w.end)) return 'during';
  return time < Math.min(...windows.map((w) => w.start)) ? 'before' : 'after';
}
