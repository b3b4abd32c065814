// The upstream e2e set as a peer suite of a chaos run: once on the fresh cluster (`before`), once while chaos scenarios
// run one after another (`during`: the specs are load beside haproof's own, and each scenario gets an `upstream-e2e`
// verdict from the specs that ran while it did), once after the matrix (`after`). Each phase is stored in the run
// directory (upstream-e2e/<phase>.json, each process's JUnit and output beside it) for the report and Allure.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join, relative } from 'node:path';
import type { Cluster } from '../../targets/cluster.ts';
import { checkUpstreamE2e } from '../../checkers/check-upstream-e2e.ts';
import { phaseFile, phaseRecordSchema, scenarioUpstreamSchema, SCENARIO_UPSTREAM_FILE, upstreamDir, type PhaseRecord, type ScenarioUpstream, type UpstreamPhase } from '../../history/upstream-files.ts';
import { readHistory } from '../../history/history.ts';
import { faultSpan } from '../../history/operations.ts';
import { overallVerdict } from '../../history/verdict.ts';
import { scenarioVerdictsSchema } from '../../history/run-files.ts';
import { writeScenarioVerdicts } from '../../history/write-run.ts';
import { e2eBinaryPath, readVersions } from '../../upstream/versions.ts';
import { runScenario, type ScenarioResult } from '../scenarios/run-scenario.ts';
import type { PlannedScenario } from '../scenarios/run-matrix.ts';
import type { Scenario } from '../scenarios/definitions.ts';
import { isSlowSpec, runUpstreamSet } from './run-set.ts';
import { awaitE2eCleanup } from './await-cleanup.ts';
import { readSpecList } from './spec-list.ts';

/** e2e.test processes at once (the [Serial] specs then run alone). Measured here: see README "Upstream conformance". */
export const DEFAULT_PROCESSES = 3;
/** Each process's own deadline: a pass takes minutes; a hung one must not hold the run for its whole budget. */
const PROCESS_TIMEOUT_MS = 20 * 60_000;

/** What keeps a phase from being green: failed specs, specs not run, the suite's own failures (pure). */
export function phaseProblems(r: PhaseRecord): string[] {
  return [
    ...r.results.filter((s) => s.outcome === 'failed').map((s) => `FAILED ${s.name}: ${s.message ?? s.state}`),
    ...r.missing.map((m) => `NOT RUN ${m.name}: ${m.why}`),
    ...r.suiteFailures.map((f) => `SUITE ${f}`),
  ];
}

/**
 * The specs a phase runs (pure): the set less its [Slow] specs (the chunking spec waits 5–10 min for an etcd
 * compaction, longer than any fault), which run before chaos only and only when `slow` is asked for (npm start and the
 * nightly job; npm test leaves them out of its 90-minute budget).
 */
export function phaseSpecs(phase: UpstreamPhase, set: readonly string[], slow = false): { specs: string[]; leftOut: PhaseRecord['leftOut'] } {
  if (phase === 'before' && slow) return { specs: [...set], leftOut: [] };
  const reason = phase === 'before'
    ? 'upstream marks it [Slow] (it waits 5–10 min for an etcd compaction): run by npm start, the nightly job and `haproof upstream-e2e`, left out of npm test\'s budget'
    : 'upstream marks it [Slow] (it waits 5–10 min for an etcd compaction, longer than any fault): run before chaos only';
  return { specs: set.filter((s) => !isSlowSpec(s)), leftOut: set.filter(isSlowSpec).map((name) => ({ name, reason })) };
}

/** Whether the before phase runs the [Slow] specs too (the main job, `npm start`, sets it). */
export const slowSpecsWanted = (): boolean => process.env['HAPROOF_UPSTREAM_SLOW'] === '1';

/**
 * The scenarios the upstream set runs beside (the issue's set: a leader election, an apiserver's death, a rolling
 * restart, a member replaced). In npm test and npm start they run there, as `<name>-with-e2e`, instead of in the chaos
 * matrix: judged by the same checkers, with the upstream suite's verdict besides.
 */
