// Test fixtures: the Cluster under test (worker-scoped), chosen by target; suites never ask which target it is.
// The target is a project option (the `dcos-target` project sets it), else `HAPROOF_TARGET`, else the testbed.
import { test as base } from '@playwright/test';
import type { Cluster } from '../targets/cluster.ts';
import { connectTarget, targetFromEnv, type Target } from '../targets/connect.ts';
import { dcosTargetPath } from '../dcos/target-file.ts';

export const test = base.extend<object, { target: Target; dcosTargetFile: string; cluster: Cluster }>({
  target: [targetFromEnv(), { scope: 'worker', option: true }],
  dcosTargetFile: [dcosTargetPath(), { scope: 'worker', option: true }],
  cluster: [async ({ target, dcosTargetFile }, use) => {
    const cluster = await connectTarget(target, dcosTargetFile);
    try {
      await use(cluster);
    } finally {
      cluster.close();
    }
  }, { scope: 'worker' }],
});
export { expect } from '@playwright/test';
