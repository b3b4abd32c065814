// The scenario matrix as data (zod-validated): each scenario's fault, phases and expectations (its SLOs), side by side.
import { z } from 'zod';
import { expectationsSchema } from '../../checkers/expectations.ts';
import { FAULTS } from '../faults/registry.ts';
import type { Op } from '../../history/history.ts';

export const scenarioSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9-]+$/),
  description: z.string(),
  /** What the HA design promises for this fault, in one sentence: the bounds in `expectations` are its numbers. */
  promise: z.string().optional(),
  fault: z.strictObject({ name: z.enum(Object.keys(FAULTS) as [keyof typeof FAULTS, ...Array<keyof typeof FAULTS>]), params: z.record(z.string(), z.unknown()) }),
  /**
   * The fault may take the etcd leader away (a killed, paused or cut-off leader; an agent or member that may hold it):
   * its window and bounds then follow the cluster's election timeout (forElectionTimeout).
   */
  mayCostElection: z.boolean().default(false),
  /** Load before the fault. */
  baselineMs: z.number().int().min(1_000).max(60_000).default(5_000),
  /** How long the fault stays in before heal. */
  faultMs: z.number().int().min(0).max(120_000).default(8_000),
  /** Load after recovery, for the "after" figures. */
  afterMs: z.number().int().min(1_000).max(60_000).default(3_000),
  expectations: expectationsSchema,
});
export type Scenario = z.infer<typeof scenarioSchema>;

const recovered = { from: 'heal' as const, slo: { maxRecoveryMs: 30_000 } };
/**
 * Judged in every scenario: whatever the fault, an HA control plane never loses, reorders or invents data (per-key
 * linearizability, watch guarantees, one final state everywhere), and no figure counts unless the load was honest.
 */
const SAFETY_AND_LOAD = { linearizable: true, watch: true, finalState: true, loadValidity: {} };
/**
 * Lease duration 15 s + one retry period 2 s (the components' defaults) — but client-go jitters each retry wait up to
 * ×(1 + 1.2) (leaderelection JitterFactor), so a candidate may try again up to 4.4 s after the Lease expired — + 1 s,
 * the observer's sampling interval. Seen here: 17.2–18.7 s.
 */
const LEASE_TAKEOVER_MS = 15_000 + 2_000 * 2.2 + 1_000;
/** After taking the Lease a component starts its informers before it acts (a few seconds; the probe polls every 250 ms). */
const COMPONENT_WORK_MS = 5_000;

type ClassBounds = NonNullable<NonNullable<Scenario['expectations']['availability']>['classes']>;
const both = (fault?: object, recovery?: object): ClassBounds => ({ reads: { ...(fault ? { fault } : {}), ...(recovery ? { recovery } : {}) }, writes: { ...(fault ? { fault } : {}), ...(recovery ? { recovery } : {}) } });

/**
 * Each scenario's promise (what the HA layout is for), and the per-class bounds in the fault and recovery windows that
 * put numbers on it. Measured before setting them (two full matrices on this 2-core machine, seeds 11 and 21, reads /
 * writes availability in the fault window): follower kill 100/100 and 100/99.5; apiserver SIGKILL 98.8/99.4 and
 * 100/99.4; scheduler and controller-manager leader kills 100/100 in all four runs; etcd leader kill 98.8/92.1 and
 * 100/93.0; in the recovery window after partitions, pauses, freezes and quorum loss 100/100 in those runs, after an agent
 * crash 96.6/100 and 97.6/99.8. Faults whose fault-window figures are low by design (a partitioned or paused leader:
 * 35–80 % while requests to the cut-off member time out) are bounded only where the promise is about the recovery.
 */
