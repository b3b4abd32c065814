// Quorum-loss checker: no write and no consistent read succeeds while etcd lacks a healthy majority inside a fault
// window, both succeed again afterwards; unknown observer samples are not "no quorum".
import { test, expect } from '@playwright/test';
import type { Op } from '../../history/history.ts';
import { checkQuorumLoss } from '../../checkers/check-quorum-loss.ts';

const call = (process: number, f: string, name: string, start: number, end: number, type: 'ok' | 'fail' | 'info', extra: Record<string, unknown> = {}): Op[] => [
  { type: 'invoke', process, f, value: { name, ...extra }, time: start },
  { type, process, f, value: { name }, time: end },
];
const etcd = (time: number, healthy: number): Op => ({
  type: 'info', process: 'observer', f: 'etcd', time,
  value: { members: ['m1', 'm2', 'm3'].map((name, i) => ({ name, healthy: i < healthy, isLeader: false })) },
});
/** The observer could not read etcd at all (etcdctl timed out). */
const unreadable = (time: number): Op => ({
  type: 'info', process: 'observer', f: 'etcd', time, error: 'etcd members timed out',
  value: { unknown: true, members: ['m1', 'm2', 'm3'].map((name) => ({ name, healthy: false, isLeader: false, answered: false })) },
});
const fault = (start: number, end: number): Op[] => [
  { type: 'invoke', process: 'nemesis', f: 'fault-start', value: { fault: 'kill-process' }, time: start },
  { type: 'info', process: 'nemesis', f: 'fault-start', value: { fault: 'kill-process', targets: ['etcd-0-peer', 'etcd-1-peer'] }, time: start + 10 },
  { type: 'invoke', process: 'nemesis', f: 'fault-end', value: { fault: 'kill-process' }, time: end },
  { type: 'info', process: 'nemesis', f: 'fault-end', value: { fault: 'kill-process' }, time: end + 10 },
];

// Quorum is lost from 1000 ms (1 of 3 healthy), last seen lost at 2900 ms, back at 3000 ms (2 of 3 healthy again),
// inside the fault 900–2500 ms.
const samples: Op[] = [...fault(900, 2500), etcd(0, 3), etcd(1000, 1), etcd(1500, 1), etcd(2900, 1), etcd(3000, 2), etcd(4000, 3)];
const recovered: Op[] = [...call(9, 'create', 'after', 3500, 3600, 'ok'), ...call(8, 'get', 'after', 3500, 3600, 'ok')];

test('a sample answered late: ops are judged only up to when the last no-quorum sample was asked', () => {
  // The last sample without quorum was asked at 2000 ms but answered at 2900 ms; quorum may be back from 2000 ms on.
  const late: Op = { ...etcd(2900, 1), value: { ...(etcd(2900, 1).value as object), askedAt: 2000 } };
  const history = [...fault(900, 2500), etcd(0, 3), etcd(1000, 1), late, etcd(3000, 3), ...call(1, 'create', 'w', 1100, 1500, 'fail'), ...call(1, 'create', 'y', 2200, 2400, 'ok'), ...recovered];
  expect(checkQuorumLoss(history, {}).verdict).toBe('pass');
  expect(checkQuorumLoss([...history, ...call(2, 'create', 'z', 1200, 1900, 'ok')], {}).verdict).toBe('fail');
});

test('a write succeeding during quorum loss → fail, naming the op', () => {
  const v = checkQuorumLoss([...samples, ...call(1, 'create', 'x', 1200, 1300, 'ok'), ...recovered], {});
  expect(v.verdict).toBe('fail');
  expect(v.figures).toMatchObject({ periodStart: 1000, periodEnd: 3000, lengthMs: 2000, violations: [{ f: 'create', name: 'x', start: 1200, end: 1300, process: 1 }] });
  expect(v.reasons).toEqual(['create x (process 1) succeeded without quorum: 1200–1300 ms, quorum lost 1000–2900 ms (grace 0 ms)']);
});

test('a consistent read served during quorum loss → fail; a stale read (resourceVersion=0) is not judged', () => {
  const v = checkQuorumLoss([...samples, ...call(2, 'get', 'y', 1200, 1300, 'ok'), ...recovered], {});
  expect(v.verdict).toBe('fail');
  expect(v.reasons[0]).toContain('get y (process 2) succeeded without quorum');
  expect(checkQuorumLoss([...samples, ...call(2, 'get', 'y', 1200, 1300, 'ok', { stale: true }), ...call(1, 'create', 'w', 1100, 1500, 'fail'), ...recovered], {}).verdict).toBe('pass');
});

test('failed, unknown and still-pending writes during the loss, writes and reads ok after → pass; graceMs forgives the edges', () => {
  const history = [
    ...samples,
    ...call(1, 'update', 'a', 1100, 1400, 'fail'),
    ...call(2, 'delete', 'b', 1200, 2000, 'info'),
    ...call(3, 'create', 'c', 2800, 3100, 'ok'), // completed after quorum was back
    ...call(4, 'get', 'd', 1300, 1400, 'fail'),
    ...recovered,
  ];
  const v = checkQuorumLoss(history, {});
  expect(v.verdict).toBe('pass');
  expect(v.figures).toMatchObject({ writesDuring: { ok: 1, fail: 1, info: 1 }, readsDuring: { ok: 0, fail: 1, info: 0 }, violations: [], firstOkWriteAfter: 3100, firstOkReadAfter: 3600 });
  const edge = [...history, ...call(5, 'create', 'e', 1050, 1100, 'ok')];
  expect(checkQuorumLoss(edge, { graceMs: 0 }).verdict).toBe('fail');
  expect(checkQuorumLoss(edge, { graceMs: 100 }).verdict).toBe('pass');
});

