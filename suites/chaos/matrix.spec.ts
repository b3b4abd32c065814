// The chaos matrix: each scenario under load against the live cluster; its history and verdicts are saved in the run
// directory, and the test fails when the scenario's verdict is not pass (the checkers' reasons are in the message).
import { join } from 'node:path';
import { test, expect } from '../fixtures.ts';
import { writeRunVerdicts } from '../../chaos/run-matrix.ts';
import { runScenario } from '../../chaos/run-scenario.ts';
import { SCENARIOS } from '../../chaos/scenarios/definitions.ts';
import { newRunDir } from '../../deployer/testbed/up.ts';

const runDir = process.env['HAPROOF_CHAOS_RUN_DIR'] ?? newRunDir('chaos');
const seed = Number(process.env['HAPROOF_SEED'] ?? Math.floor(Math.random() * 2 ** 31));
const started = Date.now();

// Not serial: one failing scenario must not hide the verdicts of the others (workers: 1 keeps them in order).
test.describe.configure({ timeout: 300_000 });
test.describe('chaos', () => {
  test.beforeAll(() => console.log(`chaos run directory ${runDir}, seed ${seed}`));
  test.afterAll(() => writeRunVerdicts(runDir, seed, (Date.now() - started) / 1000));

  for (const [i, scenario] of SCENARIOS.entries()) {
    test(scenario.name, async ({ cluster }, info) => {
      info.annotations.push({ type: 'description', description: scenario.description });
      const result = await runScenario(cluster, scenario, { runDir, seed: seed + i, log: (l) => console.log(l) });
      for (const f of ['history.jsonl', 'verdicts.json', 'scenario.json']) await info.attach(f, { path: join(result.dir, f) });
      expect(result.error, 'the scenario ran to the end').toBeUndefined();
      const notPassing = result.verdicts.filter((v) => v.verdict !== 'pass').map((v) => `${v.checker}: ${v.verdict}: ${v.reasons.join('; ')}`);
      expect(notPassing, `verdicts of ${scenario.name} (history and figures in ${result.dir})`).toEqual([]);
      expect(result.verdict).toBe('pass');
    });
  }
});