// No per-class bound on the recovery window of pause, partition, peer-drop and freeze: that window (heal → recovered)
// was 1.6 s in an `npm start` run (freeze-agent, seed 4242: 16 reads, 36 writes), where one failed read is 6 % —
// a percentage bound over so few operations judges chance, not the promise (the history is stored in
// suites/unit/data/regressions/freeze-agent-short-recovery-window.jsonl). Their recovery is bounded by the recovery
// checker's maxRecoveryMs instead.
// The 10-run series behind the bounds of six scenarios (`npm run bench:slo -- --runs 10 --seed 5000 --scenarios …`,
// session 5, this 2-core machine, dcos-net VIP, one Mesos task per process; per-run figures committed in
// chaos/bench/data/slo-runs-2026-12-01-seeds-5000-5009.json; 60 of 60 runs passed, also judged again by the
// expectations of this commit with `--recheck`). Lowest value of 10 → bound (margin):
// - kill-etcd-follower: writes in the fault window 99.0 % → 98 % (1.0 point); reads 100 %; downtime 0 → 0.
// - kill-etcd-leader: writes 90.7 % (median 92.1) → 80 % from the promise (10.7 points); reads 100 %; downtime 0 → 1 s.
// - kill-2-of-3-etcd: reads and writes in the settle window 100 % → 95 % (5 points); recovery ≤ 4.7 s → 30 s.
// - replace-etcd-0: the whole scenario 99.3 % → 80 % (writes in its 2.5–4 s fault window 83.0 % once, when etcd-0 led:
//   one election, 15 writes timed out; no per-class bound on a window that short); downtime 0 → 5 s.
// - sigkill-apiserver: writes 96.8 %, reads 98.8 % → 90 % (6.8 points); last failure ≤ 2.2 s after the kill → 4.5 s.
// - rolling-restart-apiservers: definite failures beyond a starting apiserver's 0 → 0; starting answers ≤ 2 → 6; unknown
//   outcomes ≤ 2 → 6; recovery ≤ 0.95 s → 30 s.
// The 10-run series of the other eight (`npm run bench:slo -- --runs 10 --seed 7000 --scenarios pause-etcd-leader,
// partition-etcd-leader,drop-etcd-peer-traffic,isolate-agent,kill-scheduler-leader,kill-controller-manager-leader,
// crash-agent-etcd-apiserver,freeze-agent`, session 6, 88 min, nothing else running; per-run figures in
// chaos/bench/data/slo-runs-2026-12-01-seeds-7000-7009.json; 79 of 80 passed, also judged again by the expectations of
// this commit with `--recheck`; the one red run is crash-agent seed 7001, a testbed artefact, see the regression
// crash-agent-lease-not-removed.jsonl). Lowest of 10 in the fault window → bound (margin), reads / writes:
// - pause-etcd-leader 53.8 / 66.8 % → 30 / 50 % (23.8 / 16.8 points); partition-etcd-leader 48.9 / 59.4 % (18.9 / 9.4);
//   drop-etcd-peer-traffic 63.5 / 66.8 % (33.5 / 16.8); isolate-agent 45.8 / 60.5 % (15.8 / 10.5); freeze-agent
//   65.5 / 65.6 % (35.5 / 15.6); crash-agent 69.5 / 72.0 % (39.5 / 22.0). Longest downtime of a class in any window:
//   0 in all but isolate (1 s once) and crash (2 s once) → 2 s, crash 3 s. Recovery windows: isolate's last failure
//   4.7–5.4 s after the heal → 10 s; crash-agent's ≤ 11.3 s → 15 s, its reads ≥ 76.8 % → 60 %.
// - kill-scheduler-leader / kill-controller-manager-leader: reads and writes 100 % in all 20 runs → 98 % (2 points);
//   takeover (recovery from the kill) 15.0–18.8 s → LEASE_TAKEOVER_MS (20.4 s).
// Issue lag p99 2–3 ms in every run.
/**
 * What a member that stops answering without closing its connections (partitioned, paused, frozen, on an isolated or
 * crashed agent) costs the API, read in the pinned sources: each kube-apiserver's etcd client keeps its gRPC connection
 * to that member until its keepalive gives up (k8s.io/apiserver v0.37.2 pkg/storage/storagebackend/factory/etcd3.go:
 * keepalive time 30 s + timeout 10 s, longer than any fault here), so the share of requests it sends there hangs until
 * the client's 2 s timeout — about a third (kubernetes/kubernetes#59074 reports it; etcd-io/etcd#8673 is the client's
 * missing partition awareness); and a consistent LIST waits up to 3 s for the watch cache to reach etcd's revision
 * (pkg/storage/cacher/watch_cache.go blockTimeout, then delegator.go asks etcd), so on an apiserver whose watch
 * follows that member every LIST outlives a 2 s client. A killed member resets its connections and costs nothing.
 */
const CUT_OFF_COST = 'Until the fault ends each apiserver\'s etcd client keeps sending a share of its requests to the member that stopped answering (its keepalive gives up after 40 s): about a third of requests hang until the client gives up, and on an apiserver whose watch cache follows that member every consistent LIST does; the other members serve the rest.';
/**
 * Bounds from CUT_OFF_COST, for the fault window. Writes: a third of them hang (≈ 67 % served); an isolated agent's
 * apiserver takes new connections until the VIP drops it (≈ 1 s of ≈ 8.6 s: −4 points); a lost leader adds one
 * election (1 s: −8 points) → ≈ 55 % at worst, floor 50 %. Reads: at worst both serving apiservers' watch caches follow
 * the cut-off member — every LIST (half the reads) and a third of the GETs fail → ≈ 33 %, floor 30 % (session 3 saw
 * 35.2 % reads on an isolated agent). A CI run of session 10 had isolate-agent's reads at 28.05 % (23 of 82): the load's
 * kept-alive pool then had 16 connections, and in a cut-off fault 64–67 requests were in flight, so arrivals waited in
 * the client behind hanging ones and timed out there, unsent. The cause was haproof's; the floor stays. With the cap
 * gone (session 11): reads 47.5–66.3 % where the same client with the cap had 30.6–55.0 %
 * (chaos/bench/data/slo-runs-2026-12-07-isolate-agent-*.json). No class without a success for longer than one election and one more 1 s window
 * (2 s); an agent crash, until dcos-net's gossip (≈ 1 s) and next poll (2 s) drop its apiserver, 3 s.
 */
