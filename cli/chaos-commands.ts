// `haproof run` and `haproof analyze`: flags validated here, the work done by chaos/.
import { existsSync } from 'node:fs';
import { connectCluster } from '../targets/testbed/testbed-cluster.ts';
import { connectTarget, targetFromEnv } from '../targets/connect.ts';
import type { Cluster, TargetRef } from '../targets/cluster.ts';
import { FAULTS } from '../chaos/faults/registry.ts';
import type { Fault } from '../chaos/faults/fault.ts';
import { resetAllFaults } from '../chaos/faults/reset-all.ts';
import { UsageError } from '../config/options.ts';
import { analyzeRun, pickRandom, renderResults, runMatrix } from '../chaos/scenarios/run-matrix.ts';
import { findScenario, SCENARIOS } from '../chaos/scenarios/definitions.ts';
import { newRunDir } from '../testbed/up.ts';
import { readState } from '../testbed/state.ts';

function intFlag(flags: Record<string, string | boolean>, name: string, min: number, max: number): number | undefined {
  const v = flags[name];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (typeof v !== 'string' || !Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name}: must be a whole number from ${min} to ${max}, got ${JSON.stringify(v)}`);
  return n;
}

export async function runChaos(flags: Record<string, string | boolean>, log: (line: string) => void): Promise<number> {
  if (flags['list']) {
    for (const s of SCENARIOS) log(`${s.name.padEnd(32)} ${s.description}`);
    return 0;
  }
  const seed = intFlag(flags, 'seed', 0, 2 ** 31 - 1) ?? Math.floor(Math.random() * 2 ** 31);
  const k = intFlag(flags, 'random', 1, 100);
  const name = flags['scenario'];
  if (name !== undefined && (typeof name !== 'string' || !findScenario(name))) throw new UsageError(`--scenario: no scenario named ${JSON.stringify(name)} (haproof run --list shows them)`);
  if (name !== undefined && k !== undefined) throw new UsageError('--scenario and --random exclude each other');
  const scenarios = typeof name === 'string' ? [findScenario(name)!] : k !== undefined ? pickRandom(seed, k) : SCENARIOS;
  const target = targetFromEnv();
  if (target === 'testbed' && !readState()) throw new UsageError('no testbed is up: run `haproof up` first');
  // Faults an earlier runner left behind (it was killed mid-fault) are undone before anything is judged.
  if ((await healLeftovers(log, true)) > 0) { log('some faults left by an earlier run could not be undone: see above; `haproof heal` retries'); return 1; }
  const cluster = await connectTarget(target);
  if (typeof name === 'string') {
    const s = findScenario(name)!;
    if (!(await (FAULTS[s.fault.name] as Fault<unknown>).available(cluster, s.fault.params))) {
      cluster.close();
      throw new UsageError(`--scenario: ${name} needs fault ${s.fault.name}, which the ${target} target cannot do`);
    }
  }
  const runDir = newRunDir(target === 'dcos' ? 'chaos-dcos' : 'chaos');
  // Ctrl-C mid-scenario: undo every fault haproof may have put in place (on a real cluster there is no `down`).
  let interrupted = false;
  const onSignal = (): void => {
    if (interrupted) return;
    interrupted = true;
    log('interrupted: undoing faults on every host');
    void resetAllFaults(cluster, log).catch(() => undefined).finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  log(`chaos run → ${runDir} (seed ${seed}; replay with: haproof run ${k !== undefined ? `--random ${k} ` : name ? `--scenario ${name} ` : ''}--seed ${seed})`);
  let matrix;
  try {
    matrix = await runMatrix(cluster, scenarios, { runDir, seed, log });
  } finally {
    cluster.close();
  }
  if (!matrix.results.length) {
    log(`\nevery scenario was skipped on the ${target} target (${matrix.skipped.map((s) => `${s.name}: ${s.reason}`).join('; ')}); nothing was judged`);
    return 2;
  }
  log(`\n${renderResults(matrix.results)}${matrix.skipped.length ? `\n  skipped: ${matrix.skipped.map((s) => s.name).join(', ')}` : ''}\n\nverdicts: ${runDir}/verdicts.json (run verdict ${matrix.verdict.toUpperCase()})`);
  return matrix.verdict === 'pass' ? 0 : 1;
}

export async function analyze(positionals: string[], json: boolean, log: (line: string) => void): Promise<number> {
  const [dir] = positionals;
  if (!dir) throw new UsageError('analyze needs a run directory: haproof analyze <run-dir>');
  if (!existsSync(dir)) throw new UsageError(`run directory ${JSON.stringify(dir)} does not exist`);
  const rows = await analyzeRun(dir);
  if (json) log(JSON.stringify(rows, null, 2));
  else {
    log(renderResults(rows));
    for (const r of rows) if (r.stored !== undefined && r.stored !== r.verdict) log(`  note: ${r.name} was stored as ${r.stored}, recomputed ${r.verdict}`);
  }
  return rows.every((r) => r.verdict === 'pass') ? 0 : 1;
}

/** `haproof bench-chaos`: on the running testbed (or a fresh one it brings up and tears down). */
export async function benchChaosCommand(flags: Record<string, string | boolean>, log: (line: string) => void): Promise<number> {
  const seed = intFlag(flags, 'seed', 0, 2 ** 31 - 1) ?? Math.floor(Math.random() * 2 ** 31);
  const { benchChaos } = await import('../chaos/bench/bench-chaos.ts');
  return onTestbed(log, async () => {
    const state = readState()!;
    const runDir = newRunDir('bench-chaos');
    const s = (await benchChaos(connectCluster(), { runDir, supervisorLog: `${state.runDir}/logs/supervisor.jsonl`, seed, log })) as {
      matrixSeconds: number; ejectMs: Array<{ task: string; signal: string; ejectMs?: number }>;
      sigkillApiserver: { requests?: number; failed?: number; unknown?: number }; rollingRestart: { requests?: number; failed?: number; unknown?: number; byF?: Record<string, { fail: number; info: number }> };
      throughput: { recordedPerSecond: number; bareLoadPerSecond: number; overheadPct?: number };
    };
    log(`\nscenario matrix wall time: ${(s.matrixSeconds / 60).toFixed(1)} min (${SCENARIOS.length} scenarios, target <= 12 min)`);
    for (const e of s.ejectMs) log(`VIP eject after ${e.signal} to ${e.task}: ${e.ejectMs === undefined ? 'not ejected' : `${e.ejectMs} ms`}`);
    log(`apiserver SIGKILL: ${s.sigkillApiserver.failed} failed + ${s.sigkillApiserver.unknown} unknown of ${s.sigkillApiserver.requests} requests`);
    log(`rolling restart:   ${s.rollingRestart.failed} failed + ${s.rollingRestart.unknown} unknown of ${s.rollingRestart.requests} requests; by kind ${JSON.stringify(s.rollingRestart.byF ? Object.fromEntries(Object.entries(s.rollingRestart.byF).map(([k, v]) => [k, v.fail + v.info])) : {})}`);
    log(`load throughput through the VIP (median of 3 alternating rounds): ${s.throughput.recordedPerSecond.toFixed(0)}/s recording the history vs ${s.throughput.bareLoadPerSecond.toFixed(0)}/s bare (overhead median ${s.throughput.overheadPct?.toFixed(1)}%, target <= 5%)`);
    log(`written to ${runDir}/bench-chaos.json`);
    return 0;
  });
}

/** `haproof bench-verdicts`: brings up each defective testbed in turn (replacing any testbed that is up), then a healthy one. */
export async function benchVerdictsCommand(flags: Record<string, string | boolean>, log: (line: string) => void): Promise<number> {
  const seed = intFlag(flags, 'seed', 0, 2 ** 31 - 1) ?? Math.floor(Math.random() * 2 ** 31);
  const healthyRuns = intFlag(flags, 'healthy', 0, 50) ?? 10;
  const { benchVerdicts, renderVerdictTable, writeVerdictBench } = await import('../chaos/bench/bench-verdicts.ts');
  const { up } = await import('../testbed/up.ts');
  const { teardown } = await import('../testbed/down.ts');
  const { parseTestbedOptions } = await import('../config/options.ts');
  const { mkdirSync } = await import('node:fs');
  const benchDir = newRunDir('bench-verdicts');
  const r = await benchVerdicts({
    up: async (defect) => { await up(parseTestbedOptions(defect ? { defect } : {}), log); return connectCluster(); },
    down: async () => { await teardown(log); },
    runDir: (name) => { const d = `${benchDir}/${name}`; mkdirSync(d, { recursive: true }); return d; },
    healthyRuns, seed, log,
  });
  log(`\n${renderVerdictTable(r)}`);
  writeVerdictBench(`${benchDir}/bench-verdicts.json`, r);
  log(`written to ${benchDir}/bench-verdicts.json`);
  const caught = r.defects.every((d) => d.rightly === true);
  return caught && r.falseAlarms === 0 ? 0 : 1;
}

/**
 * `haproof bench-slo`: each chosen scenario `--runs` times on the running testbed (or a fresh one), then the per-scenario
 * table of figures floors are set from; `--from DIR` only tabulates runs stored under DIR.
 */
export async function benchSloCommand(flags: Record<string, string | boolean>, log: (line: string) => void): Promise<number> {
  const { collectRuns, figuresOf, renderSloTable, runDirsUnder } = await import('../chaos/bench/slo-figures.ts');
  const { writeFileSync } = await import('node:fs');
  if (flags['recheck'] !== undefined && typeof flags['from'] !== 'string') throw new UsageError('--recheck: only with --from DIR (it judges stored histories again)');
  if (typeof flags['from'] === 'string') {
    if (!existsSync(flags['from'])) throw new UsageError(`--from: no such directory ${JSON.stringify(flags['from'])}`);
    if (flags['recheck'] === true) {
      // Each stored history judged again by today's expectations of its scenario (a checker or bound changed since).
      const figures = [];
      for (const dir of runDirsUnder(flags['from'])) {
        for (const a of await analyzeRun(dir, (name) => findScenario(name)?.expectations)) figures.push(figuresOf(`${dir}/scenarios/${a.name}`, { name: a.name, verdict: a.verdict, verdicts: a.verdicts }));
      }
      log(`${figures.length} stored scenario runs judged again by today's expectations:\n${renderSloTable(figures)}`);
      return 0;
    }
    log(renderSloTable(collectRuns(flags['from'])));
    return 0;
  }
  const runs = intFlag(flags, 'runs', 1, 100) ?? 10;
  const seed = intFlag(flags, 'seed', 0, 2 ** 31 - 1) ?? Math.floor(Math.random() * 2 ** 31);
  const names = typeof flags['scenarios'] === 'string' ? flags['scenarios'].split(',').map((s) => s.trim()).filter(Boolean) : SCENARIOS.map((s) => s.name);
  const unknown = names.filter((n) => !findScenario(n));
  if (unknown.length) throw new UsageError(`--scenarios: unknown scenario(s) ${unknown.map((n) => JSON.stringify(n)).join(', ')} (known: ${SCENARIOS.map((s) => s.name).join(', ')})`);
  const scenarios = names.map((n) => findScenario(n)!);
  const benchDir = newRunDir('bench-slo');
  await onTestbed(log, async () => {
    for (let i = 0; i < runs; i++) {
      log(`\n== run ${i + 1}/${runs} (seed ${seed + i})`);
      await runMatrix(connectCluster(), scenarios, { runDir: `${benchDir}/run-${String(i + 1).padStart(2, '0')}`, seed: seed + i, log });
    }
  });
  const figures = collectRuns(benchDir);
  writeFileSync(`${benchDir}/slo-runs.json`, JSON.stringify({ at: new Date().toISOString(), seed, runs, figures }, null, 2));
  log(`\n${renderSloTable(figures)}\nwritten to ${benchDir}/slo-runs.json`);
  return 0;
}

