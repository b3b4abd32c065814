// Tears the testbed down after the suites (unless it was brought up by someone else).
import { test, expect } from '@playwright/test';
import { teardown } from '../deployer/testbed/down.ts';
import { haproofLeftovers } from '../deployer/testbed/network.ts';

test('testbed is down with nothing left behind', async () => {
  if (process.env['HAPROOF_REUSE_TESTBED'] === '1') return;
  await teardown((line) => console.log(line));
  const left = await haproofLeftovers();
  expect(left).toEqual({ namespaces: [], links: [], nftTables: [] });
});
