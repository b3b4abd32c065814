// Watch checker: per watch, rv strictly increasing across resumes, no duplicate, no gap in a covered range, nothing invented.
import { test, expect } from '@playwright/test';
import type { Op } from '../../history/history.ts';
import { checkWatch } from '../../checkers/check-watch.ts';

type Value = Record<string, unknown>;
type Span = [start: number, end: number];

const call = (process: number, f: string, [start, end]: Span, type: 'ok' | 'info', invoke: Value, done: Value = {}): Op[] => [
  { type: 'invoke', process, f, value: invoke, time: start },
  { type, process, f, value: done, time: end },
];
const write = (p: number, f: string, t: Span, name: string, rv: string, extra: Value = {}): Op[] => call(p, f, t, 'ok', { name, ...extra }, { status: 200, rv });
const unknown = (p: number, f: string, t: Span, name: string, extra: Value): Op[] => call(p, f, t, 'info', { name, ...extra });

const VIP = 'watch-vip';
const APISERVER = 'watch-kube-control-plane-0-apiserver';
const via = (process: string): string => process.replace(/^watch-/, '');
const watchOp = (process: string, f: string, time: number, value: Value): Op => ({ type: 'info', process, f, value: { via: via(process), ...value }, time });
const start = (w: string, time: number, fromRv: string): Op => watchOp(w, 'watch-start', time, { fromRv });
const event = (w: string, time: number, type: string, name: string, rv: string, data?: string): Op =>
  watchOp(w, 'watch-event', time, { type, name, rv, ...(data !== undefined ? { data } : {}) });
const error = (w: string, time: number): Op => watchOp(w, 'watch-error', time, { error: 'connection reset' });
const gone = (w: string, time: number): Op => watchOp(w, 'watch-gone', time, {});
const end = (w: string, time: number, lastRv: string): Op => watchOp(w, 'watch-end', time, { lastRv });

/** The load's writes: rv 6 comes from an unknown update that took effect, the unknown create of "c" never did. */
const writes: Op[] = [
  ...write(1, 'create', [0, 10], 'a', '2', { data: 'v1' }),
  ...write(1, 'update', [20, 30], 'a', '3', { sentRv: '2', data: 'v2' }),
  ...write(2, 'create', [25, 35], 'b', '4', { data: 'w1' }),
  ...write(1, 'delete', [40, 50], 'a', '5'),
  ...unknown(2, 'update', [60, 70], 'b', { sentRv: '4', data: 'w2' }),
  ...unknown(3, 'create', [60, 70], 'c', { data: 'u' }),
  ...write(2, 'update', [80, 90], 'b', '7', { sentRv: '6', data: 'w3' }),
  ...write(1, 'create', [100, 105], 'e', '12', { data: 'x' }),
  ...write(1, 'create', [120, 130], 'd', '21', { data: 'y' }),
];

/** The VIP watch: resumed after an error, restarted from a fresh list after a 410 (rv 12 falls in the allowed gap). */
const vipEvents = (): Op[] => [
  start(VIP, 0, '1'),
  event(VIP, 11, 'ADDED', 'a', '2', 'v1'),
  event(VIP, 31, 'MODIFIED', 'a', '3', 'v2'),
  error(VIP, 32),
  start(VIP, 33, '3'),
  event(VIP, 36, 'ADDED', 'b', '4', 'w1'),
  event(VIP, 51, 'DELETED', 'a', '5', 'v2'),
  event(VIP, 71, 'MODIFIED', 'b', '6', 'w2'),
  event(VIP, 91, 'MODIFIED', 'b', '7', 'w3'),
  event(VIP, 95, 'ADDED', 'kube-root-ca.crt', '8'),
  gone(VIP, 100),
  start(VIP, 110, '20'),
  event(VIP, 131, 'ADDED', 'd', '21', 'y'),
  end(VIP, 200, '21'),
];
const apiserverEvents: Op[] = [start(APISERVER, 55, '5'), event(APISERVER, 92, 'MODIFIED', 'b', '7', 'w3'), end(APISERVER, 200, '7')];

const history = (...ops: Op[][]): Op[] => ops.flat().sort((a, b) => a.time - b.time);
/** The VIP watch with its events changed by `edit`. */
const vipWith = (edit: (events: Op[]) => Op[]): Op[] => history(writes, edit(vipEvents()));
const at = (time: number) => (op: Op): boolean => op.time === time;

test('every write in the covered ranges delivered once, in order, across a resume and a 410 → pass', () => {
  const v = checkWatch(history(writes, vipEvents(), apiserverEvents));
  expect(v.reasons).toEqual([]);
  expect(v.verdict).toBe('pass');
  expect(v.figures).toEqual({ watches: 2, events: 9, resumes: 2, gone: 1, gaps: 0, duplicates: 0, outOfOrder: 0, invented: 0, mismatched: 0 });
});

test('an unknown write may be missing from a watch → pass', () => {
  // The apiserver watch never saw rv 6 (the unknown update): since no acknowledged write has rv 6, that is no gap.
  const v = checkWatch(history(writes, [start(APISERVER, 55, '5'), event(APISERVER, 92, 'MODIFIED', 'b', '7', 'w3'), end(APISERVER, 200, '7')]));
  expect(v.verdict).toBe('pass');
});

