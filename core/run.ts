// The one wrapper for every external command: timeout, SIGTERM then SIGKILL, result logged, never throws.
import { execa, type Options } from 'execa';
import { appendFileSync } from 'node:fs';

export interface RunResult {
  command: string;
  exitCode: number | undefined;
  signal: string | undefined;
  stdout: string;
  stderr: string;
  durationMs: number;
  failed: boolean;
  timedOut: boolean;
}

export interface RunOptions {
  timeoutMs?: number;
  input?: string;
  env?: Record<string, string>;
  cwd?: string;
  /** Run inside this network namespace (via `ip netns exec`). */
  netns?: string;
}

let commandLog: string | undefined;

/** Sends every later command result to this file (one JSON line each). */
export function setCommandLog(path: string | undefined): void {
  commandLog = path;
}

/** Runs a command to completion; the result says whether it failed. */
export async function run(file: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const [bin, argv] = options.netns ? ['ip', ['netns', 'exec', options.netns, file, ...args]] : [file, [...args]];
  const execaOptions: Options = {
    reject: false,
    timeout: options.timeoutMs ?? 60_000,
    killSignal: 'SIGTERM',
    forceKillAfterDelay: 2_000,
    input: options.input,
    env: options.env,
    cwd: options.cwd,
    stripFinalNewline: true,
  };
  const started = Date.now();
  const r = await execa(bin, argv, execaOptions);
  const result: RunResult = {
    command: [bin, ...argv].join(' '),
    exitCode: r.exitCode,
    signal: r.signal,
    stdout: String(r.stdout ?? ''),
    stderr: String(r.stderr ?? ''),
    durationMs: Date.now() - started,
    failed: Boolean(r.failed),
    timedOut: Boolean(r.timedOut),
  };
  if (commandLog) {
    const { stdout: _o, ...logged } = result;
    appendFileSync(commandLog, JSON.stringify({ at: new Date().toISOString(), ...logged, stderr: result.stderr.slice(0, 2000) }) + '\n');
  }
  return result;
}

/** Runs a command and throws a readable error when it fails. */
export async function runOrThrow(file: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const result = await run(file, args, options);
  if (result.failed) {
    const why = result.timedOut ? `timed out after ${options.timeoutMs ?? 60_000} ms` : `exit code ${result.exitCode ?? result.signal}`;
    throw new Error(`command failed (${why}): ${result.command}\n${result.stderr.slice(-2000)}`);
  }
  return result;
}

/** Runs a command, handing each stderr/stdout line to `onLine` as it arrives (for progress on long builds). */
export async function runStreaming(file: string, args: readonly string[], onLine: (line: string) => void, options: RunOptions = {}): Promise<RunResult> {
  const started = Date.now();
  const child = execa(file, [...args], {
    reject: false,
    timeout: options.timeoutMs ?? 60_000,
    killSignal: 'SIGTERM',
    forceKillAfterDelay: 2_000,
    env: options.env,
    cwd: options.cwd,
    all: true,
    buffer: { all: false, stdout: false, stderr: true },
    stripFinalNewline: true,
  });
  let partial = '';
  child.all?.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) onLine(line);
  });
  const r = await child;
  if (partial) onLine(partial);
  const result: RunResult = {
    command: [file, ...args].join(' '),
    exitCode: r.exitCode,
    signal: r.signal,
    stdout: '',
    stderr: String(r.stderr ?? ''),
    durationMs: Date.now() - started,
    failed: Boolean(r.failed),
    timedOut: Boolean(r.timedOut),
  };
  if (commandLog) appendFileSync(commandLog, JSON.stringify({ at: new Date().toISOString(), ...result, stderr: result.stderr.slice(-2000) }) + '\n');
  return result;
}
