// Chaos through the dcos target: scenarios whose faults go through DC/OS's own interfaces (SSH to agents for process
// kills and firewalls, the SDK for `pod replace`), judged by the same checkers. In `npm test` the target is the
// testbed's DC/OS surface; against a real cluster it is the target file's.
import { resolve } from 'node:path';
import { test } from '../fixtures.ts';
import { writeRunVerdicts } from '../../chaos/scenarios/run-matrix.ts';
import { buildReport } from '../../reports/html/build-report.ts';
import { findScenario } from '../../chaos/scenarios/definitions.ts';
import { runScenarioTest } from '../chaos/run-as-test.ts';

const runDir = resolve(`${process.env['HAPROOF_CHAOS_RUN_DIR'] ?? 'reports/runs/chaos'}-dcos`);
const seed = Number(process.env['HAPROOF_SEED'] ?? 0);
const started = Date.now();
// One fault per DC/OS path: a process kill over SSH, a firewall over SSH, and the SDK's pod replace.
const NAMES = ['kill-etcd-follower', 'isolate-agent', 'replace-etcd-0'];

test.describe.configure({ timeout: 300_000 });
test.describe('chaos via the dcos target', () => {
  test.beforeAll(() => console.log(`dcos-target chaos run directory ${runDir}, seed ${seed}`));
  test.afterAll(async () => {
    writeRunVerdicts(runDir, seed, (Date.now() - started) / 1000);
    console.log(`availability report: ${await buildReport(runDir)}`);
  });

  for (const [i, name] of NAMES.entries()) {
    test(name, async ({ cluster }, info) => {
      await runScenarioTest(cluster, findScenario(name)!, info, { runDir, seed: seed + i, unavailable: 'fail' });
    });
  }
});
