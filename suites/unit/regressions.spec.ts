// Red runs kept as data: each stored history is judged again with today's expectations, and must give the verdict and
// the figures it was kept for.
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { checkAll } from '../../checkers/index.ts';
import { readHistory } from '../../history/history.ts';
import { boundsForRun, findScenario, forElectionTimeout } from '../../chaos/scenarios/definitions.ts';
import type { Expectations } from '../../checkers/expectations.ts';
import { DURING_E2E, judgedInMatrixToo, withUpstreamLoad } from '../../chaos/upstream-e2e/phases.ts';

const data = join(import.meta.dirname, 'data', 'regressions');

/** The expectations with the writes' fault-window floor set to `pct` (what a stored history gave under an old floor). */
function withWritesFloor(e: Expectations, pct: number): Expectations {
  const a = e.availability!;
  return { ...e, availability: { ...a, classes: { ...a.classes, writes: { ...a.classes?.writes, fault: { ...a.classes?.writes?.fault, minAvailabilityPct: pct } } } } };
}

test('kill-etcd-leader, CI run of session 3: 8 reads failed within one election (90.7 %) — inside the promise of one election', () => {
  const history = readHistory(join(data, 'kill-etcd-leader-reads-90.7.jsonl'));
  const r = checkAll(history, findScenario('kill-etcd-leader')!.expectations);
  const availability = r.verdicts.find((v) => v.checker === 'availability')!;
  const reads = (availability.figures as { byClass: { reads: { fault: { availabilityPct: number; fail: number; longestDowntimeMs: number } } } }).byClass.reads.fault;
  expect(reads.availabilityPct).toBeCloseTo(90.7, 1);
  expect(reads.fail).toBe(8);
  expect(reads.longestDowntimeMs).toBe(0);
  // Recorded before the settle period: the settle window every scenario now bounds (>= 95 %) cannot be judged on it.
  expect(r.verdicts.filter((v) => v.verdict !== 'pass').map((v) => `${v.checker}: ${v.reasons.join('; ')}`)).toEqual(['availability: reads in the settle window: no operations to judge; writes in the settle window: no operations to judge']);
});

test('crash-agent, CI run of session 3: reads on kept-alive connections timed out for ~10 s after the agent returned (82 %), and the witness saw it too', () => {
  // Recorded with the testbed's earlier VIP policy (readyz probing + conntrack flush) and before the settle period. Its
  // timeouts were blamed on the flush; session 5's first CI simulation, without a flush, had the same (85.8 %, below):
  // connections made to the returned apiserver before it served. The 90 % bound now judges the settle window, which
  // this history has none of — so availability cannot pass on it any more: unknown, saying why.
  const history = readHistory(join(data, 'crash-agent-reads-after-return-82.jsonl'));
  const r = checkAll(history, findScenario('crash-agent-etcd-apiserver')!.expectations);
  const availability = r.verdicts.find((v) => v.checker === 'availability')!;
  const figures = availability.figures as { byClass: { reads: { recovery: { availabilityPct: number } } }; witness: { reads: { recovery: { availabilityPct: number } } } };
  expect(figures.byClass.reads.recovery.availabilityPct).toBeCloseTo(82.0, 1);
  expect(figures.witness.reads.recovery.availabilityPct).toBeCloseTo(86.9, 1);
  expect(availability.verdict).toBe('unknown');
  expect(availability.reasons).toEqual(['reads in the settle window: no operations to judge', 'writes in the settle window: no operations to judge']);
});

test('freeze-agent, npm start of session 3: a 1.6 s recovery window held 16 reads and 36 writes (93.75 % / 88.9 %): no percentage bound judges it', () => {
  const history = readHistory(join(data, 'freeze-agent-short-recovery-window.jsonl'));
  const r = checkAll(history, findScenario('freeze-agent')!.expectations);
  const figures = r.verdicts.find((v) => v.checker === 'availability')!.figures as { byClass: { reads: { recovery: { total: number; availabilityPct: number } } } };
  expect(figures.byClass.reads.recovery.total).toBe(16);
  expect(figures.byClass.reads.recovery.availabilityPct).toBeCloseTo(93.75, 2);
  // No recovery-window bound fails it; recorded before the settle period, its settle window cannot be judged.
  expect(r.verdicts.filter((v) => v.verdict !== 'pass').map((v) => `${v.checker}: ${v.reasons.join('; ')}`)).toEqual(['availability: reads in the settle window: no operations to judge; writes in the settle window: no operations to judge']);
});

