// What the DC/OS API surface remembers between requests: accounts and issued tokens, Enterprise or not, whether the
// package (and its manager) is installed, plan progress (deployed steps, recoveries, interrupts, forced steps), the Mesos
// task history, gone and draining agents; and `observe`, which updates it from a view.
import { randomBytes as cryptoRandomBytes, type KeyObject } from 'node:crypto';
import { frameworkPods, isTerminal, type FrameworkPod } from './framework-model.ts';
import type { MesosTaskState } from '../../dcos/schemas.ts';
import { iamSigningKey } from './jwt.ts';
import type { DcosView } from './view.ts';

export interface SurfaceUser {
  uid: string;
  password: string;
}

/** A service account: it logs in with `{uid, token}`, the token an RS256 JWT signed with its private key. */
export interface SurfaceServiceAccount {
  uid: string;
  /** PEM (SPKI) public key, as given to `dcos security org service-accounts create -p`. */
  publicKey: string;
}

export interface SurfaceOptions {
  users: SurfaceUser[];
  serviceAccounts?: SurfaceServiceAccount[];
  /**
   * Emulate DC/OS Enterprise (default off): Admin Router challenges with `acsjwt`, and a kubernetes-cluster installed
   * without `service.service_account` and `service.service_account_secret` never registers with Mesos (its scheduler
   * exits), as on a cluster whose masters require framework authentication.
   */
  enterprise?: boolean;
  /** The package manager of kubernetes-cluster (the `kubernetes` package, MKE) is installed (default true). */
  managerInstalled?: boolean;
  randomBytes?: (n: number) => Buffer;
  now?: () => number;
  /** The IAM's token signing key (default: one RSA key per process). */
  iamKey?: { privateKey: KeyObject; publicKey: KeyObject };
}

export type RecoveryType = 'TRANSIENT' | 'PERMANENT';

export interface Recovery {
  pod: string;
  type: RecoveryType;
  phaseId: string;
  stepId: string;
  /** The launch that failed or was told to go: the step stays PENDING until the pod runs a different launch. */
  fromLaunch: string;
  done: boolean;
}

/** Work the surface cannot do itself; the caller (the supervisor) carries it out. */
export type SurfaceAction =
  | { kind: 'restart-pod'; pod: string; tasks: string[]; host: string }
  | { kind: 'replace-pod'; pod: string; tasks: string[]; fromHost: string }
  | { kind: 'mark-agent-gone'; agentId: string; host: string; pods: string[] }
  | { kind: 'drain-agent'; agentId: string; host: string; markGone: boolean; maxGracePeriodSeconds: number | undefined; pods: string[] }
  /** Cosmos uninstalled the service: stop its tasks. */
  | { kind: 'uninstall-package' }
  /** Cosmos installed the service again: start its tasks. */
  | { kind: 'install-package' }
  /** The service was installed, but its scheduler exits before it registers (say so in the log, as its stderr would). */
  | { kind: 'scheduler-exits'; message: string };

/** A launch that has ended, kept for Mesos `completed_tasks`. */
export interface CompletedTask {
  pod: string;
  task: string;
  taskId: string;
  agentId: string | undefined;
  ip: string;
  state: MesosTaskState;
  startedAtSeconds: number | undefined;
  endedAtSeconds: number;
}

interface SeenPod {
  launchId: string;
  restarts: number;
  taskId: string | undefined;
  mesosState: MesosTaskState | undefined;
  agentId: string | undefined;
  ip: string;
  startedAtSeconds: number | undefined;
}

export interface SurfaceState {
  readonly users: readonly SurfaceUser[];
  readonly serviceAccounts: readonly SurfaceServiceAccount[];
  readonly enterprise: boolean;
  /** The `kubernetes` package (MKE) that Cosmos forwards kubernetes-cluster installs and uninstalls to. */
  managerInstalled: boolean;
  /** Issued token → uid (a record; Admin Router checks a token by its signature and `exp`). */
  readonly tokens: Map<string, string>;
  readonly iamKey: { privateKey: KeyObject; publicKey: KeyObject };
  /** The kubernetes-cluster service is installed (Cosmos): its scheduler answers and its framework is registered. */
  installed: boolean;
  /**
   * Installed, but the scheduler exits before registering (Enterprise without a service account): Admin Router finds
   * no running scheduler and Mesos no framework. The message is what the scheduler logs.
   */
  schedulerFailure: string | undefined;
  /** The framework's Mesos principal: `service.service_account`, else `<service name>-principal`. */
  principal: string | undefined;
  /**
   * Uninstalled, but its tasks are still being stopped: the framework stays registered (as Mesos keeps it until the
   * scheduler has killed its tasks) until whoever stops them clears this.
   */
  tearingDown: boolean;
  /** Pods whose deploy step has completed. */
  readonly deployed: Set<string>;
  /** Pod → the launch a restarted deploy step must see replaced before it can complete again. */
  readonly deployStale: Map<string, string>;
  /** Pod → its latest recovery (a newer one supersedes the older), in order of start. */
  readonly recoveries: Map<string, Recovery>;
  /** Deploy step ids forced COMPLETE. */
  readonly forced: Set<string>;
  /** Interrupted plans (`deploy`) and phases (`deploy/<phase id>`). */
  readonly interrupted: Set<string>;
  readonly seen: Map<string, SeenPod>;
  readonly completedTasks: CompletedTask[];
  readonly goneAgents: Set<string>;
  readonly draining: Map<string, { markGone: boolean }>;
  readonly randomBytes: (n: number) => Buffer;
  /** Milliseconds since the epoch. */
  readonly now: () => number;
}

