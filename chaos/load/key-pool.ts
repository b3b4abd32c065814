// What the client knows of the keys it writes (pure): hot keys `hot-<i>` (created by the first arrivals, then read and
// CAS-updated), unique `load-<id>` keys (created, later deleted), and the last resourceVersion known for each key.
// An arrival that cannot be formed (no key yet) becomes a create; no key ever leaves the pool on an unknown outcome.
import type { Outcome } from './classify.ts';
import type { ArrivalKind } from './load-config.ts';
import type { ListedItem } from './load-value.ts';

export type LoadF = 'readyz' | 'get' | 'list' | 'create' | 'update' | 'delete';

/** One request to make, as planned from the pool. */
export interface OpPlan {
  f: LoadF;
  conn: 'new' | 'reused';
  name?: string;
  /** Update: resourceVersion to send (CAS); delete: precondition. */
  sentRv?: string;
  /** Create / update: the value to write. */
  data?: string;
  /** An update whose key's resourceVersion is unknown: read the key first (`readPlan`, then `afterRead`). */
  needsRv?: boolean;
  /** Issue order: knowledge of a key only moves to what an op issued later saw. */
  seq: number;
}

/** What came back, as far as the pool cares. */
export interface Settled {
  type: Outcome;
  status?: number;
  rv?: string;
  items?: ListedItem[];
}

export type KeyState = 'absent' | 'creating' | 'present' | 'deleting';

export interface KeyInfo {
  name: string;
  hot: boolean;
  /** present: exists as far as the client knows (maybe, after an unknown create); creating / deleting: in flight. */
  state: KeyState;
  /** The last resourceVersion known; undefined after an unknown or conflicting write until a later read. */
  rv?: string;
  /** seq of the op the current knowledge comes from. */
  seq: number;
}

export const hotKeyName = (i: number): string => `hot-${i}`;

export class KeyPool {
  private readonly hot: KeyInfo[];
  private readonly others = new Map<string, KeyInfo>();
  private seq = 0;
  private written = 0;

  /** `valuePrefix` makes written values unique across loads: value n is `<valuePrefix><n>`. */
  constructor(hotKeys: number, private readonly valuePrefix: string) {
    this.hot = Array.from({ length: hotKeys }, (_, i) => ({ name: hotKeyName(i), hot: true, state: 'absent', seq: 0 }));
  }

  /** Every key the pool knows, hot keys first (for tests and reports). */
  keys(): KeyInfo[] {
    return [...this.hot, ...this.others.values()].map((k) => ({ ...k }));
  }

  /** The request for one arrival; marks a key being created or deleted. Draws from `random` only to choose a key. */
  plan(kind: ArrivalKind, id: string, random: () => number): OpPlan {
    switch (kind) {
      case 'readyz': return { f: 'readyz', conn: 'reused', seq: ++this.seq };
      case 'readyzNew': return { f: 'readyz', conn: 'new', seq: ++this.seq };
      case 'list': return { f: 'list', conn: 'reused', seq: ++this.seq };
      case 'create': return this.planCreate(id);
      case 'get': {
        const key = pick(this.hot.filter((k) => k.state === 'present'), random);
        return key ? { f: 'get', conn: 'reused', name: key.name, seq: ++this.seq } : this.planCreate(id);
      }
      case 'update': {
        const key = pick(this.hot.filter((k) => k.state === 'present'), random);
        if (!key) return this.planCreate(id);
        const data = this.nextValue();
        return key.rv !== undefined
          ? { f: 'update', conn: 'reused', name: key.name, sentRv: key.rv, data, seq: ++this.seq }
          : { f: 'update', conn: 'reused', name: key.name, data, needsRv: true, seq: ++this.seq };
      }
      case 'delete': {
        const key = pick([...this.others.values()].filter((k) => k.state === 'present'), random);
        if (!key) return this.planCreate(id);
        key.state = 'deleting';
        key.seq = ++this.seq;
        return { f: 'delete', conn: 'reused', name: key.name, ...(key.rv !== undefined ? { sentRv: key.rv } : {}), seq: key.seq };
      }
    }
  }

  /** The read an update with an unknown resourceVersion makes first (recorded as its own get). */
  readPlan(update: OpPlan): OpPlan {
    return { f: 'get', conn: 'reused', name: update.name, seq: ++this.seq };
  }