test('planted defect stale-restore, live run of session 4 (kill-2-of-3-etcd, seed 7): the restore from the last backup lost acknowledged writes', () => {
  const history = readHistory(join(data, 'stale-restore-kill-2-of-3-etcd.jsonl'));
  const r = checkAll(history, findScenario('kill-2-of-3-etcd')!.expectations);
  const verdict = (c: string) => r.verdicts.find((v) => v.checker === c)!;
  expect(verdict('no-lost-writes').verdict).toBe('fail');
  expect(verdict('no-lost-writes').reasons.join('; ')).toContain('ledger-113');
  expect(verdict('final-state').verdict).toBe('fail');
  expect(verdict('linearizable').verdict).toBe('fail');
  // The load itself was honest, so the failures are the cluster's.
  expect(verdict('load-validity').verdict).toBe('pass');
});

test('kill-2-of-3-etcd, healthy bench:verdicts run of session 4 (seed 1000): 6 s observer samples and writes sent before the quorum was back', () => {
  const history = readHistory(join(data, 'kill-2-of-3-etcd-writes-before-quorum-back.jsonl'));
  const r = checkAll(history, findScenario('kill-2-of-3-etcd')!.expectations);
  const verdict = (c: string) => r.verdicts.find((v) => v.checker === c)!;
  // The recovery window (heal → recovered) held 4 timed-out updates sent 0.4 s before the quorum was back: 93.3 %.
  const byClass = (verdict('availability').figures as { byClass: { writes: { recovery: { availabilityPct: number; info: number } } } }).byClass;
  expect(byClass.writes.recovery.availabilityPct).toBeCloseTo(93.33, 1);
  expect(byClass.writes.recovery.info).toBe(4);
  // The promise is judged in the settle window, which this history (from before the settle period) does not have.
  expect(verdict('availability').verdict).toBe('unknown');
  expect(verdict('availability').reasons.join('; ')).toContain('settle window: no operations to judge');
  // Two samples took 6 s and 5.5 s (one called a killed member healthy): no evidence either way, not a no-quorum
  // interval dated after the heal.
  const q = verdict('quorum-loss').figures as { unknownSamples: number; outsideFaults: unknown[] };
  expect(q.unknownSamples).toBe(2);
  expect(q.outsideFaults).toEqual([]);
  expect(verdict('quorum-loss').verdict).toBe('unknown');
});

test('crash-agent, session 4 (seed 77): two restarted schedulers had no leader gauge for 7+ samples — not a split brain', () => {
  // Recorded by the observer of that time, which listed every instance without the gauge as "unelected". Both were
  // instances starting again (the one on the crashed agent, and the ex-leader that lost its Lease); their electors
  // start only after their informers synced. No sample ever had two claimants. The observer now lists an instance as
  // unelected only when its own command line says --leader-elect=false (targets/cluster.ts gaugeOf).
  const history = readHistory(join(data, 'crash-agent-restarted-schedulers-without-gauge.jsonl'));
  const leases = history.filter((o) => o.process === 'observer' && o.f === 'leases').map((o) => o.value as { claims: Record<string, string[]>; unelected: Record<string, string[]> });
  expect(Math.max(...leases.map((l) => l.claims['kube-scheduler']?.length ?? 0))).toBe(1);
  expect([...new Set(leases.flatMap((l) => l.unelected['kube-scheduler'] ?? []))].sort()).toEqual(['kube-control-plane-0-scheduler', 'kube-control-plane-1-scheduler']);
  const r = checkAll(history, findScenario('crash-agent-etcd-apiserver')!.expectations);
  expect(r.verdicts.find((v) => v.checker === 'leader-uniqueness')!.reasons.join('; ')).toContain('ran without leader election');
});

test('sigkill-apiserver, first CI run with the dcos-net VIP policy (session 4): writes 94.6 %, every failure inside the 2 s poll', () => {
  const history = readHistory(join(data, 'sigkill-apiserver-dcos-net-eject.jsonl'));
  const r = checkAll(history, findScenario('sigkill-apiserver')!.expectations);
  const writes = (r.verdicts.find((v) => v.checker === 'availability')!.figures as { byClass: { writes: { fault: { availabilityPct: number; fail: number; info: number; msToLastFailure: number } } } }).byClass.writes.fault;
  expect(writes.availabilityPct).toBeCloseTo(94.62, 1);
  expect([writes.fail, writes.info]).toEqual([6, 4]);
  expect(writes.msToLastFailure).toBeLessThan(4_500);
  expect(r.verdicts.filter((v) => v.verdict !== 'pass').map((v) => `${v.checker}: ${v.reasons.join('; ')}`)).toEqual([]);
});

