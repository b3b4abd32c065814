// The load's ConfigMaps as registers: their operations read from a history, their states, and one model transition.
import type { ClientValue, History } from '../history/history.ts';
import { clientOps } from '../history/operations.ts';

/** The fields of a load operation's `value` the safety checkers read (merged: invoke, then completion). */
export type RegisterValue = Pick<ClientValue, 'name' | 'status' | 'via' | 'sentRv' | 'rv' | 'data' | 'items' | 'listRv' | 'stale'>;

export type RegisterF = 'create' | 'update' | 'get' | 'delete';

/** One operation on one key that constrains its register: ok, a meaningful definite failure, or an unknown write. */
export interface RegisterOp {
  /** Index in the history's client operations: unique, stable. */
  id: number;
  process: string | number;
  f: RegisterF;
  type: 'ok' | 'fail' | 'info';
  start: number;
  /** Infinity for an unknown outcome: it may take effect at any time after its invoke, or never. */
  end: number;
  /** The completion time as recorded (also for `info`). */
  completed: number;
  name: string;
  status?: number;
  sentRv?: string;
  rv?: string;
  data?: string;
  /** The highest rv acknowledged before the invoke: a revision this write was given, if any, lies above it. */
  floor: bigint;
}

/** A register: absent, or present with its rv and data; an rv unknown (written by `by`, outcome or rv unknown) binds later. */
export type RegisterState = { present: false } | { present: true; rv?: string; data?: string; by?: RegisterOp };
export type Present = Extract<RegisterState, { present: true }>;

export const ABSENT: RegisterState = { present: false };
const REGISTER_FS: readonly string[] = ['create', 'update', 'get', 'delete'];
export const isWatchProcess = (process: string | number): boolean => String(process).startsWith('watch-');
export const isRegisterWrite = (op: { f: string }): boolean => op.f === 'create' || op.f === 'update' || op.f === 'delete';

/** A resourceVersion as a number; etcd revisions are decimal integers. */
export function toRv(rv: string): bigint {
  if (!/^\d+$/.test(rv)) throw new Error(`resourceVersion must be a decimal integer, got ${JSON.stringify(rv)}`);
  return BigInt(rv);
}

/** Definite failures that tell something about the key (404: absent; 409: exists / rv differs); others did not happen. */
const meaningfulFailure = (f: string, status: number | undefined): boolean =>
  (status === 404 && f !== 'create') || (status === 409 && f !== 'get');

/** The register operations of the history, sorted by invoke time (stale or unknown reads and no-op failures left out). */
export function registerOps(history: History): RegisterOp[] {
  const all = clientOps(history).filter((op) => !isWatchProcess(op.process));
  const ops: RegisterOp[] = [];
  all.forEach((op, id) => {
    const v = op.value as RegisterValue;
    if (!REGISTER_FS.includes(op.f) || typeof v.name !== 'string') return;
    if (op.f === 'get' && (op.type === 'info' || v.stale)) return;
    if (op.type === 'fail' && !meaningfulFailure(op.f, v.status)) return;
    for (const rv of [v.rv, v.sentRv]) if (rv !== undefined) toRv(rv);
    ops.push({
      id, process: op.process, f: op.f as RegisterF, type: op.type, start: op.start, end: op.type === 'info' ? Infinity : op.end,
      completed: op.end, name: v.name, status: v.status, sentRv: v.sentRv, rv: v.rv, data: v.data, floor: -1n,
    });
  });
  // Floors: sweep the acknowledged writes in completion order against the operations in invoke order.
  const acked = ops.filter((op) => op.type === 'ok' && isRegisterWrite(op) && op.rv !== undefined).sort((a, b) => a.end - b.end);
  let j = 0;
  let floor = -1n;
  for (const op of ops) {
    for (; j < acked.length && acked[j]!.end < op.start; j++) floor = toRv(acked[j]!.rv!) > floor ? toRv(acked[j]!.rv!) : floor;
    op.floor = floor;
  }
  return ops;
}

/** Can the present register have this rv? An unknown rv binds to one above its writer's floor that no other write owns. */
function bind(s: Present, rv: string, owners: ReadonlyMap<string, RegisterOp>): Present | undefined {
  if (s.rv !== undefined) return s.rv === rv ? s : undefined;
  const owner = owners.get(rv);
  if (owner && owner !== s.by) return undefined;
  if (s.by && toRv(rv) <= s.by.floor) return undefined;
  return { present: true, rv, data: s.data };
}

/** The state after `op`, or undefined if `op` cannot take effect in state `s`. `owners`: rv → the acknowledged write that returned it. */
export function stepRegister(s: RegisterState, op: RegisterOp, owners: ReadonlyMap<string, RegisterOp>): RegisterState | undefined {
  if (op.type === 'fail') {
    if (op.status === 404) return s.present ? undefined : s;
    if (!s.present) return undefined;
    // create 409: it exists; update / delete 409: its rv is not the one sent (an unknown rv may be anything).
    return op.f === 'create' || op.sentRv === undefined || s.rv !== op.sentRv ? s : undefined;
  }
  if (op.f === 'create') return s.present ? undefined : written(op);
  if (!s.present) return undefined;
  if (op.f === 'get') {
    const bound = op.rv === undefined ? s : bind(s, op.rv, owners);
    if (!bound || (op.data !== undefined && bound.data !== undefined && op.data !== bound.data)) return undefined;
    return bound.data === undefined && op.data !== undefined ? { ...bound, data: op.data } : bound;
  }
  if (op.sentRv !== undefined && !bind(s, op.sentRv, owners)) return undefined;
  return op.f === 'delete' ? ABSENT : written(op);
}

const written = (op: RegisterOp): RegisterState =>
  op.rv !== undefined && op.type === 'ok' ? { present: true, rv: op.rv, data: op.data } : { present: true, data: op.data, by: op };

/** A string that identifies the state (for the search's memo). */
export const stateKey = (s: RegisterState): string =>
  !s.present ? 'a' : s.rv !== undefined ? `k${s.rv}\u0000${s.data ?? '\u0001'}` : `w${s.by?.id ?? -1}\u0000${s.data ?? '\u0001'}`;

export const describeState = (s: RegisterState): string =>
  !s.present ? 'absent' : `present with rv ${s.rv ?? `unknown (from ${describeOp(s.by!)})`}${s.data !== undefined ? `, data ${JSON.stringify(s.data)}` : ''}`;

export type Describable = Pick<RegisterOp, 'process' | 'type' | 'start' | 'completed'> & { f: string } & Partial<Pick<RegisterOp, 'status' | 'sentRv' | 'rv' | 'data'>>;

/** `update (process 3, 10→20 ms, ok, sentRv 5, rv 7, data "v2")`: enough to find the operation in the history. */
export function describeOp(op: Describable): string {
  const outcome = op.type === 'fail' && op.status !== undefined ? `fail ${op.status}` : op.type;
  const parts = [`process ${op.process}`, `${op.start}→${op.completed} ms`, outcome];
  if (op.sentRv !== undefined) parts.push(`sentRv ${op.sentRv}`);
  if (op.rv !== undefined) parts.push(`rv ${op.rv}`);
  if (op.data !== undefined) parts.push(`data ${JSON.stringify(op.data)}`);
  return `${op.f} (${parts.join(', ')})`;
}

/** At most `max` lines, then one saying how many were left out. */
export const capped = (lines: string[], max = 20): string[] =>
  lines.length <= max ? lines : [...lines.slice(0, max), `… and ${lines.length - max} more`];