const COMPLETED_TASKS_KEPT = 100;

export function createSurfaceState(options: SurfaceOptions): SurfaceState {
  return {
    users: options.users.map((u) => ({ ...u })),
    serviceAccounts: (options.serviceAccounts ?? []).map((a) => ({ ...a })),
    enterprise: options.enterprise ?? false,
    managerInstalled: options.managerInstalled ?? true,
    iamKey: options.iamKey ?? iamSigningKey(),
    // `haproof up` starts the service, so the surface begins with the package installed (and, on Enterprise, with a
    // service account).
    tokens: new Map(), installed: true, schedulerFailure: undefined, principal: undefined, tearingDown: false, deployed: new Set(), deployStale: new Map(), recoveries: new Map(), forced: new Set(), interrupted: new Set(),
    seen: new Map(), completedTasks: [], goneAgents: new Set(), draining: new Map(),
    randomBytes: options.randomBytes ?? cryptoRandomBytes,
    now: options.now ?? Date.now,
  };
}

/**
 * Whether the service's framework is registered with Mesos: installed with a scheduler that got through SUBSCRIBE, or
 * uninstalled but still tearing its tasks down.
 */
export function frameworkRegistered(state: SurfaceState): boolean {
  return (state.installed && state.schedulerFailure === undefined) || state.tearingDown;
}

/** A random (version 4) UUID from the state's random source. */
export function randomUuid(state: SurfaceState): string {
  const b = state.randomBytes(16);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const x = b.toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

/** Starts (or supersedes) the recovery of a pod from its current launch. */
export function startRecovery(state: SurfaceState, pod: FrameworkPod, type: RecoveryType, fromLaunch: string = pod.launchId): Recovery {
  const rec: Recovery = { pod: pod.name, type, phaseId: randomUuid(state), stepId: randomUuid(state), fromLaunch, done: false };
  state.recoveries.delete(pod.name);
  state.recoveries.set(pod.name, rec);
  return rec;
}

/**
 * Forgets what the scheduler knew (plan progress and recoveries), as a freshly installed scheduler starts with a new
 * deploy plan and an empty recovery plan. What Mesos remembers (task history, gone and draining agents) stays.
 */
export function forgetScheduler(state: SurfaceState): void {
  state.schedulerFailure = undefined;
  state.deployed.clear();
  state.deployStale.clear();
  state.recoveries.clear();
  state.forced.clear();
  state.interrupted.clear();
}

const DOWN: ReadonlyArray<FrameworkPod['condition']> = ['failed', 'killed', 'gone', 'unreachable'];

/**
 * Brings the state up to date with a view and returns the framework's pods. Like the SDK: a deployed pod whose task
 * died gets a TRANSIENT recovery (relaunch in place), one whose agent was marked gone a PERMANENT one; a relaunch that
 * happened between two looks (its restart count grew) is recorded too; a recovery is done once a new launch is ready.
 */
export function observe(view: DcosView, state: SurfaceState): FrameworkPod[] {
  const pods = frameworkPods(view, state.goneAgents, (pod) => state.seen.get(pod)?.launchId);
  const nowSeconds = state.now() / 1000;
  for (const p of pods) {
    if (p.ready && state.deployStale.get(p.name) !== p.launchId) {
      state.deployed.add(p.name);
      state.deployStale.delete(p.name);
    }
    const seen = state.seen.get(p.name);
    const open = state.recoveries.get(p.name);
    const isOpen = open !== undefined && !open.done;
    if (state.deployed.has(p.name)) {
      if (p.condition === 'gone' && !(isOpen && open.type === 'PERMANENT')) startRecovery(state, p, 'PERMANENT');
      else if (!isOpen && DOWN.includes(p.condition)) startRecovery(state, p, 'TRANSIENT');
      else if (!isOpen && seen && p.restarts > seen.restarts && seen.launchId !== p.launchId) startRecovery(state, p, 'TRANSIENT', seen.launchId);
    }
    const rec = state.recoveries.get(p.name);
    if (rec && !rec.done && p.ready && p.launchId !== rec.fromLaunch) rec.done = true;
    if (seen?.taskId && seen.launchId !== p.launchId) {
      const ended: MesosTaskState = isTerminal(seen.mesosState) ? seen.mesosState! : p.restarts > seen.restarts ? 'TASK_FAILED' : 'TASK_KILLED';
      state.completedTasks.push({ pod: p.name, task: p.task, taskId: seen.taskId, agentId: seen.agentId, ip: seen.ip, state: ended, startedAtSeconds: seen.startedAtSeconds, endedAtSeconds: nowSeconds });
      if (state.completedTasks.length > COMPLETED_TASKS_KEPT) state.completedTasks.splice(0, state.completedTasks.length - COMPLETED_TASKS_KEPT);
    }
    state.seen.set(p.name, { launchId: p.launchId, restarts: p.restarts, taskId: p.taskId, mesosState: p.mesosState, agentId: p.agentId, ip: p.ip, startedAtSeconds: p.startedAtSeconds });
  }
  return pods;
}