  /**
   * The update after its read (already settled): CAS on the rv read; a create instead when the key turned out absent;
   * unconditional (no sentRv) when the read failed — the write is still attempted, never dropped.
   */
  afterRead(update: OpPlan, read: Settled): OpPlan {
    const { needsRv: _, ...rest } = update;
    const key = this.hot.find((k) => k.name === update.name);
    if (read.type === 'ok' && read.rv !== undefined) return { ...rest, sentRv: read.rv, seq: ++this.seq };
    if (read.status === 404 && key?.state === 'absent') {
      key.state = 'creating';
      key.seq = ++this.seq;
      return { f: 'create', conn: 'reused', name: key.name, data: update.data ?? this.nextValue(), seq: key.seq };
    }
    return { ...rest, seq: ++this.seq };
  }

  /** Updates what the client knows from an op's outcome. */
  settle(plan: OpPlan, s: Settled): void {
    if (plan.f === 'list') {
      if (s.type === 'ok') for (const item of s.items ?? []) this.observe(item.name, item.rv, plan.seq);
      return;
    }
    const key = plan.name === undefined ? undefined : this.find(plan.name);
    if (!key) return;
    const conflict = s.type === 'fail' && s.status === 409;
    const gone = s.type === 'fail' && s.status === 404;
    switch (plan.f) {
      case 'get':
        if (s.type === 'ok' && s.rv !== undefined) this.observe(key.name, s.rv, plan.seq);
        else if (gone && key.state === 'present' && plan.seq >= key.seq) this.markAbsent(key, plan.seq);
        break;
      case 'create':
        // 409 AlreadyExists: it is there (an earlier unknown create took effect), version unknown.
        if (s.type === 'ok' || s.type === 'info' || conflict) {
          key.state = 'present';
          this.learn(key, s.type === 'ok' ? s.rv : undefined, plan.seq);
        } else this.markAbsent(key, plan.seq);
        break;
      case 'update':
        if (s.type === 'ok') {
          key.state = 'present';
          this.learn(key, s.rv, plan.seq);
        } else if (s.type === 'info') this.learn(key, undefined, plan.seq);
        else if (conflict && key.rv === plan.sentRv) this.learn(key, undefined, Math.max(plan.seq, key.seq));
        else if (gone && key.state === 'present') this.markAbsent(key, plan.seq);
        break;
      case 'delete':
        if (s.type === 'ok' || gone) this.markAbsent(key, plan.seq);
        else {
          key.state = 'present';
          // Unknown delete or failed precondition: whether (and at which version) it exists is unknown.
          if (s.type === 'info' || conflict) this.learn(key, undefined, Math.max(plan.seq, key.seq));
        }
        break;
    }
  }

  private planCreate(id: string): OpPlan {
    const seq = ++this.seq;
    const hot = this.hot.find((k) => k.state === 'absent');
    const key: KeyInfo = hot ?? { name: `load-${id}`, hot: false, state: 'absent', seq };
    if (!hot) this.others.set(key.name, key);
    key.state = 'creating';
    key.seq = seq;
    return { f: 'create', conn: 'reused', name: key.name, data: this.nextValue(), seq };
  }

  private nextValue(): string {
    return `${this.valuePrefix}${++this.written}`;
  }

  private find(name: string): KeyInfo | undefined {
    return this.hot.find((k) => k.name === name) ?? this.others.get(name);
  }

  /** A read issued at `seq` saw the key at `rv`. */
  private observe(name: string, rv: string, seq: number): void {
    const key = this.find(name);
    if (!key || seq < key.seq) return;
    if (key.state === 'absent') {
      if (!key.hot) return;
      key.state = 'present';
    }
    key.rv = rv;
    key.seq = seq;
  }

  /** Sets the known rv (undefined: unknown) unless something issued later is already known. */
  private learn(key: KeyInfo, rv: string | undefined, seq: number): void {
    if (seq < key.seq) return;
    key.rv = rv;
    key.seq = seq;
  }

  /** Hot keys stay in the pool to be created again; a unique key is done with. */
  private markAbsent(key: KeyInfo, seq: number): void {
    if (!key.hot) {
      this.others.delete(key.name);
      return;
    }
    key.state = 'absent';
    key.rv = undefined;
    key.seq = Math.max(seq, key.seq);
  }
}

function pick<T>(candidates: readonly T[], random: () => number): T | undefined {
  if (!candidates.length) return undefined;
  return candidates[Math.min(candidates.length - 1, Math.floor(random() * candidates.length))];
}