const cutOff = (maxDowntimeMs: number): ClassBounds => ({ reads: { fault: { minAvailabilityPct: 30, maxDowntimeMs } }, writes: { fault: { minAvailabilityPct: 50, maxDowntimeMs } } });

/**
 * Every promise ends in "everything is served" once the cluster has recovered: the settle window (recovered → settled,
 * ≥ 35 s of load, ≈ 360 reads and 800 writes) holds reads and writes to at least 95 % wherever a scenario says nothing
 * else — a failure tail that outlives the first healthy look (one apiserver still stuck on a member, say) is the
 * scenario's. Measured: 100 % in every one of the 150 runs of the 10-run series (sessions 5 and 6).
 */
const SETTLE: ClassBounds = { reads: { settle: { minAvailabilityPct: 95 } }, writes: { settle: { minAvailabilityPct: 95 } } };
const withSettle = (c: ClassBounds): ClassBounds => ({
  ...c,
  reads: { ...SETTLE.reads, ...(c.reads ?? {}) },
  writes: { ...SETTLE.writes, ...(c.writes ?? {}) },
});

const PROMISES: Record<string, { promise: string; classes?: ClassBounds }> = {
  'kill-etcd-follower': { promise: 'An etcd follower\'s death is invisible to clients: the leader and the other follower keep a quorum.', classes: both({ minAvailabilityPct: 98, maxDowntimeMs: 0 }) },
  'kill-etcd-leader': {
    promise: 'An etcd leader\'s death costs one election: requests in flight on it fail or time out, new ones are served within the election timeout.',
    // The promise allows every request of about 1.5 s (1 s election timeout + the client's failover) to fail, out of a
    // fault window of about 8.6 s: at least 80 %. A first bound of 95 % for reads was set from two runs (98.8, 100 %)
    // and contradicted the promise; the third run (CI, 90.7 %: 8 reads failed within one election) is stored in
    // suites/unit/data/regressions/kill-etcd-leader-reads-90.7.jsonl and replayed by a unit test.
    classes: { reads: { fault: { minAvailabilityPct: 80, maxDowntimeMs: 1_000 } }, writes: { fault: { minAvailabilityPct: 80, maxDowntimeMs: 1_000 } } },
  },
  'pause-etcd-leader': { promise: `A paused leader is replaced by an election; once it resumes, the cluster serves everything again. ${CUT_OFF_COST}`, classes: cutOff(2_000) },
  'partition-etcd-leader': {
    promise: `A leader cut off from its peers loses leadership; the majority elects another and, after the heal, everything is served. ${CUT_OFF_COST} The apiserver on the leader's host reaches only the cut-off member (the split is between the etcd hosts; clients and the VIP still reach that apiserver), so every write it takes hangs.`,
    // Writes: the apiserver beside the cut-off leader takes a third of new connections and can commit nothing; the
    // other two send a third of theirs to the cut-off member (2/9); one election on those (1 s of ≈ 8.6 s, −5 points)
    // → ≈ 40 % at worst, floor 35 %. Session 7 wrote this down as a hypothesis (1/3·0 + 2/3·2/3 ≈ 44 %) beside an
    // overlay run at 47.19 %; session 11's CI simulation (dcdf2a5), on the host network with the load
    // no longer capped at 16 connections, had 46.45 % (85/183, 98 unknown); through the whole fault its watches through
    // two apiservers (the cut-off side's, and one whose etcd watch followed the cut-off member) and through the VIP got
    // no event while the third's kept going (history: partition-etcd-leader-writes-46.jsonl). The 50 % floor before
    // came from "a third hang" alone, which the capped client's pool hid (its free kept-alive sockets went to the apiservers that answered):
    // 59.4–67.0 % over 10 runs then, 52.5 / 53.6 / 75.7 % over 5 runs now (seeds 7500–7504). Reads keep 30 %: no run
    // has come near it (53.6–90.2 % over those 5, 65.9 % in the CI history), though by the same mechanism their worst
    // case is lower (≈ 22 %) — to be measured, not assumed.
    classes: { reads: cutOff(2_000).reads, writes: { fault: { minAvailabilityPct: 35, maxDowntimeMs: 2_000 } } },
  },
  'drop-etcd-peer-traffic': { promise: `Losing only peer traffic is a partition for raft: a new leader is elected among the majority; after the heal, everything is served. The cut-off member still answers clients, without a leader: ${CUT_OFF_COST}`, classes: cutOff(2_000) },
  'isolate-agent': {
    promise: `An isolated agent takes one etcd follower and one apiserver with it; the VIP and the majority keep the API up. ${CUT_OFF_COST} After the heal, connections that stalled through the fault resume at their next TCP retransmission.`,
    // The runner is on the far side of the isolation too, so its own connections to the cut-off apiserver back off
    // (Linux doubles the retransmission timeout: after an 8 s fault the next try comes within ≈ 6 s) and then time out
    // (2 s): failures end by ≈ 8 s after the heal → 10 s. Measured over 10 runs: 4.7–5.4 s.
    // Reads in the fault window: 20 %, not cutOff's 30 %. cutOff's "≈ 33 % at worst" counts a third of the GETs
    // failing; here the isolated agent's apiserver is cut off from the runner too, so every kept-alive connection to it
    // hangs until the client's 2 s, and new ones reach it until dcos-net drops its agent — up to a third of the GETs
    // more. Worst case: every LIST fails (both serving apiservers' watch caches follow the isolated member) and GETs
    // are served only on a serving apiserver whose etcd request reaches a live member: ≤ 2/3 × 2/3 of them → reads
    // ≥ ½ × 4/9 ≈ 22 %, floor 20 %. Seen (session 12's CI simulation, through the dcos target on the DC/OS layout, the
    // load taking connections in turn): 26.83 % — all 40 LISTs timed out, 22 of 42 GETs served, and no watch through
    // any apiserver or the VIP got an event for the whole fault while 98 writes were acknowledged: all three apiservers'
    // etcd watches were on the isolated member (isolate-agent-dcos-target-reads-26.8-watches-stalled.jsonl, replayed).
    // Stop 19's 28.05 % in CI (history lost with its checkout) was put down to the client's 16-connection cap then.
    // The other runs of this session with that client: 61.3 % (host layout), 43.8–68.8 % (DC/OS layout, bench).
    classes: { reads: { fault: { minAvailabilityPct: 20, maxDowntimeMs: 2_000 }, recovery: { maxMsToLastFailure: 10_000 } }, writes: { ...cutOff(2_000).writes, recovery: { maxMsToLastFailure: 10_000 } } },
  },
  'kill-2-of-3-etcd': {
    promise: 'Without a quorum nothing is written or read consistently; once two members are back, everything is served and nothing acknowledged is lost.',
    // "Once two members are back" is the settle window (recovered → settled), not the recovery window: heal →
    // recovered is mostly the members restarting, still without a quorum. The 95 % bound was first put on the recovery
    // window, and a healthy bench:verdicts run (session 4, seed 1000) had writes there at 93.3 % — 4 updates sent
    // 0.4 s before the quorum was back timed out (stored: suites/unit/data/regressions/kill-2-of-3-etcd-writes-before-quorum-back.jsonl).
    // The same 95 % now judges the window the promise is about (≥ 35 s of load after the cluster looks healthy).
    classes: { reads: { settle: { minAvailabilityPct: 95 } }, writes: { settle: { minAvailabilityPct: 95 } } },
  },
  'replace-etcd-0': { promise: 'Replacing a member under its DNS name needs no apiserver change: the API keeps serving from the majority throughout.' },
  'sigkill-apiserver': {
    promise: 'An apiserver\'s death costs at most the VIP\'s eject time: the other two serve everything.',
    // The eject time is the VIP's: dcos-net sees the task gone at its next 2 s poll and reprograms (≈ 0.3 s here), so
    // failures may come until ≈ 2.3 s after the kill, plus one request timeout (2 s) for a request sent just before:
    // the last failure ends by 4.5 s. Until then a third of new connections reach the dead backend: at most
    // 2.3 s × 1/3 of an ≈ 8.4 s fault window ≈ 9 % of requests → at least 90 %. The first bound (95 %) came from the
    // testbed's earlier /readyz VIP, which ejected in 650 ms; the first CI run with dcos-net's policy had writes at
    // 94.6 % (10 of 186 failed, the last 1.7 s after the kill), stored in
    // suites/unit/data/regressions/sigkill-apiserver-dcos-net-eject.jsonl and replayed.
    classes: both({ minAvailabilityPct: 90, maxDowntimeMs: 0, maxMsToLastFailure: 4_500 }),
  },
  'restart-apiserver': {
    promise: 'A killed apiserver is restarted in place, as DC/OS does (Mesos relaunches its task; under static pods its kubelet restarts it): the other two serve throughout, and requests fail only while the VIP still sends some to it, before it serves again.',
    // From the mechanism: new connections reach the dead apiserver (refused) until dcos-net's next 2 s poll drops it
    // (≤ 2.3 s); DC/OS relaunches it after ≈ 1 s and dcos-net takes it back when its task runs, before kube-apiserver
    // serves (its listener opens while its config is built, see crash-agent below), so connections made then hang for
    // its start-up (≈ 3 s) — a third of new connections for ≈ 5.3 s of the 15 s window: ≈ 12 % → at least 88 %; the last
    // failure by ≈ 1 + 2 + 3 + one 2 s timeout = 8 s after the kill. No downtime: two apiservers always serve.
    // Measured (10 runs, seeds 7200-7209, chaos/bench/data/slo-runs-2026-12-01-restart-apiserver-seeds-7200-7209.json):
    // reads 99.3–100 %, writes 97.6–99.4 % (1–7 failed or unknown of ≈ 335), the last 0.6–5.6 s after the kill,
    // downtime 0, recovery 0.1–2.0 s; margins 9.6 points and 2.4 s.
    classes: both({ minAvailabilityPct: 88, maxDowntimeMs: 0, maxMsToLastFailure: 8_000 }),
  },
  'rolling-restart-apiservers': {
    promise: 'A graceful rolling restart of every apiserver loses no request to the drain: each drains behind the VIP before it stops. DC/OS\'s VIP takes a restarted apiserver back as soon as its task runs, before its /readyz passes, so it may answer a few requests as a starting apiserver does.',
  },
  'kill-scheduler-leader': { promise: 'A scheduler leader\'s death has nothing to do with the API: it stays fully available while another instance takes the Lease.', classes: both({ minAvailabilityPct: 98, maxDowntimeMs: 0 }) },
  'kill-controller-manager-leader': { promise: 'A controller-manager leader\'s death has nothing to do with the API: it stays fully available while another instance takes the Lease.', classes: both({ minAvailabilityPct: 98, maxDowntimeMs: 0 }) },
  'crash-agent-etcd-apiserver': {
    promise: `An agent crash takes one etcd member and one apiserver; the VIP and the majority keep the API up. When the agent returns, DC/OS's VIP sends its apiserver connections from the moment its task runs, before it serves; once it serves, everything is served. ${CUT_OFF_COST}`,
    // Reads after the agent returns (heal → recovered): 96.6 and 97.6 % in two runs of session 3, 82.0 % in a CI run
    // (crash-agent-reads-after-return-82.jsonl), 100 % in one session-4 run under the dcos-net policy — on which the
    // 90 % bound was put on this window — and 85.8 % in the first CI simulation of session 5
    // (crash-agent-returning-apiserver-before-serving.jsonl): 19 reads on pooled connections timed out (2 s) for ops
    // sent 3.1–8.3 s after the return. Cause: dcos-net took the returned apiserver back 1.6 s after the return, when its
    // task ran (dcos_l4lb_mesos_poller: TASK_RUNNING is a backend), and kube-apiserver binds its port before it serves (k8s.io/apiserver v0.37.2
    // pkg/server/options/serving.go: SecureServingOptions.ApplyTo creates the listener while the config is built),
    // so connections made to it meanwhile hang instead of being refused. The system under test behaves so; the promise
    // "everything is served" is about the time after that start-up, the settle window (recovered → settled: health now
    // waits for each apiserver's own /readyz), where the same 90 % now judges it. The recovery window is reported.
    // Back on the recovery window (session 6, from the 10-run series): the returned apiserver is taken back at dcos-net's
    // next poll (≤ 2 s), serves ≈ 8–9 s after its start here (health saw its /readyz not ready 8 s after the heal), and a
    // request sent just before that times out 2 s later: the last failure ends by ≈ 13 s → 15 s. Until it serves a
    // third of new connections hang (≈ 9 s of a 9–32 s window) → at least 60 %. Measured: last failure ≤ 11.3 s, the
    // window's reads ≥ 76.8 %, writes ≥ 86.1 %.
    classes: {
      reads: { ...cutOff(3_000).reads, recovery: { minAvailabilityPct: 60, maxMsToLastFailure: 15_000 }, settle: { minAvailabilityPct: 90 } },
      writes: { ...cutOff(3_000).writes, recovery: { minAvailabilityPct: 60, maxMsToLastFailure: 15_000 }, settle: { minAvailabilityPct: 90 } },
    },
  },
  'freeze-agent': { promise: `A frozen agent looks dead to its peers; the majority keeps serving, and after the thaw everything is served. ${CUT_OFF_COST}`, classes: cutOff(2_000) },
};

