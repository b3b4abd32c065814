// Leader-uniqueness checker: after the last heal (+ settle) every lease has a holder and etcd has at most one leader.
import { test, expect } from '@playwright/test';
import type { Op } from '../../history/history.ts';
import { checkLeaderUniqueness } from '../../checkers/check-leader-uniqueness.ts';

const nemesis = (f: string, time: number): Op => ({ type: 'info', process: 'nemesis', f, value: { fault: 'kill-master', targets: ['m1'] }, time });
const leases = (time: number, holders: Record<string, string>): Op => ({ type: 'info', process: 'observer', f: 'leases', value: { holders }, time });
const etcd = (time: number, leaders: string[]): Op => ({
  type: 'info',
  process: 'observer',
  f: 'etcd',
  time,
  value: { members: ['m1', 'm2', 'm3'].map((name) => ({ name, healthy: true, isLeader: leaders.includes(name) })) },
});
const both = (s: string, c: string): Record<string, string> => ({ 'kube-scheduler': s, 'kube-controller-manager': c });

const history: Op[] = [
  leases(500, both('m1', 'm1')),
  etcd(500, ['m1']),
  nemesis('fault-start', 1000),
  leases(1500, { 'kube-scheduler': 'm2' }),
  etcd(1500, []),
  nemesis('fault-end', 2000),
  leases(2500, both('m2', 'm1')),
  etcd(2500, ['m2']),
  leases(3000, both('m3', 'm1')),
];

test('every lease held and one etcd leader after the heal → pass; holder changes and holders seen over the whole run', () => {
  const v = checkLeaderUniqueness(history, {});
  expect(v.verdict).toBe('pass');
  expect(v.figures).toMatchObject({
    since: 2000,
    leasesSamplesAfter: 2,
    etcdSamplesAfter: 1,
    holderChanges: { 'kube-scheduler': 2, 'kube-controller-manager': 0 },
    holdersSeen: { 'kube-scheduler': ['m1', 'm2', 'm3'], 'kube-controller-manager': ['m1'] },
  });
});

test('two etcd leaders after the heal → fail with reasons; a lease briefly without holder is only noted', () => {
  const v = checkLeaderUniqueness([...history, leases(3500, { 'kube-scheduler': 'm3' }), etcd(3500, ['m1', 'm3'])], {});
  expect(v.verdict).toBe('fail');
  expect(v.reasons).toEqual(['1 of 2 etcd samples from 2000 ms show several leaders (first at 3500 ms: m1, m3)']);
  expect(v.figures.samplesWithoutHolder).toEqual({ 'kube-scheduler': 0, 'kube-controller-manager': 1 });
  expect(v.figures.notes).toEqual(['kube-controller-manager had no holder in 1 of 3 leases samples from 2000 ms (first at 3500 ms)']);
  expect(checkLeaderUniqueness([...history, leases(3500, { 'kube-scheduler': 'm3' })], {}).verdict).toBe('pass');
});

test('settleMs skips samples taken while leaders are still being elected', () => {
  const unsettled = [...history, etcd(2100, ['m1', 'm2'])];
  expect(checkLeaderUniqueness(unsettled, { settleMs: 0 }).verdict).toBe('fail');
  expect(checkLeaderUniqueness(unsettled, { settleMs: 200 }).verdict).toBe('pass');
});

test('no samples after the heal + settle → unknown', () => {
  const v = checkLeaderUniqueness(history, { settleMs: 5000 });
  expect(v.verdict).toBe('unknown');
  expect(v.reasons).toEqual(['no leases samples at or after 7000 ms', 'no etcd samples at or after 7000 ms']);
});

test('two processes claiming one Lease at once (split brain) → fail, whenever it happens', () => {
  const claims = (time: number, scheduler: string[]): Op => ({ type: 'info', process: 'observer', f: 'leases', value: { holders: both('m1', 'm1'), claims: { 'kube-scheduler': scheduler, 'kube-controller-manager': ['c'] } }, time });
  expect(checkLeaderUniqueness([...history, claims(3200, ['s1'])], {}).verdict).toBe('pass');
  const v = checkLeaderUniqueness([...history, claims(1200, ['s1', 's2'])], {});
  expect(v.verdict).toBe('fail');
  expect(v.reasons.join(' ')).toContain('two leaders of one role (first at 1200 ms: kube-scheduler: s1, s2)');
});