test('rolling-restart-apiservers, CI run with the dcos-net VIP policy (session 4): one GET answered 403 by a starting apiserver', () => {
  const history = readHistory(join(data, 'rolling-restart-starting-apiserver-403.jsonl'));
  const expectations = findScenario('rolling-restart-apiservers')!.expectations;
  const r = checkAll(history, expectations);
  const availability = r.verdicts.find((v) => v.checker === 'availability')!;
  expect((availability.figures as { startingAnswers: unknown }).startingAnswers).toEqual({ count: 1, byStatus: { 403: 1, 503: 0 } });
  expect(r.verdicts.filter((v) => v.verdict !== 'pass').map((v) => `${v.checker}: ${v.reasons.join('; ')}`)).toEqual([]);
  // Without the allowance the same history fails, and says why: the drain itself lost nothing else.
  const strict = checkAll(history, { ...expectations, availability: { ...expectations.availability!, slo: { ...expectations.availability!.slo!, startingAnswers: undefined } } });
  expect(strict.verdicts.find((v) => v.checker === 'availability')!.reasons).toEqual(['definitely failed ops: 1 > maxDefiniteFailures 0 — get at 15875 ms (reused, retried): http 403']);
});

test('rolling-restart-apiservers, bench:slo run 5 of session 5 (seed 5004): two 403s from the last restarted apiserver 0.3–0.4 s after the fault ended', () => {
  const history = readHistory(join(data, 'rolling-restart-403-after-fault-end.jsonl'));
  const expectations = findScenario('rolling-restart-apiservers')!.expectations;
  const availability = checkAll(history, expectations).verdicts.find((v) => v.checker === 'availability')!;
  // Sent after the fault's end (30.36 s) and before the cluster first looked healthy (31.06 s): a starting apiserver's.
  expect((availability.figures as { startingAnswers: unknown }).startingAnswers).toEqual({ count: 2, byStatus: { 403: 2, 503: 0 } });
  expect(availability.verdict).toBe('pass');
  // Had they come in the settle period, they would be definite failures.
  const late = history.map((op) => (op.type === 'fail' && (op.value as { status?: number }).status === 403 && op.process !== undefined && !String(op.process).startsWith('witness') ? { ...op, time: op.time + 10_000 } : op));
  const invokes = new Set(late.filter((op) => op.type === 'fail' && (op.value as { status?: number }).status === 403).map((op) => op.process));
  const shifted = late.map((op) => (op.type === 'invoke' && invokes.has(op.process) && op.time > 30_000 && op.time < 30_900 ? { ...op, time: op.time + 10_000 } : op));
  expect(checkAll(shifted, expectations).verdicts.find((v) => v.checker === 'availability')!.reasons.join()).toContain('definitely failed ops');
});

test('sigkill-apiserver with the static-pods control plane (session 5, seed 77): the dead apiserver stays in the dcos-net VIP for its whole downtime', () => {
  // A finding of the emulation, not a bug of haproof: kubernetes-cluster 2.x's instance task stays RUNNING while the
  // apiserver static pod is down, so dcos-net never ejects it; writes failed until the apiserver was back (6.8 s).
  const history = readHistory(join(data, 'sigkill-apiserver-static-pods.jsonl'));
  const availability = checkAll(history, findScenario('sigkill-apiserver')!.expectations).verdicts.find((v) => v.checker === 'availability')!;
  const writes = (availability.figures as { byClass: { writes: { fault: { availabilityPct: number; fail: number; msToLastFailure: number } } } }).byClass.writes.fault;
  expect(writes.fail).toBe(15);
  expect(writes.msToLastFailure).toBeGreaterThan(6_000);
  expect(availability.verdict).toBe('fail');
  expect(availability.reasons.join()).toContain('> 4500 ms');
});

test('crash-agent, first CI simulation of session 5: reads timed out on connections to the returned apiserver before it served (85.8 %)', () => {
  const history = readHistory(join(data, 'crash-agent-returning-apiserver-before-serving.jsonl'));
  const r = checkAll(history, findScenario('crash-agent-etcd-apiserver')!.expectations);
  const reads = (r.verdicts.find((v) => v.checker === 'availability')!.figures as { byClass: { reads: Record<'recovery' | 'settle', { availabilityPct: number; fail: number }> } }).byClass.reads;
  expect(reads.recovery.fail).toBe(19);
  expect(reads.recovery.availabilityPct).toBeCloseTo(85.82, 1);
  // The promise is about the time after the returned apiserver serves: the settle window, which was clean.
  expect(reads.settle.availabilityPct).toBe(100);
  // The run also failed its recovery: the returned agent's Node went NotReady 24 s after the heal, because its kwok
  // (the kubelet's stand-in) failed to create its existing Lease and retried 30 s later — fixed in the testbed (the
  // stand-in drops the Lease it will own first, as a restarted kubelet takes it over); the history keeps the break.
  expect(r.verdicts.filter((v) => v.verdict !== 'pass').map((v) => v.checker)).toEqual(['recovery']);
  expect(r.verdicts.find((v) => v.checker === 'recovery')!.reasons.join()).toContain('Nodes not Ready: kube-node-1-kubelet');
});

