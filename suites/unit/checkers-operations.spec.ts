// Reading a history: invokes paired with completions, fault windows, and the phase of a time.
import { test, expect } from '@playwright/test';
import type { Op } from '../../history/history.ts';
import { clientOps, faultWindows, phaseOf } from '../../history/operations.ts';

const nemesis = (type: Op['type'], f: string, time: number, fault: string): Op => ({ type, process: 'nemesis', f, value: { fault, targets: ['etcd-1'] }, time });

test('client invokes pair with their completions per process; an unanswered invoke is info until the last op', () => {
  const history: Op[] = [
    { type: 'invoke', process: 1, f: 'create', value: { name: 'a', conn: 'new' }, time: 10 },
    { type: 'invoke', process: 2, f: 'get', value: { name: 'b' }, time: 12 },
    { type: 'info', process: 'observer', f: 'vip', value: { backends: [] }, time: 15 },
    { type: 'fail', process: 2, f: 'get', value: { status: 503 }, time: 20, error: 'unavailable' },
    { type: 'ok', process: 1, f: 'create', value: { status: 201 }, time: 30 },
    { type: 'invoke', process: 1, f: 'delete', value: { name: 'a' }, time: 40 },
    { type: 'ok', process: 'final', f: 'final-read', value: { present: [] }, time: 90 },
  ];
  expect(clientOps(history)).toEqual([
    { process: 1, f: 'create', value: { name: 'a', conn: 'new', status: 201 }, start: 10, end: 30, type: 'ok' },
    { process: 2, f: 'get', value: { name: 'b', status: 503 }, start: 12, end: 20, type: 'fail', error: 'unavailable' },
    { process: 1, f: 'delete', value: { name: 'a' }, start: 40, end: 90, type: 'info' },
  ]);
});

test('fault windows: one per start/end of the same fault; the last fault-end wins, the first is when the heal began; an unended fault is open until the last op', () => {
  const history: Op[] = [
    nemesis('info', 'fault-start', 100, 'kill-etcd'),
    nemesis('fail', 'fault-start', 150, 'partition'),
    nemesis('invoke', 'fault-end', 200, 'kill-etcd'),
    nemesis('info', 'fault-end', 250, 'kill-etcd'),
    nemesis('info', 'fault-start', 400, 'kill-etcd'),
    nemesis('info', 'fault-start', 450, 'pause-apiserver'),
    nemesis('info', 'fault-end', 500, 'kill-etcd'),
    { type: 'info', process: 'observer', f: 'etcd', value: { members: [] }, time: 700 },
  ];
  expect(faultWindows(history)).toEqual([
    { fault: 'kill-etcd', targets: ['etcd-1'], start: 100, injected: 100, inEffect: 100, end: 250, healStart: 200, healed: true },
    { fault: 'kill-etcd', targets: ['etcd-1'], start: 400, injected: 400, inEffect: 400, end: 500, healStart: 500, healed: true },
    { fault: 'pause-apiserver', targets: ['etcd-1'], start: 450, injected: 450, inEffect: 450, end: 700, healStart: 700, healed: false },
  ]);
});

test('fault windows: a nemesis invoke then info — the window starts at the invoke, the fault took effect at the info', () => {
  const history: Op[] = [nemesis('invoke', 'fault-start', 100, 'kill'), nemesis('info', 'fault-start', 900, 'kill'), nemesis('info', 'fault-end', 2000, 'kill')];
  expect(faultWindows(history)).toEqual([{ fault: 'kill', targets: ['etcd-1'], start: 100, injected: 900, inEffect: 100, end: 2000, healStart: 2000, healed: true }]);
});

test('fault windows: the first fault-in-effect inside the window is when the fault took hold; a later one or one after the end is not', () => {
  const history: Op[] = [
    nemesis('invoke', 'fault-start', 100, 'kill'), nemesis('info', 'fault-in-effect', 600, 'kill'), nemesis('info', 'fault-in-effect', 700, 'kill'),
    nemesis('info', 'fault-start', 900, 'kill'), nemesis('info', 'fault-end', 2000, 'kill'), nemesis('info', 'fault-in-effect', 2100, 'kill'),
  ];
  expect(faultWindows(history)).toEqual([{ fault: 'kill', targets: ['etcd-1'], start: 100, injected: 900, inEffect: 600, end: 2000, healStart: 2000, healed: true }]);
});

test('phase of a time: before the first fault-start, during any window (ends included), after otherwise', () => {
  const windows = [
    { fault: 'a', targets: [], start: 100, injected: 100, inEffect: 100, end: 200, healStart: 200, healed: true },
    { fault: 'b', targets: [], start: 300, injected: 300, inEffect: 300, end: 400, healStart: 400, healed: true },
  ];
  expect([99, 100, 200, 250, 300, 401].map((t) => phaseOf(t, windows))).toEqual(['before', 'during', 'during', 'after', 'during', 'after']);
  expect(phaseOf(5000, [])).toBe('before');
});
