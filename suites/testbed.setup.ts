// Brings the testbed up for the suites (or checks that one is up when HAPROOF_REUSE_TESTBED=1).
import { test, expect } from '@playwright/test';
import { parseTestbedOptions } from '../config/options.ts';
import { readState } from '../testbed/state.ts';
import { up } from '../testbed/up.ts';
import { targetFromEnv } from '../targets/connect.ts';

test('testbed is up', async () => {
  test.skip(targetFromEnv() === 'dcos', 'HAPROOF_TARGET=dcos: the suites run against the target file\'s cluster');
  if (process.env['HAPROOF_REUSE_TESTBED'] === '1') {
    expect(readState(), 'HAPROOF_REUSE_TESTBED=1 but no testbed is up').toBeDefined();
    return;
  }
  const r = await up(parseTestbedOptions({}), (line) => console.log(line));
  console.log(`testbed up in ${r.seconds.toFixed(1)} s`);
});
