// One chaos scenario as a Playwright test body, shared by the testbed matrix and the dcos-target specs: run it, attach
// its files, and fail with the checkers' reasons when its verdict is not pass.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TestInfo } from '@playwright/test';
import type { Cluster } from '../../targets/cluster.ts';
import { readState } from '../../testbed/state.ts';
import type { Fault } from '../../chaos/faults/fault.ts';
import { FAULTS } from '../../chaos/faults/registry.ts';
import { runScenario } from '../../chaos/scenarios/run-scenario.ts';
import type { Scenario } from '../../chaos/scenarios/definitions.ts';
import { expect, test } from '../fixtures.ts';

/** `unavailable`: skip a scenario whose fault this target cannot do (the matrix), or fail (a spec that needs it). */
export async function runScenarioTest(cluster: Cluster, scenario: Scenario, info: TestInfo, o: { runDir: string; seed: number; unavailable: 'skip' | 'fail' }): Promise<void> {
  info.annotations.push({ type: 'description', description: scenario.description });
  const available = await (FAULTS[scenario.fault.name] as Fault<unknown>).available(cluster, scenario.fault.params);
  if (o.unavailable === 'skip') test.skip(!available, `fault ${scenario.fault.name} is not available on this target`);
  else expect(available, `${scenario.fault.name} is available on this target`).toBe(true);
  const result = await runScenario(cluster, scenario, { runDir: o.runDir, seed: o.seed, log: (l) => console.log(l) });
  for (const f of ['history.jsonl', 'verdicts.json', 'scenario.json']) await info.attach(f, { path: join(result.dir, f) });
  // The components' own record of the run (launches, exits, relaunches, VIP changes), for the Allure report.
  const state = readState();
  if (state && existsSync(join(state.runDir, 'logs', 'supervisor.jsonl'))) await info.attach('supervisor.jsonl', { path: join(state.runDir, 'logs', 'supervisor.jsonl') });
  expect(result.error, 'the scenario ran to the end').toBeUndefined();
  const notPassing = result.verdicts.filter((v) => v.verdict !== 'pass').map((v) => `${v.checker}: ${v.verdict}: ${v.reasons.join('; ')}`);
  expect(notPassing, `verdicts of ${scenario.name} (history and figures in ${result.dir})`).toEqual([]);
  expect(result.verdict).toBe('pass');
}
