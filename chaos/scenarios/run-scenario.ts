// Runs one scenario: health → baseline load → fault → heal → wait for recovery → final reads → save → check.
import { readFileSync } from 'node:fs';
import type { Cluster } from '../../targets/cluster.ts';
import { checkAll } from '../../checkers/index.ts';
import { FAULTS } from '../faults/registry.ts';
import { resetAllFaults } from '../faults/reset-all.ts';
import { FaultLedger } from '../faults/fault-ledger.ts';
import type { Fault, Injection } from '../faults/fault.ts';
import { checkHealth, waitHealthy } from '../observe/health.ts';
import { HistoryRecorder, readHistory } from '../../history/history.ts';
import { createScenarioDir, writeScenarioFile, writeScenarioVerdicts } from '../../history/write-run.ts';
import { LedgerWriter } from '../load/ledger-writer.ts';
import { DEFAULT_MIX, OpenModelLoad, waitAuthorized } from '../load/open-model.ts';
import { Observer } from '../observe/observer.ts';
import { settle, settlePeriod } from '../observe/settle.ts';
import { readFinalState } from '../observe/final-state.ts';
import { probeComponent } from '../observe/component-probe.ts';
import { WatchClient } from '../load/watch-client.ts';
import { VegetaWitness } from '../load/vegeta-witness.ts';
import { binaryPaths, readVersions } from '../../upstream/versions.ts';
import { seededRandom } from '../../core/random.ts';
import { withTimeout } from '../../core/with-timeout.ts';
import { BOUNDS_ELECTION_MS, boundsForRun, forElectionTimeout, type Scenario } from './definitions.ts';
import { readEtcdTiming } from '../observe/etcd-timing.ts';

export const RECOVERY_TIMEOUT_MS = 120_000;

