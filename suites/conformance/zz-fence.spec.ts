// Runs last: no packet for the testbed ranges left the runner other than through the testbed bridge.
import { can } from '../../targets/cluster.ts';
import { test, expect } from '../fixtures.ts';

test('the network fence counted no escaping packet', async ({ cluster }) => {
  if (!can.countFenceEscapes(cluster)) {
    test.skip(true, 'this target has no network fence of haproof\'s (the testbed projects check it)');
    return;
  }
  expect(await cluster.fenceEscapes()).toBe(0);
});