export const SCENARIOS: Scenario[] = [
  {
    name: 'kill-etcd-follower',
    description: 'SIGKILL one etcd follower; relaunched in place. The API should not notice.',
    fault: { name: 'kill-process', params: { role: 'etcd', selector: 'follower', signal: 'SIGKILL', relaunch: true } },
    expectations: { availability: { slo: { maxDowntimeMs: 0, minAvailabilityPct: 99 } }, recovery: { from: 'fault-start', slo: { maxRecoveryMs: 30_000 } }, noLostWrites: true, leaderUniqueness: {} },
  },
  {
    name: 'kill-etcd-leader',
    mayCostElection: true,
    description: 'SIGKILL the etcd leader; a new leader is elected, the old one relaunches as follower.',
    fault: { name: 'kill-process', params: { role: 'etcd', selector: 'leader', signal: 'SIGKILL', relaunch: true } },
    // Requests in flight on the dead leader time out (2 s client timeout) until the election (1 s timeout) is over.
    expectations: { availability: { slo: { maxDowntimeMs: 3_000, minAvailabilityPct: 80 } }, recovery: { from: 'fault-start', slo: { maxRecoveryMs: 30_000 } }, noLostWrites: true, leaderUniqueness: {} },
  },
  {
    name: 'pause-etcd-leader',
    mayCostElection: true,
    description: 'SIGSTOP the etcd leader for the fault window, then SIGCONT.',
    fault: { name: 'pause-process', params: { role: 'etcd', selector: 'leader' } },
    expectations: { availability: { slo: { maxDowntimeMs: 10_000, minAvailabilityPct: 80 } }, recovery: recovered, noLostWrites: true, leaderUniqueness: {} },
  },
  {
    name: 'partition-etcd-leader',
    mayCostElection: true,
    description: 'Cut the etcd leader\'s host off from the other etcd hosts (both directions), then heal.',
    fault: { name: 'partition', params: { mode: 'split', target: { hostOf: { role: 'etcd', selector: 'leader' } }, among: 'etcd' } },
    expectations: { availability: { slo: { maxDowntimeMs: 10_000, minAvailabilityPct: 80 } }, recovery: recovered, noLostWrites: true, leaderUniqueness: {} },
  },
  {
    name: 'drop-etcd-peer-traffic',
    mayCostElection: true,
    description: 'Drop only etcd peer traffic (TCP 2380) between the leader\'s host and the other members; client traffic still flows.',
    fault: { name: 'partition', params: { mode: 'peer-only', target: { hostOf: { role: 'etcd', selector: 'leader' } }, among: 'etcd' } },
    expectations: { availability: { slo: { maxDowntimeMs: 10_000, minAvailabilityPct: 75 } }, recovery: recovered, noLostWrites: true, leaderUniqueness: {} },
  },
  {
    name: 'isolate-agent',
    description: 'Isolate the host of an etcd follower (and an apiserver) from every other host and the runner, then heal.',
    fault: { name: 'partition', params: { mode: 'isolate', target: { hostOf: { role: 'etcd', selector: 'follower' } } } },
    expectations: { availability: { slo: { maxDowntimeMs: 5_000, minAvailabilityPct: 80 } }, recovery: recovered, noLostWrites: true, leaderUniqueness: {} },
  },
  {
    name: 'kill-2-of-3-etcd',
    description: 'SIGKILL two etcd members and keep them down: quorum is lost, writes must fail; restart, nothing acknowledged lost.',
    fault: { name: 'kill-process', params: { role: 'etcd', selector: 'majority', signal: 'SIGKILL', relaunch: false } },
    // 15 s: the quorum-loss checker judges the span its samples bound (first no-quorum answer → last no-quorum ask)
    // less 2 s at each end, and samples come every 2.5–3 s during a loss (each waits out a 1.5 s health probe of the
    // survivor). A 10 s loss left 3.4 s once (session 12's CI simulation): nothing to judge, the run unknown
    // (kill-2-of-3-etcd-quorum-loss-unjudged.jsonl). More of the loss observed; no bound changed.
    faultMs: 15_000,
    expectations: { quorumLoss: { graceMs: 2_000 }, recovery: recovered, noLostWrites: true, leaderUniqueness: {} },
  },
  {
    name: 'replace-etcd-0',
    mayCostElection: true,
    description: 'DC/OS pod replace etcd-0 onto the free agent: same name and DNS name, apiservers untouched.',
    fault: { name: 'replace-etcd-member', params: { index: 0 } },
    faultMs: 2_000,
    // etcd-0 may be the leader: its removal is then a leader loss plus a membership change (observed 89.7–100 %).
    expectations: { availability: { slo: { maxDowntimeMs: 5_000, minAvailabilityPct: 80 } }, recovery: recovered, noLostWrites: true, leaderUniqueness: {} },
  },
  {
    name: 'sigkill-apiserver',
    description: 'SIGKILL one apiserver and keep it down: errors only inside the VIP\'s eject window.',
    fault: { name: 'kill-process', params: { role: 'kube-apiserver', selector: 'one', signal: 'SIGKILL', relaunch: false } },
    expectations: { availability: { slo: { maxDowntimeMs: 0, minAvailabilityPct: 97 } }, recovery: recovered, noLostWrites: true, leaderUniqueness: {} },
  },
  {
    name: 'restart-apiserver',
    description: 'SIGKILL one apiserver and let it be restarted in place (by DC/OS, or by its kubelet under static pods), as on a real cluster.',
    fault: { name: 'kill-process', params: { role: 'kube-apiserver', selector: 'one', signal: 'SIGKILL', relaunch: true } },
    // The fault window spans the restart: relaunch, the VIP's poll and the apiserver's start-up all fall inside it.
    faultMs: 15_000,
    expectations: { availability: { slo: { maxDowntimeMs: 0 } }, recovery: { from: 'fault-start', slo: { maxRecoveryMs: 30_000 } }, noLostWrites: true, leaderUniqueness: {} },
  },
  {
    name: 'rolling-restart-apiservers',
    description: 'Graceful rolling restart of all three apiservers (SIGTERM, shutdown delay, VIP drain). Target: zero failed requests.',
    fault: { name: 'rolling-restart-apiservers', params: {} },
    faultMs: 0,
    // Judged on the API calls: a /readyz probe on a kept-alive connection to a draining apiserver rightly gets 500
    // during its shutdown delay (that is how the VIP learns to drain it); those probes are reported, not judged.
    // The target is zero failed API requests: no definite failure (refused, 5xx) at all. A write on a kept-alive
    // connection that the apiserver closes at the end of its shutdown delay can still be reset — the client cannot know
    // whether it happened (unknown outcome; no-lost-writes judges it). Seen 0-3 per rolling restart here, and a 2 s
    // timeout now and then when the 2-core machine stalls; 2 per restarted apiserver (6) are tolerated.
    // The first CI run with dcos-net's VIP policy had one GET answered 403 by an apiserver whose RBAC cache was still
    // empty (5.2 s after it was sent, retried once): the VIP sent it there before its /readyz passed — dcos-net has no
    // readiness, only a task's state (stored: suites/unit/data/regressions/rolling-restart-starting-apiserver-403.jsonl).
    // Such answers are counted apart, at most 2 per restarted apiserver, and only for requests sent between the fault's
    // start and the first healthy look after it (a bench run had two 403s 0.3–0.4 s after the fault's end, from the
    // last apiserver restarted: stored as rolling-restart-403-after-fault-end.jsonl); every other definite failure still fails. 429 is not among them: it is also what an
    // overloaded or badly drained apiserver answers.
    // Session 13 (one CI simulation and one of 5 bench runs, seeds 9300-9304): 9 unknown outcomes, every one a create of
    // the recording client timing out (2 s), sent within about a second of an apiserver's return to the VIP — 2, 4 and
    // 3 for the three restarts — and no definite failure. The same starting-apiserver mechanism as the 403s above:
    // dcos-net puts a backend back when its task runs (no readiness; dcos_l4lb_mesos_poller), and a kube-apiserver
    // takes connections before it serves them, so a request on such a connection hangs until the client gives up.
    // The other 4 runs had 0-1 unknowns. Those timeouts, sent in the same window as the 403s, are counted apart, at
    // most 4 per restarted apiserver (the most seen); every other unknown still counts against maxUnknown, and any
    // definite failure still fails. Histories stored and replayed (rolling-restart-timeouts-on-returned-apiservers.jsonl).
    expectations: { availability: { fs: ['get', 'list', 'create', 'update', 'delete'], slo: { maxDowntimeMs: 0, maxDefiniteFailures: 0, maxUnknown: 6, startingAnswers: { statuses: [403, 503], max: 6 }, startingTimeouts: { max: 12 } } }, recovery: recovered, noLostWrites: true, leaderUniqueness: {} },
  },
  {
    name: 'kill-scheduler-leader',
    description: 'SIGKILL the kube-scheduler Lease holder: a new holder within lease duration + retry period.',
    fault: { name: 'kill-process', params: { role: 'kube-scheduler', selector: 'leader', signal: 'SIGKILL', relaunch: true } },
    faultMs: 20_000,
    expectations: { availability: { slo: { maxDowntimeMs: 0, minAvailabilityPct: 99 } }, recovery: { from: 'fault-start', leaseTakeover: 'kube-scheduler', slo: { maxRecoveryMs: LEASE_TAKEOVER_MS } }, noLostWrites: true, leaderUniqueness: {}, componentWorks: { component: 'kube-scheduler', withinMs: LEASE_TAKEOVER_MS + COMPONENT_WORK_MS } },
  },
  {
    name: 'kill-controller-manager-leader',
    description: 'SIGKILL the kube-controller-manager Lease holder: a new holder within lease duration + retry period.',
    fault: { name: 'kill-process', params: { role: 'kube-controller-manager', selector: 'leader', signal: 'SIGKILL', relaunch: true } },
    faultMs: 20_000,
    expectations: { availability: { slo: { maxDowntimeMs: 0, minAvailabilityPct: 99 } }, recovery: { from: 'fault-start', leaseTakeover: 'kube-controller-manager', slo: { maxRecoveryMs: LEASE_TAKEOVER_MS } }, noLostWrites: true, leaderUniqueness: {}, componentWorks: { component: 'kube-controller-manager', withinMs: LEASE_TAKEOVER_MS + COMPONENT_WORK_MS } },
  },
  {
    name: 'crash-agent-etcd-apiserver',
    mayCostElection: true,
    description: 'Crash the agent hosting an etcd member and an apiserver (all its tasks die, link down); it returns at heal.',
    fault: { name: 'crash-agent', params: { busiest: true } },
    faultMs: 15_000,
    expectations: { availability: { slo: { maxDowntimeMs: 5_000, minAvailabilityPct: 85 } }, recovery: recovered, noLostWrites: true, leaderUniqueness: {} },
  },
  {
    name: 'freeze-agent',
    mayCostElection: true,
    description: 'Freeze every process of the agent hosting an etcd member and an apiserver, then thaw it.',
    fault: { name: 'freeze-agent', params: { busiest: true } },
    expectations: { availability: { slo: { maxDowntimeMs: 10_000, minAvailabilityPct: 75 } }, recovery: recovered, noLostWrites: true, leaderUniqueness: {} },
  },
].map((s) => {
  const p = PROMISES[s.name];
  if (!p) throw new Error(`scenario ${s.name} states no promise`);
  const availability = s.expectations.availability || p.classes ? { ...(s.expectations.availability ?? {}), classes: withSettle(p.classes ?? {}) } : undefined;
  return scenarioSchema.parse({ ...s, promise: p.promise, expectations: { ...SAFETY_AND_LOAD, ...s.expectations, ...(availability ? { availability } : {}) } });
});

