// etcd's election timeout read from a member's process, and the leader-loss scenarios' windows and bounds derived
// from it: a longer election stretches the fault window and the bounds by the extra leaderless time, and nothing else;
// the stretched bounds still fail a cluster that stays without a leader longer than the promise allows.
import { test, expect } from '@playwright/test';
import type { Op } from '../../history/history.ts';
import { clusterTiming, memberTiming, settingOf } from '../../chaos/observe/etcd-timing.ts';
import { boundsForRun, BOUNDS_ELECTION_MS, electionDuringFault, findScenario, forElectionTimeout, PACKAGE_ELECTION_MS, SCENARIOS } from '../../chaos/scenarios/definitions.ts';
import { checkAvailability } from '../../checkers/check-availability.ts';

test('a flag wins over the environment, the environment over etcd\'s default; both flag forms are read', () => {
  const env = { ETCD_ELECTION_TIMEOUT: '5000', ETCD_HEARTBEAT_INTERVAL: '250' };
  expect(settingOf(['etcd', '--election-timeout=3000'], env, 'election-timeout', 1_000)).toEqual({ ms: 3_000, source: 'flag' });
  expect(settingOf(['etcd', '--election-timeout', '3000'], env, 'election-timeout', 1_000)).toEqual({ ms: 3_000, source: 'flag' });
  expect(settingOf(['etcd', '-election-timeout=2500'], {}, 'election-timeout', 1_000)).toEqual({ ms: 2_500, source: 'flag' });
  expect(settingOf(['etcd'], env, 'election-timeout', 1_000)).toEqual({ ms: 5_000, source: 'env' });
  expect(settingOf(['etcd'], {}, 'election-timeout', 1_000)).toEqual({ ms: 1_000, source: 'default' });
  // kubernetes-cluster's etcd task: both in its environment (svc.yml pods.etcd.tasks.peer.env).
  expect(memberTiming('etcd-0-peer', ['etcd', '--name=etcd-0'], env)).toEqual({ task: 'etcd-0-peer', electionMs: 5_000, heartbeatMs: 250, source: { election: 'env', heartbeat: 'env' } });
});

test('the last of repeated flags counts, as Go\'s flag package does', () => {
  expect(settingOf(['etcd', '--election-timeout=1000', '--election-timeout=5000'], {}, 'election-timeout', 1_000)).toEqual({ ms: 5_000, source: 'flag' });
  expect(settingOf(['etcd', '--election-timeout=5000', '-election-timeout', '1000'], {}, 'election-timeout', 1_000)).toEqual({ ms: 1_000, source: 'flag' });
});

test('a value etcd would read otherwise, or that only its configuration file holds, is an error, not a guess', () => {
  // Go reads a leading 0 as octal: 07000 runs as 3584 ms.
  expect(() => settingOf(['etcd', '--election-timeout=07000'], {}, 'election-timeout', 1_000)).toThrow('without leading zeros');
  expect(() => memberTiming('etcd-0-peer', ['etcd', '--config-file=/etc/etcd.yml'], { ETCD_ELECTION_TIMEOUT: '5000' })).toThrow('etcd-0-peer: etcd runs from a configuration file');
  expect(() => memberTiming('etcd-0-peer', ['etcd'], { ETCD_CONFIG_FILE: '/etc/etcd.yml', ETCD_ELECTION_TIMEOUT: '5000' })).toThrow('configuration file');
});

test('a value etcd would refuse is an error naming where it came from', () => {
  expect(() => settingOf(['etcd'], { ETCD_ELECTION_TIMEOUT: '5s' }, 'election-timeout', 1_000)).toThrow('etcd ETCD_ELECTION_TIMEOUT is "5s", not a positive whole number of milliseconds');
  expect(() => settingOf(['etcd', '--election-timeout='], {}, 'election-timeout', 1_000)).toThrow('etcd --election-timeout is ""');
  expect(() => settingOf(['etcd', '--election-timeout'], {}, 'election-timeout', 1_000)).toThrow('etcd --election-timeout is ""');
});

