// Availability per class in the fault and recovery windows: a write outage inside the fault is not diluted by the
// baseline or by healthy reads, and /readyz probes never count for the API.
import { test, expect } from '@playwright/test';
import type { Op } from '../../history/history.ts';
import { checkAvailability } from '../../checkers/check-availability.ts';

let proc = 0;
const call = (f: string, start: number, type: 'ok' | 'fail' | 'info', dur = 50): Op[] => {
  const process = proc++;
  return [{ type: 'invoke', process, f, value: { name: 'k' }, time: start }, { type, process, f, value: { status: type === 'ok' ? 200 : 503 }, time: start + dur }];
};
const nemesis = (f: string, time: number): Op => ({ type: 'info', process: 'nemesis', f, value: { fault: 'partition', targets: ['agent-1'] }, time });
const every = (f: string, from: number, to: number, step: number, type: (t: number) => 'ok' | 'fail' | 'info'): Op[] => {
  const out: Op[] = [];
  for (let t = from; t < to; t += step) out.push(...call(f, t, type(t)));
  return out;
};

// Baseline 0–10 s all ok; fault 10–14 s; heal at 14 s; recovered at 16 s; after-phase to 20 s.
// Writes fail from 11 s to 13.5 s (an outage of 2.5 s), reads and readyz always ok.
const history: Op[] = [
  ...every('create', 0, 20_000, 100, (t) => (t >= 11_000 && t < 13_500 ? 'fail' : 'ok')),
  ...every('get', 0, 20_000, 100, () => 'ok'),
  ...every('readyz', 0, 20_000, 50, () => 'ok'),
  nemesis('fault-start', 10_000), nemesis('fault-end', 14_000), nemesis('recovered', 16_000),
];

test('figures per class and window: the write outage shows in full in the fault window', () => {
  const v = checkAvailability(history, {});
  const w = v.figures.byClass!.writes;
  expect(w.fault).toMatchObject({ from: 10_000, to: 14_000, total: 40, ok: 15, fail: 25, longestDowntimeMs: 2_000, msToFirstFailure: 1_000, worstWindowErrorPct: 100 });
  expect(w.fault.availabilityPct).toBeCloseTo(37.5, 5);
  expect(w.recovery).toMatchObject({ from: 14_000, to: 16_000, total: 20, fail: 0, availabilityPct: 100, msToLastFailure: null });
  expect(v.figures.byClass!.reads.fault.availabilityPct).toBe(100);
  // Over the whole scenario the same outage is diluted to 93.75 % of writes — what the old figure judged.
  const creates = v.figures.byF?.['create'];
  expect(creates!.ok / creates!.total).toBeCloseTo(0.875, 3);
});

test('a class bound in the fault window fails naming the class, the window and the figure; readyz cannot hide it', () => {
  const v = checkAvailability(history, { classes: { writes: { fault: { minAvailabilityPct: 90, maxDowntimeMs: 1_000 } }, reads: { fault: { minAvailabilityPct: 99 } } } });
  expect(v.verdict).toBe('fail');
  expect(v.reasons).toEqual([
    'writes in the fault window (10000–14000 ms): 37.50% (15/40 ok; 25 failed, 0 unknown) < 90%',
    'writes in the fault window (10000–14000 ms): downtime 2000 ms > 1000 ms',
  ]);
});

test('recovery window: failures that go on after the heal are bounded by maxMsToLastFailure', () => {
  const late = [...history, ...call('update', 15_000, 'info', 500)];
  const v = checkAvailability(late, { classes: { writes: { recovery: { maxMsToLastFailure: 1_000 } } } });
  expect(v.verdict).toBe('fail');
  expect(v.reasons).toEqual(['writes in the recovery window (14000–16000 ms): last failure 1500 ms after the window began > 1000 ms']);
  expect(checkAvailability(late, { classes: { writes: { recovery: { maxMsToLastFailure: 2_000 } } } }).verdict).toBe('pass');
});

test('a bound on a class with no operation in the window is unknown, not pass', () => {
  const noWrites = history.filter((op) => op.f !== 'create');
  const v = checkAvailability(noWrites, { classes: { writes: { fault: { minAvailabilityPct: 90 } } } });
  expect(v.verdict).toBe('unknown');
  expect(v.reasons).toEqual(['writes in the fault window: no operations to judge']);
});

test('a 409 (lost CAS race) or 404 is the API answering: served, not an outage; a 503 is not', () => {
  const raced = [...history.filter((op) => op.f !== 'create'), ...call('update', 11_000, 'fail'), ...call('update', 11_200, 'fail')];
  const conflict = raced.map((op) => (op.f === 'update' && op.type === 'fail' ? { ...op, value: { status: 409 } } : op));
  expect(checkAvailability(conflict, { slo: { maxDefiniteFailures: 0 } }).verdict).toBe('pass');
  expect(checkAvailability(raced, { slo: { maxDefiniteFailures: 0 } }).verdict).toBe('fail');
});

