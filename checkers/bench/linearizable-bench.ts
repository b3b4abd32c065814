// Times the linearizability checker on a synthetic, seeded, concurrent history: 50 keys, 20 000 ops (`npx tsx checkers/bench/linearizable-bench.ts`).
import type { History, Op } from '../../history/history.ts';
import { checkLinearizable } from '../check-linearizable.ts';
import { seededRandom } from '../../core/random.ts';

type Planned = { process: number; f: string; name: string; start: number; at: number; end: number };

/**
 * A history of a correct store: each process runs ops one after another; each op takes effect at a random point
 * between its invoke and completion, in that order against one store with a global revision. About 2 % of the writes
 * time out (`info`), half of them having taken effect. Updates send the rv the process last saw for the key.
 */
export function syntheticHistory(keys: number, ops: number, seed: number, processes = 40): History {
  const random = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const planned: Planned[] = [];
  const clocks = Array.from({ length: processes }, () => random() * 5);
  for (let i = 0; i < ops; i++) {
    const process = clocks.indexOf(Math.min(...clocks));
    const start = clocks[process]!;
    const length = 1 + random() * 20;
    const f = pick(['create', 'update', 'update', 'update', 'get', 'get', 'get', 'delete', 'list']);
    planned.push({ process, f, name: `cm-${Math.floor(random() * keys)}`, start, at: start + random() * length, end: start + length });
    clocks[process] = start + length + random() * 2;
  }
  const store = new Map<string, { rv: string; data: string }>();
  const seen = new Map<string, string>();
  let revision = 100;
  const history: Op[] = [];
  for (const op of [...planned].sort((a, b) => a.at - b.at)) {
    const cur = store.get(op.name);
    const known = seen.get(`${op.process}/${op.name}`) ?? cur?.rv ?? '1';
    const isWrite = op.f !== 'get' && op.f !== 'list';
    const timedOut = isWrite && random() < 0.02;
    const applies = !timedOut || random() < 0.5;
    const data = `${op.name}-${op.process}-${op.start.toFixed(3)}`;
    const invoke: Record<string, unknown> = op.f === 'list' ? {} : { name: op.name, ...(op.f === 'update' ? { sentRv: known, data } : op.f === 'create' ? { data } : {}) };
    let type: Op['type'] = 'ok';
    let done: Record<string, unknown> = { status: 200 };
    if (op.f === 'list') done = { status: 200, listRv: String(revision), items: [] };
    else if (op.f === 'get') done = cur ? { status: 200, rv: cur.rv, data: cur.data } : { status: 404 };
    else if (op.f === 'create' && cur) done = { status: 409 };
    else if (op.f !== 'create' && !cur) done = { status: 404 };
    else if (op.f === 'update' && cur!.rv !== known) done = { status: 409 };
    else if (applies) {
      revision += 1;
      if (op.f === 'delete') store.delete(op.name);
      else store.set(op.name, { rv: String(revision), data });
      done = { status: 200, rv: String(revision) };
    }
    if (done.status !== 200) type = 'fail';
    if (timedOut) { type = 'info'; done = {}; }
    if (type === 'ok' && typeof done.rv === 'string') seen.set(`${op.process}/${op.name}`, done.rv);
    history.push({ type: 'invoke', process: op.process, f: op.f, value: invoke, time: op.start });
    history.push({ type, process: op.process, f: op.f, value: done, time: op.end, ...(type === 'info' ? { error: 'timeout' } : {}) });
  }
  return history.sort((a, b) => a.time - b.time);
}

const history = syntheticHistory(50, 20_000, 42);
const t0 = performance.now();
const verdict = checkLinearizable(history);
const ms = performance.now() - t0;
console.log(`linearizable: ${verdict.verdict} in ${ms.toFixed(0)} ms — ${JSON.stringify(verdict.figures)}`);
if (verdict.reasons.length) console.log(verdict.reasons.slice(0, 5).join('\n'));
