// Recovery checker: times from the heal (or the fault start) to the first ok op, an etcd leader, a healthy etcd, lease holders.
import { test, expect } from '@playwright/test';
import type { Op } from '../../history/history.ts';
import { judgeSettleChecks } from '../../history/settle-checks.ts';
import { checkRecovery } from '../../checkers/check-recovery.ts';

const call = (process: number, f: string, start: number, end: number, type: 'ok' | 'fail' | 'info'): Op[] => [
  { type: 'invoke', process, f, value: {}, time: start },
  { type, process, f, value: {}, time: end },
];
const nemesis = (f: string, time: number): Op => ({ type: 'info', process: 'nemesis', f, value: { fault: 'kill-etcd', targets: ['m3'] }, time });
const etcd = (time: number, members: Array<[leader: boolean, healthy: boolean, hash?: string]>): Op => ({
  type: 'info',
  process: 'observer',
  f: 'etcd',
  time,
  value: { members: members.map(([isLeader, healthy, hash], i) => ({ name: `m${i + 1}`, isLeader, healthy, ...(hash ? { hash } : {}) })) },
});
const leases = (time: number, holders: Record<string, string>): Op => ({ type: 'info', process: 'observer', f: 'leases', value: { holders }, time });

const history: Op[] = [
  nemesis('fault-start', 1000),
  etcd(2500, [[false, true], [false, true], [false, false]]),
  ...call(2, 'get', 2900, 3050, 'ok'),
  nemesis('fault-end', 3000),
  ...call(1, 'get', 3100, 3200, 'fail'),
  leases(3100, { 'kube-scheduler': 'm1' }), // the controller-manager lease has no holder (JSON drops undefined)
  etcd(3200, [[true, true], [false, true], [false, false]]),
  ...call(1, 'get', 3300, 3450, 'ok'),
  etcd(3600, [[true, true, 'h1'], [false, true, 'h1'], [false, true, 'h0']]),
  leases(3800, { 'kube-scheduler': 'm1', 'kube-controller-manager': 'm2' }),
  etcd(4000, [[true, true, 'h1'], [false, true, 'h1'], [false, true, 'h1']]),
];

test('figures from the heal, computed exactly; within maxRecoveryMs → pass', () => {
  const v = checkRecovery(history, { from: 'heal', slo: { maxRecoveryMs: 1000 } });
  expect(v.figures).toEqual({
    from: 'heal', fault: 'kill-etcd', reference: 3000,
    msToFirstOk: 450, msToEtcdLeader: 200, msToEtcdHealthy: 1000, msToLeaseHolders: 800, recoveryMs: 1000,
  });
  expect(v.verdict).toBe('pass');
});

test('slower than maxRecoveryMs → fail naming the slow figure only', () => {
  const v = checkRecovery(history, { from: 'heal', slo: { maxRecoveryMs: 900 } });
  expect(v.verdict).toBe('fail');
  expect(v.reasons).toEqual(['msToEtcdHealthy 1000 ms > maxRecoveryMs 900']);
});

test('from the fault start: ops and samples during the fault count', () => {
  const v = checkRecovery(history, { from: 'fault-start' });
  expect(v.figures).toMatchObject({ reference: 1000, msToFirstOk: 2050, msToEtcdLeader: 2200, msToEtcdHealthy: 3000, msToLeaseHolders: 2800 });
  expect(v.verdict).toBe('pass');
});

test('a condition never reached after the heal → fail', () => {
  const noLeader = history.filter((op) => op.f !== 'etcd').concat([etcd(3500, [[false, true], [false, true], [false, true]])]);
  const v = checkRecovery(noLeader, { from: 'heal' });
  expect(v.verdict).toBe('fail');
  expect(v.reasons).toContain('msToEtcdLeader: never reached in 1 etcd samples after 3000 ms');
  expect(v.figures.recoveryMs).toBeNull();
});