export function findScenario(name: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.name === name);
}

/** The etcd election timeout every bound above was measured with (etcd's default; config/options.ts `etcd-defaults`). */
export const BOUNDS_ELECTION_MS = 1_000;
/**
 * The largest election timeout any layout haproof deploys or targets promises: kubernetes-cluster's 5000 ms (universe
 * `kubernetes-cluster/2600/marathon.json.mustache`, handed to the etcd task's environment by the service spec). A
 * cluster that runs slower elections is judged as if it ran this one: its promise is the package's.
 */
export const PACKAGE_ELECTION_MS = 5_000;

/**
 * A scenario's fault window and bounds for the cluster's election timeout (pure). raft draws each follower's timeout
 * from [E, 2E) (go.etcd.io/raft `resetRandomizedElectionTimeout`), so a lost leader leaves the cluster without one for
 * up to 2E, in which no write and no linearizable read is served; every bound above allowed that for E = 1000 ms. A
 * larger E adds Δ = 2(E − 1000 ms) of leaderless time at worst, so where a scenario may cost an election: the fault
 * window grows by Δ (so that what follows the election is still judged), every downtime bound and a recovery measured
 * from the fault's start by Δ, and each fault-window availability floor f over a window W becomes f·W/(W + Δ) — the same
 * served requests, with Δ more of them all failing. Nothing else changes: recovery after the heal and the settle window
 * hold no election. E below 1000 ms keeps the bounds as they are (they were measured there and are stricter), E above
 * the package's is judged at the package's. Floors are rounded up (to 0.1). These bounds are for a run that did hold an
 * election: one whose fault missed the leader (a follower's agent crashed) is judged by the unstretched bounds over its
 * longer window (boundsForRun).
 */
