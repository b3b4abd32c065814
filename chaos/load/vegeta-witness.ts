// The independent witness: vegeta (github.com/tsenart/vegeta, a pinned upstream binary) attacks the VIP at a fixed rate
// beside haproof's own load — /readyz on reused and on new connections, a consistent LIST — and each of its results
// goes into the history as a `witness-<stream>` operation, so the availability checker can put both clients side by
// side. vegeta is an open-model generator too (it issues on schedule whatever the responses do).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { HistoryRecorder } from '../../history/history.ts';
import type { LoadTarget } from './load-config.ts';
import { configMapsPath } from './load-request.ts';

export interface WitnessStream {
  name: string;
  f: 'readyz' | 'list';
  path: (namespace: string) => string;
  keepalive: boolean;
  perSecond: number;
}

export const WITNESS_STREAMS: WitnessStream[] = [
  { name: 'readyz-reused', f: 'readyz', path: () => '/readyz', keepalive: true, perSecond: 5 },
  { name: 'readyz-new', f: 'readyz', path: () => '/readyz', keepalive: false, perSecond: 5 },
  { name: 'list', f: 'list', path: (ns) => `${configMapsPath(ns)}?limit=1`, keepalive: true, perSecond: 5 },
];

/** One line of `vegeta encode -to json`. */
interface VegetaResult { seq: number; code: number; timestamp: string; latency: number; error?: string }

/** A vegeta result as the two history ops of one request, on the history clock (pure). */
export function witnessOps(stream: WitnessStream, r: VegetaResult, wallMinusHistory: number): Array<Parameters<HistoryRecorder['record']>[0]> {
  const start = Date.parse(r.timestamp) - wallMinusHistory;
  const end = start + r.latency / 1e6;
  const process = `witness-${stream.name}-${r.seq}`;
  const value = { via: 'vip', conn: stream.keepalive ? 'reused' : 'new', witness: 'vegeta' };
  const ok = r.code >= 200 && r.code < 300;
  return [
    { type: 'invoke', process, f: stream.f, value, time: start },
    { type: ok ? 'ok' : 'fail', process, f: stream.f, value: { ...value, ...(r.code ? { status: r.code } : {}) }, time: end, ...(ok ? {} : { error: (r.error || `http ${r.code}`).slice(0, 200) }) },
  ];
}

export class VegetaWitness {
  private readonly attacks: ChildProcess[] = [];
  private readonly done: Array<Promise<void>> = [];
  private dir: string | undefined;

  constructor(private readonly vegeta: string, private readonly target: LoadTarget & { caFile: string }, private readonly history: HistoryRecorder, private readonly log: (line: string) => void) {}

  /** Starts every stream for at most `durationMs`; false (and a log line) when the vegeta binary is not there. */
  start(durationMs: number): boolean {
    if (!existsSync(this.vegeta)) {
      this.log(`witness: ${this.vegeta} is missing (haproof build makes it); running without the vegeta witness`);
      return false;
    }
    // The targets carry the bearer token: a private temp directory, removed at stop.
    this.dir = mkdtempSync(join(tmpdir(), 'haproof-witness-'));
    const wallMinusHistory = Date.now() - this.history.now();
    for (const s of WITNESS_STREAMS) {
      const targets = join(this.dir, `${s.name}.txt`);
      writeFileSync(targets, `GET https://${this.target.ip}:${this.target.port}${s.path(this.target.namespace)}\nAuthorization: Bearer ${this.target.token}\n`, { mode: 0o600 });
      const attack = spawn(this.vegeta, [
        'attack', '-format=http', `-targets=${targets}`, `-rate=${s.perSecond}/1s`, `-duration=${Math.ceil(durationMs / 1000)}s`, '-timeout=2s',
        `-root-certs=${this.target.caFile}`, `-keepalive=${s.keepalive}`, '-max-workers=64', `-name=${s.name}`,
      ], { stdio: ['ignore', 'pipe', 'pipe'] });
      const encode = spawn(this.vegeta, ['encode', '-to', 'json'], { stdio: ['pipe', 'pipe', 'pipe'] });
      attack.stdout!.pipe(encode.stdin!);
      this.attacks.push(attack);
      const lines = createInterface({ input: encode.stdout! });
      lines.on('line', (line) => {
        try {
          for (const op of witnessOps(s, JSON.parse(line) as VegetaResult, wallMinusHistory)) this.history.record(op);
        } catch (e) {
          this.log(`witness ${s.name}: unreadable result ${line.slice(0, 120)}: ${(e as Error).message}`);
        }
      });
      this.done.push(new Promise((resolve) => encode.on('close', () => resolve())));
    }
    return true;
  }

  /** Stops the attacks (vegeta writes the results it has on SIGINT) and waits for every result to be recorded. */
  async stop(): Promise<void> {
    for (const a of this.attacks) if (a.exitCode === null) a.kill('SIGINT');
    const timeout = new Promise<void>((r) => setTimeout(r, 5_000).unref());
    await Promise.race([Promise.all(this.done), timeout]);
    for (const a of this.attacks) if (a.exitCode === null) a.kill('SIGKILL');
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }
}
