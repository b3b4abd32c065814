// Linearizability of the load's ConfigMaps as registers (a WGL search per key), plus rv order and stale reads over the history.
import type { History } from '../history/history.ts';
import { clientOps } from '../history/operations.ts';
import {
  ABSENT, capped, describeOp, describeState, isRegisterWrite, isWatchProcess, registerOps, stateKey, stepRegister, toRv,
  type Describable, type RegisterOp, type RegisterState, type RegisterValue,
} from './register-model.ts';
import { safeCheck } from './safe-check.ts';
import { toVerdict } from './verdict.ts';

export interface LinearizableOptions {
  /** Model steps the search may take per key before it gives up with `unknown`. */
  maxSteps?: number;
}

/** One operation of the proof window, as a report draws it on a timeline (`complete: null`: unknown outcome). */
export interface ProofOp {
  process: string | number;
  f: string;
  invoke: number;
  complete: number | null;
  type: 'ok' | 'fail' | 'info';
  sentRv?: string;
  rv?: string;
  data?: string;
  status?: number;
  /** In the longest linearizable prefix the search found. */
  linearized: boolean;
}

export type LinearizableFigures = {
  keys: number;
  operations: number;
  unknownWrites: number;
  searchSteps: number;
  violations: number;
  /** The first key that is not linearizable, and its proof window. */
  proofKey?: string;
  proof?: ProofOp[];
};

type SearchResult =
  | { outcome: 'linearizable' | 'bound'; steps: number; linearized: number }
  | { outcome: 'violation'; steps: number; linearized: number; stuck: RegisterOp; anchor?: RegisterOp; state: RegisterState; prefix: Set<number> };

/** A set of 0 … size-1 with a short key: the run of full words below the first gap is counted, trailing zero words left out. */
class Bits {
  private readonly words: Uint32Array;
  private lo = 0;
  constructor(readonly size: number, words?: Uint32Array) { this.words = words ?? new Uint32Array(Math.ceil(size / 32)); }
  has(i: number): boolean { return (this.words[i >>> 5]! & (1 << (i & 31))) !== 0; }
  flip(i: number): void { this.words[i >>> 5]! ^= 1 << (i & 31); if (!this.has(i)) this.lo = Math.min(this.lo, i >>> 5); }
  private fullWords(): number { while (this.lo < this.words.length && this.words[this.lo] === 0xffffffff) this.lo++; return this.lo; }
  firstClear(): number { let i = this.fullWords() * 32; while (i < this.size && this.has(i)) i++; return i; }
  key(): string {
    const lo = this.fullWords();
    let hi = this.words.length;
    while (hi > lo && this.words[hi - 1] === 0) hi--;
    return `${lo}:${this.words.subarray(lo, hi).join(',')}`;
  }
  subsetOf(other: Bits): boolean { return this.words.every((w, i) => (w & ~other.words[i]!) === 0); }
  copy(): Bits { return new Bits(this.size, this.words.slice()); }
}

/** The unknown writes that may take effect in a state: creates when absent, else deletes and updates whose sentRv fits. */
function unknownWritesFor(infos: RegisterOp[]): (s: RegisterState) => number[] {
  const indexed = infos.map((op, j) => ({ op, j }));
  const ids = (keep: (op: RegisterOp) => boolean): number[] => indexed.filter(({ op }) => keep(op)).map(({ j }) => j);
  const absent = ids((op) => op.f === 'create');
  const anyPresent = ids((op) => op.f !== 'create');
  const unconditional = ids((op) => op.f !== 'create' && op.sentRv === undefined);
  const bySentRv = new Map<string, number[]>();
  for (const j of anyPresent) if (infos[j]!.sentRv !== undefined) bySentRv.set(infos[j]!.sentRv!, [...(bySentRv.get(infos[j]!.sentRv!) ?? []), j]);
  return (s) => (!s.present ? absent : s.rv === undefined ? anyPresent : [...unconditional, ...(bySentRv.get(s.rv) ?? [])]);
}

/**
 * Wing & Gong / Lowe, as porcupine does: linearize one op at a time among those no pending definite op precedes in
 * real time, backtracking on a model violation; a (linearized set, state) already explored is pruned, and so is one
 * that only adds unknown writes to it. Unknown writes never block others and need not be linearized (they may never
 * have taken effect). Candidates are encoded as i (the i-th definite op) or ~j (the j-th unknown write).
 */
