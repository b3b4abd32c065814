// Runs the open-model load: takes up every scheduled arrival, plans it from the key pool, sends it and records its
// invoke and completion through `record`, stamped by `clock` (the history's clock) — in a worker thread or in-process.
import { Agent } from 'node:https';
import { createSecureContext, type SecureContext } from 'node:tls';
import type { Op } from '../../history/history.ts';
import { ArrivalSchedule, type Arrival } from './arrival-schedule.ts';
import { classify, errorOf } from './classify.ts';
import { KeyPool, type OpPlan, type Settled } from './key-pool.ts';
import { LagStats, type LagSummary } from './lag-stats.ts';
import { REQUEST_TIMEOUT_MS, type LoadMix, type LoadTarget, type ResolvedLoadOptions } from './load-config.ts';
import { toRequest } from './load-request.ts';
import type { LoadOpValue } from './load-value.ts';
import { toListSeen, toObjectSeen } from './response.ts';
import { sendRequest, type HttpResult } from './send-request.ts';

export type RecordOp = (op: Op) => void;

export interface LoadStats extends LagSummary {
  /** HTTP requests sent (arrivals issued plus the reads of updates whose resourceVersion was unknown; retries not counted). */
  sent: number;
  inFlight: number;
  /** Arrivals recorded as failed `client-saturated` (maxInFlight reached). */
  saturated: number;
  seed: number;
  via: string;
  /** Whether the load ran in a worker thread. */
  worker: boolean;
  /** The same figures per arrival stream (mix kind). */
  byStream: Record<string, LagSummary>;
}

const WRITES = new Set(['create', 'update', 'delete']);

