// Linearizability checker: ConfigMaps as registers (WGL search per key), rv order of acknowledged writes, stale reads.
import { test, expect } from '@playwright/test';
import type { Op } from '../../history/history.ts';
import { checkLinearizable } from '../../checkers/check-linearizable.ts';

type Value = Record<string, unknown>;
type Span = [start: number, end: number];

/** One client op: its invoke, then its completion. */
const call = (process: number, f: string, [start, end]: Span, type: 'ok' | 'fail' | 'info', invoke: Value, done: Value = {}): Op[] => [
  { type: 'invoke', process, f, value: invoke, time: start },
  { type, process, f, value: done, time: end, ...(type === 'info' ? { error: 'timeout' } : {}) },
];
const create = (p: number, t: Span, name: string, data: string, rv: string): Op[] => call(p, 'create', t, 'ok', { name, data }, { status: 201, rv });
const update = (p: number, t: Span, name: string, sentRv: string, data: string, rv: string): Op[] => call(p, 'update', t, 'ok', { name, sentRv, data }, { status: 200, rv });
const get = (p: number, t: Span, name: string, rv: string, data: string): Op[] => call(p, 'get', t, 'ok', { name }, { status: 200, rv, data });
const del = (p: number, t: Span, name: string, rv?: string): Op[] => call(p, 'delete', t, 'ok', { name }, { status: 200, ...(rv ? { rv } : {}) });
const failed = (p: number, f: string, t: Span, name: string, status: number, extra: Value = {}): Op[] => call(p, f, t, 'fail', { name, ...extra }, { status });
const unknown = (p: number, f: string, t: Span, name: string, extra: Value = {}): Op[] => call(p, f, t, 'info', { name, ...extra });
const list = (p: number, t: Span, listRv: string, stale = false): Op[] => call(p, 'list', t, 'ok', stale ? { stale } : {}, { status: 200, listRv, items: [] });
/** Ops of all processes in time order, as the recorder writes them. */
const history = (...ops: Op[][]): Op[] => ops.flat().sort((a, b) => a.time - b.time);

test('a sequential history of creates, updates, gets and deletes is linearizable → pass', () => {
  const v = checkLinearizable(history(
    create(1, [0, 10], 'a', 'v1', '1'), update(1, [20, 30], 'a', '1', 'v2', '2'), get(1, [40, 50], 'a', '2', 'v2'),
    failed(1, 'create', [60, 70], 'a', 409), failed(1, 'update', [80, 90], 'a', 409, { sentRv: '1', data: 'x' }),
    del(1, [100, 110], 'a', '3'), failed(1, 'get', [120, 130], 'a', 404), failed(1, 'update', [140, 150], 'a', 404, { sentRv: '2' }),
    create(2, [0, 200], 'b', 'w1', '4'),
  ));
  expect(v.verdict).toBe('pass');
  expect(v.figures).toMatchObject({ keys: 2, operations: 9, unknownWrites: 0, violations: 0 });
  expect(v.figures.searchSteps).toBeGreaterThanOrEqual(9);
});

test('concurrent ops that linearize in one order only → pass', () => {
  // p3's update completes first yet must follow p2's (it sent p2's rv); p4 read the old value, p5 the newest.
  const v = checkLinearizable(history(
    create(1, [0, 10], 'a', 'v1', '1'),
    update(2, [20, 60], 'a', '1', 'v2', '2'), update(3, [21, 40], 'a', '2', 'v3', '3'),
    get(4, [22, 38], 'a', '1', 'v1'), get(5, [25, 35], 'a', '3', 'v3'),
  ));
  expect(v.verdict).toBe('pass');
});

test('an unknown write that took effect late, and one that never did → pass', () => {
  const late = history(
    create(1, [0, 10], 'a', 'v1', '1'), unknown(2, 'update', [20, 30], 'a', { sentRv: '1', data: 'v2' }),
    get(1, [100, 110], 'a', '1', 'v1'), get(1, [200, 210], 'a', '5', 'v2'), update(1, [220, 230], 'a', '5', 'v3', '6'),
  );
  expect(checkLinearizable(late).verdict).toBe('pass');
  const never = history(
    create(1, [0, 10], 'a', 'v1', '1'), unknown(2, 'update', [20, 30], 'a', { sentRv: '1', data: 'v2' }),
    update(1, [100, 110], 'a', '1', 'v3', '7'), get(1, [120, 130], 'a', '7', 'v3'),
    unknown(3, 'create', [0, 5], 'b', { data: 'w' }), failed(3, 'get', [50, 60], 'b', 404),
  );
  const v = checkLinearizable(never);
  expect(v.verdict).toBe('pass');
  expect(v.figures.unknownWrites).toBe(2);
});

test('5xx and refused requests did not happen; readyz, stale reads and unknown reads are ignored → pass', () => {
  const v = checkLinearizable(history(
    create(1, [0, 10], 'a', 'v1', '1'), failed(1, 'update', [20, 30], 'a', 503, { sentRv: '1', data: 'x' }),
    call(1, 'update', [40, 50], 'fail', { name: 'a', sentRv: '1', data: 'y' }, {}), call(2, 'readyz', [0, 5], 'ok', {}, { status: 200 }),
    call(2, 'get', [60, 70], 'ok', { name: 'a', stale: true }, { rv: '0', data: 'old' }), unknown(3, 'get', [60, 70], 'a'),
    get(1, [80, 90], 'a', '1', 'v1'),
  ));
  expect(v.verdict).toBe('pass');
  expect(v.figures.operations).toBe(2);
});

