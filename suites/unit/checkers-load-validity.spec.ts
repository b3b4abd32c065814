// Load validity: a run whose generator fell behind its plan (arrivals missing or issued late) is unknown, never pass.
import { test, expect } from '@playwright/test';
import type { Op } from '../../history/history.ts';
import { checkLoadValidity } from '../../checkers/check-load-validity.ts';

const plan = (ratePerSecond: number): Op => ({ type: 'info', process: 'load', f: 'plan', value: { ratePerSecond }, time: 0 });
const fault: Op = { type: 'info', process: 'nemesis', f: 'fault-start', value: { fault: 'x', targets: [] }, time: 5_000 };
/** `n` arrivals per second for `seconds`, each issued `lag(i)` ms after it was due. */
function arrivals(n: number, seconds: number, lag: (i: number) => number = () => 1): Op[] {
  const out: Op[] = [];
  for (let i = 0; i < n * seconds; i++) {
    const scheduled = (1000 * i) / n;
    out.push({ type: 'invoke', process: i, f: 'get', value: { scheduled }, time: scheduled + lag(i) }, { type: 'ok', process: i, f: 'get', value: {}, time: scheduled + lag(i) + 5 });
  }
  return out;
}

test('the plan delivered on time → pass, with the achieved ratio and lag percentiles', () => {
  const v = checkLoadValidity([plan(20), fault, ...arrivals(20, 6)], {});
  expect(v.verdict).toBe('pass');
  expect(v.figures).toMatchObject({ plannedPerSecond: 20, baselinePlanned: 100, baselineIssued: 100, achievedRatio: 1, late: 0, lagP99Ms: 1 });
});

test('arrivals short of the plan before the fault → unknown ("results not reliable")', () => {
  // The generator planned 20/s but only 15/s reached the history (shed arrivals).
  const v = checkLoadValidity([plan(20), fault, ...arrivals(15, 6)], {});
  expect(v.verdict).toBe('unknown');
  expect(v.reasons).toEqual(['results not reliable: 75 of 100 planned arrivals issued before the fault (75.0% < 95%)']);
});

test('more than 1 % of arrivals issued over 100 ms late (a stalled event loop catching up) → unknown', () => {
  const v = checkLoadValidity([plan(20), fault, ...arrivals(20, 6, (i) => (i % 50 === 0 ? 300 : 1))], {});
  expect(v.verdict).toBe('unknown');
  expect(v.figures).toMatchObject({ late: 3, arrivals: 120 });
  expect(v.reasons[0]).toContain('3 of 120 arrivals issued more than 100 ms late (2.50% > 1%');
  expect(checkLoadValidity([plan(20), fault, ...arrivals(20, 6, (i) => (i % 50 === 0 ? 300 : 1))], { maxLateShare: 0.03 }).verdict).toBe('pass');
});

test('no plan or no scheduled times → unknown', () => {
  expect(checkLoadValidity([fault, ...arrivals(20, 6)], {}).reasons).toEqual(['no load plan in the history (process load, f plan): the achieved rate cannot be judged']);
  const unscheduled: Op[] = [plan(20), fault, { type: 'invoke', process: 1, f: 'get', value: {}, time: 10 }, { type: 'ok', process: 1, f: 'get', value: {}, time: 20 }];
  expect(checkLoadValidity(unscheduled, {}).verdict).toBe('unknown');
});
