// The load's worker thread: runs the engine away from the runner's event loop and posts its ops back in batches.
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
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

function runWorker(port: NonNullable<typeof parentPort>, input: WorkerInput): void {
  raisePriority();
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

if (!parentPort) throw new Error('load-worker.ts runs only as a worker thread (see open-model.ts)');
runWorker(parentPort, workerData as WorkerInput);