test('lost update: a get after an acknowledged update returns the old rv → fail, naming the get and the update', () => {
  const v = checkLinearizable(history(create(1, [0, 10], 'a', 'v1', '1'), update(2, [20, 30], 'a', '1', 'v2', '2'), get(3, [40, 50], 'a', '1', 'v1')));
  expect(v.verdict).toBe('fail');
  expect(v.reasons[0]).toContain('key "a" is not linearizable: get (process 3, 40→50 ms, ok, rv 1, data "v1")');
  expect(v.reasons[0]).toContain('after update (process 2, 20→30 ms, ok, sentRv 1, rv 2, data "v2")');
  expect(v.figures).toMatchObject({ proofKey: 'a' });
  expect(v.figures.proof).toEqual([
    { process: 2, f: 'update', invoke: 20, complete: 30, type: 'ok', sentRv: '1', rv: '2', data: 'v2', status: 200, linearized: true },
    { process: 3, f: 'get', invoke: 40, complete: 50, type: 'ok', sentRv: undefined, rv: '1', data: 'v1', status: 200, linearized: false },
  ]);
});

test('an acknowledged create, then a 404 get → fail, naming the get', () => {
  const v = checkLinearizable(history(create(1, [0, 10], 'a', 'v1', '1'), failed(2, 'get', [20, 30], 'a', 404)));
  expect(v.verdict).toBe('fail');
  expect(v.reasons[0]).toContain('get (process 2, 20→30 ms, fail 404) cannot take effect after create (process 1, 0→10 ms, ok, rv 1');
});

test('update 409 although it sent the last acknowledged rv and nothing else wrote → fail, naming the update', () => {
  const v = checkLinearizable(history(create(1, [0, 10], 'a', 'v1', '1'), failed(1, 'update', [20, 30], 'a', 409, { sentRv: '1', data: 'v2' })));
  expect(v.verdict).toBe('fail');
  expect(v.reasons[0]).toContain('update (process 1, 20→30 ms, fail 409, sentRv 1, data "v2") cannot take effect');
});

test('split brain: two writes acknowledged with the same sentRv → fail, naming both', () => {
  const v = checkLinearizable(history(
    create(1, [0, 10], 'a', 'v1', '1'), update(2, [20, 40], 'a', '1', 'v2', '2'), update(3, [22, 45], 'a', '1', 'v3', '3'),
  ));
  expect(v.verdict).toBe('fail');
  expect(v.reasons).toHaveLength(1);
  expect(v.reasons[0]).toMatch(/update \(process 3, 22→45 ms, ok, sentRv 1, rv 3.*cannot take effect after update \(process 2, 20→40 ms, ok, sentRv 1, rv 2/);
});

test('an unknown write cannot take the rv another write was acknowledged with → fail', () => {
  const v = checkLinearizable(history(
    create(1, [0, 10], 'a', 'v1', '1'), unknown(2, 'update', [20, 30], 'a', { sentRv: '1', data: 'x' }),
    update(3, [25, 35], 'a', '1', 'y', '2'), get(1, [50, 60], 'a', '2', 'x'),
  ));
  expect(v.verdict).toBe('fail');
  expect(v.reasons[0]).toContain('get (process 1, 50→60 ms, ok, rv 2, data "x")');
});

test('stale read: a list invoked after a write was acknowledged returns an older listRv → fail; a stale: true list may', () => {
  const v = checkLinearizable(history(create(1, [0, 10], 'a', 'v1', '5'), list(2, [20, 30], '3'), list(3, [20, 30], '2', true), list(4, [5, 30], '4')));
  expect(v.verdict).toBe('fail');
  expect(v.figures.violations).toBe(1);
  expect(v.reasons).toEqual(['stale read: list (process 2, 20→30 ms, ok) returned listRv 3, older than rv 5 of create (process 1, 0→10 ms, ok, rv 5, data "v1") on "a", acknowledged before it was invoked']);
});

test('rv going backwards between two keys → fail, naming both writes', () => {
  const v = checkLinearizable(history(create(1, [0, 10], 'a', 'v1', '5'), create(2, [20, 30], 'b', 'w1', '3')));
  expect(v.verdict).toBe('fail');
  expect(v.reasons[0]).toBe('rv went backwards: create (process 2, 20→30 ms, ok, rv 3, data "w1") on "b" returned rv 3, not above rv 5 of create (process 1, 0→10 ms, ok, rv 5, data "v1") on "a", acknowledged before it was invoked');
  expect(checkLinearizable(history(create(1, [0, 30], 'a', 'v1', '5'), create(2, [20, 40], 'b', 'w1', '3'))).verdict).toBe('pass');
});

test('the search bound exceeded → unknown, naming the key; no ConfigMap op → unknown; a malformed rv → unknown', () => {
  const ops = history(create(1, [0, 10], 'a', 'v1', '1'), update(2, [20, 60], 'a', '1', 'v2', '2'), update(3, [21, 40], 'a', '2', 'v3', '3'));
  const v = checkLinearizable(ops, { maxSteps: 2 });
  expect(v.verdict).toBe('unknown');
  expect(v.reasons).toEqual(['key "a": search bound of 2 steps exceeded (2 of 3 definite ops linearized)']);
  expect(checkLinearizable(ops).verdict).toBe('pass');
  expect(checkLinearizable(call(1, 'readyz', [0, 5], 'ok', {}, {})).reasons).toEqual(['no ConfigMap operation in the history']);
  const bad = checkLinearizable(create(1, [0, 10], 'a', 'v1', 'abc'));
  expect(bad.verdict).toBe('unknown');
  expect(bad.reasons[0]).toMatch(/^checker threw: resourceVersion must be a decimal integer/);
});