export function forElectionTimeout(scenario: Scenario, electionMs: number): Scenario {
  const deltaMs = 2 * (Math.min(Math.max(electionMs, BOUNDS_ELECTION_MS), PACKAGE_ELECTION_MS) - BOUNDS_ELECTION_MS);
  if (deltaMs === 0 || !scenario.mayCostElection) return scenario;
  const w = scenario.faultMs;
  const e = scenario.expectations;
  const stretchClass = (c: NonNullable<NonNullable<ClassBounds['reads']>['fault']> | undefined) => c && {
    ...c,
    ...(c.minAvailabilityPct !== undefined ? { minAvailabilityPct: Math.ceil((10 * c.minAvailabilityPct * w) / (w + deltaMs)) / 10 } : {}),
    ...(c.maxDowntimeMs !== undefined ? { maxDowntimeMs: c.maxDowntimeMs + deltaMs } : {}),
  };
  const classes = e.availability?.classes;
  const stretched = classes && Object.fromEntries(Object.entries(classes).map(([k, v]) => [k, v && { ...v, ...(v.fault ? { fault: stretchClass(v.fault) } : {}) }]));
  const slo = e.availability?.slo;
  return scenarioSchema.parse({
    ...scenario,
    faultMs: w + deltaMs,
    expectations: {
      ...e,
      ...(e.availability ? { availability: { ...e.availability, ...(stretched ? { classes: stretched } : {}), ...(slo ? { slo: { ...slo, ...(slo.maxDowntimeMs !== undefined ? { maxDowntimeMs: slo.maxDowntimeMs + deltaMs } : {}) } } : {}) } } : {}),
      ...(e.recovery?.from === 'fault-start' && e.recovery.slo?.maxRecoveryMs !== undefined ? { recovery: { ...e.recovery, slo: { ...e.recovery.slo, maxRecoveryMs: e.recovery.slo.maxRecoveryMs + deltaMs } } } : {}),
    },
  });
}