export const DURING_E2E: readonly string[] = ['kill-etcd-leader', 'sigkill-apiserver', 'rolling-restart-apiservers', 'replace-etcd-0'];

/**
 * Bounds that cannot mean beside the upstream suite what they mean beside haproof's load alone, per scenario, with why.
 * Such a scenario runs twice: in the chaos matrix with all its bounds (where they were measured), and here without them.
 *
 * rolling-restart-apiservers' `maxUnknown` (6 client timeouts in the whole run): beside the upstream set this 2-core
 * machine's control plane stalls with no fault at all — creates waited past the load's 2 s timeout in the baseline
 * (1, before any restart) and in the settle period 30 s after the last one (6 within 0.1 s): stored in
 * suites/unit/data/regressions/rolling-restart-with-e2e-timeouts-without-fault.jsonl (19 timeouts, 0 definite
 * failures; three of five runs of session 10 beside `haproof upstream-e2e` went over 6 — 11, 19, 15; the others 2 and
 * 1 — while the same scenario alone had 0; one CI run got 2 definite failures, its history not kept). A timeout count there measures the machine, not the drain. Definite failures (refused, 5xx)
 * stay bounded at 0 here, and every unknown write is still judged by no-lost-writes.
 */
const UNDER_UPSTREAM_LOAD: Record<string, { why: string; drop: (e: Scenario['expectations']) => Scenario['expectations'] }> = {
  'rolling-restart-apiservers': {
    why: 'client timeouts are not bounded beside the upstream suite (it stalls this machine with no fault); the chaos matrix bounds them',
    drop: (e) => (e.availability?.slo ? { ...e, availability: { ...e.availability, slo: { ...e.availability.slo, maxUnknown: undefined } } } : e),
  },
};

/** Whether the chaos matrix must still run a DURING_E2E scenario itself: its variant here drops a bound (pure). */
export const judgedInMatrixToo = (name: string): boolean => UNDER_UPSTREAM_LOAD[name] !== undefined;

/** The scenario as it runs beside the upstream suite: `<name>-with-e2e`, with the bounds above dropped (pure). */
export function withUpstreamLoad(s: Scenario): Scenario {
  const change = UNDER_UPSTREAM_LOAD[s.name];
  return { ...s, name: `${s.name}-with-e2e`, ...(change ? { expectations: change.drop(s.expectations), description: `${s.description} Beside the upstream suite: ${change.why}.` } : {}) };
}

/**
 * e2e.test processes while chaos runs: one, so that the set (≈ 8 min here) outlasts the four scenarios (≈ 6 min) and
 * every one of them has specs running through its fault, and so that the specs add the least CPU to the machine whose
 * load generator must stay on schedule (the load-validity checker).
 */
export const DURING_PROCESSES = 1;

interface PhaseRun {
  record: PhaseRecord;
  file: string;
}

async function runPhaseSet(cluster: Cluster, phase: UpstreamPhase, runDir: string, processes: number, log: (line: string) => void): Promise<PhaseRecord> {
  const v = readVersions();
  const list = readSpecList();
  if (list.kubernetes !== v.kubernetes) throw new Error(`chaos/upstream-e2e/specs.json was chosen for ${list.kubernetes}, the control plane is ${v.kubernetes}: run \`haproof upstream-e2e --select\` again`);
  const { specs, leftOut } = phaseSpecs(phase, list.run, phase === 'before' && slowSpecsWanted());
  const outDir = join(upstreamDir(runDir), phase);
  const r = await runUpstreamSet({ binary: e2eBinaryPath(v), kubeconfig: cluster.kubeconfig, specs, outDir, processes, timeoutMs: PROCESS_TIMEOUT_MS, log });
  const cleanup = await awaitE2eCleanup(cluster, log);
  return {
    phase, kubernetes: v.kubernetes, asked: specs.length, leftOut, processes: r.processes, startedMs: r.startedMs, wallMs: r.wallMs,
    results: r.results, missing: r.missing, suiteFailures: r.suiteFailures,
    junit: r.junit.map((j) => relative(runDir, j)), scenarios: [], cleanup,
  };
}