export interface ScenarioResult {
  name: string;
  dir: string;
  verdict: 'pass' | 'fail' | 'unknown';
  verdicts: ReturnType<typeof checkAll>['verdicts'];
  injection: Injection | undefined;
  recoveryMs: number | undefined;
  error: string | undefined;
  seconds: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs one scenario and stores its files. It never throws: a scenario that crashes (the cluster never got healthy,
 * the load could not start, …) stores an `unknown` verdict with its error, so the run cannot count it as passed.
 */
export async function runScenario(cluster: Cluster, scenario: Scenario, opts: { runDir: string; seed: number; log: (line: string) => void; faultLedger?: FaultLedger }): Promise<ScenarioResult> {
  const started = Date.now();
  const { dir, historyFile } = createScenarioDir(opts.runDir, scenario.name);
  const history = new HistoryRecorder(historyFile);
  // The wall clock at the history's time 0: what places other suites' results (upstream e2e) on this scenario's clock.
  history.record({ type: 'info', process: 'nemesis', f: 'clock', value: { epochMs: Date.now() - history.now() } });
  try {
    return await runStages(cluster, scenario, opts, dir, historyFile, history, started);
  } catch (e) {
    const error = (e as Error).message;
    opts.log(`[${scenario.name}] could not run: ${error}`);
    history.close();
    writeScenarioFile(dir, { scenario, seed: opts.seed, error });
    writeScenarioVerdicts(dir, { name: scenario.name, verdict: 'unknown', verdicts: [], error });
    return { name: scenario.name, dir, verdict: 'unknown', verdicts: [], injection: undefined, recoveryMs: undefined, error, seconds: (Date.now() - started) / 1000 };
  }
}

/**
 * The scenario with its fault window and bounds for the election timeout the cluster's etcd members run with, read
 * from each member's process once the cluster is healthy (forElectionTimeout). Unreadable, the bounds stay those
 * measured at etcd's default: the strictest.
 */
async function forThisCluster(cluster: Cluster, scenario: Scenario, history: HistoryRecorder, log: (line: string) => void): Promise<Scenario> {
  const timing = await readEtcdTiming(cluster).catch((e: Error) => { log(`etcd's timings unreadable (${e.message}): bounds as measured at ${BOUNDS_ELECTION_MS} ms`); return undefined; });
  history.record({ type: 'info', process: 'nemesis', f: 'etcd-timing', value: timing ?? { unreadable: true } });
  if (!timing) return scenario;
  const judged = forElectionTimeout(scenario, timing.electionMs);
  if (judged !== scenario) log(`etcd election timeout ${timing.electionMs} ms (${[...new Set(timing.members.map((m) => m.source.election))].join(', ')}): fault window ${scenario.faultMs / 1000} s → ${judged.faultMs / 1000} s; if the run holds an election, bounds for up to ${(judged.faultMs - scenario.faultMs) / 1000} s more without a leader`);
  return judged;
}

async function runStages(cluster: Cluster, defined: Scenario, opts: { runDir: string; seed: number; log: (line: string) => void; faultLedger?: FaultLedger }, dir: string, historyFile: string, history: HistoryRecorder, started: number): Promise<ScenarioResult> {
  const log = (line: string) => opts.log(`[${defined.name}] ${line}`);
  const fault = FAULTS[defined.fault.name] as Fault<unknown>;
  let inEffectRecorded = false;
  const inEffect = () => {
    if (inEffectRecorded) return;
    inEffectRecorded = true;
    history.record({ type: 'info', process: 'nemesis', f: 'fault-in-effect', value: { fault: fault.name } });
  };
  const ctx = { cluster, random: seededRandom(opts.seed), log, inEffect };
  let injection: Injection | undefined;
  let recoveryMs: number | undefined;
  let error: string | undefined;
  let probing: Promise<void> | undefined;
  const faultLedger = opts.faultLedger ?? new FaultLedger();
  let ledgerId: string | undefined;

  const health = await checkHealth(cluster, true);
  if (!health.healthy) {
    log(`not healthy before the fault, waiting: ${[...health.problems, ...health.unreadable].join('; ')}`);
    await waitHealthy(cluster, RECOVERY_TIMEOUT_MS, true, log);
  }
  const scenario = await forThisCluster(cluster, defined, history, log);
  if (!(await fault.available(cluster, scenario.fault.params))) throw new Error(`fault ${fault.name} is not available on this cluster`);
  // Its own namespace per run: the namespace of an earlier run of the same scenario may still be terminating.
  const namespace = `haproof-chaos-${scenario.name}`.slice(0, 55).replace(/-+$/, '') + `-${(Date.now() % 36 ** 6).toString(36).padStart(6, '0')}`;
  const token = await withTimeout(cluster.loadToken(namespace), 30_000, 'load token');
  const target = { ip: cluster.vip.ip, port: cluster.vip.port, servername: cluster.vip.name, ca: readFileSync(cluster.caFile), token, namespace };
  await waitAuthorized(target, await cluster.vipBackends());
  const load = new OpenModelLoad(target, history, DEFAULT_MIX, 0, { seed: opts.seed });
  const ledger = new LedgerWriter(cluster.kubeconfig, namespace, history);
  const observer = new Observer(cluster, history);
  // List-and-watch through the VIP and directly against each apiserver (the serving certificate covers the VIP name).
  const apiservers = (await cluster.tasks()).filter((t) => t.role === 'kube-apiserver');
  const watches = [{ via: 'vip', ip: target.ip }, ...apiservers.map((a) => ({ via: a.task, ip: a.ip }))].map((w) => new WatchClient({ ...target, ...w }, history));
  // How long the cluster must stay healthy once it looks recovered (node monitor grace + lease, from its own flags).
  const settleFor = await settlePeriod(cluster);
  // A bound the load can never exceed, whatever happens below.
  const maxLoadMs = scenario.baselineMs + scenario.faultMs + 2 * RECOVERY_TIMEOUT_MS + settleFor.settleMs + scenario.afterMs + 120_000;
  const witness = new VegetaWitness(binaryPaths(readVersions()).vegeta, { ...target, caFile: cluster.caFile }, history, log);
  observer.start();
  for (const w of watches) w.start(maxLoadMs);
  load.start(maxLoadMs);
  witness.start(maxLoadMs);
  ledger.start(maxLoadMs);
  try {
    log(`baseline ${scenario.baselineMs / 1000} s`);
    await sleep(scenario.baselineMs);
    history.record({ type: 'invoke', process: 'nemesis', f: 'fault-start', value: { fault: fault.name, params: scenario.fault.params } });
    // In the ledger before it touches anything: a runner that dies from here on leaves it for `haproof heal`.
    ledgerId = faultLedger.begin({ target: cluster.targetRef, cluster: cluster.name, fault: fault.name, params: scenario.fault.params, scenario: scenario.name });
    injection = await fault.inject(ctx, scenario.fault.params);
    faultLedger.injected(ledgerId, injection);
    history.record({ type: 'info', process: 'nemesis', f: 'fault-start', value: { fault: fault.name, kind: injection.fault, targets: injection.targets } });
    log(`fault ${injection.fault} on ${injection.targets.join(', ')} for ${scenario.faultMs / 1000} s`);
    // A leader kill: from the kill on, does the component do its job again?
    const works = scenario.expectations.componentWorks;
    if (works) probing = probeComponent(cluster, works.component, namespace, history, 60_000);
    await sleep(scenario.faultMs);
    history.record({ type: 'invoke', process: 'nemesis', f: 'fault-end', value: { fault: fault.name, kind: injection.fault, targets: injection.targets } });
    await fault.heal(ctx, injection);
    faultLedger.healed(ledgerId);
    history.record({ type: 'info', process: 'nemesis', f: 'fault-end', value: { fault: fault.name, kind: injection.fault, targets: injection.targets } });
    log('healed; waiting for recovery');
    recoveryMs = await waitHealthy(cluster, RECOVERY_TIMEOUT_MS, true, log);
    history.record({ type: 'info', process: 'nemesis', f: 'recovered', value: { fault: fault.name, msAfterHeal: recoveryMs } });
    log(`looks recovered in ${(recoveryMs / 1000).toFixed(1)} s; settle period ${settleFor.settleMs / 1000} s (node monitor grace ${settleFor.nodeGraceMs / 1000} s + lease ${settleFor.leaseMs / 1000} s)`);
    history.record({ type: 'invoke', process: 'nemesis', f: 'settled', value: settleFor });
    const healedAt = Date.now() - recoveryMs;
    const stableFrom = await settle(cluster, settleFor.settleMs, RECOVERY_TIMEOUT_MS, history, log);
    history.record({ type: 'info', process: 'nemesis', f: 'settled', value: { ...settleFor, stableMsAfterHeal: stableFrom - healedAt } });
    log(`stayed healthy ${settleFor.settleMs / 1000} s; after-phase ${scenario.afterMs / 1000} s`);
    await sleep(scenario.afterMs);
  } catch (e) {
    error = (e as Error).message;
    log(`error: ${error}`);
    // The inject failed halfway: its heal cannot know what was touched, so undo every kind of fault everywhere. The
    // ledger entry goes only when the undo returned.
    const undone = injection ? fault.heal(ctx, injection) : resetAllFaults(cluster, log);
    await undone.then(() => { if (ledgerId) faultLedger.healed(ledgerId); }, (e: Error) => log(`heal failed (left in the fault ledger ${faultLedger.file}): ${e.message}`));
  } finally {
    await probing;
    await Promise.all([load.stop(), ledger.stop(), witness.stop(), ...watches.map((w) => w.stop())]);
    await observer.sample(true).catch(() => undefined);
    await observer.stop();
  }
  await finalRead(cluster, namespace, history, log);
  await readFinalState(cluster, target, history, log);
  await withTimeout(cluster.kube().core.deleteNamespace({ name: namespace }), 10_000, 'namespace delete').catch(() => undefined);
  history.close();
  const ops = readHistory(historyFile);
  const expectations = boundsForRun(defined, scenario, ops);
  if (expectations !== scenario.expectations) log('no etcd election during the fault: judged by the scenario\'s own bounds over the longer window');
  const result = checkAll(ops, expectations);
  const verdict = error ? (result.verdict === 'fail' ? 'fail' : 'unknown') : result.verdict;
  const out: ScenarioResult = { name: scenario.name, dir, verdict, verdicts: result.verdicts, injection, recoveryMs, error, seconds: (Date.now() - started) / 1000 };
  writeScenarioFile(dir, { scenario: { ...scenario, expectations }, seed: opts.seed, injection, recoveryMs, error, load: load.stats() });
  writeScenarioVerdicts(dir, { name: scenario.name, verdict, verdicts: result.verdicts, ...(error ? { error } : {}) });
  log(`verdict ${verdict.toUpperCase()} (${out.seconds.toFixed(0)} s)`);
  return out;
}

/** Reads back every ConfigMap in the scenario's namespace (retrying until the API answers). */
async function finalRead(cluster: Cluster, namespace: string, history: HistoryRecorder, log: (line: string) => void): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    history.record({ type: 'invoke', process: 'final', f: 'final-read' });
    try {
      const names: string[] = [];
      let _continue: string | undefined;
      do {
        const page = await withTimeout(cluster.kube().core.listNamespacedConfigMap({ namespace, limit: 500, _continue }), 10_000, 'final read');
        names.push(...page.items.map((c) => c.metadata?.name ?? ''));
        _continue = page.metadata?._continue;
      } while (_continue);
      history.record({ type: 'ok', process: 'final', f: 'final-read', value: { present: names } });
      return;
    } catch (e) {
      history.record({ type: 'fail', process: 'final', f: 'final-read', error: (e as Error).message.slice(0, 200) });
      if (Date.now() > deadline) { log('final read failed for 60 s'); return; }
      await sleep(1_000);
    }
  }
}