/** Reconnects to the target an entry names (the testbed that is up, or DC/OS by its target file). */
function connectRef(ref: TargetRef): Promise<Cluster> {
  if (ref.kind === 'testbed' && !readState()) return Promise.reject(new Error('the testbed that holds it is not up any more (`haproof down` removed every fault with it)'));
  return ref.kind === 'dcos' ? connectTarget('dcos', ref.file) : connectTarget('testbed');
}

/**
 * Undoes what earlier runs left in the fault ledger; returns how many entries could not be healed. Entries of a
 * testbed that is no longer up are dropped: its namespaces, and every fault in them, went with `down`.
 */
export async function healLeftovers(log: (line: string) => void, quietWhenEmpty = false): Promise<number> {
  const { FaultLedger } = await import('../chaos/faults/fault-ledger.ts');
  const { healLedger, describeEntry } = await import('../chaos/faults/heal-ledger.ts');
  const ledger = new FaultLedger();
  const entries = ledger.entries();
  if (!entries.length) { if (!quietWhenEmpty) log(`fault ledger ${ledger.file}: nothing left`); return 0; }
  log(`fault ledger ${ledger.file}: ${entries.length} fault(s) left by an earlier run:`);
  for (const e of entries) log(`  ${describeEntry(e)}`);
  const up = readState();
  const gone = (t: (typeof entries)[number]['target']) => t.kind === 'testbed' && (!up || (t.instance !== undefined && t.instance !== up.createdAt));
  for (const e of entries.filter((x) => gone(x.target))) {
    ledger.healed(e.id);
    log(`  dropped (its testbed was torn down, and the fault with it): ${describeEntry(e)}`);
  }
  // A runner that is still alive (another terminal, a parallel run) owns its faults: they are left alone.
  const alive = (pid: number) => { if (pid === process.pid) return false; try { process.kill(pid, 0); return true; } catch { return false; } };
  const live = ledger.entries().filter((e) => alive(e.runnerPid));
  for (const e of live) log(`  left alone (its runner, pid ${e.runnerPid}, is still running): ${describeEntry(e)}`);
  const r = await healLedger(ledger, connectRef, log, (e) => !alive(e.runnerPid));
  return r.failed.length;
}