/**
 * Whether the history shows an etcd election between the fault's start and the recovery (pure): a raft term seen by the
 * observer then that is higher than every term seen before the fault. With pre-vote (etcd's default) a cut-off
 * follower does not raise the term, so only a lost leader does.
 */
export function electionDuringFault(history: readonly Op[]): boolean {
  const nemesis = (f: string, type: Op['type']) => history.find((o) => o.process === 'nemesis' && o.f === f && o.type === type)?.time;
  const start = nemesis('fault-start', 'invoke');
  if (start === undefined) return false;
  const end = nemesis('recovered', 'info') ?? Infinity;
  const termsOf = (o: Op) => ((o.value as { members?: Array<{ answered?: boolean; term?: number }> } | undefined)?.members ?? []).filter((m) => m.answered && typeof m.term === 'number').map((m) => m.term!);
  const samples = history.filter((o) => o.process === 'observer' && o.f === 'etcd' && o.type === 'info');
  const before = Math.max(-Infinity, ...samples.filter((o) => o.time < start).flatMap(termsOf));
  return before > -Infinity && samples.some((o) => o.time >= start && o.time <= end && termsOf(o).some((t) => t > before));
}

/**
 * The expectations a finished run is judged by (pure): the stretched ones only when the run held an election; else the
 * scenario's own bounds (its window was stretched, its bounds need not be).
 */
export function boundsForRun(defined: Scenario, run: Scenario, history: readonly Op[]): Scenario['expectations'] {
  return run === defined || electionDuringFault(history) ? run.expectations : defined.expectations;
}
