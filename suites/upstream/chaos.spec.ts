// The upstream e2e set as load beside haproof's own while chaos scenarios run one after another (each scenario gets
// an `upstream-e2e` verdict from the specs that ran while it did), then once more after the whole matrix.
import { resolve } from 'node:path';
import { expect, test } from '../fixtures.ts';
import { DURING_E2E, phaseProblems, runDuringChaos, runUpstreamPhase, specsBetweenScenarios, withUpstreamLoad } from '../../chaos/upstream-e2e/phases.ts';
import { finishMatrix, planMatrix } from '../../chaos/scenarios/run-matrix.ts';
import { findScenario } from '../../chaos/scenarios/definitions.ts';
import { buildReport } from '../../reports/html/build-report.ts';
import { attachPhase, chaosRunDir } from './phase-test.ts';

const seed = Number(process.env['HAPROOF_SEED'] ?? 0) + 1000;
const log = (l: string) => console.log(l);

test('upstream e2e during chaos: the suite runs beside four scenarios, each judged by its own checkers and by the upstream specs', async ({ cluster }, info) => {
  test.setTimeout(40 * 60_000);
  const runDir = resolve(chaosRunDir());
  const planned = planMatrix(DURING_E2E.map((n) => {
    const s = findScenario(n);
    if (!s) throw new Error(`no scenario ${n}`);
    return withUpstreamLoad(s);
  }), seed);
  const { phase, scenarios } = await runDuringChaos(cluster, planned, runDir, log);
  await attachPhase(info, runDir, phase.record, phase.file);
  await finishMatrix(runDir, Number(process.env['HAPROOF_SEED'] ?? 0), phase.record.startedMs);
  log(`availability report: ${await buildReport(runDir)}`);
  // A spec that fails during a fault is a finding about the system under test (the word): it fails that
  // scenario's `upstream-e2e` verdict, in verdicts.json and the report, and is annotated here. What this test requires is
  // that each scenario was judged by the upstream suite at all, and by its own checkers green.
  for (const s of scenarios) {
    const own = s.verdicts.filter((v) => v.checker !== 'upstream-e2e' && v.verdict !== 'pass').map((v) => `${v.checker}: ${v.verdict}: ${v.reasons.join('; ')}`);
    expect.soft(s.error, `${s.name} ran to the end`).toBeUndefined();
    expect.soft(own, `${s.name}: haproof's checkers (history in ${s.dir})`).toEqual([]);
    const upstream = s.verdicts.find((v) => v.checker === 'upstream-e2e');
    expect.soft(upstream?.verdict ?? 'no upstream-e2e verdict', `${s.name}: upstream specs ran through its fault (${upstream?.reasons.join('; ') ?? ''})`).not.toMatch(/unknown|no upstream/);
    if (upstream?.verdict === 'fail') {
      const outside = upstream.reasons.filter((r) => r.includes('outside the fault window'));
      expect.soft(outside, `${s.name}: no upstream spec failed outside its fault window (a healthy cluster)`).toEqual([]);
      for (const r of upstream.reasons) info.annotations.push({ type: 'finding', description: `${s.name}: ${r}` });
      log(`FINDING ${s.name}: ${upstream.reasons.join('; ')}`);
    }
  }
  const between = specsBetweenScenarios(phase.record).filter((s) => s.outcome === 'failed').map((s) => `${s.name}: ${s.message}`);
  expect.soft(between, 'specs that ran between scenarios (a healthy cluster) passed').toEqual([]);
  expect([...phase.record.missing.map((m) => `${m.name}: ${m.why}`), ...phase.record.suiteFailures], 'the upstream suite ran every spec and none of its own nodes failed').toEqual([]);
});

test('upstream e2e after chaos: every spec of the set passes again', async ({ cluster }, info) => {
  test.setTimeout(30 * 60_000);
  const runDir = resolve(chaosRunDir());
  const { record, file } = await runUpstreamPhase(cluster, 'after', runDir, log);
  await attachPhase(info, runDir, record, file);
  log(`availability report: ${await buildReport(runDir)}`);
  expect(phaseProblems(record), `upstream e2e after chaos (${file})`).toEqual([]);
  expect(record.results.filter((s) => s.outcome === 'passed').length, 'every spec asked for passed').toBe(record.asked);
});
