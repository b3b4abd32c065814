// The VIP policy of dcos-net (dcos-l4lb), emulated — the default testbed VIP policy. Sources (dcos/dcos-net at the
// commits DC/OS 2.0–2.2 pin; ../shared/reference/dcos-interfaces.md §4.2–4.3):
// - apps/dcos_l4lb/src/dcos_l4lb_mesos_poller.erl: each agent polls its local Mesos agent every 2000 ms
//   (agent_poll_interval); a task is a backend iff its state is TASK_RUNNING (weight 1) or TASK_KILLING (weight 0); a
//   running task whose Mesos health check says healthy:false gets weight 0 ("should not get new connections, but should
//   still be available for existing connections"); terminal tasks are gone at the next poll.
// - apps/dcos_l4lb/src/dcos_l4lb_mgr.erl healthy_backends: backends on agents the Lashup gossip graph finds unreachable
//   are left out, unless every backend is unreachable — then all are kept (fail-open).
// - lashup src/lashup_config.erl: adaptive pings between neighbours, 100 ms floor … 1000 ms max.
// - dcos_l4lb_ipvs_mgr.erl: IPVS weights are set, destinations removed; conntrack is never flushed.
// The testbed has no IPVS: nftables numgen DNAT sends new connections to the weight-1 backends only, and established
// flows keep going by conntrack — what IPVS does with a weight-0 destination.

/** dcos_l4lb_mesos_poller agent_poll_interval. */
export const DCOS_NET_POLL_MS = 2_000;
/** lashup DEFAULT_MAX_PING_MS: an agent whose gossip does not answer within this is unreachable. */
export const GOSSIP_TIMEOUT_MS = 1_000;

export interface BackendTask {
  ip: string;
  /** The Mesos task state the agent reports: running, killing (a kill with a grace period is under way), or gone. */
  state: 'running' | 'killing' | 'gone';
  /** The Mesos health check's verdict, when the task has one. */
  healthy?: boolean;
  /** Whether the task's agent answers gossip. */
  agentReachable: boolean;
}

/**
 * What the Mesos agent reports of the task that holds an apiserver's port (pure). With static pods (kubernetes-cluster
 * 2.x: apiserver, controller-manager and scheduler are static pods of one kube-control-plane-N-instance task, per the
 * 2.8 docs and changelog in ../shared/reference/dcos-interfaces.md) the task is the instance, whose kubelet restarts a
 * dead apiserver: TASK_RUNNING whatever the apiserver process does. With one Mesos task per process (1.x): running,
 * killing while a kill's grace period runs, gone once it exited.
 */
export function apiserverTaskState(controlPlane: 'static-pods' | 'mesos-tasks', process: { up: boolean; killing: boolean }): BackendTask['state'] {
  if (controlPlane === 'static-pods') return 'running';
  return process.up ? (process.killing ? 'killing' : 'running') : 'gone';
}

/**
 * The Mesos health check of kubernetes-cluster's control-plane instance task (iss-lab/dcos-kubernetes-cluster
 * `svc.yml` @ 4c2d5492, pods.kube-control-plane.tasks.instance.health-check: `control-plane-health-checks.sh`, interval
 * 15 s, grace-period 30 s, timeout 10 s, max-consecutive-failures 20, delay 0; its comment: "minuteman will remove the
 * failing task from its load balancing table as soon as it fails a health check"). What the script checks is not in
 * that copy: [UNCONFIRMED] the apiserver's /healthz, the likely one (its env names APISERVER_HEALTHZ_PORT).
 */
export const CONTROL_PLANE_HEALTH_CHECK = { intervalMs: 15_000, gracePeriodMs: 30_000, timeoutMs: 10_000, maxConsecutiveFailures: 20, delayMs: 0 } as const;

/**
 * Whether a task's next health check is due (pure). Each task has its own checker, started with the task: its first
 * check `delay` after the launch, each next one `interval` after the previous one ended (apache/mesos
 * src/checks/health_checker.cpp and checker_process.cpp: `initialize()` calls `scheduleNext(checkDelay)`, each result
 * `scheduleNext(checkInterval)`). So the three instances' checks keep the phases of their launches and never run in
 * step unless the instances were launched together.
 */
export function healthCheckDue(state: Pick<HealthCheckState, 'launchedAt' | 'lastEndedAt'>, now: number): boolean {
  return now >= (state.lastEndedAt !== undefined ? state.lastEndedAt + CONTROL_PLANE_HEALTH_CHECK.intervalMs : state.launchedAt + CONTROL_PLANE_HEALTH_CHECK.delayMs);
}

export interface HealthCheckState {
  /** When the task (the instance: its kubelet) was launched: failures within the grace period do not count. */
  launchedAt: number;
  /** A check has passed since the launch (Mesos ends the grace period then). */
  passedOnce: boolean;
  consecutiveFailures: number;
  /** What the agent last reported: undefined until the first check that counts. */
  healthy: boolean | undefined;
  /** When this launch's last check ended (the next one is due an interval later); none yet: due `delay` after launch. */
  lastEndedAt?: number;
}

/**
 * One health check's result folded in, as the Mesos agent's checker does (pure): a pass reports healthy and ends the
 * grace period; a failure inside the grace period (before any pass) is not counted; any other reports unhealthy.
 * `kill`: the failures reached max-consecutive-failures and Mesos kills the task [NOT EMULATED by the testbed: 5 min].
 */
export function foldHealthCheck(state: HealthCheckState, passed: boolean, now: number): HealthCheckState & { kill: boolean } {
  if (passed) return { ...state, passedOnce: true, consecutiveFailures: 0, healthy: true, kill: false };
  if (!state.passedOnce && now - state.launchedAt < CONTROL_PLANE_HEALTH_CHECK.gracePeriodMs) return { ...state, kill: false };
  const consecutiveFailures = state.consecutiveFailures + 1;
  return { ...state, consecutiveFailures, healthy: false, kill: consecutiveFailures >= CONTROL_PLANE_HEALTH_CHECK.maxConsecutiveFailures };
}

/**
 * The VIP as dcos-net programs it (pure): `listed` is the raw gossip table (/net/v1/vips: unready and unreachable
 * backends included), `destinations` those IPVS holds after the reachability filter, `weighted` those that get new
 * connections (weight 1).
 */
export function dcosNetVip(tasks: readonly BackendTask[]): { listed: string[]; destinations: string[]; weighted: string[]; failOpen: boolean } {
  const listed = tasks.filter((t) => t.state !== 'gone');
  const reachable = listed.filter((t) => t.agentReachable);
  const failOpen = listed.length > 0 && reachable.length === 0;
  const destinations = failOpen ? listed : reachable;
  const weighted = destinations.filter((t) => t.state === 'running' && t.healthy !== false);
  return { listed: listed.map((t) => t.ip), destinations: destinations.map((t) => t.ip), weighted: weighted.map((t) => t.ip), failOpen };
}

/**
 * Lashup's port (DC/OS requires 61420 open between nodes). Each testbed agent runs a small responder on it standing
 * for its dcos-net: it answers while the agent is up, reachable and not frozen — what a gossip ping observes.
 */
export const GOSSIP_PORT = 61420;

/** The responder's program (node -e): answers `ok` to every connection. */
export const gossipResponder = (ip: string): string => `require('node:net').createServer((s) => s.end('ok\\n')).listen(${GOSSIP_PORT}, ${JSON.stringify(ip)})`;
