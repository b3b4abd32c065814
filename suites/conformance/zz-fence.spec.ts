// Runs last: no packet for the testbed ranges left the runner other than through the testbed bridge.
import { test, expect } from '../fixtures.ts';

test('the network fence counted no escaping packet', async ({ cluster }) => {
  expect(await cluster.fenceEscapes()).toBe(0);
});