test('members that disagree: the cluster is judged by the smallest timeout (the strictest bounds)', () => {
  const t = clusterTiming([memberTiming('a', ['etcd'], { ETCD_ELECTION_TIMEOUT: '5000' }), memberTiming('b', ['etcd', '--election-timeout=2000'], {})]);
  expect(t).toMatchObject({ electionMs: 2_000, heartbeatMs: 100 });
  expect(clusterTiming([])).toBeUndefined();
});

test('at etcd\'s default timeout, or below it, every scenario is exactly as defined', () => {
  for (const s of SCENARIOS) {
    expect(forElectionTimeout(s, BOUNDS_ELECTION_MS)).toBe(s);
    expect(forElectionTimeout(s, 500)).toBe(s);
  }
});

test('the package\'s 5000 ms: a leader kill gets 8 s more fault window, its floors scaled by W/(W + 8 s), its downtime bounds 8 s longer', () => {
  const s = findScenario('kill-etcd-leader')!;
  const p = forElectionTimeout(s, PACKAGE_ELECTION_MS);
  expect(p.faultMs).toBe(s.faultMs + 8_000);
  expect(p.expectations.availability?.classes?.writes?.fault).toEqual({ minAvailabilityPct: 40, maxDowntimeMs: 9_000 });
  expect(p.expectations.availability?.classes?.reads?.fault).toEqual({ minAvailabilityPct: 40, maxDowntimeMs: 9_000 });
  expect(p.expectations.availability?.slo).toEqual({ ...s.expectations.availability?.slo, maxDowntimeMs: 11_000 });
  // Measured from the kill, the recovery holds the election too; the settle window holds none and keeps its floor.
  expect(p.expectations.recovery?.slo?.maxRecoveryMs).toBe(38_000);
  expect(p.expectations.availability?.classes?.writes?.settle).toEqual(s.expectations.availability?.classes?.writes?.settle);
  // A cut-off leader: 30 / 50 % over 8 s become 15 / 25 % over 16 s; the recovery after the heal is as before.
  const pause = forElectionTimeout(findScenario('pause-etcd-leader')!, 5_000);
  expect(pause.expectations.availability?.classes?.reads?.fault).toEqual({ minAvailabilityPct: 15, maxDowntimeMs: 10_000 });
  expect(pause.expectations.availability?.classes?.writes?.fault).toEqual({ minAvailabilityPct: 25, maxDowntimeMs: 10_000 });
  const crash = findScenario('crash-agent-etcd-apiserver')!;
  expect(forElectionTimeout(crash, 5_000).expectations.availability?.classes?.reads?.recovery).toEqual(crash.expectations.availability?.classes?.reads?.recovery);
  // Floors are rounded up: 30 % and 50 % over 15 s become 30·15/23 = 19.57 → 19.6 % and 50·15/23 = 32.61 → 32.7 %.
  expect(forElectionTimeout(crash, 5_000).expectations.availability?.classes?.reads?.fault?.minAvailabilityPct).toBe(19.6);
  expect(forElectionTimeout(crash, 5_000).expectations.availability?.classes?.writes?.fault?.minAvailabilityPct).toBe(32.7);
  // A recovery measured from the heal holds no election: pause's stays as defined.
  expect(pause.expectations.recovery).toEqual(findScenario('pause-etcd-leader')!.expectations.recovery);
  // replace-etcd-0 (etcd-0 may lead): its whole-scenario downtime bound grows by Δ, its floor does not.
  const replace = findScenario('replace-etcd-0')!;
  expect(forElectionTimeout(replace, 5_000).expectations.availability?.slo).toEqual({ ...replace.expectations.availability?.slo, maxDowntimeMs: 13_000 });
});

test('scenarios that hold no election are untouched by the timeout; one above the package\'s is judged at the package\'s', () => {
  for (const name of ['kill-etcd-follower', 'isolate-agent', 'sigkill-apiserver', 'restart-apiserver', 'rolling-restart-apiservers', 'kill-scheduler-leader', 'kill-controller-manager-leader', 'kill-2-of-3-etcd']) {
    const s = findScenario(name)!;
    expect(forElectionTimeout(s, 5_000), name).toBe(s);
  }
  const s = findScenario('kill-etcd-leader')!;
  expect(forElectionTimeout(s, 60_000)).toEqual(forElectionTimeout(s, PACKAGE_ELECTION_MS));
  // A repeated scenario in a random matrix, or one beside the upstream suite, gets the same stretch under its own name.
  for (const name of ['kill-etcd-leader-7', 'kill-etcd-leader-with-e2e']) expect(forElectionTimeout({ ...s, name }, 5_000).faultMs, name).toBe(16_000);
});

