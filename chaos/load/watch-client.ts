// A recording watch on the namespace's ConfigMaps, to one target (the VIP or one apiserver): list, then watch from the
// list's resourceVersion on a kept-alive TLS connection, recording every event; resumes from the last seen version after
// a disconnect, starts over from a fresh list after 410 Gone. Bounded in time; talks to the target's ip only.
import { Agent, request, type RequestOptions } from 'node:https';
import { createSecureContext, type SecureContext } from 'node:tls';
import type { HistoryRecorder } from '../../history/history.ts';
import { errorOf } from './classify.ts';
import { REQUEST_TIMEOUT_MS, type LoadTarget } from './load-config.ts';
import { configMapsPath, LIST_LIMIT } from './load-request.ts';
import { toListSeen, toWatchEvent } from './response.ts';
import { sendRequest } from './send-request.ts';

export interface WatchOptions {
  /** Pause before resuming after an error (ms). */
  resumeDelayMs?: number;
  /** No byte for this long on an open watch (bookmarks come about once a minute): treated as a dead connection. */
  idleTimeoutMs?: number;
  /** Until the response headers of the list or the watch (ms). */
  requestTimeoutMs?: number;
}

/** The ops' values (all `type: 'info'`, `process: 'watch-<via>'`). */
export type WatchValue =
  | { via: string; fromRv: string } /* watch-start */
  | { via: string; type: string; name?: string; rv?: string; data?: string } /* watch-event */
  | { via: string; rv?: string } /* watch-bookmark */
  | { via: string; error: string } /* watch-error */
  | { via: string } /* watch-gone */
  | { via: string; lastRv?: string }; /* watch-end */

/** Lines longer than this end the watch as an error (ConfigMaps of the load are tiny). */
const MAX_LINE_CHARS = 4 * 1024 * 1024;
const GONE = Symbol('gone');
type WatchEnd = typeof GONE | string;

export class WatchClient {
  private readonly process: string;
  private readonly agent: Agent;
  private readonly secure: SecureContext;
  private readonly o: Required<WatchOptions>;
  private lastRv: string | undefined;
  private stopped = false;
  private loop: Promise<void> | undefined;
  private stopping: Promise<void> | undefined;
  private current: { destroy: () => void } | undefined;
  private wake: (() => void) | undefined;
  private deadline: NodeJS.Timeout | undefined;

  constructor(private readonly target: LoadTarget & { via: string }, private readonly history: Pick<HistoryRecorder, 'record'>, opts: WatchOptions = {}) {
    this.o = { resumeDelayMs: opts.resumeDelayMs ?? 200, idleTimeoutMs: opts.idleTimeoutMs ?? 65_000, requestTimeoutMs: opts.requestTimeoutMs ?? REQUEST_TIMEOUT_MS };
    for (const [k, v] of Object.entries(this.o)) if (!(Number.isFinite(v) && v > 0)) throw new Error(`watch option ${k}: must be a positive number of ms, got ${JSON.stringify(v)}`);
    this.process = `watch-${target.via}`;
    this.secure = createSecureContext({ ca: target.ca });
    this.agent = new Agent({ keepAlive: true, maxSockets: 1, servername: target.servername });
  }

  /** Watches until `stop()` or for `durationMs` at most. */
  start(durationMs: number): void {
    if (this.loop) throw new Error(`watch ${this.process} was already started`);
    this.deadline = setTimeout(() => void this.stop(), durationMs);
    this.deadline.unref();
    this.loop = this.run();
  }

