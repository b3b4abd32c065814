// The load's own process (or, in tests, a worker thread): runs the engine away from the runner and posts its ops back
// in batches. A process of its own, because the runner forks etcdctl and friends several times a second and runs the
// checkers: a fork write-locks the whole process's memory map, and a worker thread of that process stalled with it
// (measured here: 1–3 % of arrivals issued 100–300 ms late with the load in a thread, also at nice −10).
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { raiseProcessPriority } from '../../core/priority.ts';
import type { Op } from '../../history/history.ts';
import { LoadEngine } from './load-engine.ts';
import { epochClock, type FromWorker, type ToWorker, type WorkerInput } from './worker-protocol.ts';

const BATCH_MS = 20;
const BATCH_OPS = 256;
const STATS_MS = 1_000;

/**
 * On Linux a thread has its own nice value, and setpriority(PRIO_PROCESS, 0) sets the calling thread's: this raises the
 * load's thread only, above the system under test that shares this machine's cores (measured here: with two cores and
 * etcd quorum lost, arrivals were issued up to 490 ms late at default priority). Needs root; otherwise it stays as is.
 */
function raisePriority(): boolean {
  try {
    setPriority(-10);
    return true;
  } catch {
    return false;
  }
}

interface Port {
  postMessage(m: FromWorker): void;
  on(event: 'message', listener: (m: ToWorker) => void): void;
  close(): void;
}

function runWorker(port: Port, input: WorkerInput): void {
  if (!raiseProcessPriority()) raisePriority();
  const post = (m: FromWorker): void => port.postMessage(m);
  let batch: Op[] = [];
  const flush = (): void => {
    if (!batch.length) return;
    post({ type: 'ops', ops: batch });
    batch = [];
  };
  const target = { ...input.target, ca: Buffer.from(input.target.ca) };
  const record = (op: Op): void => {
    batch.push(op);
    if (batch.length >= BATCH_OPS) flush();
  };
  const engine = new LoadEngine(target, record, epochClock(input.epochNs), input.mix, input.processBase, input.options, true);
  const flusher = setInterval(flush, BATCH_MS);
  const reporter = setInterval(() => post({ type: 'stats', stats: engine.stats() }), STATS_MS);
  port.on('message', (m: ToWorker) => {
    if (m.type !== 'stop') return;
    void engine.stop().then(() => {
      clearInterval(flusher);
      clearInterval(reporter);
      flush();
      post({ type: 'done', stats: engine.stats() });
      port.close();
    });
  });
  engine.start(input.durationMs);
  post({ type: 'started', stats: engine.stats() });
}

if (parentPort) {
  runWorker(parentPort, workerData as WorkerInput);
} else if (process.send) {
  // A child process: the input comes as the first IPC message; the runner's end closing ends this process too.
  process.on('disconnect', () => process.exit(0));
  process.once('message', (m: { type: 'input'; input: WorkerInput }) => {
    const listeners: Array<(m: ToWorker) => void> = [];
    process.on('message', (x: ToWorker) => { for (const l of listeners) l(x); });
    runWorker({ postMessage: (x) => process.send!(x), on: (_e, l) => listeners.push(l), close: () => process.disconnect() }, m.input);
  });
} else {
  throw new Error('load-worker.ts runs only as the load\'s child process or worker thread (see open-model.ts)');
}
