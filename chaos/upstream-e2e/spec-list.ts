// The upstream specs haproof runs: data, written by `haproof upstream-e2e --select` from one run of every candidate on a
// healthy testbed (never kept by hand). A spec that failed there is excluded with its failure as the reason: the
// testbed's nodes are kwok nodes (pods are scheduled and marked Running/Ready, no container runs), so a spec that needs
// a pod to serve, exec or log cannot pass here.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { SpecResult } from './ginkgo-report.ts';

export const SPEC_LIST_FILE = join(dirname(fileURLToPath(import.meta.url)), 'specs.json');

export const specListSchema = z.strictObject({
  kubernetes: z.string(),
  /** How the candidates were chosen (e.g. every `[sig-api-machinery]` `[Conformance]` spec of this e2e.test). */
  candidates: z.string(),
  generated: z.strictObject({ at: z.string(), command: z.string(), machine: z.string(), wallSeconds: z.number(), target: z.string() }),
  /** Passed on the healthy testbed: the set run before, during and after chaos. */
  run: z.array(z.string()),
  excluded: z.array(z.strictObject({ name: z.string(), reason: z.string() })),
});
export type SpecList = z.infer<typeof specListSchema>;

export function readSpecList(path: string = SPEC_LIST_FILE): SpecList {
  return specListSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
}

/** The list from one healthy run of the candidates (pure): passed → run; failed or not reached → excluded, why. */
export function specListFrom(candidates: readonly string[], results: readonly SpecResult[], missing: ReadonlyArray<{ name: string; why: string }>, meta: Omit<SpecList, 'run' | 'excluded'>): SpecList {
  const by = new Map(results.map((r) => [r.name, r]));
  const notRun = new Map(missing.map((m) => [m.name, m.why]));
  const run: string[] = [];
  const excluded: SpecList['excluded'] = [];
  for (const name of [...candidates].sort()) {
    const r = by.get(name);
    if (r?.outcome === 'passed') run.push(name);
    else excluded.push({ name, reason: r?.outcome === 'failed' ? `failed on a healthy testbed: ${r.message ?? r.state}` : `did not run on a healthy testbed: ${notRun.get(name) ?? 'not reported'}` });
  }
  return { ...meta, run, excluded };
}

export function writeSpecList(list: SpecList, path: string = SPEC_LIST_FILE): void {
  writeFileSync(path, `${JSON.stringify(specListSchema.parse(list), null, 2)}\n`);
}