  /** Ends the watch and records `watch-end` with the last resourceVersion seen. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.stopped = true;
      clearTimeout(this.deadline);
      this.current?.destroy();
      this.wake?.();
      await this.loop;
      this.record('watch-end', { via: this.target.via, ...(this.lastRv !== undefined ? { lastRv: this.lastRv } : {}) });
      this.agent.destroy();
    })();
    return this.stopping;
  }

  private record(f: string, value: WatchValue): void {
    this.history.record({ type: 'info', process: this.process, f, value });
  }

  private async run(): Promise<void> {
    const via = this.target.via;
    while (!this.stopped) {
      const fromRv = await this.list();
      if (this.stopped) return;
      if (typeof fromRv !== 'object') {
        this.record('watch-error', { via, error: fromRv });
        await this.pause();
        continue;
      }
      this.lastRv = fromRv.rv;
      for (;;) {
        this.record('watch-start', { via, fromRv: this.lastRv });
        const end = await this.watchFrom(this.lastRv);
        if (this.stopped) return;
        if (end === GONE) {
          this.record('watch-gone', { via });
          break;
        }
        this.record('watch-error', { via, error: end });
        await this.pause();
        if (this.stopped) return;
      }
    }
  }

  /** The list's resourceVersion, or why there is none. */
  private async list(): Promise<{ rv: string } | string> {
    let cancel = (): void => undefined;
    this.current = { destroy: () => cancel() };
    const r = await new Promise<Awaited<ReturnType<typeof sendRequest>>>((resolve) => {
      cancel = () => resolve({ errorCode: 'stopped' });
      void sendRequest(this.target, this.agent, { method: 'GET', path: `${configMapsPath(this.target.namespace)}?limit=${LIST_LIMIT}`, wantBody: true }, this.o.requestTimeoutMs, this.secure).then(resolve);
    });
    this.current = undefined;
    if (r.status !== 200 || r.errorCode) return `list: ${errorOf(r)}`;
    const rv = toListSeen(r.body)?.listRv;
    return rv ? { rv } : 'list: no resourceVersion in the answer';
  }

  private pause(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => { this.wake = undefined; resolve(); }, this.o.resumeDelayMs);
      this.wake = () => { clearTimeout(timer); this.wake = undefined; resolve(); };
    });
  }

  /** One watch request from `rv`: records its events until it ends; says why it ended. */
  private watchFrom(rv: string): Promise<WatchEnd> {
    const path = `${configMapsPath(this.target.namespace)}?watch=1&resourceVersion=${encodeURIComponent(rv)}&allowWatchBookmarks=true`;
    return new Promise<WatchEnd>((resolve) => {
      let done = false;
      let timer: NodeJS.Timeout | undefined;
      const finish = (end: WatchEnd): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        this.current = undefined;
        req.destroy();
        resolve(end);
      };
      const arm = (ms: number, why: string): void => {
        clearTimeout(timer);
        timer = setTimeout(() => finish(why), ms);
      };
      const t = this.target;
      const options: RequestOptions & { secureContext: SecureContext } = {
        host: t.ip, port: t.port, path, method: 'GET', servername: t.servername, secureContext: this.secure, agent: this.agent,
        headers: { authorization: `Bearer ${t.token}`, accept: 'application/json' },
      };
      const req = request(options, (res) => {
        if (res.statusCode === 410) { res.resume(); finish(GONE); return; }
        if (res.statusCode !== 200) { res.resume(); finish(`http ${res.statusCode}`); return; }
        arm(this.o.idleTimeoutMs, `no data for ${this.o.idleTimeoutMs} ms`);
        res.setEncoding('utf8');
        let buffer = '';
        res.on('data', (chunk: string) => {
          arm(this.o.idleTimeoutMs, `no data for ${this.o.idleTimeoutMs} ms`);
          buffer += chunk;
          for (let i = buffer.indexOf('\n'); i >= 0 && !done; i = buffer.indexOf('\n')) {
            const line = buffer.slice(0, i).trim();
            buffer = buffer.slice(i + 1);
            const end = line ? this.onLine(line) : undefined;
            if (end !== undefined) finish(end);
          }
          if (buffer.length > MAX_LINE_CHARS) finish(`an event longer than ${MAX_LINE_CHARS} characters`);
        });
        res.on('end', () => finish('closed by the server'));
        res.on('error', (e: NodeJS.ErrnoException) => finish(e.code ?? e.message));
      });
      arm(this.o.requestTimeoutMs, `no answer in ${this.o.requestTimeoutMs} ms`);
      this.current = { destroy: () => finish('stopped') };
      req.on('error', (e: NodeJS.ErrnoException) => finish(e.code ?? e.message));
      req.on('close', () => finish('connection closed'));
      req.end();
    });
  }

  /** Records one event; says why the watch must end, if it must. */
  private onLine(line: string): WatchEnd | undefined {
    const via = this.target.via;
    const e = toWatchEvent(line);
    switch (e.kind) {
      case 'object':
        if (e.object.rv !== undefined) this.lastRv = e.object.rv;
        this.record('watch-event', { via, type: e.type, ...e.object });
        return undefined;
      case 'bookmark':
        if (e.rv !== undefined) this.lastRv = e.rv;
        this.record('watch-bookmark', { via, ...(e.rv !== undefined ? { rv: e.rv } : {}) });
        return undefined;
      case 'error':
        return e.code === 410 ? GONE : `watch ERROR event: ${e.message}`;
      case 'garbage':
        return `not a watch event: ${e.line}`;
    }
  }
}