test('crash-agent, bench:slo of session 6 (seed 7001): the returned agent\'s Node went NotReady 28.7 s after the heal — the recovery checker fails it, rightly', () => {
  // The kubelet stand-in's one try to remove its Node's Lease failed within 0.6 s of the return (its output was
  // discarded); kwok v0.8.0 then hit AlreadyExists and waited 30 s. A testbed artefact (the removal is now retried,
  // testbed/tasks.ts), but a Node that goes NotReady in the settle period is a break whoever causes it.
  const history = readHistory(join(data, 'crash-agent-lease-not-removed.jsonl'));
  const r = checkAll(history, findScenario('crash-agent-etcd-apiserver')!.expectations);
  const recovery = r.verdicts.find((v) => v.checker === 'recovery')!;
  expect(recovery.verdict).toBe('fail');
  expect(recovery.reasons.join(' ')).toMatch(/broke 28664 ms after the heal \(Nodes not Ready: kube-node-0-kubelet\.kubernetes-cluster\.mesos\)/);
  expect(r.verdicts.filter((v) => v.verdict !== 'pass').map((v) => v.checker)).toEqual(['recovery']);
});

test('partition-etcd-leader on the overlay (session 7, `up --network overlay`): writes 47.2 % in the fault window — failed the 50 % floor, passes the floor derived from the cut-off side\'s apiserver', () => {
  // Session 7's hypothesis for this run: the other apiservers keep a third of their requests on the cut-off member
  // until the client's timeout while the cut-off side's apiserver fails all of its own: 1/3·0 + 2/3·2/3 ≈ 44 %.
  // Session 11 saw the same on the host network once the load's pool was no longer capped (next test), and the
  // floor is now derived from it (chaos/scenarios/definitions.ts).
  const history = readHistory(join(data, 'overlay-partition-etcd-leader-writes-47.jsonl'));
  const scenario = findScenario('partition-etcd-leader')!;
  const r = checkAll(history, scenario.expectations);
  const availability = r.verdicts.find((v) => v.checker === 'availability')!;
  const writes = (availability.figures as { byClass: { writes: { fault: { availabilityPct: number; ok: number; unknown: number } } } }).byClass.writes.fault;
  // 47.22 % (85/180) when the window ran to the heal's end; the heal's 2 ops are out of it since session 10.
  expect(writes.availabilityPct).toBeCloseTo(47.19, 2);
  expect(r.verdicts.filter((v) => v.verdict !== 'pass').map((v) => v.checker)).toEqual([]);
  expect(availability.verdict).toBe('pass');
  // Under the old floor it fails on exactly that figure.
  const old = withWritesFloor(scenario.expectations, 50);
  expect(checkAll(history, old).verdicts.find((v) => v.checker === 'availability')!.reasons).toEqual([expect.stringMatching(/^writes in the fault window \([\d.]+–[\d.]+ ms\): 47\.19% \(84\/178 ok; 0 failed, 94 unknown\) < 50%$/)]);
});

test('partition-etcd-leader in session 11\'s CI simulation (host network, the load\'s pool uncapped): writes 46.45 %, and the watch through the cut-off side\'s apiserver stalls for the whole fault', () => {
  const history = readHistory(join(data, 'partition-etcd-leader-writes-46.jsonl'));
  const scenario = findScenario('partition-etcd-leader')!;
  const r = checkAll(history, scenario.expectations);
  expect(r.verdicts.filter((v) => v.verdict !== 'pass').map((v) => `${v.checker}: ${v.reasons.join('; ')}`)).toEqual([]);
  expect(checkAll(history, withWritesFloor(scenario.expectations, 50)).verdicts.find((v) => v.checker === 'availability')!.reasons).toEqual([expect.stringMatching(/^writes in the fault window \([\d.]+–[\d.]+ ms\): 46\.45% \(85\/183 ok; 0 failed, 98 unknown\) < 50%$/)]);
  // The mechanism, from the history's own watches: between the split taking effect and the heal, the watches through
  // two apiservers (and the VIP's) saw nothing, while the third apiserver's kept receiving events.
  const from = history.find((op) => op.process === 'nemesis' && op.f === 'fault-in-effect')!.time + 1_000;
  const to = history.find((op) => op.process === 'nemesis' && op.f === 'fault-end' && op.type === 'invoke')!.time;
  const events = (p: string) => history.filter((op) => op.f === 'watch-event' && op.process === p && op.time > from && op.time < to).length;
  expect([0, 1, 2].map((i) => events(`watch-kube-control-plane-${i}-apiserver`))).toEqual([0, 0, expect.any(Number)]);
  expect(events('watch-kube-control-plane-2-apiserver')).toBeGreaterThan(50);
  expect(events('watch-vip')).toBe(0);
});

