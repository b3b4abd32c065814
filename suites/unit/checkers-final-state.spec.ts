// Final-state checker: every view (each apiserver directly, etcd) must agree, and the agreed state must be one the
// history allows. Hand-written histories for pass, each way to fail, and unknown.
import { test, expect } from '@playwright/test';
import type { Op } from '../../history/history.ts';
import { checkFinalState } from '../../checkers/check-final-state.ts';

type Value = Record<string, unknown>;
type Span = [start: number, end: number];
type Item = { name: string; rv: string; data?: string };

const call = (process: number, f: string, [start, end]: Span, type: 'ok' | 'fail' | 'info', invoke: Value, done: Value = {}): Op[] => [
  { type: 'invoke', process, f, value: invoke, time: start },
  { type, process, f, value: done, time: end, ...(type === 'info' ? { error: 'timeout' } : {}) },
];
const create = (p: number, t: Span, name: string, data: string, rv: string): Op[] => call(p, 'create', t, 'ok', { name, data }, { status: 201, rv });
const update = (p: number, t: Span, name: string, sentRv: string, data: string, rv: string): Op[] => call(p, 'update', t, 'ok', { name, sentRv, data }, { status: 200, rv });
const unknownUpdate = (p: number, t: Span, name: string, sentRv: string, data: string): Op[] => call(p, 'update', t, 'info', { name, sentRv, data });
/** One view's final read, at time 1000. */
const view = (via: string, items: Item[] | 'failed'): Op[] => [
  { type: 'invoke', process: `final-${via}`, f: 'final-state', value: { via }, time: 1_000 },
  items === 'failed'
    ? { type: 'fail', process: `final-${via}`, f: 'final-state', value: { via }, time: 1_001, error: 'timeout' }
    : { type: 'ok', process: `final-${via}`, f: 'final-state', value: { via, items }, time: 1_001 },
];
const history = (...ops: Op[][]): Op[] => ops.flat().sort((a, b) => a.time - b.time);

// rv order across the cluster: b's create (rv 2) is acknowledged before a's update (rv 3) is invoked.
const load = () => [create(1, [0, 10], 'a', 'v1', '1'), update(1, [20, 30], 'a', '1', 'v2', '3'), create(2, [5, 15], 'b', 'w1', '2')];
const agreed: Item[] = [{ name: 'a', rv: '3', data: 'v2' }, { name: 'b', rv: '2', data: 'w1' }];

test('every view holds the last acknowledged state → pass', () => {
  const v = checkFinalState(history(...load(), view('etcd', agreed), view('kube-control-plane-0-apiserver', agreed), view('kube-control-plane-1-apiserver', agreed)));
  expect(v.verdict, v.reasons.join('\n')).toBe('pass');
  expect(v.figures).toMatchObject({ disagreements: 0, keysJudged: 2, failedViews: [] });
});

test('an unknown update may or may not have taken effect → pass either way', () => {
  const later = [...load(), unknownUpdate(3, [40, 50], 'a', '3', 'v3')];
  expect(checkFinalState(history(...later, view('etcd', agreed), view('kube-control-plane-0-apiserver', agreed))).verdict).toBe('pass');
  const took: Item[] = [{ name: 'a', rv: '9', data: 'v3' }, agreed[1]!];
  expect(checkFinalState(history(...later, view('etcd', took), view('kube-control-plane-0-apiserver', took))).verdict).toBe('pass');
});

test('an apiserver that disagrees with etcd (a split store) → fail, naming the view and the keys', () => {
  const other: Item[] = [{ name: 'a', rv: '1', data: 'v1' }];
  const v = checkFinalState(history(...load(), view('etcd', agreed), view('kube-control-plane-0-apiserver', agreed), view('kube-control-plane-1-apiserver', other)));
  expect(v.verdict).toBe('fail');
  expect(v.figures.disagreements).toBe(2);
  expect(v.reasons).toHaveLength(1);
  expect(v.reasons[0]).toContain('kube-control-plane-1-apiserver disagrees with etcd on 2 key(s)');
  expect(v.reasons[0]).toContain('b: etcd has rv 2 data "w1", kube-control-plane-1-apiserver has absent');
});

test('hundreds of disagreements are counted, and only the first few named', () => {
  const many: Item[] = Array.from({ length: 300 }, (_, i) => ({ name: `k${String(i).padStart(3, '0')}`, rv: String(10 + i) }));
  const v = checkFinalState(history(...load(), view('etcd', [...agreed, ...many]), view('kube-control-plane-0-apiserver', agreed)));
  expect(v.verdict).toBe('fail');
  expect(v.figures.disagreements).toBe(300);
  expect(v.reasons[0]).toContain('on 300 key(s)');
  expect(v.reasons[0]).toContain('… 295 more');
  expect(v.reasons[0]!.length).toBeLessThan(1_000);
});

test('every view agrees on a state the history forbids (an acknowledged update lost everywhere, as after a stale restore) → fail', () => {
  const old: Item[] = [{ name: 'a', rv: '1', data: 'v1' }, agreed[1]!];
  const v = checkFinalState(history(...load(), view('etcd', old), view('kube-control-plane-0-apiserver', old)));
  expect(v.verdict).toBe('fail');
  expect(v.reasons.join('\n')).toContain('final state (etcd) not allowed by the history');
});

test('an acknowledged create absent from every view → fail', () => {
  const gone: Item[] = [agreed[0]!];
  const v = checkFinalState(history(...load(), view('etcd', gone), view('kube-control-plane-0-apiserver', gone)));
  expect(v.verdict).toBe('fail');
  expect(v.reasons.join('\n')).toContain('"b"');
});

test('no final read at all, or a view that could not be read → unknown, never pass', () => {
  expect(checkFinalState(history(...load())).verdict).toBe('unknown');
  const v = checkFinalState(history(...load(), view('etcd', agreed), view('kube-control-plane-2-apiserver', 'failed')));
  expect(v.verdict).toBe('unknown');
  expect(v.reasons.join('\n')).toContain('could not be read through kube-control-plane-2-apiserver');
});

test('a history that is itself not linearizable → the disagreements still fail; the allowed-state part is not judged', () => {
  const bad = [...load(), call(4, 'get', [40, 50], 'ok', { name: 'a' }, { status: 200, rv: '1', data: 'v1' })];
  const v = checkFinalState(history(...bad, view('etcd', agreed), view('kube-control-plane-0-apiserver', agreed)));
  expect(v.verdict).not.toBe('pass');
  expect(v.reasons.join('\n')).toContain('not judged here');
});

test('one etcd member serving a store of its own → fail, naming the members that disagree', () => {
  const fork: Item[] = [agreed[0]!];
  const v = checkFinalState(history(...load(), view('etcd-0', fork), view('etcd-1', agreed), view('etcd-2', agreed), view('kube-control-plane-0-apiserver', agreed)));
  expect(v.verdict).toBe('fail');
  expect(v.reasons.join('\n')).toContain('etcd-1 disagrees with etcd-0 on 1 key(s)');
  expect(v.reasons.join('\n')).toContain('etcd-2 disagrees with etcd-0');
});
