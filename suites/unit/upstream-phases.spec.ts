// The upstream e2e suite beside chaos (pure): shards as Ginkgo's parallel mode runs them, the phase's spec choice, the
// specs placed on a scenario's clock, and the `upstream-e2e` checker — which must fail on a failing spec.
import { test, expect } from '@playwright/test';
import { planShards, mergeShardResults } from '../../chaos/upstream-e2e/run-set.ts';
import { allureResults, onScenarioClock, phaseProblems, phaseSpecs, specPlace, specsBetweenScenarios } from '../../chaos/upstream-e2e/phases.ts';
import { parseGinkgoReport } from '../../chaos/upstream-e2e/ginkgo-report.ts';
import { checkUpstreamE2e } from '../../checkers/check-upstream-e2e.ts';
import type { History } from '../../history/history.ts';
import type { PhaseRecord, ScenarioUpstream } from '../../history/upstream-files.ts';

const SERIAL = '[sig-api-machinery] Namespaces should patch a Namespace [Conformance] [Serial]';
const SLOW = '[sig-api-machinery] Servers with support for API chunking should support continue listing from the last key if the original version has been compacted away, though the list is inconsistent [Conformance] [Slow]';
const free = (i: number) => `[sig-api-machinery] spec ${i} [Conformance]`;

test('shards: free specs round-robin over the processes, [Slow] ones each alone beside them, [Serial] ones after; never more processes than specs', () => {
  const specs = [SERIAL, free(3), free(1), free(2), SLOW, free(4)];
  const plan = planShards(specs, 2);
  expect(plan.serial).toEqual([SERIAL]);
  // The [Slow] spec alone in a process of its own, beside the two that share the rest.
  expect(plan.parallel).toEqual([[SLOW], [free(1), free(3)], [free(2), free(4)]]);
  expect(planShards([free(1)], 4).parallel).toEqual([[free(1)]]);
  expect(planShards([SERIAL], 3)).toEqual({ parallel: [], serial: [SERIAL] });
  expect(() => planShards(specs, 0)).toThrow(/processes/);
});

test('merged shards: every failure kept, a process exit other than 0 shows', () => {
  const ok = { results: [], missing: [], suiteFailures: [], exitCode: 0, wallMs: 1, junit: 'a.xml' };
  const bad = { results: [], missing: [{ name: 'x', why: 'not in this e2e.test' }], suiteFailures: ['BeforeSuite: boom'], exitCode: 1, wallMs: 1, junit: 'b.xml' };
  const m = mergeShardResults(1000, 5000, 2, [ok, bad]);
  expect(m).toMatchObject({ wallMs: 4000, exitCode: 1, junit: ['a.xml', 'b.xml'], suiteFailures: ['process 2: BeforeSuite: boom'], missing: [{ name: 'x' }] });
});

test('phases: [Slow] specs run before chaos only, and only when asked for (npm start); left out elsewhere, saying why', () => {
  expect(phaseSpecs('before', [free(1), SLOW], true).specs).toEqual([free(1), SLOW]);
  expect(phaseSpecs('before', [free(1), SLOW]).leftOut).toEqual([{ name: SLOW, reason: expect.stringContaining('npm start') }]);
  expect(phaseSpecs('during', [free(1), SLOW], true).specs).toEqual([free(1)]);
  const after = phaseSpecs('after', [free(1), SLOW]);
  expect(after.specs).toEqual([free(1)]);
  expect(after.leftOut).toEqual([{ name: SLOW, reason: expect.stringContaining('[Slow]') }]);
});