test('crash-agent-etcd-apiserver in the session-9 CI simulation: reads 59.5 % in the recovery window — the 60 % floor fails it', () => {
  // Kept red, the floor unchanged: the run is data. What the logs show (testbed logs of that run): the returned
  // apiserver served TLS 3.4 s after the heal and its watch caches initialised 8.5–8.9 s later (its etcd client retried
  // on the returned, still catching-up etcd-0 meanwhile); /readyz answered 403 (RBAC not yet loaded) and then 500
  // until health saw it ready 16.8 s after the heal — so the whole recovery window (heal → recovered) was its
  // start-up, while dcos-net already sent it a third of new connections. The floor's derivation assumed a start-up of
  // ≈ 9 s in a 9–32 s window; here gets and lists failed 38–43 %, more than the returned apiserver's third: not
  // explained yet.
  const history = readHistory(join(data, 'crash-agent-recovery-reads-59.5.jsonl'));
  const r = checkAll(history, findScenario('crash-agent-etcd-apiserver')!.expectations);
  const availability = r.verdicts.find((v) => v.checker === 'availability')!;
  expect(availability.verdict).toBe('fail');
  expect(availability.reasons).toEqual([expect.stringMatching(/^reads in the recovery window \([\d.]+–[\d.]+ ms\): 59\.52% \(100\/168 ok; 68 failed, 0 unknown\) < 60%$/)]);
  expect(r.verdicts.filter((v) => v.verdict !== 'pass').map((v) => v.checker)).toEqual(['availability']);
});

test('rolling-restart-apiservers beside the upstream suite (session 10): 19 client timeouts, one before any restart, six 30 s after the last — bounded in the matrix, not beside e2e', () => {
  const history = readHistory(join(data, 'rolling-restart-with-e2e-timeouts-without-fault.jsonl'));
  const plain = findScenario('rolling-restart-apiservers')!;
  const strict = checkAll(history, plain.expectations).verdicts.filter((v) => v.verdict !== 'pass').map((v) => `${v.checker}: ${v.reasons.join('; ')}`);
  // (Since session 13, the 12 of them sent while restarted apiservers started are counted apart: the other 7 still fail it.)
  expect(strict).toEqual(['availability: unknown-outcome ops: 7 (besides 12 client timeouts while restarted apiservers start) > maxUnknown 6']);
  const variant = withUpstreamLoad(plain);
  expect(variant.name).toBe('rolling-restart-apiservers-with-e2e');
  expect(judgedInMatrixToo(plain.name)).toBe(true);
  expect(checkAll(history, variant.expectations).verdicts.filter((v) => v.verdict !== 'pass').map((v) => v.checker)).toEqual([]);
  // A refused connection is still a definite failure beside e2e: the drain's own promise is kept.
  const refused = [...history, { type: 'invoke' as const, process: 'probe-refused', f: 'get', value: { conn: 'new' as const }, time: 20_000 }, { type: 'fail' as const, process: 'probe-refused', f: 'get', value: { conn: 'new' as const }, time: 20_001, error: 'ECONNREFUSED' }];
  expect(checkAll(refused, variant.expectations).verdicts.find((v) => v.checker === 'availability')!.reasons).toEqual(['definitely failed ops: 1 > maxDefiniteFailures 0 — get at 20000 ms (new): ECONNREFUSED']);
  // The other three scenarios beside e2e keep every bound, and are not run twice.
  for (const name of DURING_E2E.filter((n) => n !== plain.name)) {
    expect(withUpstreamLoad(findScenario(name)!).expectations).toEqual(findScenario(name)!.expectations);
    expect(judgedInMatrixToo(name)).toBe(false);
  }
});

test('sigkill-apiserver beside the upstream suite (session 10 CI simulation): a create sent during the 1.4 s heal, to the apiserver started again, timed out — the heal is no longer in the fault window', () => {
  const history = readHistory(join(data, 'sigkill-apiserver-with-e2e-heal-in-fault-window.jsonl'));
  const scenario = withUpstreamLoad(findScenario('sigkill-apiserver')!);
  const availability = checkAll(history, scenario.expectations).verdicts.find((v) => v.checker === 'availability')!;
  const writes = (availability.figures as { byClass: { writes: { fault: { to: number; msToLastFailure: number | null; fail: number } } } }).byClass.writes.fault;
  // The window ends where the heal began (fault-end invoke at 14.3 s), not where it ended (15.7 s).
  expect(Math.round(writes.to)).toBe(14313);
  expect(writes.msToLastFailure).toBeLessThan(4_500);
  expect(availability.verdict).toBe('pass');
  // Judged up to the heal's end, as before, the same history fails on that one create.
  const healEnds = history.filter((op) => !(op.process === 'nemesis' && op.f === 'fault-end' && op.type === 'invoke'));
  expect(checkAll(healEnds, scenario.expectations).verdicts.find((v) => v.checker === 'availability')!.reasons).toEqual([expect.stringMatching(/^writes in the fault window \(6049\.978–15745\.063 ms\): last failure 11701\.1\d* ms after the window began > 4500 ms$/)]);
});

