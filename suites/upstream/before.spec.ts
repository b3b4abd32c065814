// The upstream Kubernetes e2e set (chaos/upstream-e2e/specs.json) through the VIP on the fresh cluster, before any
// chaos: it must be all green — the set is what passed on a healthy testbed, so a failure here is a broken cluster.
import { resolve } from 'node:path';
import { expect, test } from '../fixtures.ts';
import { phaseProblems, runUpstreamPhase } from '../../chaos/upstream-e2e/phases.ts';
import { attachPhase, chaosRunDir } from './phase-test.ts';

test('upstream e2e before chaos: every spec of the set passes through the VIP', async ({ cluster }, info) => {
  test.setTimeout(30 * 60_000);
  const runDir = resolve(chaosRunDir());
  const { record, file } = await runUpstreamPhase(cluster, 'before', runDir, (l) => console.log(l));
  await attachPhase(info, runDir, record, file);
  expect(phaseProblems(record), `upstream e2e before chaos (${file})`).toEqual([]);
  expect(record.results.filter((s) => s.outcome === 'passed').length, 'every spec asked for passed').toBe(record.asked);
});