function searchKey(ops: RegisterOp[], owners: ReadonlyMap<string, RegisterOp>, maxSteps: number): SearchResult {
  const defs = ops.filter((op) => op.type !== 'info');
  const infos = ops.filter((op) => op.type === 'info');
  const def = new Bits(defs.length);
  const inf = new Bits(infos.length);
  const unknownFor = unknownWritesFor(infos);
  const opOf = (c: number): RegisterOp => (c >= 0 ? defs[c]! : infos[~c]!);
  const candidates = (s: RegisterState): number[] => {
    const first = def.firstClear();
    let minEnd = Infinity;
    for (let i = first; i < defs.length && defs[i]!.start <= minEnd; i++) if (!def.has(i) && defs[i]!.end < minEnd) minEnd = defs[i]!.end;
    const out: number[] = [];
    for (let i = first; i < defs.length && defs[i]!.start <= minEnd; i++) if (!def.has(i)) out.push(i);
    for (const j of unknownFor(s)) if (!inf.has(j) && infos[j]!.start <= minEnd) out.push(~j);
    return out;
  };
  const flip = (c: number): void => (c >= 0 ? def.flip(c) : inf.flip(~c));
  type Frame = { cands: number[]; next: number; state: RegisterState; anchor: RegisterOp | undefined; op: number };
  const frames: Frame[] = [];
  const memo = new Map<string, Bits[]>();
  let state = ABSENT;
  let anchor: RegisterOp | undefined;
  let done = 0;
  let steps = 0;
  let best = { done: -1, def, inf, anchor, state };
  let cands = candidates(state);
  let next = 0;
  for (;;) {
    if (done > best.done) best = { done, def: def.copy(), inf: inf.copy(), anchor, state };
    if (done === defs.length) return { outcome: 'linearizable', steps, linearized: done };
    if (next < cands.length) {
      const c = cands[next++]!;
      const op = opOf(c);
      if (++steps > maxSteps) return { outcome: 'bound', steps: maxSteps, linearized: best.done };
      const after = stepRegister(state, op, owners);
      if (!after) continue;
      flip(c);
      const key = `${stateKey(after)}|${def.key()}`;
      const seen = memo.get(key);
      if (seen?.some((applied) => applied.subsetOf(inf))) { flip(c); continue; }
      if (seen) seen.push(inf.copy());
      else memo.set(key, [inf.copy()]);
      // An op that leaves the state as it is can go first in any linearization from here: no sibling needs a try.
      frames.push({ cands, next: after === state && c >= 0 ? cands.length : next, state, anchor, op: c });
      if (c >= 0) done++;
      if (isRegisterWrite(op) && op.type !== 'fail') anchor = op;
      state = after;
      cands = candidates(state);
      next = 0;
    } else {
      const frame = frames.pop();
      if (!frame) break;
      flip(frame.op);
      if (frame.op >= 0) done--;
      ({ cands, next, state, anchor } = frame);
    }
  }
  const prefix = new Set([...defs.filter((_, i) => best.def.has(i)), ...infos.filter((_, j) => best.inf.has(j))].map((op) => op.id));
  const stuck = defs.filter((op) => !prefix.has(op.id)).reduce((a, b) => (b.end < a.end ? b : a));
  return { outcome: 'violation', steps, linearized: best.done, stuck, anchor: best.anchor, state: best.state, prefix };
}

/** The ops from the last write of the linearizable prefix up to the op that cannot follow it (at most 40). */
function proofWindow(ops: RegisterOp[], r: Extract<SearchResult, { outcome: 'violation' }>): ProofOp[] {
  const from = r.anchor?.start ?? r.stuck.start;
  const inWindow = ops.filter((op) => op === r.anchor || op === r.stuck || (op.completed >= from && op.start <= r.stuck.end));
  const others = inWindow.filter((op) => op !== r.anchor && op !== r.stuck);
  const kept = inWindow.length <= 40 ? inWindow : inWindow.filter((op) => op === r.anchor || op === r.stuck || others.indexOf(op) >= others.length - 38);
  return kept.map((op) => ({
    process: op.process, f: op.f, invoke: op.start, complete: op.type === 'info' ? null : op.completed, type: op.type,
    sentRv: op.sentRv, rv: op.rv, data: op.data, status: op.status, linearized: r.prefix.has(op.id),
  }));
}

/** Acknowledged writes (in invoke order): rv(A) < rv(B) whenever A completed before B was invoked; no two share an rv. */
function rvOrderViolations(writes: RegisterOp[]): string[] {
  const failures: string[] = [];
  const byEnd = [...writes].sort((a, b) => a.end - b.end);
  let j = 0;
  let max: RegisterOp | undefined;
  for (const b of writes) {
    for (; j < byEnd.length && byEnd[j]!.end < b.start; j++) if (!max || toRv(byEnd[j]!.rv!) > toRv(max.rv!)) max = byEnd[j];
    if (max && toRv(b.rv!) <= toRv(max.rv!)) {
      failures.push(`rv went backwards: ${describeOp(b)} on "${b.name}" returned rv ${b.rv}, not above rv ${max.rv} of ${describeOp(max)} on "${max.name}", acknowledged before it was invoked`);
    }
  }
  const owners = new Map<string, RegisterOp>();
  for (const w of writes) {
    const other = owners.get(w.rv!);
    if (other && other.end >= w.start) failures.push(`two acknowledged writes returned rv ${w.rv}: ${describeOp(other)} on "${other.name}" and ${describeOp(w)} on "${w.name}"`);
    owners.set(w.rv!, w);
  }
  return failures;
}

