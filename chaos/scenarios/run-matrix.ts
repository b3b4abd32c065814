// Runs a list of scenarios in order against one cluster and writes the run's verdicts.json and meta.json.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Cluster } from '../../targets/cluster.ts';
import { checkAll } from '../../checkers/index.ts';
import { readHistory } from '../../history/history.ts';
import { seededRandom } from '../../core/random.ts';
import { runScenario, type ScenarioResult } from './run-scenario.ts';
import type { Fault } from '../faults/fault.ts';
import { FAULTS } from '../faults/registry.ts';
import { SCENARIOS, scenarioSchema, type Scenario } from './definitions.ts';

export function pickRandom(seed: number, k: number): Scenario[] {
  const random = seededRandom(seed);
  return Array.from({ length: k }, () => SCENARIOS[Math.floor(random() * SCENARIOS.length)]!);
}

export async function runMatrix(cluster: Cluster, scenarios: Scenario[], opts: { runDir: string; seed: number; log: (line: string) => void }): Promise<ScenarioResult[]> {
  const started = Date.now();
  const results: ScenarioResult[] = [];
  for (const [i, s] of scenarios.entries()) {
    opts.log(`scenario ${i + 1}/${scenarios.length}: ${s.name} — ${s.description}`);
    const fault = FAULTS[s.fault.name] as Fault<unknown>;
    if (!(await fault.available(cluster, s.fault.params))) {
      opts.log(`[${s.name}] skipped: fault ${s.fault.name} is not available on this target`);
      continue;
    }
    // Repeated scenarios (random mode) get their own directory.
    const named = scenarios.slice(0, i).some((x) => x.name === s.name) ? { ...s, name: `${s.name}-${i + 1}` } : s;
    try {
      results.push(await runScenario(cluster, named, { ...opts, seed: opts.seed + i }));
    } catch (e) {
      opts.log(`[${s.name}] could not run: ${(e as Error).message}`);
      results.push({ name: named.name, dir: '', verdict: 'unknown', verdicts: [], injection: undefined, recoveryMs: undefined, error: (e as Error).message, seconds: 0 });
    }
  }
  writeRunVerdicts(opts.runDir, opts.seed, (Date.now() - started) / 1000);
  return results;
}

/** The run-level verdicts.json, gathered from each scenario's stored verdicts. */
export function writeRunVerdicts(runDir: string, seed: number, seconds: number): void {
  const dir = join(runDir, 'scenarios');
  const scenarios = existsSync(dir)
    ? readdirSync(dir).sort().filter((n) => existsSync(join(dir, n, 'verdicts.json'))).map((n) => JSON.parse(readFileSync(join(dir, n, 'verdicts.json'), 'utf8')) as { verdict: string })
    : [];
  const verdict = scenarios.some((s) => s.verdict === 'fail') ? 'fail' : scenarios.some((s) => s.verdict !== 'pass') || !scenarios.length ? 'unknown' : 'pass';
  writeFileSync(join(runDir, 'verdicts.json'), JSON.stringify({ verdict, seed, seconds, scenarios }, null, 2));
}

export interface AnalyzedScenario {
  name: string;
  verdict: 'pass' | 'fail' | 'unknown';
  stored: string | undefined;
  verdicts: ReturnType<typeof checkAll>['verdicts'];
}

/** Recomputes every scenario's verdicts from the stored history and scenario files — no cluster needed. */
export function analyzeRun(runDir: string): AnalyzedScenario[] {
  const dir = join(runDir, 'scenarios');
  if (!existsSync(dir)) throw new Error(`${runDir} has no scenarios/ directory (not a chaos run directory?)`);
  return readdirSync(dir).sort().map((name) => {
    const meta = JSON.parse(readFileSync(join(dir, name, 'scenario.json'), 'utf8')) as { scenario: unknown; error?: string };
    const scenario = scenarioSchema.parse(meta.scenario);
    const r = checkAll(readHistory(join(dir, name, 'history.jsonl')), scenario.expectations);
    const storedFile = join(dir, name, 'verdicts.json');
    const stored = existsSync(storedFile) ? (JSON.parse(readFileSync(storedFile, 'utf8')) as { verdict: string }).verdict : undefined;
    const verdict = meta.error ? (r.verdict === 'fail' ? 'fail' : 'unknown') : r.verdict;
    return { name, verdict, stored, verdicts: r.verdicts };
  });
}

/** One line per scenario (pure). */
export function renderResults(rows: Array<{ name: string; verdict: string; verdicts: ScenarioResult['verdicts'] }>): string {
  return rows.map((r) => {
    const why = r.verdicts.filter((v) => v.verdict !== 'pass').map((v) => `${v.checker}: ${v.verdict}${v.reasons.length ? ` (${v.reasons.join('; ')})` : ''}`);
    const avail = r.verdicts.find((v) => v.checker === 'availability')?.figures as { availabilityPct?: number } | undefined;
    return `  ${r.verdict.toUpperCase().padEnd(8)} ${r.name.padEnd(34)} ${avail?.availabilityPct !== undefined ? `${avail.availabilityPct.toFixed(2)}% available` : ''}${why.length ? `\n           ${why.join('\n           ')}` : ''}`;
  }).join('\n');
}
