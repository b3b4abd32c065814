// The open-model load and the watch client against a tiny in-memory ConfigMap API served on 127.0.0.1 (a self-signed
// certificate made here with openssl): what they record, in-process and from the worker thread, through a write outage,
// saturation, disconnects and 410 Gone. No cluster.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { HistoryRecorder, readHistory, type Op } from '../../history/history.ts';
import { OpenModelLoad, type LoadMix, type LoadTarget } from '../../chaos/load/open-model.ts';
import type { LoadOpValue } from '../../chaos/load/load-value.ts';
import { WatchClient } from '../../chaos/load/watch-client.ts';

const dir = mkdtempSync(join(tmpdir(), 'haproof-load-'));
const SERVERNAME = 'apiserver.test';
const NS = 'ns-1';
const keyFile = join(dir, 'server.key');
const certFile = join(dir, 'server.crt');
execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile, '-out', certFile,
  '-days', '1', '-subj', `/CN=${SERVERNAME}`, '-addext', `subjectAltName=DNS:${SERVERNAME}`], { stdio: 'pipe' });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ZERO_MIX: LoadMix = { readyz: 0, readyzNew: 0, get: 0, list: 0, create: 0, update: 0, delete: 0 };

interface Stored { name: string; rv: number; v: string }
interface Watcher { res: ServerResponse; from: number }

/** An in-memory ConfigMap API: one namespace, etcd-like integer resourceVersions, CAS, DeleteOptions, watch + bookmarks. */
class FakeApi {
  readonly objects = new Map<string, Stored>();
  /** Every version ever written: rv → (name, value, deleted). */
  readonly versions = new Map<number, { name: string; v?: string; deleted?: boolean }>();
  rv = 100;
  compactedRv = 0;
  /** Writes answer 503 after doing nothing / hang until the client gives up. */
  writes: 'ok' | '503' | 'hang' = 'ok';
  delayMs = 0;
  readonly watchers = new Set<Watcher>();
  readonly requests: Array<{ method: string; url: string; connection: number }> = [];
  /** Requests open at the server now, and at most so far. */
  open = 0;
  peakOpen = 0;
  /**
   * Per connection (numbered as they are accepted): answer every LIST at once with 403 (a backend whose authorizer has
   * not caught up), or after this many ms with the list. Absent: as usual.
   */
  perConnection: ((n: number) => 'fast-403' | number) | undefined;
  private readonly connectionNumbers = new WeakMap<Socket, number>();
  accepted = 0;
  private readonly sockets = new Set<Socket>();
  private server!: Server;
  port = 0;

