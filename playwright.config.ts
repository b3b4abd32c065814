// Test projects: `unit` (pure code), `testbed` (brings the testbed up; torn down by `testbed-teardown`), `conformance`.
import { join } from 'node:path';
import { defineConfig, type ReporterDescription } from '@playwright/test';
import { testbedPaths } from './testbed/paths.ts';
import { parseTestbedOptions } from './config/options.ts';
import type { Target } from './targets/connect.ts';

// One chaos run directory and one seed for the whole test run: set here, in the runner, so that every worker (a worker
// restarts after a failed test) inherits the same values. The directory is created only when a scenario runs.
process.env['HAPROOF_CHAOS_RUN_DIR'] ??= `reports/runs/${new Date().toISOString().replace(/[:.]/g, '-')}-chaos`;
process.env['HAPROOF_SEED'] ??= String(Math.floor(Math.random() * 2 ** 31));

// JUnit XML and Allure results go where the main job asks (its run directory), else under test-results/.
const reporters: ReporterDescription[] = [
  ['list'],
  ['junit', { outputFile: process.env['HAPROOF_JUNIT_FILE'] ?? 'test-results/junit.xml' }],
  ['allure-playwright', { resultsDir: process.env['HAPROOF_ALLURE_RESULTS'] ?? 'test-results/allure-results', detail: false }],
  ...(process.env['PLAYWRIGHT_JSON_OUTPUT_NAME'] ? [['json'] as ReporterDescription] : []),
];

export default defineConfig<object, { target: Target; dcosTargetFile: string }>({
  testDir: 'suites',
  fullyParallel: false,
  workers: 1,
  forbidOnly: true,
  reporter: reporters,
  outputDir: 'test-results',
  timeout: 60_000,
  projects: [
    { name: 'unit', testDir: 'suites/unit', timeout: 30_000 },
    // The HTML report in a real browser (Debian Chromium), on a stored fixture run: no cluster needed.
    { name: 'report', testDir: 'suites/report', timeout: 60_000 },
    { name: 'testbed', testMatch: /testbed\.setup\.ts/, teardown: 'testbed-teardown', timeout: 600_000 },
    { name: 'testbed-teardown', testMatch: /testbed\.teardown\.ts/, timeout: 120_000 },
    { name: 'conformance', testDir: 'suites/conformance', dependencies: ['testbed'], timeout: 120_000 },
    // The upstream Kubernetes e2e set through the VIP on the fresh cluster (chaos/upstream-e2e/specs.json).
    { name: 'upstream-before', testDir: 'suites/upstream', testMatch: /before\.spec\.ts/, dependencies: ['conformance'], timeout: 30 * 60_000 },
    { name: 'chaos', testDir: 'suites/chaos', dependencies: ['upstream-before'], timeout: 300_000 },
    // The upstream set beside four scenarios, then once more after the matrix.
    { name: 'upstream-chaos', testDir: 'suites/upstream', testMatch: /chaos\.spec\.ts/, dependencies: ['chaos'], timeout: 40 * 60_000 },
    // After the matrix the cluster must still be conformant.
    { name: 'conformance-after-chaos', testDir: 'suites/conformance', dependencies: ['upstream-chaos'], timeout: 120_000 },
    // The testbed again, in kubernetes-cluster 2.x's own layout (config/options.ts DCOS_LAYOUT), for the dcos target.
    { name: 'testbed-dcos-layout', testMatch: /testbed\.dcos-layout\.setup\.ts/, dependencies: ['conformance-after-chaos'], timeout: 600_000 },
    // The dcos target's client against the testbed's DC/OS surface; last, since it moves an etcd member.
    { name: 'dcos-contract', testDir: 'suites/dcos', dependencies: ['testbed-dcos-layout'], timeout: 180_000 },
    // The same conformance suite and seven chaos scenarios through the dcos target (DC/OS APIs + SSH to the agents),
    // pointed at the testbed's DC/OS surface by the target file `haproof up` writes.
    {
      name: 'dcos-target', testMatch: [/conformance\/.*\.spec\.ts/, /dcos-target\/.*\.spec\.ts/], dependencies: ['dcos-contract'], timeout: 300_000,
      use: { target: 'dcos', dcosTargetFile: join(testbedPaths(parseTestbedOptions({}).cluster).work, 'dcos-target.json') },
    },
    // Planted defects: each brings up its own broken testbed (replacing the one above) and expects the suites to fail
    // for exactly that reason.
    { name: 'defects', testDir: 'suites/defects', dependencies: ['dcos-target'], timeout: 420_000 },
  ],
});
