// Starts the load's engine in a process of its own (the default) or a worker thread, behind one small handle.
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { FromWorker, ToWorker, WorkerInput } from './worker-protocol.ts';

export interface LoadHandle {
  send(m: ToWorker): void;
  onMessage(listener: (m: FromWorker) => void): void;
  onError(listener: (e: Error) => void): void;
  onExit(listener: () => void): void;
  /** Lets the runner exit while the load runs (a forgotten stop() must not keep it alive), or holds it. */
  ref(held: boolean): void;
  terminate(): Promise<void>;
}

const ENTRY = new URL('./load-worker.mjs', import.meta.url);

const CHRT = '/usr/bin/chrt';
/**
 * The load's scheduling: SCHED_FIFO priority 10 (util-linux chrt, as root), so that it preempts the system under test
 * that shares this machine's two cores. Measured here while an apiserver started up: a probe process ticking every
 * 10 ms at nice −10 was late by up to 118 ms, the same probe under SCHED_FIFO never by more than 50 ms. The kernel's RT
 * throttling (sched_rt_runtime_us, 95 %) still bounds it; the load is idle between arrivals.
 */
export const LOAD_SCHEDULING = process.getuid?.() === 0 && existsSync(CHRT) ? 'SCHED_FIFO 10' : 'normal';

/** A child process: its own memory map, GC and scheduling, so nothing the runner does (forks, checkers) stalls it. */
export function startLoadProcess(input: WorkerInput): LoadHandle {
  const realtime = LOAD_SCHEDULING !== 'normal';
  const child = fork(fileURLToPath(ENTRY), [], {
    serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env: { ...process.env, HAPROOF_LOAD_SCHEDULING: LOAD_SCHEDULING },
    ...(realtime ? { execPath: CHRT, execArgv: ['-f', '10', process.execPath] } : { execArgv: [] }),
  });
  child.send({ type: 'input', input });
  return {
    send: (m) => { if (child.connected) child.send(m); },
    onMessage: (l) => { child.on('message', (m: FromWorker) => l(m)); },
    onError: (l) => { child.on('error', l); },
    onExit: (l) => { child.on('exit', l); },
    ref: (held) => { if (held) { child.ref(); child.channel?.ref(); } else { child.unref(); child.channel?.unref(); } },
    terminate: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 2_000);
      await gone;
      clearTimeout(timer);
    },
  };
}

/** A worker thread of this process (kept for tests and as a fallback). */
export function startLoadThread(input: WorkerInput): LoadHandle {
  const worker = new Worker(ENTRY, { workerData: input });
  return {
    send: (m) => worker.postMessage(m),
    onMessage: (l) => { worker.on('message', l); },
    onError: (l) => { worker.on('error', l); },
    onExit: (l) => { worker.on('exit', l); },
    ref: (held) => { if (held) worker.ref(); else worker.unref(); },
    terminate: async () => { await worker.terminate(); },
  };
}
