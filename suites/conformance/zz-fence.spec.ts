// Runs last: no packet for the testbed ranges left the runner other than through the testbed bridge.
import { test, expect } from '../fixtures.ts';

test('the network fence counted no escaping packet', async ({ cluster }) => {
  test.skip(!cluster.capabilities.fence, 'this target has no network fence of haproof\'s (the testbed projects check it)');
  expect(await cluster.fenceEscapes()).toBe(0);
});