test('a failure\'s own time is read from Ginkgo\'s timeline location, else the spec\'s end', () => {
  const base = { ContainerHierarchyTexts: ['[sig-api-machinery] X'], LeafNodeType: 'It', StartTime: '2026-12-01T20:00:00.000Z', EndTime: '2026-12-01T20:00:09.000Z' };
  const r = parseGinkgoReport([{ SpecReports: [
    { ...base, LeafNodeText: 'a', State: 'failed', Failure: { Message: 'boom', TimelineLocation: { Time: '2026-12-01T20:00:04.000Z' } } },
    { ...base, LeafNodeText: 'b', State: 'failed', Failure: { Message: 'boom' } },
    { ...base, LeafNodeText: 'c', State: 'passed' },
  ] }]);
  expect(r.map((x) => x.failedMs)).toEqual([Date.parse('2026-12-01T20:00:04.000Z'), Date.parse('2026-12-01T20:00:09.000Z'), undefined]);
});

const EPOCH = 1_800_000_000_000;
/** A scenario's history: clock at 0, fault 10–20 s, recovered 22 s, settled 40 s, last op 50 s. */
const history = (): History => [
  { type: 'info', process: 'nemesis', f: 'clock', time: 0, value: { epochMs: EPOCH } },
  { type: 'invoke', process: 'nemesis', f: 'fault-start', time: 10_000, value: { fault: 'kill', targets: [] } },
  { type: 'info', process: 'nemesis', f: 'fault-start', time: 10_100, value: { fault: 'kill', targets: ['etcd-1'] } },
  { type: 'invoke', process: 'nemesis', f: 'fault-end', time: 20_000, value: { fault: 'kill' } },
  { type: 'info', process: 'nemesis', f: 'fault-end', time: 20_100, value: { fault: 'kill' } },
  { type: 'info', process: 'nemesis', f: 'recovered', time: 22_000, value: { fault: 'kill' } },
  { type: 'info', process: 'nemesis', f: 'settled', time: 40_000, value: {} },
  { type: 'info', process: 'observer', f: 'vip', time: 50_000, value: { backends: [] } },
];
const upstream = (specs: ScenarioUpstream['specs'], o: Partial<ScenarioUpstream> = {}): ScenarioUpstream => ({ kubernetes: 'v1.37.2', complete: true, problems: [], specs, ...o });
const passed = (name: string, start: number, end: number) => ({ name, outcome: 'passed' as const, start, end });

test('upstream-e2e checker passes when every spec that ran beside the scenario passed, some during the fault', () => {
  const v = checkUpstreamE2e(history(), upstream([passed('a', -5_000, 12_000), passed('b', 12_000, 30_000), passed('c', 41_000, 49_000), passed('late', 60_000, 70_000)]));
  expect(v.verdict).toBe('pass');
  expect(v.figures).toEqual({ judged: 3, passed: 3, failed: 0, duringFault: 2, failedDuringFault: 0 });
});

test('upstream-e2e checker FAILS on a spec that failed during the fault, naming it, its time and its message', () => {
  const v = checkUpstreamE2e(history(), upstream([passed('a', 0, 9_000), { name: 'quota', outcome: 'failed', start: 11_000, end: 25_000, failedAt: 14_500, message: 'connection reset by peer' }]));
  expect(v.verdict).toBe('fail');
  expect(v.figures.failedDuringFault).toBe(1);
  expect(v.reasons).toEqual(['quota failed at 14.5 s during the fault (fault start +4.5 s): connection reset by peer']);
});

test('upstream-e2e checker FAILS on a spec that failed outside the fault window, on the healthy cluster', () => {
  const v = checkUpstreamE2e(history(), upstream([passed('a', 11_000, 15_000), { name: 'gc', outcome: 'failed', start: 1_000, end: 8_000, message: 'timed out' }]));
  expect(v.verdict).toBe('fail');
  expect(v.reasons[0]).toContain('outside the fault window');
  // A failure of a suite that did not finish still fails: what failed, failed.
  expect(checkUpstreamE2e(history(), upstream([{ name: 'gc', outcome: 'failed', start: 11_000, end: 12_000 }], { complete: false, problems: ['x did not run'] })).verdict).toBe('fail');
});