test('an unreadable sample in the baseline is not a quorum loss; the real one in the fault window is judged', () => {
  // Before the fix, one slow observer sample at 500 ms became "the" quorum-loss period and the real one was never judged.
  const history = [...fault(900, 2500), etcd(0, 3), unreadable(500), etcd(700, 3), etcd(1000, 1), etcd(2000, 1), etcd(3000, 3), ...call(1, 'create', 'x', 1200, 1300, 'ok'), ...recovered];
  const v = checkQuorumLoss(history, {});
  expect(v.verdict).toBe('fail');
  expect(v.figures).toMatchObject({ unknownSamples: 1, intervals: [{ start: 1000, end: 3000, lastLost: 2000 }], outsideFaults: [] });
  expect(v.reasons[0]).toContain('create x (process 1) succeeded without quorum');
});

test('every no-quorum interval in the fault window is judged, not just the first', () => {
  const history = [...fault(900, 5000), etcd(1000, 1), etcd(2000, 3), etcd(3000, 1), etcd(4000, 1), etcd(6000, 3), ...call(1, 'update', 'z', 3200, 3300, 'ok'), ...recovered.map((o) => ({ ...o, time: o.time + 3000 }))];
  const v = checkQuorumLoss(history, {});
  expect(v.verdict).toBe('fail');
  expect(v.figures.intervals).toEqual([{ start: 1000, end: 2000, lastLost: 1000 }, { start: 3000, end: 6000, lastLost: 4000 }]);
  expect(v.reasons[0]).toContain('update z (process 1) succeeded without quorum: 3200–3300 ms, quorum lost 3000–4000 ms');
});

test('no write succeeds after quorum is back → fail; quorum never regained → fail', () => {
  const stuck = checkQuorumLoss([...samples, ...call(1, 'create', 'w', 1100, 1500, 'fail'), ...call(1, 'create', 'a', 3200, 3300, 'fail'), ...call(1, 'create', 'b', 3400, 3500, 'info')], {});
  expect(stuck.verdict).toBe('fail');
  expect(stuck.reasons).toEqual(['writes never recovered: none of 2 writes completed after 3000 ms succeeded']);
  const never = checkQuorumLoss([...fault(900, 2500), etcd(0, 3), etcd(1000, 1), etcd(2000, 0), ...call(1, 'create', 'w', 1100, 1500, 'fail'), ...recovered], {});
  expect(never.verdict).toBe('fail');
  expect(never.figures).toMatchObject({ periodStart: 1000, periodEnd: null, lengthMs: null });
  expect(never.reasons).toEqual(['quorum was never regained (lost at 1000 ms)']);
});

test('quorum never lost in a fault, lost only outside one, or no write after it came back → unknown', () => {
  const kept = checkQuorumLoss([...fault(900, 2500), etcd(0, 3), etcd(1000, 2), ...recovered], {});
  expect(kept.verdict).toBe('unknown');
  expect(kept.reasons[0]).toContain('quorum was never lost during a fault');
  const outside = checkQuorumLoss([...fault(5000, 6000), etcd(0, 1), etcd(1000, 3), etcd(5500, 3), ...recovered], {});
  expect(outside.verdict).toBe('unknown');
  expect(outside.figures.outsideFaults).toEqual([{ start: 0, end: 1000, lastLost: 0 }]);
  expect(checkQuorumLoss(samples, {}).verdict).toBe('unknown');
});

test('a loss seen by one sample only, or with no write sent inside it, is no evidence: unknown, not pass', () => {
  // One no-quorum sample answered at 1000 ms, asked at 400 ms: the span it bounds on both sides is empty.
  const once: Op = { ...etcd(1000, 1), value: { ...(etcd(1000, 1).value as object), askedAt: 400 } };
  const v = checkQuorumLoss([...fault(900, 2500), etcd(0, 3), once, etcd(3000, 3), ...call(1, 'create', 'x', 1100, 1200, 'ok'), ...recovered], {});
  expect(v.verdict).toBe('unknown');
  expect(v.reasons.join()).toContain('no write was sent inside the 0 ms of no-quorum time');
  // The same with a write that failed inside a span the samples do bound → judged, pass.
  const judged = checkQuorumLoss([...samples, ...call(1, 'create', 'x', 1100, 1200, 'fail'), ...recovered], {});
  expect(judged.verdict).toBe('pass');
});

test('the grace shrinks what can be judged: a loss shorter than twice the grace is unknown whatever was sent', () => {
  // Lost 1000–2900 ms; with 1000 ms of grace at each end nothing fits, whatever was sent.
  const h = [...samples, ...call(1, 'create', 'x', 1100, 1200, 'fail'), ...recovered];
  expect(checkQuorumLoss(h, {}).verdict).toBe('pass');
  expect(checkQuorumLoss(h, { graceMs: 1000 }).verdict).toBe('unknown');
  // A write that timed out inside the span was not acknowledged in time: evidence (an acknowledging cluster says ok).
  expect(checkQuorumLoss([...samples, ...call(1, 'create', 'x', 1100, 1200, 'info'), ...recovered], {}).verdict).toBe('pass');
});
