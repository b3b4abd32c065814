// Pure aggregation for the report: nearest-rank percentiles, 100 ms buckets, phases on small hand-written histories.
import { expect, test } from '@playwright/test';
import { checkAvailability } from '../../checkers/check-availability.ts';
import { clientOps, faultWindows } from '../../history/operations.ts';
import type { Op } from '../../history/history.ts';
import { percentile, phaseFigures, toBuckets } from '../../reports/html/aggregate.ts';

const call = (process: number | string, f: string, start: number, end: number, type: 'ok' | 'fail' | 'info'): Op[] => [
  { type: 'invoke', process, f, value: {}, time: start },
  { type, process, f, value: {}, time: end },
];
const nemesis = (f: string, time: number): Op => ({ type: 'info', process: 'nemesis', f, value: { fault: 'kill-process', targets: ['etcd-0'] }, time });

test('percentile: nearest rank of ascending values; null for none', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
  expect(percentile([], 50)).toBeNull();
  expect(percentile([7], 50)).toBe(7);
  expect(percentile([7], 99)).toBe(7);
  expect(percentile(hundred, 50)).toBe(50);
  expect(percentile(hundred, 99)).toBe(99);
  expect(percentile(hundred, 100)).toBe(100);
  expect(percentile(hundred, 0)).toBe(1);
  expect(percentile([10, 30], 50)).toBe(10);
  expect(percentile([10, 30], 99)).toBe(30);
});

test('buckets: dense from 0 to the end, counts by outcome at op start, latency of completed ops only', () => {
  const ops = clientOps([
    ...call(1, 'get', 0, 10, 'ok'),
    ...call(2, 'get', 50, 80, 'ok'),
    ...call(3, 'create', 150, 155, 'fail'),
    ...call(4, 'create', 250, 9000, 'info'),
  ]);
  const b = toBuckets(ops, 450);
  expect(b.bucketMs).toBe(100);
  expect(b.start).toEqual([0, 100, 200, 300, 400]);
  expect(b.ok).toEqual([2, 0, 0, 0, 0]);
  expect(b.fail).toEqual([0, 1, 0, 0, 0]);
  expect(b.info).toEqual([0, 0, 1, 0, 0]);
  // An unknown outcome has no latency: its end is a timeout or the end of the history.
  expect(b.p50).toEqual([10, 5, null, null, null]);
  expect(b.p99).toEqual([30, 5, null, null, null]);
});

test('buckets: the range reaches the last op even past untilMs; a bad width is refused', () => {
  const b = toBuckets(clientOps(call(1, 'get', 1234, 1300, 'ok')), 0, 1000);
  expect(b.start).toEqual([0, 1000]);
  expect(b.ok).toEqual([0, 1]);
  expect(toBuckets([], 0).start).toEqual([0]);
  expect(() => toBuckets([], 0, 0)).toThrow('bucketMs: must be a positive number, got 0');
});

test('buckets: 100k ops over 60 s become 601 buckets (0 … 60 s) holding every op', () => {
  const history: Op[] = [];
  for (let i = 0; i < 100_000; i++) history.push(...call(`w-${i}`, 'get', i * 0.6, i * 0.6 + 3, i % 10 === 0 ? 'fail' : 'ok'));
  const b = toBuckets(clientOps(history), 60_000);
  expect(b.start).toHaveLength(601);
  const sum = (a: number[]): number => a.reduce((x, y) => x + y, 0);
  expect(sum(b.ok) + sum(b.fail) + sum(b.info)).toBe(100_000);
  expect(sum(b.fail)).toBe(10_000);
  expect(b.p99[0]).toBe(3);
});

// Windows of 1000 ms: w0 ok, w1 fail + info, w2 fail, w3 ok; the fault lasts 1000–3000 ms (as in the checker's own test).
const history: Op[] = [
  ...call(1, 'get', 100, 200, 'ok'),
  nemesis('fault-start', 1000),
  ...call(1, 'get', 1100, 1200, 'fail'),
  ...call(2, 'create', 1500, 2500, 'info'),
  ...call(1, 'list', 2100, 2200, 'fail'),
  nemesis('fault-end', 3000),
  ...call(1, 'get', 3100, 3150, 'ok'),
];

test('phases: the same split as the availability checker, with availability and latency', () => {
  const phases = phaseFigures(clientOps(history), faultWindows(history));
  const checked = checkAvailability(history, { windowMs: 1000 }).figures.phases;
  for (const p of ['before', 'during', 'after'] as const) expect(phases[p]).toMatchObject({ total: checked?.[p].total, ok: checked?.[p].ok, fail: checked?.[p].fail, info: checked?.[p].info });
  expect(phases.before).toEqual({ total: 1, ok: 1, fail: 0, info: 0, availabilityPct: 100, p50: 100, p99: 100 });
  expect(phases.during).toEqual({ total: 3, ok: 0, fail: 2, info: 1, availabilityPct: 0, p50: 100, p99: 100 });
  expect(phaseFigures([], []).before).toEqual({ total: 0, ok: 0, fail: 0, info: 0, availabilityPct: null, p50: null, p99: null });
});

