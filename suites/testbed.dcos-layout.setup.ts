// Replaces the testbed with one in kubernetes-cluster 2.x's own layout (DCOS_LAYOUT: the overlay, static pods) for
// the projects that judge the dcos target (or checks that one is up when HAPROOF_REUSE_TESTBED=1). The testbed-teardown project takes it down like the first.
import { test, expect } from '@playwright/test';
import { DCOS_LAYOUT, parseTestbedOptions } from '../config/options.ts';
import { readState } from '../testbed/state.ts';
import { up } from '../testbed/up.ts';
import { targetFromEnv } from '../targets/connect.ts';

test('testbed is up in the DC/OS layout (overlay, static pods)', async () => {
  test.skip(targetFromEnv() === 'dcos', 'HAPROOF_TARGET=dcos: the suites run against the target file\'s cluster');
  if (process.env['HAPROOF_REUSE_TESTBED'] === '1') {
    expect(readState(), 'HAPROOF_REUSE_TESTBED=1 but no testbed is up').toBeDefined();
    return;
  }
  const r = await up(parseTestbedOptions({ ...DCOS_LAYOUT }), (line) => console.log(line));
  console.log(`testbed up in the DC/OS layout in ${r.seconds.toFixed(1)} s`);
});