test('no fault, an unhealed fault, or no samples after the heal → unknown', () => {
  expect(checkRecovery(call(1, 'get', 0, 10, 'ok'), {}).verdict).toBe('unknown');
  const unhealed = checkRecovery(history.filter((op) => op.f !== 'fault-end'), { from: 'heal' });
  expect(unhealed.verdict).toBe('unknown');
  expect(unhealed.reasons).toEqual(['the last fault (kill-etcd, started 1000 ms) has no fault-end']);
  const noLeases = checkRecovery(history.filter((op) => op.f !== 'leases'), { from: 'heal' });
  expect(noLeases.verdict).toBe('unknown');
  expect(noLeases.reasons).toEqual(['msToLeaseHolders: no leases samples at or after 3000 ms']);
});

test('lease takeover: time from the fault start until a holder other than the one before the fault', () => {
  const h: Op[] = [
    leases(500, { 'kube-scheduler': 'old', 'kube-controller-manager': 'c' }),
    nemesis('fault-start', 1000),
    leases(2000, { 'kube-scheduler': 'old', 'kube-controller-manager': 'c' }), // the dead holder's Lease has not expired yet
    leases(9000, { 'kube-controller-manager': 'c' }),
    leases(12500, { 'kube-scheduler': 'new', 'kube-controller-manager': 'c' }),
    nemesis('fault-end', 13000),
  ];
  const v = checkRecovery(h, { from: 'fault-start', leaseTakeover: 'kube-scheduler', slo: { maxRecoveryMs: 17_000 } });
  expect(v.figures.msToLeaseTakeover).toBe(11_500);
  const slow = checkRecovery(h, { from: 'fault-start', leaseTakeover: 'kube-scheduler', slo: { maxRecoveryMs: 10_000 } });
  expect(slow.verdict).toBe('fail');
  expect(slow.reasons.join(' ')).toContain('msToLeaseTakeover 11500 ms > maxRecoveryMs 10000');
  const never = checkRecovery(h.slice(0, 3).concat(nemesis('fault-end', 13000)), { from: 'fault-start', leaseTakeover: 'kube-scheduler' });
  expect(never.verdict).toBe('fail');
});

// The settle period after the cluster first looked healthy (recorded by the runner as settle-health checks).
const check = (time: number, problems: string[]): Op => ({ type: 'info', process: 'nemesis', f: 'settle-health', value: { healthy: problems.length === 0, problems }, time });
const settled = (time: number, type: 'invoke' | 'info'): Op => ({ type, process: 'nemesis', f: 'settled', value: { settleMs: 35_000, nodeGraceMs: 20_000, leaseMs: 15_000 }, time });

test('healthy through the whole settle period: the recovery is what it was, the checks are counted', () => {
  const v = checkRecovery([...history, settled(4000, 'invoke'), check(4100, []), check(6100, []), settled(39_100, 'info')], { from: 'heal', slo: { maxRecoveryMs: 1000 } });
  expect(v.verdict).toBe('pass');
  expect(v.figures).toMatchObject({ recoveryMs: 1000, settle: { settleMs: 35_000, checks: 2, breaks: [] } });
  expect(v.figures.msToStable).toBeUndefined();
});

test('a break inside the settle period belongs to the scenario: the recovery lasts until it stayed healthy, and is judged so', () => {
  const broke = [...history, settled(4000, 'invoke'), check(4100, []), check(6100, ['Lease kube-controller-manager: no current holder']), check(8100, ['Nodes not Ready: n1']), check(10_100, []), settled(45_100, 'info')];
  const v = checkRecovery(broke, { from: 'heal', slo: { maxRecoveryMs: 5_000 } });
  expect(v.figures.msToStable).toBe(7_100);
  expect(v.figures.recoveryMs).toBe(7_100);
  expect(v.figures.settle?.breaks.map((b) => b.at)).toEqual([6100, 8100]);
  expect(v.verdict).toBe('fail');
  expect(v.reasons).toEqual(['msToStable 7100 ms > maxRecoveryMs 5000 (broke 3100 ms after the heal (Lease kube-controller-manager: no current holder), healthy for good from 7100 ms)']);
  expect(checkRecovery(broke, { from: 'heal', slo: { maxRecoveryMs: 30_000 } }).verdict).toBe('pass');
});

test('a settle period that never ended healthy → fail, saying what was last wrong', () => {
  const v = checkRecovery([...history, settled(4000, 'invoke'), check(4100, []), check(6100, ['etcd: 2/3 members healthy'])], { from: 'heal' });
  expect(v.verdict).toBe('fail');
  expect(v.reasons[0]).toContain('never stayed healthy for the settle period');
  expect(v.reasons[0]).toContain('etcd: 2/3 members healthy');
});