test('rolling restart through the dcos target on the DC/OS layout (session 11): each apiserver stays in the VIP while its kubelet restarts it, so connections are refused — the zero-failure promise is the drained layout\'s', () => {
  // Static pods: the kube-control-plane-N-instance task stays TASK_RUNNING while the apiserver process is down, and
  // dcos-net (no probe of its own) keeps the backend at weight 1 — new connections reach the closed port.
  const history = readHistory(join(data, 'rolling-restart-static-pods-dcos-target-refused.jsonl'));
  const availability = checkAll(history, findScenario('rolling-restart-apiservers')!.expectations).verdicts.find((v) => v.checker === 'availability')!;
  expect(availability.verdict).toBe('fail');
  expect(availability.reasons[0]).toMatch(/^definitely failed ops: 22 > maxDefiniteFailures 0 — create at 15825 ms \(reused\): ECONNREFUSED/);
  // 41 refusals in all (load, ledger writes, /readyz probes), in three bursts of ≈ 3 s — one per restart — and every
  // one between the first SIGTERM landing and the end of the last restart.
  const refused = history.filter((op) => op.type === 'fail' && op.error === 'ECONNREFUSED').map((op) => op.time);
  expect(refused.length).toBe(41);
  const start = history.find((op) => op.process === 'nemesis' && op.f === 'fault-in-effect')!.time;
  const end = history.find((op) => op.process === 'nemesis' && op.f === 'fault-end')!.time;
  expect(refused.every((t) => t >= start && t <= end)).toBe(true);
  const bursts = refused.filter((t, i) => i === 0 || t - refused[i - 1]! > 5_000).length;
  expect(bursts).toBe(3);
});

test('crash-agent-etcd-apiserver, session 11 (the load\'s pool uncapped): reads 46.5 % in the recovery window, 58 of the 76 failures a 403 from the returned apiserver — the 60 % floor fails it', () => {
  // Kept red, the floor unchanged: the run is data (1 of 3 runs of `bench:slo -- --runs 3 --seed 7600`; the CI
  // simulation's run of the same commit passed). The returned apiserver is back in dcos-net's VIP as soon as its task
  // runs, and answers 403 to the load's ServiceAccount token until its authorizer has caught up (session 9 saw the
  // same 403s on /readyz); the uncapped pool opens more new connections in that window, so more of them meet it. Its
  // bound must be derived again from that start-up, measured — not done yet.
  const history = readHistory(join(data, 'crash-agent-recovery-reads-46.5-403s.jsonl'));
  const r = checkAll(history, findScenario('crash-agent-etcd-apiserver')!.expectations);
  const availability = r.verdicts.find((v) => v.checker === 'availability')!;
  expect(availability.reasons).toEqual([expect.stringMatching(/^reads in the recovery window \([\d.]+–[\d.]+ ms\): 46\.48% \(66\/142 ok; 76 failed, 0 unknown\) < 60%$/)]);
  const heal = history.find((op) => op.process === 'nemesis' && op.f === 'fault-end' && op.type === 'info')!.time;
  const recovered = history.find((op) => op.process === 'nemesis' && op.f === 'recovered')!.time;
  const failed = history.filter((op) => op.type === 'fail' && (op.f === 'get' || op.f === 'list') && (op.value as { via?: string }).via === 'vip' && op.time > heal && op.time < recovered);
  expect(failed.filter((op) => op.error === 'http 403').length).toBe(58);
  expect(r.verdicts.filter((v) => v.verdict !== 'pass').map((v) => v.checker)).toEqual(['availability']);
});