function store(runDir: string, record: PhaseRecord): PhaseRun {
  mkdirSync(upstreamDir(runDir), { recursive: true });
  const file = phaseFile(runDir, record.phase);
  writeFileSync(file, `${JSON.stringify(phaseRecordSchema.parse(record), null, 2)}\n`);
  return { record, file };
}

/** Runs the set once on the cluster as it is (before or after chaos) and stores the phase. */
export async function runUpstreamPhase(cluster: Cluster, phase: 'before' | 'after', runDir: string, log: (line: string) => void, processes = DEFAULT_PROCESSES): Promise<PhaseRun> {
  log(`upstream e2e, ${phase} chaos`);
  return store(runDir, await runPhaseSet(cluster, phase, runDir, processes, log));
}

/** The scenario's wall clock at its history's time 0 (its `clock` op), or undefined for histories without one. */
function historyEpoch(historyFile: string): { epochMs: number; faultFrom?: number; faultTo?: number; end: number } | undefined {
  const h = readHistory(historyFile);
  const clock = h.find((op) => op.process === 'nemesis' && op.f === 'clock');
  const epochMs = (clock?.value as { epochMs?: unknown } | undefined)?.epochMs;
  if (typeof epochMs !== 'number') return undefined;
  const { from, to, end } = faultSpan(h);
  return { epochMs, end, ...(from !== undefined ? { faultFrom: from, faultTo: to } : {}) };
}

/** The phase's specs on one scenario's clock (pure): those that ran (passed or failed) with their times. */
export function onScenarioClock(record: PhaseRecord, epochMs: number): ScenarioUpstream {
  const problems = [...record.missing.map((m) => `${m.name} did not run: ${m.why}`), ...record.suiteFailures];
  return scenarioUpstreamSchema.parse({
    kubernetes: record.kubernetes,
    complete: problems.length === 0,
    problems: problems.slice(0, 10),
    specs: record.results.flatMap((s) => (s.outcome === 'skipped' || s.startMs === undefined || s.endMs === undefined ? [] : [{
      name: s.name, outcome: s.outcome, start: s.startMs - epochMs, end: s.endMs - epochMs,
      ...(s.failedMs !== undefined ? { failedAt: s.failedMs - epochMs } : {}), ...(s.message ? { message: s.message } : {}),
    }])),
  });
}

/**
 * Runs the scenarios one after another while the set runs (the set starts first; the last scenario is followed by
 * waiting for the set to end), then gives each scenario its `upstream-e2e` verdict (scenarios/<name>/upstream-e2e.json
 * and its verdicts.json) and stores the phase.
 */
export async function runDuringChaos(cluster: Cluster, planned: readonly PlannedScenario[], runDir: string, log: (line: string) => void, processes = DURING_PROCESSES): Promise<{ phase: PhaseRun; scenarios: ScenarioResult[] }> {
  log(`upstream e2e during ${planned.length} chaos scenarios: ${planned.map((p) => p.scenario.name).join(', ')}`);
  const set = runPhaseSet(cluster, 'during', runDir, processes, log);
  // A set that fails at once is reported, but the scenarios still run (their own verdicts stand without it).
  set.catch(() => undefined);
  const scenarios: ScenarioResult[] = [];
  for (const p of planned) {
    const started = Date.now();
    const r = await runScenario(cluster, p.scenario, { runDir, seed: p.seed, log });
    scenarios.push(r);
    log(`[${p.scenario.name}] ran ${((Date.now() - started) / 1000).toFixed(0)} s beside the upstream suite`);
  }
  log('scenarios done; waiting for the upstream suite to end');
  const record = await set;
  for (const s of scenarios) {
    const clock = historyEpoch(join(s.dir, 'history.jsonl'));
    if (!clock) continue;
    record.scenarios.push({
      name: s.name, startMs: clock.epochMs, endMs: clock.epochMs + clock.end,
      ...(clock.faultFrom !== undefined ? { faultFromMs: clock.epochMs + clock.faultFrom, faultToMs: clock.epochMs + clock.faultTo! } : {}),
    });
    const upstream = onScenarioClock(record, clock.epochMs);
    writeFileSync(join(s.dir, SCENARIO_UPSTREAM_FILE), `${JSON.stringify(upstream, null, 2)}\n`);
    const verdict = checkUpstreamE2e(readHistory(join(s.dir, 'history.jsonl')), upstream);
    const stored = scenarioVerdictsSchema.parse(JSON.parse(readFileSync(join(s.dir, 'verdicts.json'), 'utf8')));
    const verdicts = [...stored.verdicts.filter((x) => x.checker !== 'upstream-e2e'), verdict];
    const combined = stored.error ? (overallVerdict(verdicts) === 'fail' ? 'fail' : 'unknown') : overallVerdict(verdicts);
    writeScenarioVerdicts(s.dir, { ...stored, verdict: combined, verdicts });
    s.verdicts = verdicts as ScenarioResult['verdicts'];
    s.verdict = combined;
    log(`[${s.name}] upstream e2e: ${verdict.verdict.toUpperCase()} — ${verdict.figures.judged} specs ran while it did, ${verdict.figures.duringFault} during its fault, ${verdict.figures.failed} failed${verdict.reasons.length ? `: ${verdict.reasons.join('; ')}` : ''}`);
  }
  return { phase: store(runDir, record), scenarios };
}

