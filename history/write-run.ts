// Writes a run directory's files — the one writer, beside history/read-run.ts, the one reader (layout in README).
//   <run>/meta.json                       versions, topology, options, machine (testbed up or connect)
//   <run>/verdicts.json                   the run's verdict over every scenario that ran (or crashed)
//   <run>/scenarios/<name>/history.jsonl  one history: client operations, faults, observations (history.ts)
//   <run>/scenarios/<name>/scenario.json  definition, seed, injection, recovery, error, load statistics
//   <run>/scenarios/<name>/verdicts.json  each checker's verdict with its figures (what the report shows)
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readScenarioVerdictFiles } from './read-run.ts';
import type { ScenarioVerdicts } from './run-files.ts';
import { overallVerdict, type Verdict, type VerdictValue } from './verdict.ts';

export function scenarioDir(runDir: string, name: string): string {
  return join(runDir, 'scenarios', name);
}

/** Creates the scenario's directory and an empty history file; returns their paths. */
export function createScenarioDir(runDir: string, name: string): { dir: string; historyFile: string } {
  const dir = scenarioDir(runDir, name);
  mkdirSync(dir, { recursive: true });
  const historyFile = join(dir, 'history.jsonl');
  writeFileSync(historyFile, '');
  return { dir, historyFile };
}

function writeJson(file: string, value: unknown): void {
  writeFileSync(file, JSON.stringify(value, null, 2));
}

/** scenario.json: what ran (the definition is stored whole so `analyze` can re-judge with its expectations). */
export function writeScenarioFile(dir: string, file: { scenario: unknown; seed: number; injection?: unknown; recoveryMs?: number; error?: string; load?: unknown; [k: string]: unknown }): void {
  writeJson(join(dir, 'scenario.json'), file);
}

export function writeScenarioVerdicts(dir: string, verdicts: { name: string; verdict: VerdictValue; verdicts: ReadonlyArray<Verdict>; error?: string }): void {
  writeJson(join(dir, 'verdicts.json'), verdicts);
}

export function writeMeta(runDir: string, meta: Record<string, unknown>): void {
  mkdirSync(runDir, { recursive: true });
  writeJson(join(runDir, 'meta.json'), meta);
}

/**
 * The run-level verdicts.json, gathered from each scenario's stored verdicts (a scenario that crashed stored an
 * `unknown` verdict with its error, so it counts). No scenario at all is `unknown`, never `pass`.
 */
export async function writeRunVerdicts(runDir: string, seed: number, seconds: number): Promise<ScenarioVerdicts[]> {
  const scenarios = await readScenarioVerdictFiles(runDir);
  const verdict = overallVerdict(scenarios);
  mkdirSync(runDir, { recursive: true });
  writeJson(join(runDir, 'verdicts.json'), { verdict, seed, seconds, scenarios });
  return scenarios;
}
