// Planted defect watch-drop: a TLS proxy in front of one apiserver — where its clients expect that apiserver — that
// forwards everything but leaves out one of every N events of the watches on the load's ConfigMaps. It stands for a
// broken component between clients and the apiserver (a faulty L7 proxy, or an apiserver whose watch cache skips
// events); only the watch guarantees can see it: every request, list and get is answered unchanged.
//
// Identity is kept: a client certificate's user (CN) and groups (O) are passed on as impersonation by the admin
// identity (system:masters may impersonate); a bearer token is passed on as it is; anonymous requests stay anonymous.
import { readFileSync } from 'node:fs';
import { Agent, createServer, request, type RequestOptions } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { join } from 'node:path';

export interface WatchDropOptions {
  listen: { host: string; port: number };
  upstream: { host: string; port: number };
  /** The testbed PKI: ca.crt, admin.crt/key, and the server certificate `<certName>.crt/key` of the apiserver. */
  pki: string;
  certName: string;
  /** One of every `every` watch events on the load's ConfigMaps is left out. */
  every: number;
}

/** A watch on the ConfigMaps of a haproof chaos namespace (the load's keys): `?watch=1|true`. */
export function isLoadWatch(url: string): boolean {
  const u = new URL(url, 'https://apiserver');
  return /^\/api\/v1\/namespaces\/haproof-chaos-[^/]+\/configmaps$/.test(u.pathname) && ['1', 'true'].includes(u.searchParams.get('watch') ?? '');
}

/** Splits a newline-delimited JSON watch stream into whole events, leaving out every `every`-th data event. */
export class EventDropper {
  private carry = '';
  private seen = 0;
  dropped = 0;
  constructor(private readonly every: number) {}

  /** Returns the text to pass on for this chunk (whole lines only; the rest waits for the next chunk). */
  push(chunk: string): string {
    const text = this.carry + chunk;
    const cut = text.lastIndexOf('\n');
    this.carry = text.slice(cut + 1);
    if (cut < 0) return '';
    return text.slice(0, cut + 1).split('\n').slice(0, -1).filter((line) => this.keep(line)).map((l) => `${l}\n`).join('');
  }

  private keep(line: string): boolean {
    let type: unknown;
    try { type = (JSON.parse(line) as { type?: unknown }).type; } catch { return true; }
    if (type !== 'ADDED' && type !== 'MODIFIED' && type !== 'DELETED') return true; // bookmarks and errors pass
    this.seen += 1;
    if (this.seen % this.every !== 0) return true;
    this.dropped += 1;
    return false;
  }
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'host']);

export function runWatchDropProxy(o: WatchDropOptions): void {
  const ca = readFileSync(join(o.pki, 'ca.crt'));
  const asAdmin = new Agent({ keepAlive: true, ca, cert: readFileSync(join(o.pki, 'admin.crt')), key: readFileSync(join(o.pki, 'admin.key')) });
  const asItself = new Agent({ keepAlive: true, ca });
  let dropped = 0;

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket as TLSSocket;
    const headers: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && !HOP_BY_HOP.has(k) && !k.startsWith('impersonate-')) headers[k] = v;
    let agent = asItself;
    const peer = socket.authorized ? socket.getPeerCertificate() : undefined;
    if (peer?.subject && !headers['authorization']) {
      agent = asAdmin;
      headers['impersonate-user'] = String(peer.subject.CN);
      const groups = peer.subject.O === undefined ? [] : ([] as string[]).concat(peer.subject.O);
      if (groups.length) headers['impersonate-group'] = groups;
    }
    const watch = isLoadWatch(req.url ?? '/');
    if (watch) headers['accept'] = 'application/json';
    const opts: RequestOptions = { host: o.upstream.host, port: o.upstream.port, method: req.method, path: req.url, headers, agent };
    const up = request(opts, (ures) => {
      const out: Record<string, string | string[]> = {};
      for (const [k, v] of Object.entries(ures.headers)) if (v !== undefined && !HOP_BY_HOP.has(k) && !(watch && k === 'content-length')) out[k] = v;
      res.writeHead(ures.statusCode ?? 502, out);
      if (!watch || ures.statusCode !== 200) { ures.pipe(res); return; }
      const dropper = new EventDropper(o.every);
      ures.setEncoding('utf8');
      ures.on('data', (chunk: string) => {
        const before = dropper.dropped;
        const text = dropper.push(chunk);
        if (dropper.dropped > before) dropped += dropper.dropped - before;
        if (text) res.write(text);
      });
      ures.on('end', () => res.end());
      ures.on('error', () => res.destroy());
    });
    up.on('error', (e) => { if (!res.headersSent) { res.writeHead(502); res.end(`watch-drop proxy: upstream: ${e.message}\n`); } else res.destroy(); });
    res.on('close', () => up.destroy());
    req.pipe(up);
  };

  const server = createServer({
    ca, cert: readFileSync(join(o.pki, `${o.certName}.crt`)), key: readFileSync(join(o.pki, `${o.certName}.key`)),
    requestCert: true, rejectUnauthorized: false, requestTimeout: 0, keepAliveTimeout: 60_000,
  }, handle);
  server.listen(o.listen.port, o.listen.host, () => console.log(`watch-drop proxy on ${o.listen.host}:${o.listen.port} → ${o.upstream.host}:${o.upstream.port}, leaving out 1 of every ${o.every} load watch events`));
  setInterval(() => console.log(`watch-drop proxy: ${dropped} events left out so far`), 10_000).unref();
}
