// Test projects: `unit` (pure code), `testbed` (brings the testbed up; torn down by `testbed-teardown`), `conformance`.
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: 'suites',
  fullyParallel: false,
  workers: 1,
  forbidOnly: true,
  reporter: [['list']],
  outputDir: 'test-results',
  timeout: 60_000,
  projects: [
    { name: 'unit', testDir: 'suites/unit', timeout: 30_000 },
    { name: 'testbed', testMatch: /testbed\.setup\.ts/, teardown: 'testbed-teardown', timeout: 600_000 },
    { name: 'testbed-teardown', testMatch: /testbed\.teardown\.ts/, timeout: 120_000 },
    { name: 'conformance', testDir: 'suites/conformance', dependencies: ['testbed'], timeout: 120_000 },
    { name: 'chaos', testDir: 'suites/chaos', dependencies: ['conformance'], timeout: 300_000 },
    // After the matrix the cluster must still be conformant.
    { name: 'conformance-after-chaos', testDir: 'suites/conformance', dependencies: ['chaos'], timeout: 120_000 },
  ],
});
