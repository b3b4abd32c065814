// Brings the testbed up for the suites (or checks that one is up when HAPROOF_REUSE_TESTBED=1).
import { test, expect } from '@playwright/test';
import { parseTestbedOptions } from '../deployer/config/options.ts';
import { readState } from '../deployer/testbed/state.ts';
import { up } from '../deployer/testbed/up.ts';
import { targetFromEnv } from '../deployer/cluster/connect.ts';

test('testbed is up', async () => {
  test.skip(targetFromEnv() === 'dcos', 'HAPROOF_TARGET=dcos: the suites run against the target file\'s cluster');
  if (process.env['HAPROOF_REUSE_TESTBED'] === '1') {
    expect(readState(), 'HAPROOF_REUSE_TESTBED=1 but no testbed is up').toBeDefined();
    return;
  }
  const r = await up(parseTestbedOptions({}), (line) => console.log(line));
  console.log(`testbed up in ${r.seconds.toFixed(1)} s`);
});
