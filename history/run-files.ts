// The stored files a report reads (verdicts.json, scenario.json, meta.json), parsed once with zod; unknown keys are kept.
import { readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { issuesText } from '../core/zod-error.ts';

const verdictValue = z.enum(['pass', 'fail', 'unknown']);

export const storedVerdictSchema = z.looseObject({
  checker: z.string(),
  verdict: verdictValue,
  figures: z.record(z.string(), z.unknown()),
  reasons: z.array(z.string()),
});

/** scenarios/<name>/verdicts.json — and each entry of a run-level verdicts.json. */
export const scenarioVerdictsSchema = z.looseObject({
  name: z.string(),
  verdict: verdictValue,
  verdicts: z.array(storedVerdictSchema).default([]),
  error: z.string().optional(),
});

/** <run>/verdicts.json (chaos/run-matrix.ts); older runs have no `verdict` key. */
export const runVerdictsSchema = z.looseObject({
  verdict: verdictValue.optional(),
  seed: z.number().optional(),
  seconds: z.number().optional(),
  scenarios: z.array(scenarioVerdictsSchema),
});

/** scenarios/<name>/scenario.json (chaos/run-scenario.ts). Expectations stay raw: they are parsed where they are read. */
export const scenarioFileSchema = z.looseObject({
  scenario: z.looseObject({
    name: z.string(),
    description: z.string().optional(),
    promise: z.string().optional(),
    fault: z.looseObject({ name: z.string(), params: z.record(z.string(), z.unknown()).optional() }),
    baselineMs: z.number().optional(),
    faultMs: z.number().optional(),
    afterMs: z.number().optional(),
    expectations: z.record(z.string(), z.unknown()).default({}),
  }),
  seed: z.number().optional(),
  injection: z.looseObject({ fault: z.string(), targets: z.array(z.string()) }).optional(),
  recoveryMs: z.number().optional(),
  error: z.string().optional(),
});

/** <run>/meta.json (deployer/testbed/up.ts): versions, topology, machine. */
export const metaSchema = z.looseObject({
  cluster: z.string().optional(),
  seed: z.number().optional(),
  versions: z.record(z.string(), z.string()).optional(),
  topology: z
    .looseObject({
      hosts: z.array(z.looseObject({ host: z.string(), ip: z.string() })).optional(),
      pods: z.array(z.looseObject({ pod: z.string(), kind: z.string(), host: z.string() })).optional(),
      vip: z.looseObject({ name: z.string(), ip: z.string(), port: z.number() }).optional(),
    })
    .optional(),
  machine: z.record(z.string(), z.string()).optional(),
});

export type StoredVerdict = z.infer<typeof storedVerdictSchema>;
export type ScenarioVerdicts = z.infer<typeof scenarioVerdictsSchema>;
export type RunVerdicts = z.infer<typeof runVerdictsSchema>;
export type ScenarioFile = z.infer<typeof scenarioFileSchema>;
export type Meta = z.infer<typeof metaSchema>;

/** Parses one file's JSON text; the error names the file and each bad key. */
function parseJsonText<T>(file: string, text: () => string, schema: z.ZodType<T>): T {
  let raw: unknown;
  try {
    raw = JSON.parse(text());
  } catch (e) {
    throw new Error(`${file}: ${(e as Error).message}`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new Error(`${file}: ${issuesText(parsed.error)}`);
  return parsed.data;
}

/** Parses one JSON file; the error names the file and each bad key. */
export async function readJsonFile<T>(file: string, schema: z.ZodType<T>): Promise<T> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new Error(`${file}: ${(e as Error).message}`);
  }
  return parseJsonText(file, () => text, schema);
}

/** readJsonFile for synchronous readers. */
export function readJsonFileSync<T>(file: string, schema: z.ZodType<T>): T {
  return parseJsonText(file, () => readFileSync(file, 'utf8'), schema);
}
