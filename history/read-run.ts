// Reads one stored run directory (scenarios, verdicts, meta) and lists the runs stored before it; reads files only.
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { parseHistory } from './history.ts';
import type { History } from './history.ts';
import { readPhases, readScenarioUpstream, type PhaseRecord, type ScenarioUpstream } from './upstream-files.ts';
import { metaSchema, readJsonFile, runVerdictsSchema, scenarioFileSchema, scenarioVerdictsSchema, type Meta, type RunVerdicts, type ScenarioFile, type ScenarioVerdicts } from './run-files.ts';

/** One scenario's stored files, each parsed (or the problem that kept it from being read). */
export interface StoredScenario {
  name: string;
  file?: ScenarioFile;
  verdicts?: ScenarioVerdicts;
  history?: History;
  /** The upstream e2e specs that ran while it did (a scenario run beside the upstream suite). */
  upstream?: ScenarioUpstream;
  /** Files that were missing or unreadable. */
  problems: string[];
}

export interface StoredRun {
  name: string;
  runVerdicts: RunVerdicts | undefined;
  meta: Meta | undefined;
  scenarios: StoredScenario[];
  /** The upstream e2e suite's phases (before, during, after chaos), when it ran. */
  upstream: PhaseRecord[];
}

const scenariosDir = (runDir: string): string => join(runDir, 'scenarios');

async function scenarioNames(runDir: string): Promise<string[]> {
  const dir = scenariosDir(runDir);
  if (!existsSync(dir)) return [];
  return (await readdir(dir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort();
}

/** Reads a file if it exists; a missing file is a problem to show, a malformed one an error naming the file. */
async function optional<T>(file: string, read: (file: string) => Promise<T>, problems: string[]): Promise<T | undefined> {
  if (!existsSync(file)) {
    problems.push(`no ${basename(file)}`);
    return undefined;
  }
  try {
    return await read(file);
  } catch (e) {
    problems.push((e as Error).message);
    return undefined;
  }
}

async function readScenario(runDir: string, name: string, fromRun: ScenarioVerdicts | undefined): Promise<StoredScenario> {
  const dir = join(scenariosDir(runDir), name);
  const problems: string[] = [];
  const file = await optional(join(dir, 'scenario.json'), (f) => readJsonFile(f, scenarioFileSchema), problems);
  const history = await optional(join(dir, 'history.jsonl'), async (f) => {
    try {
      return parseHistory(await readFile(f, 'utf8'));
    } catch (e) {
      throw new Error(`${f}: ${(e as Error).message}`);
    }
  }, problems);
  const own = await optional(join(dir, 'verdicts.json'), (f) => readJsonFile(f, scenarioVerdictsSchema), problems);
  let upstream: ScenarioUpstream | undefined;
  try {
    upstream = readScenarioUpstream(dir);
  } catch (e) {
    problems.push((e as Error).message);
  }
  return { name, file, history, verdicts: own ?? fromRun, problems, ...(upstream ? { upstream } : {}) };
}

export async function readRun(runDir: string): Promise<StoredRun> {
  if (!existsSync(runDir)) throw new Error(`${runDir}: no such run directory`);
  const verdictsFile = join(runDir, 'verdicts.json');
  const metaFile = join(runDir, 'meta.json');
  const runVerdicts = existsSync(verdictsFile) ? await readJsonFile(verdictsFile, runVerdictsSchema) : undefined;
  const meta = existsSync(metaFile) ? await readJsonFile(metaFile, metaSchema) : undefined;
  const dirs = await scenarioNames(runDir);
  if (dirs.length === 0 && !runVerdicts) throw new Error(`${runDir} has no scenarios/ directory and no verdicts.json (not a chaos run directory?)`);
  const fromRun = new Map((runVerdicts?.scenarios ?? []).map((s) => [s.name, s]));
  // Scenarios that could not run have an entry in the run's verdicts.json but no directory.
  const names = [...new Set([...dirs, ...fromRun.keys()])].sort();
  const scenarios = await Promise.all(
    names.map((n) => (dirs.includes(n) ? readScenario(runDir, n, fromRun.get(n)) : Promise.resolve<StoredScenario>({ name: n, verdicts: fromRun.get(n), problems: ['no scenario directory'] }))),
  );
  return { name: basename(runDir), runVerdicts, meta, scenarios, upstream: readPhases(runDir) };
}

/** Every scenario's own verdicts.json, in name order (scenarios without one are left out). */
export async function readScenarioVerdictFiles(runDir: string): Promise<ScenarioVerdicts[]> {
  const own: ScenarioVerdicts[] = [];
  for (const name of await scenarioNames(runDir)) {
    const file = join(scenariosDir(runDir), name, 'verdicts.json');
    if (existsSync(file)) own.push(await readJsonFile(file, scenarioVerdictsSchema));
  }
  return own;
}

/** A run's scenario verdicts for the trend: each scenario's verdicts.json, else the run-level verdicts.json; undefined if neither. */
export async function readStoredVerdicts(runDir: string): Promise<ScenarioVerdicts[] | undefined> {
  const own = await readScenarioVerdictFiles(runDir);
  if (own.length) return own;
  const runFile = join(runDir, 'verdicts.json');
  return existsSync(runFile) ? (await readJsonFile(runFile, runVerdictsSchema)).scenarios : undefined;
}

/** Run directories under `runsRoot` whose names (timestamps first) sort before `runName`, oldest first. */
export async function runsBefore(runsRoot: string, runName: string): Promise<string[]> {
  if (!existsSync(runsRoot)) return [];
  return (await readdir(runsRoot, { withFileTypes: true }))
    .filter((d) => d.isDirectory() && d.name < runName)
    .map((d) => join(runsRoot, d.name))
    .sort();
}