// A check that could not tell (only the observer's own reads failed) is no break; a blind spot of 3 checks is.
const blind = (time: number, unreadable: string[]): Op => ({ type: 'info', process: 'nemesis', f: 'settle-health', value: { healthy: false, problems: [], unreadable }, time });

test('a settle check that could not tell is doubt, not a break; three in a row are a break (nothing was seen healthy)', () => {
  const one = checkRecovery([...history, settled(4000, 'invoke'), check(4100, []), blind(6100, ['kube-scheduler: no instance claims leadership, and the gauge of s1 could not be read']), check(8100, []), settled(39_100, 'info')], { from: 'heal', slo: { maxRecoveryMs: 1000 } });
  expect(one.verdict).toBe('pass');
  expect(one.figures.settle).toMatchObject({ checks: 3, unknown: 1, breaks: [] });
  const three = checkRecovery([...history, settled(4000, 'invoke'), check(4100, []), blind(6100, ['VIP backends: timed out']), blind(8100, ['VIP backends: timed out']), blind(10_100, ['VIP backends: timed out']), check(12_100, []), settled(47_100, 'info')], { from: 'heal', slo: { maxRecoveryMs: 5_000 } });
  expect(three.verdict).toBe('fail');
  expect(three.figures.settle?.breaks).toEqual([{ at: 6100, problems: ['nothing could be told for 3 checks (6000 ms): VIP backends: timed out'] }]);
  expect(three.figures.msToStable).toBe(9_100);
  // A period in which most checks could not tell proves little: doubt, even without a break.
  const mostly = checkRecovery([...history, settled(4000, 'invoke'), blind(4100, ['x']), check(6100, []), blind(8100, ['x']), check(10_100, []), blind(12_100, ['x']), settled(39_100, 'info')], { from: 'heal', slo: { maxRecoveryMs: 1000 } });
  expect(mostly.verdict).toBe('unknown');
  expect(mostly.reasons.join()).toContain('3 of 5 settle checks could not tell');
});

test('a blind spot is judged by time too: two slow checks that could not tell for 32 s are a break', () => {
  const slow = (time: number, askedAt: number): Op => ({ type: 'info', process: 'nemesis', f: 'settle-health', value: { healthy: false, problems: [], unreadable: ['leader gauges timed out'], askedAt }, time });
  const v = checkRecovery([...history, settled(4000, 'invoke'), check(4100, []), slow(36_100, 4_200), slow(68_100, 36_200), check(70_100, []), settled(105_100, 'info')], { from: 'heal', slo: { maxRecoveryMs: 30_000 } });
  expect(v.verdict).toBe('fail');
  expect(v.figures.settle?.breaks[0]?.problems[0]).toContain('nothing could be told for 1 checks (32000 ms)');
});

test('judgeSettleChecks: breaks, blind spots and the final streak, as the runner uses them to stop', () => {
  const c = (time: number, healthy: boolean, problems: string[] = [], unreadable: string[] = []) => ({ time, healthy, problems, unreadable });
  expect(judgeSettleChecks([])).toEqual({ breaks: [], unknown: 0, stableFrom: undefined, lastHealthy: false });
  expect(judgeSettleChecks([c(1, true), c(2, true)])).toMatchObject({ breaks: [], stableFrom: 1, lastHealthy: true });
  expect(judgeSettleChecks([c(1, false, [], ['u']), c(2, true)])).toMatchObject({ breaks: [], unknown: 1, stableFrom: 2 });
  expect(judgeSettleChecks([c(1, true), c(2, false, ['p']), c(3, false, [], ['u']), c(4, true)])).toMatchObject({ breaks: [{ at: 2, problems: ['p'] }], unknown: 1, stableFrom: 4 });
  expect(judgeSettleChecks([c(1, true), c(2, false, ['p'])])).toMatchObject({ stableFrom: undefined, lastHealthy: false });
  // Older histories: unhealthy with no reason given is a break.
  expect(judgeSettleChecks([{ time: 1, healthy: false, problems: [] }]).breaks).toEqual([{ at: 1, problems: ['unhealthy, no reason recorded'] }]);
});