  async start(): Promise<void> {
    this.server = createServer({ key: readFileSync(keyFile), cert: readFileSync(certFile) }, (req, res) => void this.handle(req, res));
    this.server.on('secureConnection', (s: Socket) => { this.connectionNumbers.set(s, this.accepted++); this.sockets.add(s); s.on('close', () => this.sockets.delete(s)); });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as AddressInfo).port;
  }

  target(via?: string): LoadTarget & { via: string } {
    return { ip: '127.0.0.1', port: this.port, servername: SERVERNAME, ca: readFileSync(certFile), token: 'token-1', namespace: NS, via: via ?? 'vip' };
  }

  /** Cuts every open connection (a watch sees a disconnect). */
  dropConnections(): void {
    for (const s of this.sockets) s.destroy();
  }

  /** Forgets history up to now: a watch from an older version gets 410 Gone. */
  compact(): void {
    this.compactedRv = this.rv;
  }

  /** A write made on the server's side (not through the client). */
  touch(name: string): void {
    const o = { name, rv: ++this.rv, v: `touched-${this.rv}` };
    const type = this.objects.has(name) ? 'MODIFIED' : 'ADDED';
    this.objects.set(name, o);
    this.write(type, o);
  }

  bookmark(): void {
    for (const w of this.watchers) w.res.write(JSON.stringify({ type: 'BOOKMARK', object: { kind: 'ConfigMap', apiVersion: 'v1', metadata: { resourceVersion: String(this.rv) } } }) + '\n');
  }

  async stop(): Promise<void> {
    for (const w of this.watchers) w.res.end();
    this.dropConnections();
    await new Promise((r) => this.server.close(r));
  }

  private json(o: Stored) {
    return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: o.name, namespace: NS, resourceVersion: String(o.rv) }, data: { v: o.v } };
  }

  private send(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  private status(res: ServerResponse, code: number, reason: string): void {
    this.send(res, code, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason, code });
  }

  private write(type: 'ADDED' | 'MODIFIED' | 'DELETED', o: Stored): void {
    this.versions.set(o.rv, { name: o.name, ...(type === 'DELETED' ? { deleted: true } : { v: o.v }) });
    for (const w of this.watchers) w.res.write(JSON.stringify({ type, object: this.json(o) }) + '\n');
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.peakOpen = Math.max(this.peakOpen, ++this.open);
    res.on('close', () => { this.open--; });
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString()) as { metadata?: { name?: string; resourceVersion?: string }; data?: { v?: string }; preconditions?: { resourceVersion?: string } } : undefined;
    const url = new URL(req.url ?? '/', 'https://x');
    const method = req.method ?? 'GET';
    this.requests.push({ method, url: req.url ?? '', connection: this.connectionNumbers.get(req.socket as Socket) ?? -1 });
    if (req.headers.authorization !== 'Bearer token-1') return this.status(res, 401, 'Unauthorized');
    if (url.pathname === '/readyz') { res.end('ok'); return; }
    const base = `/api/v1/namespaces/${NS}/configmaps`;
    const name = url.pathname.startsWith(`${base}/`) ? url.pathname.slice(base.length + 1) : undefined;
    if (url.pathname !== base && name === undefined) return this.status(res, 404, 'NotFound');
    if (method === 'GET' && url.searchParams.get('watch') === '1') return this.watch(res, Number(url.searchParams.get('resourceVersion')));
    if (this.delayMs) await sleep(this.delayMs);
    const behaviour = this.perConnection?.(this.connectionNumbers.get(req.socket as Socket) ?? -1);
    if (behaviour === 'fast-403') return this.status(res, 403, 'Forbidden');
    if (typeof behaviour === 'number') await sleep(behaviour);
    if (method !== 'GET') {
      if (this.writes === '503') return this.status(res, 503, 'ServiceUnavailable');
      if (this.writes === 'hang') { await sleep(5_000); res.destroy(); return; }
    }
    const current = name === undefined ? undefined : this.objects.get(name);
    if (method === 'GET' && name === undefined) {
      const items = [...this.objects.values()].sort((a, b) => a.name.localeCompare(b.name)).slice(0, Number(url.searchParams.get('limit') ?? 500));
      return this.send(res, 200, { kind: 'ConfigMapList', apiVersion: 'v1', metadata: { resourceVersion: String(this.rv) }, items: items.map((o) => this.json(o)) });
    }
    if (method === 'GET') return current ? this.send(res, 200, this.json(current)) : this.status(res, 404, 'NotFound');
    if (method === 'POST') {
      const n = body?.metadata?.name ?? '';
      if (this.objects.has(n)) return this.status(res, 409, 'AlreadyExists');
      const o = { name: n, rv: ++this.rv, v: body?.data?.v ?? '' };
      this.objects.set(n, o);
      this.write('ADDED', o);
      return this.send(res, 201, this.json(o));
    }
    if (!current) return this.status(res, 404, 'NotFound');
    if (method === 'PUT') {
      const sent = body?.metadata?.resourceVersion;
      if (sent !== undefined && sent !== String(current.rv)) return this.status(res, 409, 'Conflict');
      const o = { ...current, rv: ++this.rv, v: body?.data?.v ?? '' };
      this.objects.set(o.name, o);
      this.write('MODIFIED', o);
      return this.send(res, 200, this.json(o));
    }
    if (method === 'DELETE') {
      const pre = body?.preconditions?.resourceVersion;
      if (pre !== undefined && pre !== String(current.rv)) return this.status(res, 409, 'Conflict');
      this.objects.delete(current.name);
      const o = { ...current, rv: ++this.rv };
      this.write('DELETED', o);
      return this.send(res, 200, { kind: 'Status', status: 'Success' });
    }
    return this.status(res, 405, 'MethodNotAllowed');
  }

  private watch(res: ServerResponse, from: number): void {
    if (from < this.compactedRv) {
      // As the apiserver's watch cache answers a too old version: 200, then an ERROR event with a 410 Status.
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ type: 'ERROR', object: { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Expired', code: 410, message: 'too old resource version' } }) + '\n');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    const w = { res, from };
    for (const [rv, x] of [...this.versions].sort(([a], [b]) => a - b)) {
      if (rv > from) res.write(JSON.stringify({ type: x.deleted ? 'DELETED' : 'MODIFIED', object: this.json({ name: x.name, rv, v: x.v ?? '' }) }) + '\n');
    }
    this.watchers.add(w);
    res.on('close', () => this.watchers.delete(w));
  }
}

function newHistory(name: string): { h: HistoryRecorder; read: () => Op[] } {
  const file = join(dir, `${name}.jsonl`);
  writeFileSync(file, '');
  const h = new HistoryRecorder(file);
  return { h, read: () => { h.flush(); return readHistory(file); } };
}

const val = (op: Op): LoadOpValue => op.value as LoadOpValue;

/** Until the load has taken up its first arrivals (a worker needs some hundred ms to start: TypeScript through tsx). */
async function started(load: OpenModelLoad): Promise<void> {
  for (let i = 0; i < 200 && load.stats().scheduled === 0; i++) await sleep(25);
  expect(load.stats().scheduled, 'arrivals taken up within 5 s').toBeGreaterThan(0);
}

/** Per process: the invoke and the completion; fails when a process has anything but exactly one of each, in order. */
function pairs(ops: Op[]): Array<{ invoke: Op; done: Op }> {
  const byProcess = new Map<string, Op[]>();
  for (const op of ops.filter((o) => typeof o.process === 'string' && /^\d+-\d+(-rv)?$/.test(o.process))) byProcess.set(String(op.process), [...(byProcess.get(String(op.process)) ?? []), op]);
  return [...byProcess].map(([process, list]) => {
    expect(list.map((o) => o.type === 'invoke'), `ops of process ${process}`).toEqual([true, false]);
    return { invoke: list[0]!, done: list[1]! };
  });
}

/** Every ok read and every ok write agrees with what the server stored at that version. */
function expectSeenAsStored(api: FakeApi, ops: Op[]): void {
  for (const op of ops.filter((o) => o.type === 'ok')) {
    const v = val(op);
    if (op.f === 'get' || op.f === 'create' || op.f === 'update') {
      const stored = api.versions.get(Number(v.rv));
      expect(stored?.name, `${op.f} ${v.name} at rv ${v.rv}`).toBe(v.name);
      if (op.f === 'get') expect(v.data).toBe(stored?.v);
    }
    if (op.f === 'list') {
      expect(v.listRv).toMatch(/^\d+$/);
      for (const item of v.items ?? []) expect(api.versions.get(Number(item.rv))).toEqual({ name: item.name, v: item.data });
    }
  }
}

test.describe('open-model load', () => {
  let api: FakeApi;
  test.beforeEach(async () => { api = new FakeApi(); await api.start(); });
  test.afterEach(async () => { await api.stop(); });

  for (const worker of [false, true]) {
    test(`${worker ? 'worker thread' : 'in-process'}: every scheduled arrival is one invoke and one completion, with what was sent and seen`, async () => {
      const { h, read } = newHistory(`all-${worker}`);
      const mix: LoadMix = { readyz: 20, readyzNew: 5, get: 20, list: 5, create: 20, update: 20, delete: 10 };
      const load = new OpenModelLoad(api.target(), h, mix, 0, { worker, hotKeys: 5, seed: 7 });
      const before = h.now();
      load.start(30_000);
      await started(load);
      await sleep(1_200);
      await load.stop();
      const after = h.now();
      const ops = read();
      const stats = load.stats();
      const arrivals = pairs(ops).filter((p) => val(p.invoke).scheduled !== undefined);
      expect(stats.worker).toBe(worker);
      expect(arrivals.length).toBe(stats.scheduled);
      expect(stats.scheduled).toBe(stats.issued);
      expect(stats.scheduled).toBeGreaterThan(100);
      expect(Object.values(stats.byStream).reduce((n, s) => n + s.scheduled, 0)).toBe(stats.scheduled);
      for (const { invoke, done } of arrivals) {
        const v = val(invoke);
        expect(v.via).toBe('vip');
        expect(invoke.time).toBeGreaterThanOrEqual(v.scheduled!);
        expect(v.scheduled!).toBeGreaterThanOrEqual(before);
        expect(done.time).toBeGreaterThanOrEqual(invoke.time);
        expect(done.time).toBeLessThanOrEqual(after);
        expect(done.f).toBe(invoke.f);
      }
      // The first creates make the hot keys, then unique keys; gets and updates go to hot keys, deletes to unique ones.
      const creates = arrivals.filter((p) => p.invoke.f === 'create').map((p) => val(p.invoke).name);
      expect(creates.slice(0, 5).sort()).toEqual(['hot-0', 'hot-1', 'hot-2', 'hot-3', 'hot-4']);
      expect(creates.slice(5).every((n) => /^load-\d+-\d+$/.test(n ?? ''))).toBe(true);
      for (const { invoke, done } of arrivals) {
        const v = val(invoke);
        if (invoke.f === 'get' || invoke.f === 'update') expect(v.name).toMatch(/^hot-[0-4]$/);
        if (invoke.f === 'delete') expect(v.name).toMatch(/^load-/);
        if (invoke.f === 'create' || invoke.f === 'update') expect(v.data).toMatch(/^vip-0-\d+$/);
        if (invoke.f === 'update' && done.type === 'ok') expect(v.sentRv).toMatch(/^\d+$/);
        if (done.type === 'ok' && (invoke.f === 'create' || invoke.f === 'update')) expect(val(done).rv).toMatch(/^\d+$/);
        if (done.type === 'ok') expect(val(done).status).toBeLessThan(300);
      }
      const ok = (f: string) => arrivals.filter((p) => p.invoke.f === f && p.done.type === 'ok').length;
      for (const f of ['readyz', 'get', 'list', 'create', 'update', 'delete']) expect(ok(f), f).toBeGreaterThan(0);
      const values = arrivals.filter((p) => p.invoke.f === 'create' || p.invoke.f === 'update').map((p) => val(p.invoke).data);
      expect(new Set(values).size).toBe(values.length);
      expectSeenAsStored(api, ops);
      // Consistent reads: no resourceVersion on gets and lists; lists ask for 500.
      expect(api.requests.filter((r) => r.method === 'GET' && r.url.includes('resourceVersion'))).toEqual([]);
      expect(api.requests.some((r) => r.url.endsWith('/configmaps?limit=500'))).toBe(true);
      h.close();
    });
  }

  test('a stalled main event loop delays the in-process load, not the worker thread', async () => {
    const lateness: Record<string, number> = {};
    for (const worker of [true, false]) {
      const { h, read } = newHistory(`stall-${worker}`);
      const load = new OpenModelLoad(api.target(), h, { ...ZERO_MIX, readyz: 50 }, 0, { worker });
      load.start(30_000);
      // Let the worker start, then block the main thread (the runner's event loop) for 600 ms.
      await started(load);
      await sleep(300);
      const until = Date.now() + 600;
      while (Date.now() < until) { /* busy */ }
      await sleep(300);
      await load.stop();
      const stats = load.stats();
      const invokes = read().filter((o) => o.type === 'invoke');
      expect(invokes.length).toBe(stats.scheduled);
      lateness[String(worker)] = stats.lagOver100Ms;
      // The lag counted is what the history shows (issue time minus scheduled time; issued a few µs after taken up).
      const late = invokes.filter((o) => o.time - val(o).scheduled! > 100).length;
      expect(late).toBeGreaterThanOrEqual(stats.lagOver100Ms);
      expect(late).toBeLessThanOrEqual(stats.lagOver100Ms + 1);
      h.close();
    }
    // 30 arrivals were due during the stall; the worker may still be late now and then on a busy machine.
    expect(lateness['false']).toBeGreaterThan(20);
    expect(lateness['true']).toBeLessThan(5);
  });

  test('a write outage sheds no load: writes are unknown, no key leaves the pool, the next update reads the key first', async () => {
    const { h, read } = newHistory('outage');
    const mix: LoadMix = { ...ZERO_MIX, get: 20, create: 20, update: 20, delete: 10 };
    const load = new OpenModelLoad(api.target(), h, mix, 0, { worker: false, hotKeys: 3, seed: 3 });
    load.start(30_000);
    await sleep(700);
    api.writes = '503';
    const outageFrom = h.now();
    await sleep(1_000);
    api.writes = 'ok';
    await sleep(500);
    await load.stop();
    const ops = read();
    const stats = load.stats();
    const arrivals = pairs(ops).filter((p) => val(p.invoke).scheduled !== undefined);
    expect(arrivals.length).toBe(stats.scheduled);
    // 70 per second for 2.2 s: nothing returned early.
    expect(stats.scheduled).toBeGreaterThan(140);
    for (const stream of ['get', 'create', 'update', 'delete']) {
      const s = stats.byStream[stream]!;
      expect(s.scheduled, stream).toBe(arrivals.filter((p) => p.invoke.process.toString().startsWith(`${['get', 'create', 'update', 'delete'].indexOf(stream)}-`)).length);
    }
    const during = arrivals.filter((p) => p.invoke.time > outageFrom + 50 && p.invoke.time < outageFrom + 950);
    expect(during.filter((p) => p.invoke.f === 'update').length).toBeGreaterThan(10);
    expect(during.filter((p) => p.invoke.f === 'update').every((p) => p.done.type === 'info' && val(p.done).status === 503)).toBe(true);
    expect(during.filter((p) => p.invoke.f === 'get').every((p) => p.done.type === 'ok')).toBe(true);
    // After an unknown update the key's version is unknown: a read (its own get op) comes first, its rv is sent.
    const preReads = ops.filter((o) => o.type === 'invoke' && String(o.process).endsWith('-rv'));
    expect(preReads.length).toBeGreaterThan(0);
    expect(preReads.every((o) => o.f === 'get' && val(o).scheduled === undefined && /^hot-/.test(val(o).name ?? ''))).toBe(true);
    const after = arrivals.filter((p) => p.invoke.f === 'update' && p.invoke.time > outageFrom + 1_100);
    expect(after.length).toBeGreaterThan(3);
    expect(after.every((p) => p.invoke.f === 'update' && val(p.invoke).sentRv !== undefined)).toBe(true);
    expect(after.filter((p) => p.done.type === 'ok').length).toBeGreaterThan(0);
    h.close();
  });

  test('concurrent CAS updates on one key: one wins, the other fails definitely with 409', async () => {
    api.delayMs = 150;
    const { h, read } = newHistory('cas');
    const load = new OpenModelLoad(api.target(), h, { ...ZERO_MIX, update: 40 }, 0, { worker: false, hotKeys: 1 });
    load.start(30_000);
    await sleep(1_200);
    await load.stop();
    const done = pairs(read()).filter((p) => p.invoke.f === 'update').map((p) => p.done);
    expect(done.some((d) => d.type === 'ok')).toBe(true);
    const conflicts = done.filter((d) => d.type === 'fail');
    expect(conflicts.length).toBeGreaterThan(0);
    expect(conflicts.every((d) => val(d).status === 409 && d.error === 'http 409' && val(d).sentRv !== undefined)).toBe(true);
    h.close();
  });

  test('at maxInFlight an arrival is still recorded: invoke, then fail client-saturated at once', async () => {
    api.delayMs = 300;
    const { h, read } = newHistory('saturated');
    const load = new OpenModelLoad(api.target(), h, { ...ZERO_MIX, list: 50 }, 10, { worker: false, maxInFlight: 2 });
    load.start(30_000);
    await sleep(600);
    await load.stop();
    const stats = load.stats();
    const arrivals = pairs(read());
    expect(arrivals.length).toBe(stats.scheduled);
    expect(stats.saturated).toBeGreaterThan(10);
    expect(stats.issued + stats.saturated).toBe(stats.scheduled);
    const saturated = arrivals.filter((p) => p.done.error === 'client-saturated');
    expect(saturated.length).toBe(stats.saturated);
    expect(saturated.every((p) => p.done.type === 'fail' && p.done.time === p.invoke.time && p.invoke.process.toString().startsWith('10-'))).toBe(true);
    h.close();
  });

  test('requests hanging on the server hold up no other arrival: below maxInFlight each is sent at once, on its own connection', async () => {
    // A cut-off etcd member makes a share of requests hang for the client's whole 2 s. With a per-host connection cap
    // below maxInFlight (16 until session 11), the arrivals behind them waited inside the client for a connection
    // and timed out there, never sent: the API's failures by the history, the client's by the cause.
    api.writes = 'hang';
    api.peakOpen = api.open;
    const { h, read } = newHistory('hanging');
    const load = new OpenModelLoad(api.target(), h, { ...ZERO_MIX, create: 40, list: 20 }, 11, { worker: false });
    load.start(30_000);
    // 1 s of arrivals: the last create is sent ≈ 1 s before the first one's 2 s run out, so all are open at once.
    await sleep(1_000);
    await load.stop();
    api.writes = 'ok';
    const arrivals = pairs(read());
    const creates = arrivals.filter((p) => p.invoke.f === 'create');
    const lists = arrivals.filter((p) => p.invoke.f === 'list');
    // ≈ 40 creates, each hanging at the server (5 s there; the client gives up after 2 s): the server had them all
    // open at once. With the 16-connection cap it had 16, the rest waiting in the client (lists ≈ 1.6 s behind them).
    expect(creates.length).toBeGreaterThan(30);
    expect(creates.every((p) => p.done.type === 'info' && p.done.error === 'ETIMEDOUT')).toBe(true);
    expect(api.peakOpen).toBeGreaterThanOrEqual(creates.length);
    expect(lists.length).toBeGreaterThan(12);
    expect(lists.filter((p) => p.done.type !== 'ok').map((p) => p.done.error)).toEqual([]);
    h.close();
  });

  test('kept-alive requests take the free connections in turn: a backend gets the share of requests it has of connections', async () => {
    // dcos-net spreads connections, not requests; which connection a request takes is the client's choice. Node's
    // default (lifo) takes the one freed last, so a few connections carry most requests and which backends they
    // reach decides the figure: a backend answering 403 at once (a returned apiserver whose authorizer has not caught
    // up) drew 60–67 % of the reads in a crash-agent run while it held about a third of the connections
    // (crash-agent-recovery-reads-46.5-403s.jsonl). Taking the connection freed first (fifo) gives each its turn.
    // First every answer takes 500 ms, so 30 lists/s open ≈ 15 connections; then a third of them answer 403 at once
    // and the rest after 60 ms.
    api.perConnection = () => 500;
    const { h, read } = newHistory('spread');
    const load = new OpenModelLoad(api.target(), h, { ...ZERO_MIX, list: 30 }, 12, { worker: false });
    load.start(30_000);
    await sleep(1_200);
    const switchedAt = api.requests.length;
    api.perConnection = (n) => (n % 3 === 0 ? 'fast-403' : 60);
    await sleep(2_500);
    await load.stop();
    api.perConnection = undefined;
    // What the server saw after the switch: requests per connection. Taken in turn, each connection that was used gets
    // about as many requests as the others, so the fast-failing ones get the share they have of the connections used
    // (lifo gave 5 % in one run and 59 % in the next for a share of a third). Judged on counts, not on time.
    const after = api.requests.slice(switchedAt).filter((r) => r.url.includes('/configmaps'));
    const used = new Set(after.map((r) => r.connection));
    const connectionShare = [...used].filter((n) => n % 3 === 0).length / used.size;
    const requestShare = after.filter((r) => r.connection % 3 === 0).length / after.length;
    const perConn = [...used].map((n) => after.filter((r) => r.connection === n).length).sort((a, b) => a - b);
    expect(after.length).toBeGreaterThan(50);
    // Every connection gets its turn (lifo left half of them idle: [1, 8, 19, 21, 26] requests on 5 of 16 here).
    expect(used.size, `connections used of ${api.accepted}: ${JSON.stringify(perConn)}`).toBeGreaterThanOrEqual(0.8 * api.accepted);
    expect(perConn.at(-1)!, `requests per connection ${JSON.stringify(perConn)}`).toBeLessThanOrEqual(4 * perConn[0]!);
    expect(Math.abs(requestShare - connectionShare), `403 share ${requestShare.toFixed(2)} of requests on ${connectionShare.toFixed(2)} of ${used.size} connections`).toBeLessThan(0.15);
    // And the client recorded what the server answered.
    const lists = pairs(read()).filter((p) => p.invoke.f === 'list');
    expect(lists.filter((p) => p.done.type === 'fail' && p.done.error === 'http 403').length).toBe(after.filter((r) => r.connection % 3 === 0).length);
    h.close();
  });

  test('a bare record() without a clock (the bench) still gets times, on the load\'s own clock', async () => {
    const ops: Op[] = [];
    const load = new OpenModelLoad(api.target(), { record: (op) => { ops.push(op as Op); return op as Op; } }, { ...ZERO_MIX, readyz: 50 }, 0, { worker: true });
    load.start(30_000);
    await started(load);
    await sleep(500);
    await load.stop();
    expect(ops.length).toBeGreaterThan(10);
    expect(ops.every((o) => typeof o.time === 'number' && o.time >= 0)).toBe(true);
    expect(ops.filter((o) => o.type === 'ok').length).toBe(load.stats().scheduled);
  });
});

test.describe('watch client', () => {
  let api: FakeApi;
  test.beforeEach(async () => { api = new FakeApi(); await api.start(); });
  test.afterEach(async () => { await api.stop(); });

  test('lists, watches from the list version, records events and bookmarks, resumes after a disconnect, relists after 410', async () => {
    const { h, read } = newHistory('watch');
    const watch = new WatchClient(api.target('apiserver-1'), h, { resumeDelayMs: 50 });
    const load = new OpenModelLoad(api.target(), h, { ...ZERO_MIX, create: 20, update: 20, delete: 5 }, 0, { worker: false, hotKeys: 2 });
    watch.start(30_000);
    await sleep(200);
    load.start(30_000);
    await sleep(500);
    api.bookmark();
    await sleep(100);
    api.dropConnections();
    await sleep(400);
    // Cut off, and while away the server moves on and compacts: the resumed watch is too old.
    api.dropConnections();
    api.touch('server-side');
    api.compact();
    await sleep(400);
    await load.stop();
    await sleep(200);
    await watch.stop();
    const ops = read();
    const w = ops.filter((o) => o.process === 'watch-apiserver-1');
    expect(w.every((o) => o.type === 'info' && (o.value as { via: string }).via === 'apiserver-1')).toBe(true);
    const fs = w.map((o) => o.f);
    expect(fs[0]).toBe('watch-start');
    expect((w[0]!.value as { fromRv: string }).fromRv).toBe('100');
    expect(fs).toContain('watch-bookmark');
    expect(fs).toContain('watch-error');
    expect(fs).toContain('watch-gone');
    expect(fs[fs.length - 1]).toBe('watch-end');
    // After an error it resumes from the last version seen; after 410 from a fresh list.
    for (let i = 1; i < w.length; i++) {
      if (w[i]!.f !== 'watch-start') continue;
      const prev = w.slice(0, i).filter((o) => o.f === 'watch-event' || o.f === 'watch-bookmark' || o.f === 'watch-start').pop()!;
      const last = (prev.value as { rv?: string; fromRv?: string }).rv ?? (prev.value as { fromRv?: string }).fromRv;
      if (w[i - 1]!.f === 'watch-error') expect((w[i]!.value as { fromRv: string }).fromRv).toBe(last);
      if (w[i - 1]!.f === 'watch-gone') expect(Number((w[i]!.value as { fromRv: string }).fromRv)).toBeGreaterThanOrEqual(Number(last));
    }
    // Every write the server made appears as an event, with its name, version and value, each version once per watch.
    const events = w.filter((o) => o.f === 'watch-event').map((o) => o.value as { type: string; name: string; rv: string; data?: string });
    const seen = new Map(events.map((e) => [Number(e.rv), e]));
    // Only what happened between the last event before 410 and the fresh list is missing (the list has it).
    const gone = fs.indexOf('watch-gone');
    const lastBeforeGone = Math.max(...w.slice(0, gone).filter((o) => o.f === 'watch-event').map((o) => Number((o.value as { rv: string }).rv)));
    const relistedFrom = Number((w.slice(gone).find((o) => o.f === 'watch-start')!.value as { fromRv: string }).fromRv);
    expect(relistedFrom).toBeGreaterThanOrEqual(api.compactedRv);
    const missed = [...api.versions.keys()].filter((rv) => !seen.has(rv) && !(rv > lastBeforeGone && rv <= relistedFrom));
    expect(missed).toEqual([]);
    for (const [rv, x] of api.versions) {
      const e = seen.get(rv);
      if (!e) continue;
      expect(e.name).toBe(x.name);
      if (!x.deleted) expect(e.data).toBe(x.v);
      else expect(e.type).toBe('DELETED');
    }
    const end = w[w.length - 1]!.value as { lastRv: string };
    expect(end.lastRv).toBe(String(api.rv));
    h.close();
  });

  test('stops by itself after its duration, and stop() after that records nothing more', async () => {
    const { h, read } = newHistory('watch-bound');
    const watch = new WatchClient(api.target(), h);
    watch.start(300);
    await sleep(600);
    expect(read().map((o) => o.f)).toEqual(['watch-start', 'watch-end']);
    await watch.stop();
    expect(read().map((o) => o.f)).toEqual(['watch-start', 'watch-end']);
    expect(api.watchers.size).toBe(0);
    h.close();
  });
});