/** Specs of a during phase that ran while no scenario did (between two), which a healthy cluster must pass (pure). */
export function specsBetweenScenarios(record: PhaseRecord): PhaseRecord['results'] {
  return record.results.filter((s) => s.startMs !== undefined && s.endMs !== undefined && !record.scenarios.some((c) => s.startMs! <= c.endMs && s.endMs! >= c.startMs));
}

/** Where in the run a spec ran, for Allure's suites and the report (pure). */
export function specPlace(record: PhaseRecord, s: { startMs?: number | undefined; endMs?: number | undefined }): string {
  if (record.phase !== 'during') return `${record.phase} chaos`;
  const over = record.scenarios.filter((c) => s.startMs !== undefined && s.endMs !== undefined && s.startMs <= (c.faultToMs ?? -1) && s.endMs >= (c.faultFromMs ?? Infinity));
  if (over.length) return `during the fault of ${over.map((c) => c.name).join(', ')}`;
  const beside = record.scenarios.filter((c) => s.startMs !== undefined && s.endMs !== undefined && s.startMs <= c.endMs && s.endMs >= c.startMs);
  return beside.length ? `during ${beside.map((c) => c.name).join(', ')}, outside its fault` : 'between scenarios';
}

/** Allure result files (allure2 JSON) for each spec of a phase, one per spec (pure but for the uuids). */
export function allureResults(record: PhaseRecord): Array<Record<string, unknown>> {
  return record.results.map((s) => {
    const uuid = randomUUID();
    return {
      uuid, historyId: `upstream-e2e/${record.phase}/${s.name}`, name: s.name, fullName: `upstream e2e ${record.kubernetes} › ${record.phase} › ${s.name}`,
      status: s.outcome === 'passed' ? 'passed' : s.outcome === 'failed' ? 'failed' : 'skipped',
      statusDetails: s.message ? { message: s.message } : {},
      stage: 'finished', start: s.startMs ?? record.startedMs, stop: s.endMs ?? record.startedMs + record.wallMs,
      labels: [
        { name: 'parentSuite', value: `upstream e2e ${record.kubernetes}` }, { name: 'suite', value: `${record.phase} chaos` },
        { name: 'subSuite', value: specPlace(record, s) }, { name: 'framework', value: 'ginkgo' }, { name: 'tag', value: 'upstream-e2e' },
      ],
      steps: [], attachments: [], parameters: [],
    };
  });
}

/** Writes a phase's per-spec Allure results into Allure's results directory. */
export function writeAllureResults(record: PhaseRecord, resultsDir: string): void {
  mkdirSync(resultsDir, { recursive: true });
  for (const r of allureResults(record)) writeFileSync(join(resultsDir, `${String(r['uuid'])}-result.json`), JSON.stringify(r));
}
