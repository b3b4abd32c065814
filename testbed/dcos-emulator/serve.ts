// A small HTTPS server around the pure DC/OS surface handler: reads each request, asks for a fresh view, answers, and
// hands the resulting actions to `onAction` after the answer is sent (DC/OS acts asynchronously too).
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSurfaceState, handleDcosRequest, type SurfaceAction, type SurfaceServiceAccount, type SurfaceState, type SurfaceUser } from './surface.ts';
import type { DcosView } from './view.ts';

const MAX_BODY_BYTES = 1 << 20;

export interface DcosSurfaceOptions {
  /** Serving certificate and key (PEM text). */
  cert: string | Buffer;
  key: string | Buffer;
  host: string;
  /** 0 picks a free port. */
  port: number;
  getView: () => DcosView | Promise<DcosView>;
  onAction?: (action: SurfaceAction) => void | Promise<void>;
  /** Failures of `getView` or `onAction` (the request still gets an answer: 503 when there is no view). */
  onError?: (error: Error, action?: SurfaceAction) => void;
  /** Accounts that may log in; default `bootstrapuser` / `deleteme` (the DC/OS development default). */
  users?: SurfaceUser[];
  /** Service accounts that may log in with a service login token. */
  serviceAccounts?: SurfaceServiceAccount[];
  /** Emulate DC/OS Enterprise (default off; see SurfaceOptions.enterprise). */
  enterprise?: boolean;
  /** Give a state to share it (e.g. with tests); default a fresh one. */
  state?: SurfaceState;
}

export interface DcosSurface {
  /** `https://<host>:<port>`. */
  url: string;
  port: number;
  state: SurfaceState;
  close(): Promise<void>;
}

export async function startDcosSurface(o: DcosSurfaceOptions): Promise<DcosSurface> {
  const state = o.state ?? createSurfaceState({
    users: o.users ?? [{ uid: 'bootstrapuser', password: 'deleteme' }],
    ...(o.serviceAccounts ? { serviceAccounts: o.serviceAccounts } : {}),
    ...(o.enterprise !== undefined ? { enterprise: o.enterprise } : {}),
  });
  const server: Server = createServer({ cert: o.cert, key: o.key }, (req, res) => void serve(req, res));

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body: string | undefined;
    try {
      body = await readBody(req);
    } catch (e) {
      return send(res, 413, { 'content-type': 'text/plain' }, (e as Error).message);
    }
    let view: DcosView;
    try {
      view = await o.getView();
    } catch (e) {
      o.onError?.(e as Error);
      return send(res, 503, { 'content-type': 'text/plain' }, 'The testbed state is not available');
    }
    const answer = handleDcosRequest({ method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body }, view, state);
    send(res, answer.status, answer.headers, answer.body);
    for (const action of answer.actions) {
      try {
        await o.onAction?.(action);
      } catch (e) {
        o.onError?.(e as Error, action);
      }
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => { server.off('error', reject); resolve(); });
  });
  const port = (server.address() as AddressInfo).port;
  const host = o.host.includes(':') ? `[${o.host}]` : o.host;
  return {
    url: `https://${host}:${port}`,
    port,
    state,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: string): void {
  res.writeHead(status, { ...headers, 'content-length': String(Buffer.byteLength(body)) });
  res.end(body);
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error(`request body over ${MAX_BODY_BYTES} bytes`);
    chunks.push(c as Buffer);
  }
  return chunks.length ? Buffer.concat(chunks).toString('utf8') : undefined;
}
