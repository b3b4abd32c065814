// What the main thread and the load's worker thread say to each other, and the clock they share.
import type { Op } from '../../history/history.ts';
import type { LoadStats } from './load-engine.ts';
import type { LoadMix, LoadTarget, ResolvedLoadOptions } from './load-config.ts';

export interface WorkerInput {
  target: Omit<LoadTarget, 'ca'> & { ca: Uint8Array };
  mix: LoadMix;
  processBase: number;
  options: ResolvedLoadOptions;
  durationMs: number;
  /** `process.hrtime.bigint()` at the history clock's 0 (the monotonic clock every thread of the process shares). */
  epochNs: bigint;
}

export type ToWorker = { type: 'stop' };

export type FromWorker =
  | { type: 'started'; stats: LoadStats }
  /** Ops in the order they were recorded, each stamped by the worker on the history clock. */
  | { type: 'ops'; ops: Op[] }
  | { type: 'stats'; stats: LoadStats }
  /** Stopped: every arrival taken up has completed and its ops were posted before this. */
  | { type: 'done'; stats: LoadStats };

/** The hrtime that corresponds to `now` on a clock reading `now` at this moment. */
export const toEpochNs = (now: number): bigint => process.hrtime.bigint() - BigInt(Math.round(now * 1e6));

/** The history clock (ms, rounded to µs like HistoryRecorder.now()) from its epoch, in any thread. */
export const epochClock = (epochNs: bigint) => (): number => Math.round(Number(process.hrtime.bigint() - epochNs) / 1e3) / 1e3;