// A 16 s fault window (10–26 s) with writes and reads every 100 ms; `leaderlessMs` of it all failing from the kill.
function leaderLoss(leaderlessMs: number): Op[] {
  const ops: Op[] = [];
  let process = 0;
  for (const f of ['create', 'get']) {
    for (let t = 0; t < 40_000; t += 100) {
      const failed = t >= 10_000 && t < 10_000 + leaderlessMs;
      ops.push({ type: 'invoke', process, f, value: { name: 'k' }, time: t }, { type: failed ? 'info' : 'ok', process: process++, f, value: { status: failed ? 0 : 200 }, time: t + 50 });
    }
  }
  ops.push(
    { type: 'info', process: 'nemesis', f: 'fault-start', value: { fault: 'kill-process' }, time: 10_000 },
    { type: 'info', process: 'nemesis', f: 'fault-end', value: { fault: 'kill-process' }, time: 26_000 },
    { type: 'info', process: 'nemesis', f: 'recovered', value: { fault: 'kill-process' }, time: 27_000 },
  );
  return ops;
}

test('the stretched bounds pass an election inside 2E and fail a cluster left without a leader for longer', () => {
  const classes = forElectionTimeout(findScenario('kill-etcd-leader')!, 5_000).expectations.availability!.classes!;
  const options = { classes: { reads: { fault: classes.reads!.fault }, writes: { fault: classes.writes!.fault } } };
  // Leaderless 8 s (a randomized timeout of 8 s, inside [5, 10) s) with the requests sent in it failing: passes.
  expect(checkAvailability(leaderLoss(8_000), options).verdict).toBe('pass');
  // Leaderless 11 s, longer than 2E: the downtime bound fails even before the floor.
  const late = checkAvailability(leaderLoss(11_000), options);
  expect(late.verdict).toBe('fail');
  expect(late.reasons.join('\n')).toMatch(/writes in the fault window .*downtime 1\d000 ms > 9000 ms/);
  // Never elected in the window: both floors fail.
  expect(checkAvailability(leaderLoss(16_000), options).reasons.join('\n')).toMatch(/reads in the fault window .*: 0\.00% .* < 40%/);
});

// The observer's etcd samples around a fault at 10 s: terms before, and the terms seen after it.
function sampled(termsAfter: number[], recoveredAt = 30_000): Op[] {
  const sample = (time: number, term: number): Op => ({ type: 'info', process: 'observer', f: 'etcd', value: { members: [{ name: 'etcd-0', answered: true, term }, { name: 'etcd-1', answered: false }] }, time });
  return [
    sample(2_000, 4), sample(8_000, 4),
    { type: 'invoke', process: 'nemesis', f: 'fault-start', value: {}, time: 10_000 },
    ...termsAfter.map((t, i) => sample(11_000 + 2_000 * i, t)),
    { type: 'info', process: 'nemesis', f: 'recovered', value: {}, time: recoveredAt },
  ];
}

test('a run is judged by the stretched bounds only if it held an election: a higher term between the fault and the recovery', () => {
  expect(electionDuringFault(sampled([4, 5, 5]))).toBe(true);
  // A follower's agent crashed or froze: the term never moved (pre-vote keeps a cut-off follower from raising it).
  expect(electionDuringFault(sampled([4, 4, 4]))).toBe(false);
  // A term raised only after the recovery is not the fault's; no sample before the fault proves nothing: unstretched.
  expect(electionDuringFault(sampled([4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 5], 25_000))).toBe(false);
  expect(electionDuringFault(sampled([5]).filter((o) => o.time >= 10_000))).toBe(false);
  const defined = findScenario('freeze-agent')!;
  const run = forElectionTimeout(defined, 5_000);
  expect(boundsForRun(defined, run, sampled([4, 4]))).toBe(defined.expectations);
  expect(boundsForRun(defined, run, sampled([4, 6]))).toBe(run.expectations);
  // Not stretched at all: the scenario's own.
  expect(boundsForRun(defined, defined, sampled([4, 6]))).toBe(defined.expectations);
});