test('upstream-e2e checker is unknown, never pass, when it judged nothing of the fault or the suite did not finish', () => {
  // Every spec ended before the fault.
  expect(checkUpstreamE2e(history(), upstream([passed('a', 0, 9_000)])).verdict).toBe('unknown');
  // No spec at all.
  expect(checkUpstreamE2e(history(), upstream([])).verdict).toBe('unknown');
  // The suite lost a process.
  const v = checkUpstreamE2e(history(), upstream([passed('a', 11_000, 15_000)], { complete: false, problems: ['its e2e.test process failed'] }));
  expect(v.verdict).toBe('unknown');
  expect(v.reasons[0]).toContain('its e2e.test process failed');
  // No fault in the history.
  expect(checkUpstreamE2e(history().filter((op) => !String(op.f).startsWith('fault')), upstream([passed('a', 11_000, 15_000)])).verdict).toBe('unknown');
});

const record = (o: Partial<PhaseRecord> = {}): PhaseRecord => ({
  phase: 'during', kubernetes: 'v1.37.2', asked: 3, leftOut: [], processes: 2, startedMs: EPOCH - 10_000, wallMs: 120_000,
  results: [
    { name: 'a', outcome: 'passed', state: 'passed', startMs: EPOCH + 11_000, endMs: EPOCH + 15_000 },
    { name: 'b', outcome: 'failed', state: 'failed', startMs: EPOCH + 12_000, endMs: EPOCH + 19_000, failedMs: EPOCH + 18_000, message: 'reset' },
    { name: 'c', outcome: 'passed', state: 'passed', startMs: EPOCH + 70_000, endMs: EPOCH + 80_000 },
    { name: 'd', outcome: 'skipped', state: 'skipped' },
  ],
  missing: [], suiteFailures: [], junit: [], scenarios: [{ name: 's1', startMs: EPOCH, endMs: EPOCH + 50_000, faultFromMs: EPOCH + 10_000, faultToMs: EPOCH + 40_000 }],
  ...o,
});

test('a phase\'s specs on a scenario\'s clock: times shifted by its epoch, skipped ones left out, problems carried', () => {
  const u = onScenarioClock(record({ missing: [{ name: 'e', why: 'not in this e2e.test' }] }), EPOCH);
  expect(u.specs).toEqual([passed('a', 11_000, 15_000), { name: 'b', outcome: 'failed', start: 12_000, end: 19_000, failedAt: 18_000, message: 'reset' }, passed('c', 70_000, 80_000)]);
  expect(u.complete).toBe(false);
  expect(checkUpstreamE2e(history(), u).verdict).toBe('fail');
});

test('where a spec ran, for Allure and the report; specs between scenarios; a phase\'s problems', () => {
  const r = record();
  expect(specPlace(r, r.results[0]!)).toBe('during the fault of s1');
  expect(specPlace(r, { startMs: EPOCH + 1_000, endMs: EPOCH + 2_000 })).toBe('during s1, outside its fault');
  expect(specPlace(r, r.results[2]!)).toBe('between scenarios');
  expect(specPlace(record({ phase: 'before' }), r.results[0]!)).toBe('before chaos');
  expect(specsBetweenScenarios(r).map((s) => s.name)).toEqual(['c']);
  expect(phaseProblems(record({ missing: [{ name: 'e', why: 'x' }], suiteFailures: ['BeforeSuite: y'] }))).toEqual(['FAILED b: reset', 'NOT RUN e: x', 'SUITE BeforeSuite: y']);
  const allure = allureResults(r);
  expect(allure.map((a) => a['status'])).toEqual(['passed', 'failed', 'passed', 'skipped']);
  expect(allure[1]).toMatchObject({ name: 'b', statusDetails: { message: 'reset' }, start: EPOCH + 12_000, stop: EPOCH + 19_000, labels: expect.arrayContaining([{ name: 'subSuite', value: 'during the fault of s1' }]) });
});
