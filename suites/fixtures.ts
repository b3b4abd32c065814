// Test fixtures: the Cluster under test (worker-scoped), chosen by target; suites never ask which target it is.
import { test as base } from '@playwright/test';
import type { Cluster } from '../deployer/cluster/cluster.ts';
import { connectCluster } from '../deployer/cluster/testbed-cluster.ts';

export const test = base.extend<object, { cluster: Cluster }>({
  cluster: [async ({}, use) => { await use(connectCluster()); }, { scope: 'worker' }],
});
export { expect } from '@playwright/test';