type Read = { op: Describable; key?: string; rv: string };

/** A consistent read invoked after a write with rv R was acknowledged returns rv ≥ R: for its key (get), as listRv (list). */
function staleReads(writes: RegisterOp[], reads: Read[]): string[] {
  const failures: string[] = [];
  const byEnd = [...writes].sort((a, b) => a.end - b.end);
  const newer = (w: RegisterOp, than: RegisterOp | undefined): RegisterOp => (!than || toRv(w.rv!) > toRv(than.rv!) ? w : than);
  const latest = new Map<string, RegisterOp>();
  let latestOfAll: RegisterOp | undefined;
  let j = 0;
  for (const read of [...reads].sort((a, b) => a.op.start - b.op.start)) {
    for (; j < byEnd.length && byEnd[j]!.end < read.op.start; j++) {
      const w = byEnd[j]!;
      latest.set(w.name, newer(w, latest.get(w.name)));
      latestOfAll = newer(w, latestOfAll);
    }
    const w = read.key === undefined ? latestOfAll : latest.get(read.key);
    if (w && toRv(read.rv) < toRv(w.rv!)) {
      const what = read.key === undefined ? `listRv ${read.rv}` : `rv ${read.rv} for "${read.key}"`;
      failures.push(`stale read: ${describeOp(read.op)} returned ${what}, older than rv ${w.rv} of ${describeOp(w)} on "${w.name}", acknowledged before it was invoked`);
    }
  }
  return failures;
}

function linearizable(history: History, options: LinearizableOptions = {}) {
  const { maxSteps = 2_000_000 } = options;
  const ops = registerOps(history);
  const writes = ops.filter((op) => op.type === 'ok' && isRegisterWrite(op) && op.rv !== undefined);
  const owners = new Map(writes.map((w) => [w.rv!, w]));
  const byKey = new Map<string, RegisterOp[]>();
  for (const op of ops) byKey.get(op.name)?.push(op) ?? byKey.set(op.name, [op]);
  const figures: LinearizableFigures = {
    keys: byKey.size, operations: ops.length, unknownWrites: ops.filter((op) => op.type === 'info').length, searchSteps: 0, violations: 0,
  };
  const failures: string[] = [];
  const doubts: string[] = [];
  for (const [key, keyOps] of [...byKey].sort(([a], [b]) => a.localeCompare(b))) {
    const r = searchKey(keyOps, owners, maxSteps);
    const definite = keyOps.filter((op) => op.type !== 'info').length;
    figures.searchSteps += r.steps;
    if (r.outcome === 'bound') doubts.push(`key "${key}": search bound of ${maxSteps} steps exceeded (${r.linearized} of ${definite} definite ops linearized)`);
    if (r.outcome !== 'violation') continue;
    const after = r.anchor ? `after ${describeOp(r.anchor)}` : 'at the start (the key absent)';
    failures.push(`key "${key}" is not linearizable: ${describeOp(r.stuck)} cannot take effect ${after}; the register is then ${describeState(r.state)} (${r.linearized} of ${definite} definite ops linearize)`);
    if (!figures.proof) Object.assign(figures, { proofKey: key, proof: proofWindow(keyOps, r) });
  }
  failures.push(...rvOrderViolations(writes));
  const reads: Read[] = ops.filter((op) => op.f === 'get' && op.type === 'ok' && op.rv !== undefined).map((op) => ({ op, key: op.name, rv: op.rv! }));
  for (const op of clientOps(history)) {
    const v = op.value as RegisterValue;
    if (op.f !== 'list' || op.type !== 'ok' || v.stale || v.listRv === undefined || isWatchProcess(op.process)) continue;
    reads.push({ op: { process: op.process, f: op.f, type: op.type, start: op.start, completed: op.end }, rv: v.listRv });
  }
  failures.push(...staleReads(writes, reads));
  figures.violations = failures.length;
  if (ops.length === 0) doubts.push('no ConfigMap operation in the history');
  return toVerdict('linearizable', figures, capped(failures), doubts);
}

export const checkLinearizable = safeCheck('linearizable', linearizable);