/** `haproof heal`: exit 0 when nothing is left (or all of it was undone), 1 when something could not be healed. */
export async function healCommand(log: (line: string) => void): Promise<number> {
  return (await healLeftovers(log)) === 0 ? 0 : 1;
}

/** `haproof bench-deadman`: on the running testbed (or a fresh one), N runners killed mid-partition, the table. */
export async function benchDeadmanCommand(flags: Record<string, string | boolean>, log: (line: string) => void): Promise<number> {
  const kills = intFlag(flags, 'kills', 1, 100) ?? 20;
  const seed = intFlag(flags, 'seed', 0, 2 ** 31 - 1) ?? Math.floor(Math.random() * 2 ** 31);
  const via = flags['via'] ?? 'dcos';
  if (via !== 'dcos' && via !== 'testbed') throw new UsageError(`--via: must be "dcos" (SSH to the agents, as on a real cluster) or "testbed", got ${JSON.stringify(via)}`);
  const { benchDeadman, renderDeadmanTable, DEADMAN_SCENARIOS, DEADMAN_SCENARIOS_TESTBED } = await import('../chaos/bench/bench-deadman.ts');
  const { waitHealthy } = await import('../chaos/observe/health.ts');
  const { REPO_ROOT } = await import('../testbed/up.ts');
  const { testbedFaultsLeft } = await import('../targets/testbed/faults-left.ts');
  const { testbedPaths } = await import('../testbed/paths.ts');
  const { writeFileSync } = await import('node:fs');
  return onTestbed(log, async () => {
    const cluster = connectCluster();
    const hosts = (await cluster.hosts()).map((h) => h.host);
    const state = readState()!;
    const env: Record<string, string> = via === 'dcos' ? { HAPROOF_TARGET: 'dcos', HAPROOF_DCOS_TARGET: `${testbedPaths(state.cluster).work}/dcos-target.json` } : {};
    log(`bench-deadman: ${kills} runners killed mid-fault through the ${via} target, seed ${seed}`);
    const rows = await benchDeadman({
      bin: `${REPO_ROOT}/bin/haproof.mjs`, cwd: REPO_ROOT, kills, seed, log, env, scenarios: via === 'dcos' ? DEADMAN_SCENARIOS : DEADMAN_SCENARIOS_TESTBED,
      // What the kernel shows, and the tasks the supervisor holds down (a held kill, a crashed host).
      faultsLeft: async () => [...(await testbedFaultsLeft(hosts)), ...(await cluster.tasks()).filter((t) => t.state === 'stopped').map((t) => `${t.task}: held down`)],
      settle: async () => { await waitHealthy(cluster, 180_000, false); },
    });
    const dir = newRunDir('bench-deadman');
    writeFileSync(`${dir}/bench-deadman.json`, JSON.stringify({ at: new Date().toISOString(), seed, via, rows }, null, 2));
    log(`\n${renderDeadmanTable(rows)}\nwritten to ${dir}/bench-deadman.json`);
    cluster.close();
    return rows.every((r) => r.healedAfterKillMs !== null && r.ledgerLeftAfterHeal === 0 && r.healExit === 0) ? 0 : 1;
  });
}

/** Runs `body` on the testbed that is up, or on a fresh one it brings up and tears down afterwards. */
async function onTestbed<T>(log: (line: string) => void, body: () => Promise<T>): Promise<T> {
  const { up } = await import('../testbed/up.ts');
  const { teardown } = await import('../testbed/down.ts');
  const { parseTestbedOptions } = await import('../config/options.ts');
  const ours = !readState();
  if (ours) await up(parseTestbedOptions({}), log);
  try {
    return await body();
  } finally {
    if (ours) await teardown(log);
  }
}
