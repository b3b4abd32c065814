// The open model's schedule and the generator's lag figures: pure, explicit time, no cluster.
import { test, expect } from '@playwright/test';
import { ArrivalSchedule, type Arrival } from '../../chaos/load/arrival-schedule.ts';
import type { LoadMix } from '../../chaos/load/load-config.ts';
import { checkMix, resolveLoadOptions } from '../../chaos/load/load-config.ts';
import { LagStats, percentile } from '../../chaos/load/lag-stats.ts';

const MIX: LoadMix = { readyz: 10, readyzNew: 0, get: 4, list: 0, create: 2, update: 0, delete: 0 };

test('arrivals are due at t0 + n·interval per stream, numbered from processBase, zero rates get no stream', () => {
  const s = new ArrivalSchedule(MIX, 7, 1, 1000, 2000);
  expect(s.streams.map((x) => [x.kind, x.process, x.interval])).toEqual([['readyz', 7, 100], ['get', 8, 250], ['create', 9, 500]]);
  const due = s.due(1500);
  expect(due.map((a) => [a.id, a.kind, a.scheduled])).toEqual([
    ['7-1', 'readyz', 1000], ['8-1', 'get', 1000], ['9-1', 'create', 1000],
    ['7-2', 'readyz', 1100], ['7-3', 'readyz', 1200],
    ['8-2', 'get', 1250], ['7-4', 'readyz', 1300], ['7-5', 'readyz', 1400],
    ['7-6', 'readyz', 1500], ['8-3', 'get', 1500], ['9-2', 'create', 1500],
  ]);
  expect(s.nextAt()).toBe(1600);
});

test('every scheduled arrival is handed out exactly once, however irregularly (or late) the caller asks', () => {
  const once = new ArrivalSchedule(MIX, 0, 1, 0, 10_000).due(10_000);
  const s = new ArrivalSchedule(MIX, 0, 1, 0, 10_000);
  const polled: Arrival[] = [];
  // A caller that stalls for seconds, then polls in bursts, sometimes with a clock that did not move.
  for (const now of [0, 0, 3, 2_999, 3_000, 3_000, 7_500, 7_501, 9_999, 12_000, 20_000]) polled.push(...s.due(now));
  expect(polled.map((a) => a.id)).toEqual(once.map((a) => a.id));
  expect(new Set(polled.map((a) => a.id)).size).toBe(polled.length);
  // 10 s × (10 + 4 + 2)/s, the end excluded.
  expect(polled.length).toBe(160);
  expect(s.scheduled).toBe(160);
  expect(polled.every((a, i) => i === 0 || a.scheduled >= polled[i - 1]!.scheduled)).toBe(true);
  expect(s.nextAt()).toBeUndefined();
  expect(s.due(1e9)).toEqual([]);
});

test('the schedule stops at its end and at maxArrivals', () => {
  const s = new ArrivalSchedule({ ...MIX, get: 0, create: 0 }, 0, 1, 0, 250);
  expect(s.due(1_000).map((a) => a.scheduled)).toEqual([0, 100, 200]);
  const bounded = new ArrivalSchedule(MIX, 0, 1, 0, 1e9, 5);
  expect(bounded.due(1e6).length).toBe(5);
  expect(bounded.nextAt()).toBeUndefined();
});

test('scheduled times are rounded to µs like the history clock, and do not drift for a rate that is no divisor of 1000', () => {
  const s = new ArrivalSchedule({ ...MIX, readyz: 3, get: 0, create: 0 }, 0, 1, 0.1234567, 1e9);
  const due = s.due(3_000);
  expect(due.map((a) => a.scheduled)).toEqual([0.123, 333.457, 666.79, 1000.123, 1333.457, 1666.79, 2000.123, 2333.457, 2666.79]);
});

test('each stream has its own seeded random source: same seed same draws, another seed other draws', () => {
  const draws = (seed: number) => new ArrivalSchedule(MIX, 0, seed, 0, 1).streams.map((s) => [s.random(), s.random()]);
  expect(draws(42)).toEqual(draws(42));
  expect(draws(42)).not.toEqual(draws(43));
  const [a, b] = draws(42);
  expect(a).not.toEqual(b);
});

test('lag: nearest-rank p99, arrivals over 100 ms, issued vs saturated', () => {
  expect(percentile([], 99)).toBe(0);
  expect(percentile([5], 99)).toBe(5);
  const lag = new LagStats();
  for (let i = 1; i <= 200; i++) lag.add(i, i % 50 !== 0);
  lag.add(-3, true);
  expect(lag.summary()).toEqual({ scheduled: 201, issued: 197, lagP99Ms: 198, lagOver100Ms: 100 });
  expect(new LagStats().summary()).toEqual({ scheduled: 0, issued: 0, lagP99Ms: 0, lagOver100Ms: 0 });
});

test('options and mix are checked once, naming the option and the value', () => {
  expect(resolveLoadOptions()).toEqual({ hotKeys: 20, seed: 1, via: 'vip', worker: true, maxInFlight: 256 });
  expect(() => resolveLoadOptions({ hotKeys: 2.5 })).toThrow('load option hotKeys: must be an integer from 0 to 1000, got 2.5');
  expect(() => resolveLoadOptions({ via: 'Apiserver 1' })).toThrow('load option via: must be a DNS label of at most 40 characters, got "Apiserver 1"');
  expect(() => resolveLoadOptions({ seed: -1 })).toThrow('load option seed');
  expect(() => checkMix({ ...MIX, get: Number.NaN })).toThrow('load mix get: must be a rate ≥ 0 per second, got NaN');
});