test('gap: an acknowledged write inside the covered range is missing → fail, naming the watch, the rv and the write', () => {
  const v = checkWatch(vipWith((events) => events.filter((op) => !at(11)(op))));
  expect(v.verdict).toBe('fail');
  expect(v.figures.gaps).toBe(1);
  expect(v.reasons).toEqual(['watch watch-vip: no event for rv 2, create (process 1, 0→10 ms, ok, rv 2, data "v1") on "a", inside its covered range (1, 8]']);
});

test('gap after a resume from the last rv seen: the covered range continues → fail', () => {
  const v = checkWatch(vipWith((events) => events.filter((op) => !at(36)(op))));
  expect(v.verdict).toBe('fail');
  expect(v.reasons[0]).toContain('watch watch-vip: no event for rv 4, create (process 2, 25→35 ms, ok, rv 4, data "w1") on "b"');
  // A resume from another rv than the last one seen (here 3 after 2) begins a new range: what it skipped is not judged.
  expect(checkWatch(vipWith((events) => events.filter((op) => !at(31)(op)))).verdict).toBe('pass');
});

test('duplicate: the same rv delivered twice → fail', () => {
  const v = checkWatch(vipWith((events) => [...events, event(VIP, 37, 'ADDED', 'b', '4', 'w1')]));
  expect(v.verdict).toBe('fail');
  expect(v.figures).toMatchObject({ duplicates: 1, outOfOrder: 0 });
  expect(v.reasons).toEqual(['watch watch-vip: rv 4 delivered twice (ADDED "b" at 36 ms, ADDED "b" at 37 ms)']);
});

test('out of order: rv 4 after rv 5, or an event not above the rv resumed from → fail', () => {
  const swapped = checkWatch(vipWith((events) => events.map((op) => (at(36)(op) ? { ...op, time: 52 } : op))));
  expect(swapped.verdict).toBe('fail');
  expect(swapped.figures).toMatchObject({ outOfOrder: 1, gaps: 0 });
  expect(swapped.reasons).toEqual(['watch watch-vip: event ADDED "b" rv 4 at 52 ms is not above rv 5, the last rv delivered or resumed from']);
  const belowResume = checkWatch(vipWith((events) => [...events, event(VIP, 120, 'ADDED', 'e', '12', 'x')]));
  expect(belowResume.verdict).toBe('fail');
  expect(belowResume.reasons).toEqual(['watch watch-vip: event ADDED "e" rv 12 at 120 ms is not above rv 20, the last rv delivered or resumed from']);
});

test('invented: an event of a load key with an rv no write could have had → fail; other objects are ignored', () => {
  const v = checkWatch(vipWith((events) => [...events, event(VIP, 96, 'MODIFIED', 'b', '9', 'zz'), event(VIP, 97, 'ADDED', 'some-lease', '10')]));
  expect(v.verdict).toBe('fail');
  expect(v.figures).toMatchObject({ invented: 1, mismatched: 0 });
  expect(v.reasons).toEqual(['watch watch-vip: event MODIFIED "b" rv 9 at 96 ms matches no write of "b" in the history']);
  // The unknown create of "c" could have been given rv 9, so an ADDED "c" with its data is not invented.
  expect(checkWatch(vipWith((events) => [...events, event(VIP, 96, 'ADDED', 'c', '9', 'u')])).verdict).toBe('pass');
});

test('mismatched: an event with another value or type than the write of its rv → fail, naming the write', () => {
  const data = checkWatch(vipWith((events) => events.map((op) => (at(31)(op) ? event(VIP, 31, 'MODIFIED', 'a', '3', 'other') : op))));
  expect(data.verdict).toBe('fail');
  expect(data.figures.mismatched).toBe(1);
  expect(data.reasons).toEqual(['watch watch-vip: event rv 3 at 31 ms has data "other" instead of "v2" of update (process 1, 20→30 ms, ok, sentRv 2, rv 3, data "v2")']);
  const type = checkWatch(vipWith((events) => events.map((op) => (at(11)(op) ? event(VIP, 11, 'MODIFIED', 'a', '2', 'v1') : op))));
  expect(type.reasons).toEqual(['watch watch-vip: event rv 2 at 11 ms has type MODIFIED instead of ADDED of create (process 1, 0→10 ms, ok, rv 2, data "v1")']);
});

test('no watch in the history, or a malformed event → unknown', () => {
  const none = checkWatch(writes);
  expect(none.verdict).toBe('unknown');
  expect(none.reasons).toEqual(['no watch in the history']);
  const malformed = checkWatch(history(writes, [start(VIP, 0, '1'), watchOp(VIP, 'watch-event', 11, { type: 'BOOKMARK', rv: '2' })]));
  expect(malformed.verdict).toBe('unknown');
  expect(malformed.reasons[0]).toMatch(/^checker threw: watch-vip watch-event at 11 ms: type: /);
});
