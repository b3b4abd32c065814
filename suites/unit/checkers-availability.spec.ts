// Availability checker: counts, per-window downtime, phases, breakdowns and SLO bounds on small histories.
import { test, expect } from '@playwright/test';
import type { Op } from '../../history/history.ts';
import { checkAvailability } from '../../checkers/check-availability.ts';

const call = (process: number, f: string, start: number, end: number, type: 'ok' | 'fail' | 'info', value: Record<string, unknown> = {}): Op[] => [
  { type: 'invoke', process, f, value, time: start },
  { type, process, f, value, time: end },
];
const nemesis = (f: string, time: number): Op => ({ type: 'info', process: 'nemesis', f, value: { fault: 'kill-apiserver', targets: ['m1'] }, time });

// Windows of 1000 ms: w0 ok, w1 fail + info, w2 fail, w3 ok; the fault lasts 1000–3000 ms.
const history: Op[] = [
  ...call(1, 'get', 100, 200, 'ok', { conn: 'reused' }),
  nemesis('fault-start', 1000),
  ...call(1, 'get', 1100, 1200, 'fail', { conn: 'reused' }),
  ...call(2, 'create', 1500, 2500, 'info', { name: 'a', conn: 'new' }),
  ...call(1, 'list', 2100, 2200, 'fail', { conn: 'new' }),
  nemesis('fault-end', 3000),
  ...call(1, 'get', 3100, 3150, 'ok', { conn: 'new' }),
];

test('figures: info counted apart from fail, a downtime run with exact start/end/length, phases and breakdowns', () => {
  const v = checkAvailability(history, { windowMs: 1000 });
  expect(v.verdict).toBe('pass');
  expect(v.figures).toMatchObject({ total: 5, ok: 2, fail: 2, info: 1, availabilityPct: 40 });
  expect(v.figures.windows?.map((w) => [w.index, w.ok, w.fail, w.info])).toEqual([[0, 1, 0, 0], [1, 0, 1, 1], [2, 0, 1, 0], [3, 1, 0, 0]]);
  expect(v.figures.downtime).toEqual([{ start: 1000, end: 3000, lengthMs: 2000 }]);
  expect(v.figures.longestDowntimeMs).toBe(2000);
  expect(v.figures.phases).toEqual({
    before: { total: 1, ok: 1, fail: 0, info: 0, errorRate: 0 },
    during: { total: 3, ok: 0, fail: 2, info: 1, errorRate: 1 },
    after: { total: 1, ok: 1, fail: 0, info: 0, errorRate: 0 },
  });
  expect(v.figures.byF?.get).toMatchObject({ total: 3, ok: 2, fail: 1 });
  expect(v.figures.byConn).toMatchObject({ new: { total: 3, ok: 1, fail: 1, info: 1 }, reused: { total: 2, ok: 1, fail: 1, info: 0 } });
});

test('SLO bounds exceeded → fail, each reason naming the bound and the numbers', () => {
  const v = checkAvailability(history, { slo: { maxDowntimeMs: 1500, maxFailedDuring: 2, maxFailedTotal: 3, minAvailabilityPct: 50 } });
  expect(v.verdict).toBe('fail');
  expect(v.reasons).toEqual([
    'longest downtime 2000 ms (1000–3000 ms) > maxDowntimeMs 1500',
    'ops not ok during faults: 3 (2 failed, 1 unknown) > maxFailedDuring 2',
    'availability 40.00% (2/5 ok) < minAvailabilityPct 50',
  ]);
});

test('SLO bounds met exactly → pass', () => {
  const v = checkAvailability(history, { slo: { maxDowntimeMs: 2000, maxFailedDuring: 3, maxFailedTotal: 3, minAvailabilityPct: 40 } });
  expect(v.verdict).toBe('pass');
  expect(v.reasons).toEqual([]);
});

test('a window without ops ends a downtime run', () => {
  const gap: Op[] = [...call(1, 'get', 100, 200, 'fail'), ...call(1, 'get', 2100, 2200, 'info'), ...call(1, 'get', 3100, 3200, 'ok')];
  const v = checkAvailability(gap, { windowMs: 1000, slo: { maxDowntimeMs: 1000 } });
  expect(v.figures.downtime).toEqual([{ start: 0, end: 1000, lengthMs: 1000 }, { start: 2000, end: 3000, lengthMs: 1000 }]);
  expect(v.verdict).toBe('pass');
});

test('no client operations → unknown; a bad window width → unknown (the checker throws, safeCheck catches)', () => {
  const noClients = checkAvailability([nemesis('fault-start', 0), nemesis('fault-end', 10)], {});
  expect(noClients.verdict).toBe('unknown');
  expect(noClients.reasons).toEqual(['no client operations in the history']);
  const bad = checkAvailability(history, { windowMs: 0 });
  expect(bad).toEqual({ checker: 'availability', verdict: 'unknown', figures: {}, reasons: ['checker threw: windowMs: must be a positive number, got 0'] });
});

