// The upstream e2e suite's stored files in a run directory: upstream-e2e/<phase>.json (each phase of the set: before,
// during and after chaos, wall-clock ms) and scenarios/<name>/upstream-e2e.json (the specs that ran while a scenario
// did, on its history's clock). Written by chaos/upstream-e2e/phases.ts; read by the checker, analyze and the report.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { readJsonFileSync } from './run-files.ts';

export const UPSTREAM_PHASES = ['before', 'during', 'after'] as const;
export type UpstreamPhase = (typeof UPSTREAM_PHASES)[number];

const specSchema = z.strictObject({
  name: z.string(), outcome: z.enum(['passed', 'failed', 'skipped']), state: z.string(),
  startMs: z.number().optional(), endMs: z.number().optional(), failedMs: z.number().optional(), message: z.string().optional(),
});

/** upstream-e2e/<phase>.json (wall-clock ms throughout). */
export const phaseRecordSchema = z.strictObject({
  phase: z.enum(UPSTREAM_PHASES),
  kubernetes: z.string(),
  /** Specs asked for, and the set's specs this phase left out (with why). */
  asked: z.number(),
  leftOut: z.array(z.strictObject({ name: z.string(), reason: z.string() })),
  processes: z.number(),
  startedMs: z.number(),
  wallMs: z.number(),
  results: z.array(specSchema),
  missing: z.array(z.strictObject({ name: z.string(), why: z.string() })),
  suiteFailures: z.array(z.string()),
  /** Each process's JUnit report, relative to the run directory. */
  junit: z.array(z.string()),
  /** During: the scenarios that ran meanwhile, each with its fault window (fault start → settled) when it had one. */
  scenarios: z.array(z.strictObject({ name: z.string(), startMs: z.number(), endMs: z.number(), faultFromMs: z.number().optional(), faultToMs: z.number().optional() })).default([]),
  /** The suite's namespaces, which it deletes without waiting: how many were left at its end, and how long they took to go. */
  cleanup: z.strictObject({ namespacesAtEnd: z.number(), waitedMs: z.number(), namespacesLeft: z.number() }).optional(),
});
export type PhaseRecord = z.infer<typeof phaseRecordSchema>;

/** scenarios/<name>/upstream-e2e.json: the upstream specs that ran while the scenario did, on its history's clock (ms). */
export const scenarioUpstreamSchema = z.strictObject({
  kubernetes: z.string(),
  /** The phase's suite ended with every spec reported and none of its own nodes failed. */
  complete: z.boolean(),
  /** Why it is not complete (a process that failed, specs not run). */
  problems: z.array(z.string()),
  specs: z.array(z.strictObject({
    name: z.string(),
    outcome: z.enum(['passed', 'failed']),
    start: z.number(),
    end: z.number(),
    failedAt: z.number().optional(),
    message: z.string().optional(),
  })),
});
export type ScenarioUpstream = z.infer<typeof scenarioUpstreamSchema>;

export const UPSTREAM_DIR_NAME = 'upstream-e2e';
export const SCENARIO_UPSTREAM_FILE = 'upstream-e2e.json';
export const upstreamDir = (runDir: string): string => join(runDir, UPSTREAM_DIR_NAME);
export const phaseFile = (runDir: string, phase: UpstreamPhase): string => join(upstreamDir(runDir), `${phase}.json`);

/** Every stored phase of a run, in phase order. */
export function readPhases(runDir: string): PhaseRecord[] {
  const dir = upstreamDir(runDir);
  if (!existsSync(dir)) return [];
  const present = new Set(readdirSync(dir));
  return UPSTREAM_PHASES.filter((p) => present.has(`${p}.json`)).map((p) => readJsonFileSync(phaseFile(runDir, p), phaseRecordSchema));
}

/** A scenario's upstream file, when the scenario ran beside the upstream suite. */
export function readScenarioUpstream(scenarioDir: string): ScenarioUpstream | undefined {
  const file = join(scenarioDir, SCENARIO_UPSTREAM_FILE);
  return existsSync(file) ? readJsonFileSync(file, scenarioUpstreamSchema) : undefined;
}
