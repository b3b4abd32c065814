// Open-model load through the VIP (arrival rate, not closed loops: an outage shows as errors, not as less load).
// Each request is recorded in the history with start time, duration and outcome. Bounded by rate, duration and count.
import { Agent, request } from 'node:https';
import type { ClientValue, HistoryRecorder } from '../../history/history.ts';
import { classify } from './classify.ts';

export interface LoadTarget {
  ip: string;
  port: number;
  servername: string;
  ca: Buffer;
  token: string;
  namespace: string;
}

/** Requests per second for each kind of request; `readyzNew` uses a fresh connection per request. */
export interface LoadMix {
  readyz: number;
  readyzNew: number;
  get: number;
  list: number;
  create: number;
  update: number;
  delete: number;
}

export const DEFAULT_MIX: LoadMix = { readyz: 10, readyzNew: 5, get: 5, list: 5, create: 10, update: 5, delete: 2 };
export const REQUEST_TIMEOUT_MS = 2_000;
const MAX_IN_FLIGHT = 256;
const MAX_REQUESTS = 100_000;

interface Live {
  name: string;
  resourceVersion: string;
}

export class OpenModelLoad {
  private readonly reused: Agent;
  private stopped = false;
  private seq = 0;
  private inFlight = 0;
  private sent = 0;
  private readonly live: Live[] = [];
  private readonly pending = new Set<Promise<void>>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly target: LoadTarget, private readonly history: Pick<HistoryRecorder, 'record'>, private readonly mix: LoadMix = DEFAULT_MIX, private readonly processBase = 0) {
    this.reused = new Agent({ keepAlive: true, maxSockets: 16, ca: target.ca, servername: target.servername });
  }

  /** Starts every arrival stream; stops by itself after `durationMs` (a safety bound) or on `stop()`. */
  start(durationMs: number): void {
    const deadline = Date.now() + durationMs;
    let stream = 0;
    for (const [kind, rate] of Object.entries(this.mix) as Array<[keyof LoadMix, number]>) {
      if (rate <= 0) continue;
      const process = this.processBase + stream++;
      const interval = 1000 / rate;
      const t0 = performance.now();
      let n = 0;
      const tick = (): void => {
        if (this.stopped || Date.now() > deadline || this.sent >= MAX_REQUESTS) return;
        // Arrivals follow the schedule t0 + n·interval, whatever the responses do.
        while (t0 + n * interval <= performance.now()) {
          n++;
          this.fire(kind, `${process}-${n}`);
        }
        const timer = setTimeout(() => { this.timers.delete(timer); tick(); }, Math.max(1, t0 + n * interval - performance.now()));
        this.timers.add(timer);
      };
      tick();
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await Promise.allSettled([...this.pending]);
    this.reused.destroy();
  }

  stats(): { sent: number; inFlight: number } {
    return { sent: this.sent, inFlight: this.inFlight };
  }

  private fire(kind: keyof LoadMix, process: string): void {
    this.sent++;
    const p = this.one(kind, process).finally(() => this.pending.delete(p));
    this.pending.add(p);
  }

  private async one(kind: keyof LoadMix, process: string): Promise<void> {
    const ns = this.target.namespace;
    const base = `/api/v1/namespaces/${ns}/configmaps`;
    let f: string;
    let method = 'GET';
    let path: string;
    let body: unknown;
    let conn: ClientValue['conn'] = 'reused';
    let name: string | undefined;
    const pick = this.live.length ? this.live[Math.floor(Math.random() * this.live.length)] : undefined;
    switch (kind) {
      case 'readyz': f = 'readyz'; path = '/readyz'; break;
      case 'readyzNew': f = 'readyz'; path = '/readyz'; conn = 'new'; break;
      case 'list': f = 'list'; path = `${base}?limit=50`; break;
      case 'get':
        if (!pick) return;
        f = 'get'; name = pick.name; path = `${base}/${name}`;
        break;
      case 'create':
        f = 'create'; method = 'POST'; path = base; name = `load-${process}-${++this.seq}`;
        body = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { v: '0' } };
        break;
      case 'update':
        if (!pick) return;
        f = 'update'; method = 'PUT'; name = pick.name; path = `${base}/${name}`;
        // Out of the pool while in flight, so no two updates race on one resourceVersion (a 409 is no outage).
        this.live.splice(this.live.indexOf(pick), 1);
        body = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, resourceVersion: pick.resourceVersion }, data: { v: String(Date.now()) } };
        break;
      case 'delete':
        if (!pick) return;
        f = 'delete'; method = 'DELETE'; name = pick.name; path = `${base}/${name}`;
        this.live.splice(this.live.indexOf(pick), 1);
        break;
    }
    const isWrite = method !== 'GET';
    if (this.inFlight >= MAX_IN_FLIGHT) {
      // The generator, not the server, refused: recorded as a definite failure, so overload is never hidden.
      this.history.record({ type: 'invoke', process, f, value: { name, conn } });
      this.history.record({ type: 'fail', process, f, value: { name, conn }, error: 'client-overload' });
      return;
    }
    this.inFlight++;
    this.history.record({ type: 'invoke', process, f, value: { name, conn } });
    let r = await this.send(method, path, body, conn);
    // Like Go's net/http (and so k6): a GET that failed on a kept-alive connection the server had just closed, before
    // any response, is retried once on a new connection. Writes are never retried; their outcome stays unknown.
    const retried = method === 'GET' && r.reusedSocketClosed === true;
    if (retried) r = await this.send(method, path, body, 'new');
    this.inFlight--;
    const type = classify(isWrite, r);
    const value: ClientValue = { name, conn, status: r.status, ...(retried ? { retried: true } : {}) };
    this.history.record({ type, process, f, value, ...(type === 'ok' ? {} : { error: r.errorCode ?? `http ${r.status}` }) });
    if (type === 'ok' && (f === 'create' || f === 'update') && name && r.resourceVersion) this.live.push({ name, resourceVersion: r.resourceVersion });
    // A definitely failed update left the object as it was; after an unknown one its version is unknown: drop it.
    else if (type === 'fail' && f === 'update' && pick) this.live.push(pick);
  }

  private send(method: string, path: string, body: unknown, conn: ClientValue['conn']): Promise<{ status?: number; errorCode?: string; resourceVersion?: string; reusedSocketClosed?: boolean }> {
    const t = this.target;
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve) => {
      const req = request({
        host: t.ip, port: t.port, path, method, servername: t.servername, ca: t.ca,
        agent: conn === 'new' ? false : this.reused, timeout: REQUEST_TIMEOUT_MS,
        headers: { authorization: `Bearer ${t.token}`, accept: 'application/json', ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}) },
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          let resourceVersion: string | undefined;
          if (res.statusCode && res.statusCode < 300 && method !== 'GET' && method !== 'DELETE') {
            try { resourceVersion = (JSON.parse(Buffer.concat(chunks).toString()) as { metadata?: { resourceVersion?: string } }).metadata?.resourceVersion; } catch { /* not JSON */ }
          }
          resolve({ status: res.statusCode, resourceVersion });
        });
        res.on('error', (e: NodeJS.ErrnoException) => resolve({ errorCode: e.code ?? 'ERESPONSE' }));
      });
      const timer = setTimeout(() => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })), REQUEST_TIMEOUT_MS);
      req.on('close', () => clearTimeout(timer));
      let responded = false;
      req.on('response', () => { responded = true; });
      req.on('error', (e: NodeJS.ErrnoException) => resolve({
        errorCode: e.code ?? 'EREQUEST',
        reusedSocketClosed: !responded && req.reusedSocket && (e.code === 'ECONNRESET' || e.code === 'EPIPE' || e.code === 'ECONNABORTED'),
      }));
      req.end(payload);
    });
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