test('the settle window (recovered → settled) is judged on its own; without a settle period it has nothing to judge', () => {
  const settled = (type: 'invoke' | 'info', time: number): Op => ({ type, process: 'nemesis', f: 'settled', value: { settleMs: 3_000 }, time });
  // Writes fail again from 17 s to 17.5 s, inside the settle window 16–19 s.
  const withSettle: Op[] = [
    ...every('create', 0, 20_000, 100, (t) => ((t >= 11_000 && t < 13_500) || (t >= 17_000 && t < 17_500) ? 'fail' : 'ok')),
    ...every('get', 0, 20_000, 100, () => 'ok'),
    nemesis('fault-start', 10_000), nemesis('fault-end', 14_000), nemesis('recovered', 16_000), settled('invoke', 16_000), settled('info', 19_000),
  ];
  const v = checkAvailability(withSettle, { classes: { writes: { settle: { minAvailabilityPct: 95 } } } });
  expect(v.figures.byClass!.writes.settle).toMatchObject({ from: 16_000, to: 19_000, total: 30, fail: 5 });
  expect(v.verdict).toBe('fail');
  expect(v.reasons.join('\n')).toContain('writes in the settle window (16000–19000 ms): 83.33%');
  expect(checkAvailability(withSettle, { classes: { reads: { settle: { minAvailabilityPct: 95 } } } }).verdict).toBe('pass');
  const none = checkAvailability(history, { classes: { writes: { settle: { minAvailabilityPct: 95 } } } });
  expect(none.verdict).toBe('unknown');
  expect(none.reasons.join('\n')).toContain('writes in the settle window: no operations to judge');
});

test('a cut-off member\'s scenarios (isolate-agent): a third of requests hanging passes; the API down, or writes below half, fails', async () => {
  const { findScenario } = await import('../../chaos/scenarios/definitions.ts');
  const bounds = findScenario('isolate-agent')!.expectations.availability!;
  // What the promise allows: every third write and read times out through the fault window (unknown / failed).
  const third = [
    ...every('create', 0, 20_000, 100, (t) => (t >= 10_000 && t < 14_000 && t % 300 === 0 ? 'info' : 'ok')),
    ...every('get', 0, 20_000, 100, (t) => (t >= 10_000 && t < 14_000 && t % 300 === 0 ? 'fail' : 'ok')),
    nemesis('fault-start', 10_000), nemesis('fault-end', 14_000), nemesis('recovered', 16_000), nemesis('settled', 20_000),
  ];
  expect(checkAvailability(third, bounds).verdict).toBe('pass');
  // A layout where the cut-off member takes the API with it (say, apiservers that list only that member).
  // (Its 2 s write outage is just within one election and a window.)
  expect(checkAvailability([...history, nemesis('settled', 20_000)], bounds).reasons).toEqual(['writes in the fault window (10000–14000 ms): 37.50% (15/40 ok; 25 failed, 0 unknown) < 50%']);
  // A tail of failures after the cluster first looked healthy belongs to the scenario too (settle window >= 95 %).
  const tail = [
    ...every('create', 0, 20_000, 100, (t) => (t >= 16_000 && t % 500 === 0 ? 'info' : 'ok')),
    ...every('get', 0, 20_000, 100, () => 'ok'),
    nemesis('fault-start', 10_000), nemesis('fault-end', 14_000), nemesis('recovered', 16_000), nemesis('settled', 20_000),
  ];
  expect(checkAvailability(tail, bounds).reasons).toEqual(['writes in the settle window (16000–20000 ms): 80.00% (32/40 ok; 0 failed, 8 unknown) < 95%']);
  const readsDown = [
    ...every('create', 0, 20_000, 100, () => 'ok'),
    ...every('get', 0, 20_000, 100, (t) => (t >= 10_000 && t < 13_000 ? 'fail' : 'ok')),
    nemesis('fault-start', 10_000), nemesis('fault-end', 14_000), nemesis('recovered', 16_000), nemesis('settled', 20_000),
  ];
  expect(checkAvailability(readsDown, bounds).reasons).toContain('reads in the fault window (10000–14000 ms): downtime 3000 ms > 2000 ms');
});

test('the fault window is judged from when the fault was in effect, not from when the runner set out to inject', () => {
  // A slow injection (4 s of lookups over SSH) that then cuts writes off from 14 s (in effect) to the heal at 18 s: from
  // fault-start the window would hold 4 s of healthy writes (dilution); from fault-in-effect it holds only the outage.
  const slow: Op[] = [
    ...every('create', 0, 24_000, 100, (t) => (t >= 14_000 && t < 18_000 ? 'fail' : 'ok')),
    { type: 'invoke', process: 'nemesis', f: 'fault-start', value: { fault: 'partition' }, time: 10_000 },
    nemesis('fault-in-effect', 14_000), nemesis('fault-start', 14_010),
    nemesis('fault-end', 18_000), nemesis('recovered', 20_000),
  ];
  const w = checkAvailability(slow, {}).figures.byClass!.writes.fault;
  expect(w).toMatchObject({ from: 14_000, to: 18_000, ok: 0, msToFirstFailure: 0 });
  const bound = { classes: { writes: { fault: { minAvailabilityPct: 30 } } } };
  expect(checkAvailability(slow, bound).verdict).toBe('fail');
  // Without the marker (a fault that never says), the window starts at fault-start: 50 % of writes, and it passes.
  const unmarked = slow.filter((op) => op.f !== 'fault-in-effect');
  expect(checkAvailability(unmarked, {}).figures.byClass!.writes.fault.from).toBe(10_000);
  expect(checkAvailability(unmarked, bound).verdict).toBe('pass');
});
