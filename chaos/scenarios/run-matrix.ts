// The one matrix driver: plans the scenario list (names, seeds, skips), runs each in order against one cluster, and
// writes the run's verdicts.json. `haproof run`, the `chaos` and `dcos-target` test projects all go through it.
import type { Cluster } from '../../targets/cluster.ts';
import { checkAll } from '../../checkers/index.ts';
import { checkUpstreamE2e } from '../../checkers/check-upstream-e2e.ts';
import type { Verdict } from '../../history/verdict.ts';
import { readRun } from '../../history/read-run.ts';
import type { ScenarioVerdicts } from '../../history/run-files.ts';
import { writeRunVerdicts } from '../../history/write-run.ts';
import { overallVerdict, type VerdictValue } from '../../history/verdict.ts';
import { seededRandom } from '../../core/random.ts';
import { runScenario, type ScenarioResult } from './run-scenario.ts';
import type { Fault } from '../faults/fault.ts';
import { FAULTS } from '../faults/registry.ts';
import { SCENARIOS, scenarioSchema, type Scenario } from './definitions.ts';

export function pickRandom(seed: number, k: number): Scenario[] {
  const random = seededRandom(seed);
  return Array.from({ length: k }, () => SCENARIOS[Math.floor(random() * SCENARIOS.length)]!);
}

/** One planned scenario: its (unique) name in the run and its own seed (the run's seed + its position). */
export interface PlannedScenario {
  scenario: Scenario;
  seed: number;
}

/** The plan of a matrix (pure): a repeated scenario (random mode) gets its own name, each its own seed. */
export function planMatrix(scenarios: Scenario[], seed: number): PlannedScenario[] {
  return scenarios.map((s, i) => ({
    scenario: scenarios.slice(0, i).some((x) => x.name === s.name) ? { ...s, name: `${s.name}-${i + 1}` } : s,
    seed: seed + i,
  }));
}

/** Why a scenario cannot run on this cluster (its fault needs a capability the target lacks), or undefined. */
export async function skipReason(cluster: Cluster, scenario: Scenario): Promise<string | undefined> {
  const fault = FAULTS[scenario.fault.name] as Fault<unknown>;
  return (await fault.available(cluster, scenario.fault.params)) ? undefined : `fault ${scenario.fault.name} is not available on this target`;
}

export interface MatrixResult {
  results: ScenarioResult[];
  skipped: Array<{ name: string; reason: string }>;
  verdict: VerdictValue;
}

export async function runMatrix(cluster: Cluster, scenarios: Scenario[], opts: { runDir: string; seed: number; log: (line: string) => void }): Promise<MatrixResult> {
  const started = Date.now();
  const results: ScenarioResult[] = [];
  const skipped: MatrixResult['skipped'] = [];
  const plan = planMatrix(scenarios, opts.seed);
  for (const [i, p] of plan.entries()) {
    opts.log(`scenario ${i + 1}/${plan.length}: ${p.scenario.name} — ${p.scenario.description}`);
    const reason = await skipReason(cluster, p.scenario);
    if (reason) {
      opts.log(`[${p.scenario.name}] skipped: ${reason}`);
      skipped.push({ name: p.scenario.name, reason });
      continue;
    }
    results.push(await runScenario(cluster, p.scenario, { runDir: opts.runDir, seed: p.seed, log: opts.log }));
  }
  const stored = await finishMatrix(opts.runDir, opts.seed, started);
  return { results, skipped, verdict: stored.verdict };
}

/** Writes the run-level verdicts.json from every scenario's stored verdicts. */
export async function finishMatrix(runDir: string, seed: number, startedMs: number): Promise<{ verdict: VerdictValue; scenarios: ScenarioVerdicts[] }> {
  const scenarios = await writeRunVerdicts(runDir, seed, (Date.now() - startedMs) / 1000);
  return { verdict: overallVerdict(scenarios), scenarios };
}

export interface AnalyzedScenario {
  name: string;
  verdict: VerdictValue;
  stored: VerdictValue | undefined;
  verdicts: ReturnType<typeof checkAll>['verdicts'];
}

/**
 * Recomputes every scenario's verdicts from the stored history and scenario files — no cluster needed. With
 * `current`, each scenario is judged by today's expectations of the same name instead of those stored with it.
 */
export async function analyzeRun(runDir: string, current?: (name: string) => Scenario['expectations'] | undefined): Promise<AnalyzedScenario[]> {
  const run = await readRun(runDir);
  if (!run.scenarios.length) throw new Error(`${runDir} has no scenarios (not a chaos run directory?)`);
  return run.scenarios.map((s) => {
    if (!s.file || !s.history) {
      return { name: s.name, verdict: 'unknown' as const, stored: s.verdicts?.verdict, verdicts: [{ checker: 'stored-files', verdict: 'unknown' as const, figures: {}, reasons: s.problems }] };
    }
    const scenario = scenarioSchema.parse(s.file.scenario);
    const checked = checkAll(s.history, current?.(s.name) ?? scenario.expectations);
    // A scenario run beside the upstream suite is judged by it too (its specs stored with the scenario).
    const verdicts: Verdict[] = s.upstream ? [...checked.verdicts, checkUpstreamE2e(s.history, s.upstream)] : checked.verdicts;
    const r = { verdict: overallVerdict(verdicts), verdicts };
    const verdict = s.file.error ? (r.verdict === 'fail' ? 'fail' : 'unknown') : r.verdict;
    return { name: s.name, verdict, stored: s.verdicts?.verdict, verdicts: r.verdicts };
  });
}

/** The stored verdicts of a run as rows for `renderResults` (reads files only; judges nothing). */
export function storedRows(scenarios: ScenarioVerdicts[]): Array<{ name: string; verdict: string; verdicts: ScenarioResult['verdicts'] }> {
  return scenarios.map((s) => ({ name: s.name, verdict: s.verdict, verdicts: s.verdicts.map((v) => ({ ...v, figures: v.figures })) }));
}

/** One line per scenario (pure). */
export function renderResults(rows: Array<{ name: string; verdict: string; verdicts: ScenarioResult['verdicts']; error?: string }>): string {
  return rows.map((r) => {
    const why = r.verdicts.filter((v) => v.verdict !== 'pass').map((v) => `${v.checker}: ${v.verdict}${v.reasons.length ? ` (${v.reasons.join('; ')})` : ''}`);
    if (r.error) why.unshift(`error: ${r.error}`);
    const avail = r.verdicts.find((v) => v.checker === 'availability')?.figures as { availabilityPct?: number } | undefined;
    return `  ${r.verdict.toUpperCase().padEnd(8)} ${r.name.padEnd(34)} ${avail?.availabilityPct !== undefined ? `${avail.availabilityPct.toFixed(2)}% available` : ''}${why.length ? `\n           ${why.join('\n           ')}` : ''}`;
  }).join('\n');
}

