// Quorum-loss checker: no write succeeds while etcd lacks a healthy majority, and writes succeed again afterwards.
import { test, expect } from '@playwright/test';
import type { Op } from '../../history/history.ts';
import { checkQuorumLoss } from '../../checkers/check-quorum-loss.ts';

const call = (process: number, f: string, name: string, start: number, end: number, type: 'ok' | 'fail' | 'info'): Op[] => [
  { type: 'invoke', process, f, value: { name }, time: start },
  { type, process, f, value: { name }, time: end },
];
const etcd = (time: number, healthy: number): Op => ({
  type: 'info',
  process: 'observer',
  f: 'etcd',
  time,
  value: { members: ['m1', 'm2', 'm3'].map((name, i) => ({ name, healthy: i < healthy, isLeader: false })) },
});

// Quorum is lost from 1000 ms (1 of 3 healthy) to 3000 ms (2 of 3 healthy again).
const samples: Op[] = [etcd(0, 3), etcd(1000, 1), etcd(1500, 1), etcd(3000, 2), etcd(4000, 3)];
const recovered: Op[] = call(9, 'create', 'after', 3500, 3600, 'ok');

test('a write succeeding during quorum loss → fail', () => {
  const v = checkQuorumLoss([...samples, ...call(1, 'create', 'x', 1200, 1300, 'ok'), ...recovered], {});
  expect(v.verdict).toBe('fail');
  expect(v.figures).toMatchObject({ periodStart: 1000, periodEnd: 3000, lengthMs: 2000, violations: [{ f: 'create', name: 'x', start: 1200, end: 1300 }] });
  expect(v.reasons).toEqual(['create x succeeded without quorum: 1200–1300 ms, quorum lost 1000–3000 ms (grace 0 ms)']);
});

test('failed, unknown and still-pending writes during the loss, writes ok after → pass; graceMs forgives the edges', () => {
  const history = [
    ...samples,
    ...call(1, 'update', 'a', 1100, 1400, 'fail'),
    ...call(2, 'delete', 'b', 1200, 2000, 'info'),
    ...call(3, 'create', 'c', 2800, 3100, 'ok'), // completed after quorum was back
    ...call(4, 'get', 'd', 1300, 1400, 'ok'), // reads are not judged
    ...recovered,
  ];
  const v = checkQuorumLoss(history, {});
  expect(v.verdict).toBe('pass');
  expect(v.figures).toMatchObject({ writesDuring: { ok: 1, fail: 1, info: 1 }, violations: [], firstOkWriteAfter: 3100 });
  const edge = [...history, ...call(5, 'create', 'e', 1050, 1100, 'ok')];
  expect(checkQuorumLoss(edge, { graceMs: 0 }).verdict).toBe('fail');
  expect(checkQuorumLoss(edge, { graceMs: 100 }).verdict).toBe('pass');
});

test('no write succeeds after quorum is back → fail; quorum never regained → fail', () => {
  const stuck = checkQuorumLoss([...samples, ...call(1, 'create', 'a', 3200, 3300, 'fail'), ...call(1, 'create', 'b', 3400, 3500, 'info')], {});
  expect(stuck.verdict).toBe('fail');
  expect(stuck.reasons).toEqual(['writes never recovered: none of 2 writes completed after 3000 ms succeeded']);
  const never = checkQuorumLoss([etcd(0, 3), etcd(1000, 1), etcd(2000, 0), ...recovered], {});
  expect(never.verdict).toBe('fail');
  expect(never.figures).toMatchObject({ periodStart: 1000, periodEnd: null, lengthMs: null });
  expect(never.reasons).toEqual(['quorum was never regained (lost at 1000 ms, last sample at 2000 ms)']);
});

test('quorum never lost, or no write after it came back → unknown', () => {
  const kept = checkQuorumLoss([etcd(0, 3), etcd(1000, 2), ...recovered], {});
  expect(kept.verdict).toBe('unknown');
  expect(kept.reasons).toEqual(['quorum was never lost in 2 etcd samples']);
  expect(checkQuorumLoss(samples, {}).verdict).toBe('unknown');
});