test('DC/OS layout at the package\'s etcd timings: a leader split empties dcos-net\'s VIP for 15 s — every instance\'s health check fails in the election at once (kept red)', () => {
  // Session 12, bench:slo on the testbed in kubernetes-cluster 2.x's layout (overlay, static pods) with the package's
  // election timeout (5000 ms, read back from each member's environment): the split leader's election (≥ 5 s) failed
  // the Mesos health check of all three control-plane instances at once (launched together by the deploy plan's
  // parallel control-plane phase, each checked every 15 s), dcos-net gave all three weight 0, and the VIP served
  // nothing until their next checks passed 15 s later — through the whole stretched fault window. A finding about that
  // layout (premise [UNCONFIRMED]: the instance's health check script asks /healthz, which asks etcd), not a bound to widen.
  const history = readHistory(join(data, 'package-timing-partition-etcd-leader-vip-empty.jsonl'));
  const timing = history.find((op) => op.f === 'etcd-timing')!.value as { electionMs: number; members: Array<{ source: { election: string } }> };
  expect(timing.electionMs).toBe(5_000);
  expect(timing.members.map((m) => m.source.election)).toEqual(['env', 'env', 'env']);
  const defined = findScenario('partition-etcd-leader')!;
  const run = forElectionTimeout(defined, timing.electionMs);
  const expectations = boundsForRun(defined, run, history);
  expect(expectations).toBe(run.expectations);
  const r = checkAll(history, expectations);
  const reasons = r.verdicts.find((v) => v.checker === 'availability')!.reasons;
  expect(reasons).toContainEqual(expect.stringMatching(/^reads in the fault window \([\d.]+–[\d.]+ ms\): 0\.00% \(0\/200 ok; 200 failed, 0 unknown\) < 15%$/));
  expect(reasons).toContainEqual(expect.stringMatching(/^writes in the fault window \([\d.]+–[\d.]+ ms\): downtime 17000 ms > 10000 ms$/));
  // The mechanism, in the history's own observations: the VIP with no backend at all inside the fault window.
  const start = history.find((op) => op.process === 'nemesis' && op.f === 'fault-start' && op.type === 'invoke')!.time;
  const end = history.find((op) => op.process === 'nemesis' && op.f === 'fault-end' && op.type === 'invoke')!.time;
  const empty = history.filter((op) => op.process === 'observer' && op.f === 'vip' && op.time > start && op.time < end && (op.value as { backends: string[] }).backends.length === 0);
  expect(empty.length).toBe(7);
  expect(r.verdict).toBe('fail');
});

test('kill-2-of-3-etcd, CI simulation of session 12: a quorum loss seen by three samples only, too few to judge — unknown, not pass', () => {
  // The observer's samples took 1.7–2.3 s during the loss (each health probe of the survivor waits out its 1.5 s
  // command timeout) and the fourth, asked before the heal and answered 3.2 s later after it, is no evidence either
  // way. The no-quorum span the samples bound (first answer 8.6 s → last ask 12.0 s) is shorter than the 2 s grace at
  // each end, so no write falls inside it: nothing judged, and the scenario is unknown — the run's verdict with it.
  const history = readHistory(join(data, 'kill-2-of-3-etcd-quorum-loss-unjudged.jsonl'));
  const r = checkAll(history, findScenario('kill-2-of-3-etcd')!.expectations);
  const q = r.verdicts.find((v) => v.checker === 'quorum-loss')!;
  expect(q.verdict).toBe('unknown');
  expect(q.reasons.join('; ')).toContain('no write was sent inside the 0 ms of no-quorum time that samples bound on both sides');
  const f = q.figures as { intervals: Array<{ start: number; lastLost: number }>; unknownSamples: number };
  expect(f.unknownSamples).toBe(1);
  expect(f.intervals.map((i) => Math.round(i.lastLost - i.start))).toEqual([3387]);
  expect(r.verdicts.filter((v) => v.verdict !== 'pass').map((v) => v.checker)).toEqual(['quorum-loss']);
  expect(r.verdict).toBe('unknown');
});

test('isolate-agent through the dcos target, session 12 CI simulation: reads 26.83 % with every apiserver\'s watch on the isolated member — fails the old 30 %, within the derived 20 %', () => {
  const history = readHistory(join(data, 'isolate-agent-dcos-target-reads-26.8-watches-stalled.jsonl'));
  const expectations = findScenario('isolate-agent')!.expectations;
  const r = checkAll(history, expectations);
  expect(r.verdict).toBe('pass');
  // Under the floor it had before (cutOff's 30 %) it fails on its reads, and on nothing else.
  const old = structuredClone(expectations);
  old.availability!.classes!.reads!.fault!.minAvailabilityPct = 30;
  const before = checkAll(history, old);
  expect(before.verdicts.filter((v) => v.verdict !== 'pass').map((v) => v.checker)).toEqual(['availability']);
  expect(before.verdicts.find((v) => v.checker === 'availability')!.reasons).toEqual([expect.stringMatching(/^reads in the fault window \([\d.]+–[\d.]+ ms\): 26\.83% \(22\/82 ok; 60 failed, 0 unknown\) < 30%$/)]);
  // The mechanism, in the history: every LIST in the window failed, and no watch — through any apiserver or the VIP —
  // got an event from the fault's start to its end while writes were acknowledged.
  const start = history.find((op) => op.process === 'nemesis' && op.f === 'fault-in-effect')!.time;
  const end = history.find((op) => op.process === 'nemesis' && op.f === 'fault-end' && op.type === 'invoke')!.time;
  const invokes = new Map(history.filter((op) => op.type === 'invoke').map((op) => [op.process, op]));
  const inWindow = (f: string) => history.filter((op) => op.type !== 'invoke' && op.f === f && typeof op.process === 'string' && /^\d+-\d+$/.test(op.process) && (invokes.get(op.process)?.time ?? -1) >= start && (invokes.get(op.process)?.time ?? Infinity) <= end);
  expect(inWindow('list').map((op) => op.type === 'ok')).not.toContain(true);
  expect(inWindow('list').length).toBe(40);
  expect(inWindow('create').filter((op) => op.type === 'ok').length).toBeGreaterThan(20);
  const watchers = new Set(history.filter((op) => typeof op.process === 'string' && op.process.startsWith('watch-')).map((op) => op.process));
  expect(watchers.size).toBe(4);
  expect(history.filter((op) => op.f === 'watch-event' && op.time > start && op.time < end)).toEqual([]);
});

