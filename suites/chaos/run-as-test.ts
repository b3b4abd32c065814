// One chaos scenario as a Playwright test body, shared by the testbed matrix and the dcos-target specs: run it, attach
// its files, and fail with the checkers' reasons when its verdict is not pass.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TestInfo } from '@playwright/test';
import type { Cluster } from '../../targets/cluster.ts';
import { readState } from '../../testbed/state.ts';
import { skipReason, type PlannedScenario } from '../../chaos/scenarios/run-matrix.ts';
import { runScenario } from '../../chaos/scenarios/run-scenario.ts';
import { expect, test } from '../fixtures.ts';

/** `unavailable`: skip a scenario whose fault this target cannot do (the matrix), or fail (a spec that needs it). */
export async function runScenarioTest(cluster: Cluster, { scenario, seed }: PlannedScenario, info: TestInfo, o: { runDir: string; unavailable: 'skip' | 'fail' }): Promise<void> {
  info.annotations.push({ type: 'description', description: scenario.description });
  const skipped = await skipReason(cluster, scenario);
  if (o.unavailable === 'skip') test.skip(skipped !== undefined, skipped);
  else expect(skipped, `${scenario.fault.name} is available on this target`).toBeUndefined();
  const result = await runScenario(cluster, scenario, { runDir: o.runDir, seed, log: (l) => console.log(l) });
  for (const f of ['history.jsonl', 'verdicts.json', 'scenario.json']) await info.attach(f, { path: join(result.dir, f) });
  // The components' own record of the run (launches, exits, relaunches, VIP changes), for the Allure report.
  const state = readState();
  if (state && existsSync(join(state.runDir, 'logs', 'supervisor.jsonl'))) await info.attach('supervisor.jsonl', { path: join(state.runDir, 'logs', 'supervisor.jsonl') });
  expect(result.error, 'the scenario ran to the end').toBeUndefined();
  const notPassing = result.verdicts.filter((v) => v.verdict !== 'pass').map((v) => `${v.checker}: ${v.verdict}: ${v.reasons.join('; ')}`);
  expect(notPassing, `verdicts of ${scenario.name} (history and figures in ${result.dir})`).toEqual([]);
  expect(result.verdict).toBe('pass');
}
