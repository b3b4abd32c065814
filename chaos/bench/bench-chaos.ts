// `npm run bench:chaos`: the scenario matrix's wall time, VIP eject times and failed requests for an apiserver SIGKILL
// and a rolling restart, and the load generator's throughput through the VIP with and without history recording.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Cluster } from '../../targets/cluster.ts';
import { HistoryRecorder } from '../../history/history.ts';
import { OpenModelLoad, waitAuthorized } from '../load/open-model.ts';
import { runMatrix } from '../scenarios/run-matrix.ts';
import { SCENARIOS } from '../scenarios/definitions.ts';
import { ejectTimes, type SupervisorEvent } from './eject-time.ts';

export interface ChaosBenchOptions {
  runDir: string;
  supervisorLog: string;
  seed: number;
  log: (line: string) => void;
}

/** Completed /readyz per second on reused connections for `ms`, recording into `file`, or not recording at all. */
export async function throughput(cluster: Cluster, token: string, namespace: string, file: string | undefined, ms: number): Promise<number> {
  let ok = 0;
  const recorder = file ? new HistoryRecorder(file) : undefined;
  const history = { record: (op: Parameters<HistoryRecorder['record']>[0]) => { if (op.type === 'ok') ok++; return recorder ? recorder.record(op) : ({ ...op, time: 0 } as ReturnType<HistoryRecorder['record']>); } };
  const target = { ip: cluster.vip.ip, port: cluster.vip.port, servername: cluster.vip.name, ca: readFileSync(cluster.caFile), token, namespace };
  // An arrival rate above what the machine can serve: completions per second then measure throughput.
  const load = new OpenModelLoad(target, history, { readyz: 2_000, readyzNew: 0, get: 0, list: 0, create: 0, update: 0, delete: 0 });
  const t0 = Date.now();
  load.start(ms);
  await new Promise((r) => setTimeout(r, ms));
  await load.stop();
  recorder?.close();
  return ok / ((Date.now() - t0) / 1000);
}

export async function benchChaos(cluster: Cluster, o: ChaosBenchOptions): Promise<Record<string, unknown>> {
  const started = Date.now();
  const { results } = await runMatrix(cluster, SCENARIOS, { runDir: o.runDir, seed: o.seed, log: o.log });
  const matrixSeconds = (Date.now() - started) / 1000;
  const events = readFileSync(o.supervisorLog, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as SupervisorEvent);
  const tasks = await cluster.tasks();
  const ejects = ejectTimes(events.filter((e) => Date.parse(e.time) >= started), (t) => tasks.find((x) => x.task === t)?.ip);
  const figure = (name: string) => {
    const r = results.find((x) => x.name === name);
    const a = r?.verdicts.find((v) => v.checker === 'availability')?.figures as { total?: number; fail?: number; info?: number; byF?: Record<string, { fail: number; info: number }> } | undefined;
    return { verdict: r?.verdict, requests: a?.total, failed: a?.fail, unknown: a?.info, byF: a?.byF };
  };
  const namespace = 'haproof-bench';
  const token = await cluster.loadToken(namespace);
  await waitAuthorized({ ip: cluster.vip.ip, port: cluster.vip.port, servername: cluster.vip.name, ca: readFileSync(cluster.caFile), token, namespace }, await cluster.vipBackends());
  // Alternating rounds (recorded first, then bare first, …): a machine that warms up or slows down favours neither.
  const rounds: Array<{ recorded: number; bare: number; overheadPct: number }> = [];
  for (let i = 0; i < 3; i++) {
    const run = (rec: boolean) => throughput(cluster, token, namespace, rec ? join(o.runDir, `throughput-recorded-${i + 1}.jsonl`) : undefined, 10_000);
    let recorded: number;
    let bare: number;
    if (i % 2 === 0) { recorded = await run(true); bare = await run(false); } else { bare = await run(false); recorded = await run(true); }
    rounds.push({ recorded, bare, overheadPct: (100 * (bare - recorded)) / bare });
  }
  const overheads = rounds.map((r) => r.overheadPct).sort((a, b) => a - b);
  const recorded = rounds.map((r) => r.recorded).sort((a, b) => a - b)[1]!;
  const bare = rounds.map((r) => r.bare).sort((a, b) => a - b)[1]!;
  const summary = {
    at: new Date().toISOString(),
    matrixSeconds,
    scenarios: results.map((r) => ({ name: r.name, verdict: r.verdict, seconds: r.seconds })),
    ejectMs: ejects,
    sigkillApiserver: figure('sigkill-apiserver'),
    rollingRestart: figure('rolling-restart-apiservers'),
    throughput: { recordedPerSecond: recorded, bareLoadPerSecond: bare, overheadPct: overheads[1], rounds },
  };
  mkdirSync(o.runDir, { recursive: true });
  writeFileSync(join(o.runDir, 'bench-chaos.json'), JSON.stringify(summary, null, 2));
  return summary;
}