test('fs: only the named operation kinds are judged', () => {
  const h: Op[] = [
    { type: 'invoke', process: 1, f: 'readyz', value: { conn: 'reused' }, time: 0 },
    { type: 'fail', process: 1, f: 'readyz', value: { conn: 'reused', status: 500 }, time: 5, error: 'http 500' },
    { type: 'invoke', process: 2, f: 'get', value: { conn: 'reused' }, time: 10 },
    { type: 'ok', process: 2, f: 'get', value: { conn: 'reused' }, time: 20 },
  ];
  expect(checkAvailability(h, { slo: { maxFailedTotal: 0 } }).verdict).toBe('fail');
  const api = checkAvailability(h, { fs: ['get'], slo: { maxFailedTotal: 0 } });
  expect(api.verdict).toBe('pass');
  expect(api.figures.total).toBe(1);
});

test('definite failures and unknown outcomes have their own bounds', () => {
  const h: Op[] = [
    { type: 'invoke', process: 1, f: 'create', value: { conn: 'reused' }, time: 0 },
    { type: 'info', process: 1, f: 'create', value: { conn: 'reused' }, time: 5, error: 'ECONNRESET' },
    { type: 'invoke', process: 2, f: 'create', value: { conn: 'reused' }, time: 10 },
    { type: 'info', process: 2, f: 'create', value: { conn: 'reused' }, time: 12, error: 'ECONNRESET' },
    { type: 'invoke', process: 3, f: 'get', value: { conn: 'new' }, time: 20 },
    { type: 'ok', process: 3, f: 'get', value: { conn: 'new' }, time: 25 },
  ];
  expect(checkAvailability(h, { slo: { maxDefiniteFailures: 0, maxUnknown: 2 } }).verdict).toBe('pass');
  const over = checkAvailability(h, { slo: { maxDefiniteFailures: 0, maxUnknown: 1 } });
  expect(over.verdict).toBe('fail');
  expect(over.reasons).toEqual(['unknown-outcome ops: 2 > maxUnknown 1']);
  const failed: Op[] = [...h, { type: 'invoke', process: 4, f: 'update', value: {}, time: 30 }, { type: 'fail', process: 4, f: 'update', value: {}, time: 31, error: 'http 503' }];
  expect(checkAvailability(failed, { slo: { maxDefiniteFailures: 0, maxUnknown: 2 } }).reasons).toEqual(['definitely failed ops: 1 > maxDefiniteFailures 0 — update at 30 ms (conn ?): http 503']);
});

test('answers of a starting apiserver (listed statuses) are counted apart and bounded; any other definite failure still counts', () => {
  const h: Op[] = [
    ...call(1, 'get', 100, 200, 'ok'), nemesis('fault-start', 1000),
    ...call(1, 'get', 1100, 1200, 'fail', { status: 403 }), ...call(2, 'list', 1300, 1400, 'fail', { status: 503 }),
    nemesis('fault-end', 3000), ...call(1, 'get', 3100, 3150, 'ok'),
  ];
  const slo = { maxDefiniteFailures: 0, startingAnswers: { statuses: [403, 429, 503], max: 2 } };
  const v = checkAvailability(h, { slo });
  expect(v.verdict).toBe('pass');
  expect(v.figures.startingAnswers).toEqual({ count: 2, byStatus: { 403: 1, 429: 0, 503: 1 } });
  expect(checkAvailability(h, { slo: { ...slo, startingAnswers: { ...slo.startingAnswers, max: 1 } } }).reasons).toEqual(['answers of a starting apiserver (403, 429, 503): 2 > 1']);
  const withReset = [...h, ...call(3, 'get', 1500, 1600, 'fail', { status: 500 })];
  expect(checkAvailability(withReset, { slo }).reasons).toEqual(['definitely failed ops: 1 (besides 2 answers of a starting apiserver) > maxDefiniteFailures 0 — get at 1500 ms (conn ?): http 500']);
  expect(checkAvailability(h, { slo: { maxDefiniteFailures: 0 } }).reasons.join()).toMatch(/^definitely failed ops: 2 > maxDefiniteFailures 0 — \w+ at \d+ ms .*; \w+ at \d+ ms /);
  // The same status before the fault or after the cluster first looked healthy again is no starting apiserver's.
  const outside = [...h, nemesis('recovered', 3150), ...call(3, 'get', 500, 600, 'fail', { status: 403 }), ...call(3, 'get', 3200, 3300, 'fail', { status: 503 })];
  const o = checkAvailability(outside, { slo });
  expect(o.figures.startingAnswers).toEqual({ count: 2, byStatus: { 403: 1, 429: 0, 503: 1 } });
  // Named in time order, so the reason says which ones were outside the window.
  expect(o.reasons).toEqual(['definitely failed ops: 2 (besides 2 answers of a starting apiserver) > maxDefiniteFailures 0 — get at 500 ms (conn ?): http 403; get at 3200 ms (conn ?): http 503']);
});