test('kill-2-of-3-etcd, CI simulation of session 13: the survivor elected at the return reports the dead leader\'s term once (its applied term) — not two leaders in one term', () => {
  // etcd-1 led term 6 before the kill; etcd-2, alone through 16 s of quorum loss, was elected as the two returned and
  // its first sample said leader with raft_term 6 — etcd reports the term of the last applied entry — and 0.8 s later
  // term 7. The checker read that as two leaders in term 6 and failed the run; every other checker passed.
  const history = readHistory(join(data, 'kill-2-of-3-etcd-successor-reports-applied-term.jsonl'));
  const claims = history.filter((op) => op.process === 'observer' && op.f === 'etcd')
    .flatMap((op) => ((op.value as { members?: Array<{ name: string; isLeader?: boolean; term?: number }> }).members ?? []).filter((m) => m.isLeader).map((m) => `${m.name}@${m.term}`));
  expect([...new Set(claims)]).toEqual(['etcd-1@6', 'etcd-2@6', 'etcd-2@7']);
  const r = checkAll(history, findScenario('kill-2-of-3-etcd')!.expectations);
  const u = r.verdicts.find((v) => v.checker === 'leader-uniqueness')!;
  expect({ verdict: u.verdict, leadersByTerm: (u.figures as { leadersByTerm: unknown }).leadersByTerm, lagged: (u.figures as { appliedTermLagClaims: number }).appliedTermLagClaims })
    .toEqual({ verdict: 'pass', leadersByTerm: { 6: ['etcd-1'], 7: ['etcd-2'] }, lagged: 1 });
  expect(r.verdict).toBe('pass');
});

test('rolling-restart-apiservers, CI simulation of session 13: 9 creates timed out on apiservers dcos-net put back before they served — counted apart, at most 4 per restarted apiserver', () => {
  const history = readHistory(join(data, 'rolling-restart-timeouts-on-returned-apiservers.jsonl'));
  const expectations = findScenario('rolling-restart-apiservers')!.expectations;
  const unknown = history.filter((op) => op.type === 'info' && ['create', 'get', 'list', 'update', 'delete'].includes(op.f) && op.process !== 'observer' && op.process !== 'nemesis');
  expect(unknown.map((op) => `${String(op.process).replace(/-\d+$/, '')}:${op.f}:${(op as { error?: string }).error}`)).toEqual(Array(9).fill('ledger-ledger:create:ETIMEDOUT'));
  const r = checkAll(history, expectations);
  const availability = r.verdicts.find((v) => v.checker === 'availability')!;
  expect({ timeouts: (availability.figures as { startingTimeouts?: unknown }).startingTimeouts, fail: (availability.figures as { fail: number }).fail }).toEqual({ timeouts: { count: 9 }, fail: 0 });
  expect(r.verdicts.filter((v) => v.verdict !== 'pass').map((v) => v.checker)).toEqual([]);
  const slo = expectations.availability!.slo!;
  const judged = (over: Partial<typeof slo>) => checkAll(history, { ...expectations, availability: { ...expectations.availability!, slo: { ...slo, ...over } } }).verdicts.find((v) => v.checker === 'availability')!.reasons;
  // What it failed before, and what a tighter allowance says: the allowance is a bound, not a pass.
  expect(judged({ startingTimeouts: undefined })).toEqual(['unknown-outcome ops: 9 > maxUnknown 6']);
  expect(judged({ startingTimeouts: { max: 8 } })).toEqual(['client timeouts while restarted apiservers start: 9 > 8']);
  // Unknowns of any other kind still count against maxUnknown beside the timeouts.
  expect(judged({ maxUnknown: 0 })).toEqual([]);
  const reset = history.map((op) => (op.type === 'info' && (op as { error?: string }).error === 'ETIMEDOUT' ? { ...op, error: 'ECONNRESET' } : op));
  expect(checkAll(reset, expectations).verdicts.find((v) => v.checker === 'availability')!.reasons).toEqual(['unknown-outcome ops: 9 > maxUnknown 6']);
});
