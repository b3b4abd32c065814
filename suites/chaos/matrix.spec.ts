// The chaos matrix: each scenario under load against the live cluster; its history and verdicts are saved in the run
// directory, and the test fails when the scenario's verdict is not pass (the checkers' reasons are in the message).
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readState } from '../../deployer/testbed/state.ts';
import { test, expect } from '../fixtures.ts';
import { writeRunVerdicts } from '../../chaos/run-matrix.ts';
import { buildReport } from '../../reports/html/build-report.ts';
import { runScenario } from '../../chaos/run-scenario.ts';
import { SCENARIOS } from '../../chaos/scenarios/definitions.ts';
import { FAULTS } from '../../chaos/faults/registry.ts';
import type { Fault } from '../../chaos/faults/fault.ts';

// Set once per test run in playwright.config.ts (or by the main job), so every worker writes into the same run.
const runDir = resolve(process.env['HAPROOF_CHAOS_RUN_DIR'] ?? 'reports/runs/chaos');
const seed = Number(process.env['HAPROOF_SEED'] ?? 0);
const started = Date.now();

// Not serial: one failing scenario must not hide the verdicts of the others (workers: 1 keeps them in order).
test.describe.configure({ timeout: 300_000 });
test.describe('chaos', () => {
  test.beforeAll(() => console.log(`chaos run directory ${runDir}, seed ${seed}`));
  test.afterAll(async () => {
    writeRunVerdicts(runDir, seed, (Date.now() - started) / 1000);
    console.log(`availability report: ${await buildReport(runDir)}`);
  });

  for (const [i, scenario] of SCENARIOS.entries()) {
    test(scenario.name, async ({ cluster }, info) => {
      info.annotations.push({ type: 'description', description: scenario.description });
      const fault = FAULTS[scenario.fault.name] as Fault<unknown>;
      test.skip(!(await fault.available(cluster, scenario.fault.params)), `fault ${scenario.fault.name} is not available on this target`);
      const result = await runScenario(cluster, scenario, { runDir, seed: seed + i, log: (l) => console.log(l) });
      for (const f of ['history.jsonl', 'verdicts.json', 'scenario.json']) await info.attach(f, { path: join(result.dir, f) });
      // The components' own record of the run (launches, exits, relaunches, VIP changes), for the Allure report.
      const state = readState();
      if (state && existsSync(join(state.runDir, 'logs', 'supervisor.jsonl'))) await info.attach('supervisor.jsonl', { path: join(state.runDir, 'logs', 'supervisor.jsonl') });
      expect(result.error, 'the scenario ran to the end').toBeUndefined();
      const notPassing = result.verdicts.filter((v) => v.verdict !== 'pass').map((v) => `${v.checker}: ${v.verdict}: ${v.reasons.join('; ')}`);
      expect(notPassing, `verdicts of ${scenario.name} (history and figures in ${result.dir})`).toEqual([]);
      expect(result.verdict).toBe('pass');
    });
  }
});