export class LoadEngine {
  private readonly agent: Agent;
  private readonly secure: SecureContext;
  private readonly pool: KeyPool;
  private schedule: ArrivalSchedule | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopping: Promise<void> | undefined;
  private inFlight = 0;
  private sent = 0;
  private saturated = 0;
  private readonly total = new LagStats();
  private readonly byStream = new Map<string, LagStats>();
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly target: LoadTarget,
    private readonly record: RecordOp,
    private readonly clock: () => number,
    private readonly mix: LoadMix,
    private readonly processBase: number,
    private readonly options: ResolvedLoadOptions,
    private readonly inWorker = false,
  ) {
    this.secure = createSecureContext({ ca: target.ca });
    // As many connections as arrivals may be in flight (each has one request out at a time; its version read comes
    // before its write), so that the only cap is maxInFlight, recorded as client-saturated. A smaller per-host cap
    // (16 until session 11) queued requests inside the agent behind requests hanging on a cut-off etcd member, and
    // their 2 s ran out there, never sent: client-side timeouts recorded as the API's failures (64–67 requests were
    // in flight in isolate-agent's fault window). Free connections are taken in turn (fifo): dcos-net spreads
    // connections, and with Node's default (lifo) a few connections carried most requests, so the backends they
    // happened to reach decided the figure — 5 % or 59 % of requests on a backend holding a third of the connections,
    // run to run (unit test "take the free connections in turn"; a crash-agent run had 60–67 % of its reads on the
    // returned apiserver while it answered 403).
    this.agent = new Agent({ keepAlive: true, maxSockets: options.maxInFlight, servername: target.servername, scheduling: 'fifo' });
    this.pool = new KeyPool(options.hotKeys, `${options.via}-${processBase}-`);
  }

  /** Schedules arrivals from now for `durationMs` (a safety bound); `stop()` ends it earlier. */
  start(durationMs: number): void {
    if (this.schedule) throw new Error('the load was already started');
    const t0 = this.clock();
    this.schedule = new ArrivalSchedule(this.mix, this.processBase, this.options.seed, t0, t0 + durationMs);
    for (const s of this.schedule.streams) this.byStream.set(s.kind, new LagStats());
    // The plan, at the schedule's own t0: what the load-validity checker holds the delivered arrivals against.
    const ratePerSecond = Object.values(this.mix).reduce((a, b) => a + b, 0);
    this.record({ type: 'info', process: 'load', f: 'plan', value: { ratePerSecond, mix: this.mix, via: this.options.via, processBase: this.processBase, seed: this.options.seed, scheduling: process.env['HAPROOF_LOAD_SCHEDULING'] ?? 'in-process' }, time: t0 });
    this.tick();
  }

  /** Takes up the arrivals due until now (none is skipped, however late), then stops and waits for those in flight. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      if (this.timer) clearTimeout(this.timer);
      this.timer = undefined;
      if (this.schedule) for (const a of this.schedule.due(this.clock())) this.dispatch(a);
      this.schedule = undefined;
      while (this.pending.size) await Promise.allSettled([...this.pending]);
      this.agent.destroy();
    })();
    return this.stopping;
  }

  stats(): LoadStats {
    const byStream = Object.fromEntries([...this.byStream].map(([kind, lag]) => [kind, lag.summary()]));
    return { sent: this.sent, inFlight: this.inFlight, ...this.total.summary(), saturated: this.saturated, seed: this.options.seed, via: this.options.via, worker: this.inWorker, byStream };
  }

  private readonly tick = (): void => {
    this.timer = undefined;
    const schedule = this.schedule;
    if (!schedule || this.stopping) return;
    for (const a of schedule.due(this.clock())) this.dispatch(a);
    const next = schedule.nextAt();
    if (next !== undefined) this.timer = setTimeout(this.tick, Math.max(0, next - this.clock()));
  };

  private dispatch(a: Arrival): void {
    const takenUp = this.clock();
    const plan = this.pool.plan(a.kind, a.id, a.stream.random);
    const saturated = this.inFlight >= this.options.maxInFlight;
    this.total.add(takenUp - a.scheduled, !saturated);
    this.byStream.get(a.kind)?.add(takenUp - a.scheduled, !saturated);
    if (saturated) {
      // The generator, not the server, refused: recorded as a definite failure, so overload is never hidden.
      this.saturated++;
      this.record({ type: 'invoke', process: a.id, f: plan.f, value: this.invokeValue(plan, a.scheduled), time: takenUp });
      this.record({ type: 'fail', process: a.id, f: plan.f, value: this.sentValue(plan), error: 'client-saturated', time: takenUp });
      this.pool.settle(plan, { type: 'fail' });
      return;
    }
    this.inFlight++;
    const p = this.run(a, plan).finally(() => {
      this.inFlight--;
      this.pending.delete(p);
    });
    this.pending.add(p);
  }

  private async run(a: Arrival, plan: OpPlan): Promise<void> {
    let p = plan;
    if (p.needsRv) {
      // The key's version is unknown (an unknown-outcome or conflicting write): read it, recorded as its own get.
      const read = await this.execute(this.pool.readPlan(p), `${a.id}-rv`);
      p = this.pool.afterRead(p, read);
    }
    await this.execute(p, a.id, a.scheduled);
  }

  /** Sends one request; records its invoke and completion; tells the pool what came of it. */
  private async execute(plan: OpPlan, process: string, scheduled?: number): Promise<Settled> {
    const req = toRequest(plan, this.target.namespace);
    this.record({ type: 'invoke', process, f: plan.f, value: this.invokeValue(plan, scheduled), time: this.clock() });
    this.sent++;
    let r: HttpResult = await sendRequest(this.target, plan.conn === 'new' ? false : this.agent, req, REQUEST_TIMEOUT_MS, this.secure);
    // Like Go's net/http (and so k6): a GET that failed on a kept-alive connection the server had just closed, before
    // any response, is retried once on a new connection. Writes are never retried; their outcome stays unknown.
    // Like client-go: a 429 with Retry-After (an apiserver in its graceful shutdown did not process the request) is
    // retried after the wait it asks for (at most 5 s), on a new connection — writes too, since nothing happened.
    const tooBusy = r.status === 429 && r.retryAfter !== undefined;
    const retried = (req.method === 'GET' && r.reusedSocketClosed === true) || tooBusy;
    if (tooBusy) await new Promise((done) => setTimeout(done, Math.min(5, Math.max(0, r.retryAfter!)) * 1000));
    if (retried) r = await sendRequest(this.target, false, req, REQUEST_TIMEOUT_MS, this.secure);
    const type = classify(WRITES.has(plan.f), r);
    const seen = type === 'ok' ? this.seen(plan, r.body) : {};
    const value: LoadOpValue = {
      ...this.sentValue(plan, r.status, retried),
      ...seen,
    };
    this.record({ type, process, f: plan.f, value, ...(type === 'ok' ? {} : { error: errorOf(r) }), time: this.clock() });
    const settled: Settled = { type, ...(r.status !== undefined ? { status: r.status } : {}), ...(seen.rv !== undefined ? { rv: seen.rv } : {}), ...(seen.items ? { items: seen.items } : {}) };
    this.pool.settle(plan, settled);
    return settled;
  }

  private invokeValue(plan: OpPlan, scheduled: number | undefined): LoadOpValue {
    return {
      ...(plan.name !== undefined ? { name: plan.name } : {}),
      conn: plan.conn,
      ...(scheduled !== undefined ? { scheduled } : {}),
      via: this.options.via,
      ...(plan.sentRv !== undefined ? { sentRv: plan.sentRv } : {}),
      ...((plan.f === 'create' || plan.f === 'update') && plan.data !== undefined ? { data: plan.data } : {}),
    };
  }

  /** The completion's value before what was seen: what was sent, the status, whether it was retried. */
  private sentValue(plan: OpPlan, status?: number, retried?: boolean): LoadOpValue {
    return {
      ...(plan.name !== undefined ? { name: plan.name } : {}),
      conn: plan.conn,
      ...(status !== undefined ? { status } : {}),
      ...(retried ? { retried: true } : {}),
      via: this.options.via,
      ...(plan.sentRv !== undefined ? { sentRv: plan.sentRv } : {}),
    };
  }

  /** What an ok answer showed: the version written or read, the value read, a list's items and version. */
  private seen(plan: OpPlan, body: string | undefined): Pick<LoadOpValue, 'rv' | 'data' | 'items' | 'listRv'> {
    if (plan.f === 'list') return toListSeen(body) ?? {};
    if (plan.f !== 'get' && plan.f !== 'create' && plan.f !== 'update') return {};
    const o = toObjectSeen(body);
    return { ...(o.rv !== undefined ? { rv: o.rv } : {}), ...(plan.f === 'get' && o.data !== undefined ? { data: o.data } : {}) };
  }
}
