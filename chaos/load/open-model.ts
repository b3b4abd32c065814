// Open-model load through the VIP (arrival rate, not closed loops: an outage shows as errors, not as less load).
// Every scheduled arrival is recorded (scheduled and issue time, what was sent and seen: see load-value.ts), by
// default from a process of its own so that a stalled runner cannot delay it. Bounded by rate, duration and count.
import { request } from 'node:https';
import { startLoadProcess, startLoadThread, type LoadHandle } from './load-process.ts';
import type { HistoryRecorder, Op } from '../../history/history.ts';
import { withTimeout } from '../../core/with-timeout.ts';
import { checkMix, DEFAULT_MIX, REQUEST_TIMEOUT_MS, resolveLoadOptions, type LoadMix, type LoadOptions, type LoadTarget, type ResolvedLoadOptions } from './load-config.ts';
import { LoadEngine, type LoadStats } from './load-engine.ts';
import { toEpochNs, type FromWorker, type ToWorker, type WorkerInput } from './worker-protocol.ts';

export { DEFAULT_MIX, REQUEST_TIMEOUT_MS, type LoadMix, type LoadOptions, type LoadTarget };
export type { LoadStats };

/** What the load needs of the history: `record`, and `now` (its clock) when there is one. */
export type LoadHistory = Pick<HistoryRecorder, 'record'> & Partial<Pick<HistoryRecorder, 'now'>>;

/** Stop waits this long for the worker to finish what is in flight (a pre-read and its update, each maybe retried). */
const STOP_TIMEOUT_MS = 6 * REQUEST_TIMEOUT_MS;

export class OpenModelLoad {
  private readonly options: ResolvedLoadOptions;
  private readonly clock: () => number;
  private engine: LoadEngine | undefined;
  private worker: LoadHandle | undefined;
  private workerDone: Promise<void> | undefined;
  private last: LoadStats;
  private stopped = false;
  private stopping: Promise<void> | undefined;

  constructor(private readonly target: LoadTarget, private readonly history: LoadHistory, private readonly mix: LoadMix = DEFAULT_MIX, private readonly processBase = 0, options: LoadOptions = {}) {
    checkMix(mix);
    this.options = resolveLoadOptions(options);
    // Without a recorder clock (a bare `record`), times count from the load's construction.
    const t0 = performance.now();
    this.clock = history.now ? () => history.now!() : () => Math.round((performance.now() - t0) * 1000) / 1000;
    this.last = { sent: 0, inFlight: 0, scheduled: 0, issued: 0, lagP99Ms: 0, lagOver100Ms: 0, saturated: 0, seed: this.options.seed, via: this.options.via, worker: this.options.worker, byStream: {} };
  }

  /** Starts every arrival stream; stops by itself after `durationMs` (a safety bound) or on `stop()`. */
  start(durationMs: number): void {
    if (this.worker || this.engine) throw new Error('the load was already started');
    if (this.options.worker) this.startWorker(durationMs);
    else this.startInProcess(durationMs);
  }

  /** Takes up the arrivals due until now, waits for those in flight, and records them all. */
  stop(): Promise<void> {
    this.stopping ??= this.stopOnce();
    return this.stopping;
  }

  private async stopOnce(): Promise<void> {
    this.stopped = true;
    const worker = this.worker;
    if (worker) {
      worker.ref(true);
      worker.send({ type: 'stop' } satisfies ToWorker);
      await withTimeout(this.workerDone!, STOP_TIMEOUT_MS, 'load worker stop').catch((e: Error) => this.recordLoadError(e.message));
      await worker.terminate();
    }
    if (this.engine) {
      await this.engine.stop();
      this.last = this.engine.stats();
    }
  }

  stats(): LoadStats {
    return this.engine && !this.worker ? this.engine.stats() : this.last;
  }

  private startInProcess(durationMs: number): void {
    const record = (op: Op): void => { this.history.record(op); };
    this.engine = new LoadEngine(this.target, record, this.clock, this.mix, this.processBase, this.options, false);
    this.engine.start(durationMs);
  }

  private startWorker(durationMs: number): void {
    const t = this.target;
    const input: WorkerInput = {
      target: { ip: t.ip, port: t.port, servername: t.servername, ca: new Uint8Array(t.ca), token: t.token, namespace: t.namespace },
      mix: this.mix, processBase: this.processBase, options: this.options, durationMs, epochNs: toEpochNs(this.clock()),
    };
    const startedAt = this.clock();
    // A process of its own unless told otherwise (HAPROOF_LOAD_IN_THREAD=1: a worker thread, as the unit tests use).
    const worker = process.env['HAPROOF_LOAD_IN_THREAD'] === '1' ? startLoadThread(input) : startLoadProcess(input);
    // A forgotten stop() must not keep the process alive; stop() holds it while it waits.
    worker.ref(false);
    this.worker = worker;
    let started = false;
    this.workerDone = new Promise<void>((resolve) => {
      worker.onMessage((m: FromWorker) => {
        if (m.type === 'ops') for (const op of m.ops) this.history.record(op);
        else this.last = m.stats;
        if (m.type === 'started') started = true;
        if (m.type === 'done') resolve();
      });
      worker.onError((e: Error) => {
        this.recordLoadError(`load worker: ${e.message}`);
        // It never got going: run the load here instead (nothing was scheduled twice).
        if (!started && !this.stopped) {
          this.worker = undefined;
          this.startInProcess(Math.max(0, durationMs - (this.clock() - startedAt)));
        }
        resolve();
      });
      worker.onExit(() => resolve());
    });
  }

  /** An info op outside any client process (checkers pair only invokes with completions, so it counts as no request). */
  private recordLoadError(error: string): void {
    this.history.record({ type: 'info', process: `load-${this.processBase}`, f: 'load-error', value: { via: this.options.via, error }, time: this.clock() });
  }
}

/** Waits until the load's token is authorized on every backend (RBAC bindings reach each apiserver's cache a little later). */
export async function waitAuthorized(target: LoadTarget, backends: string[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const ip of backends) {
    for (;;) {
      const status = await new Promise<number | undefined>((resolve) => {
        const req = request({ host: ip, port: target.port, path: `/api/v1/namespaces/${target.namespace}/configmaps?limit=1`, servername: target.servername, ca: target.ca, agent: false, timeout: 2_000, headers: { authorization: `Bearer ${target.token}` } }, (res) => { res.resume(); resolve(res.statusCode); });
        req.on('timeout', () => req.destroy());
        req.on('error', () => resolve(undefined));
        req.end();
      });
      if (status === 200) break;
      if (Date.now() > deadline) throw new Error(`the load token is still not authorized on ${ip} after ${timeoutMs / 1000} s (last status ${status})`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
