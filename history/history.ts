// One history per scenario: client operations, fault events and observations on one clock, as JSON lines.
import { appendFileSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { issuesText } from '../core/zod-error.ts';

/**
 * - client operations come in pairs: `invoke`, then `ok` (it happened), `fail` (it definitely did not happen) or
 *   `info` (outcome unknown: a timed-out write may still take effect later);
 * - the nemesis (`process: 'nemesis'`) writes `invoke`/`info` pairs: f `fault-start` / `fault-end`,
 *   value `{ fault, targets }`, and between a fault-start pair an `info` f `fault-in-effect`, value `{ fault }`, once
 *   the fault's first action has returned (faults that say so: chaos/faults/fault.ts `inEffect`);
 * - the observer (`process: 'observer'`) writes `info` samples of cluster state: f `etcd`, `vip`, `leases`;
 * - final reads (`process: 'final'`), f `final-read`, value `{ present: string[] }` after recovery.
 */
export const opSchema = z.object({
  type: z.enum(['invoke', 'ok', 'fail', 'info']),
  process: z.union([z.string(), z.number()]),
  f: z.string(),
  value: z.unknown().optional(),
  /** Milliseconds since the start of the scenario (monotonic clock), fractional. */
  time: z.number(),
  error: z.string().optional(),
});
export type Op = z.infer<typeof opSchema>;
export type History = Op[];

/** Client operation kinds the load produces. */
export const READ_FS = ['readyz', 'get', 'list'] as const;
export const WRITE_FS = ['create', 'update', 'delete'] as const;

export interface ClientValue {
  /** ConfigMap name (the key) for writes and gets. */
  name?: string;
  /** Connection kind: a fresh TCP+TLS connection per request, or a kept-alive one. */
  conn?: 'new' | 'reused';
  status?: number;
  /** A GET retried once on a new connection after the server closed the kept-alive one (see open-model.ts). */
  retried?: boolean;
  /** Open model: when the arrival was due (the invoke's `time` is when it was issued). */
  scheduled?: number;
  /** Where the request went: 'vip', or an apiserver task name for a direct request. */
  via?: string;
  /** The resourceVersion precondition sent (update, delete). */
  sentRv?: string;
  /** The resourceVersion returned (ok create, update, get, delete). */
  rv?: string;
  /** The value written (invoke of create/update) or read (ok get). */
  data?: string;
  /** An ok list: every item, and the list's own resourceVersion. */
  items?: Array<{ name: string; rv: string; data?: string }>;
  listRv?: string;
  /** A read that asked for resourceVersion=0 (may be served from cache: not required to be linearizable). */
  stale?: boolean;
}

export interface FaultValue {
  fault: string;
  targets: string[];
}

export interface EtcdSample {
  /**
   * Per member: `answered` false when its `endpoint status` gave no answer — then `isLeader` says nothing (an unreadable
   * ex-leader may still think it leads); `term` is the raft term it reported.
   */
  members: Array<{ name: string; healthy: boolean; isLeader: boolean; hash?: string; term?: number; answered?: boolean }>;
  /** The observer could not read the cluster at all (etcdctl failed or timed out): health unknown, not "unhealthy". */
  unknown?: boolean;
  /** When the observer asked (the sample's `time` is when the answer came). */
  askedAt?: number;
}

export interface LeasesSample {
  holders: Record<string, string | undefined>;
  /** Per Lease, the tasks whose `leader_election_master_status` is 1 (two or more: split brain). */
  claims?: Record<string, string[]>;
  /** Per Lease, the running instances whose /metrics has no leader-election gauge at all (election off, or just started). */
  unelected?: Record<string, string[]>;
  /** Per Lease, the running instances with no gauge yet whose command line leaves election on (elector not started). */
  notStarted?: Record<string, string[]>;
}

export interface VipSample {
  backends: string[];
}

export function parseHistory(text: string): History {
  return text
    .split('\n')
    .filter((l) => l.trim())
    .map((l, i) => {
      const parsed = opSchema.safeParse(JSON.parse(l));
      if (!parsed.success) throw new Error(`history line ${i + 1}: ${issuesText(parsed.error)}`);
      return parsed.data;
    });
}

export function readHistory(file: string): History {
  return parseHistory(readFileSync(file, 'utf8'));
}

/**
 * Appends operations to a history file; time is taken from one monotonic clock started with the recorder. Lines are
 * buffered and written every 100 ms or every 256 operations (a write per request cost ~6 % of the load's throughput);
 * `flush()` writes what is pending — call it before reading the file.
 */
export class HistoryRecorder {
  private readonly t0 = performance.now();
  private pending: string[] = [];
  private readonly timer: NodeJS.Timeout;

  constructor(readonly file: string) {
    this.timer = setInterval(() => this.flush(), 100);
    this.timer.unref();
  }

  now(): number {
    return Math.round((performance.now() - this.t0) * 1000) / 1000;
  }

  record(op: Omit<Op, 'time'> & { time?: number }): Op {
    const full: Op = { ...op, time: op.time ?? this.now() } as Op;
    this.pending.push(JSON.stringify(full));
    if (this.pending.length >= 256) this.flush();
    return full;
  }

  flush(): void {
    if (!this.pending.length) return;
    const text = this.pending.join('\n') + '\n';
    this.pending = [];
    appendFileSync(this.file, text);
  }

  /** Flushes and stops the timer. */
  close(): void {
    this.flush();
    clearInterval(this.timer);
  }
}

export type { Verdict } from './verdict.ts';
