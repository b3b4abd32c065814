// Talks to the supervisor daemon over its unix socket.
import { request } from 'node:http';

export function requestSupervisor(socket: string, method: 'GET' | 'POST', path: string, body?: unknown, timeoutMs = 10_000): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: socket, method, path, timeout: timeoutMs, headers: { 'content-type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        const json: unknown = text ? JSON.parse(text) : undefined;
        if ((res.statusCode ?? 500) >= 400) reject(new Error(`supervisor ${method} ${path}: ${res.statusCode} ${text}`));
        else resolve(json);
      });
    });
    req.on('timeout', () => req.destroy(new Error(`supervisor ${method} ${path}: no answer in ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}
