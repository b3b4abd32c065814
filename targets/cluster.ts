// The one Cluster interface the suites and chaos code see; each target (testbed, later dcos) implements it.
import type { DropSpec } from './fault-rules.ts';
import type { EtcdMemberView } from './readers/etcdctl.ts';
import type { EtcdKey } from './readers/etcd-range.ts';
import type { KubeClients, LeaseView, NodeView } from './readers/kube.ts';

export interface ProcessView {
  task: string;
  role: string;
  host: string;
  pid: number;
  /** The process's real command line, read from the running process. */
  argv: string[];
  /** How often the task has been relaunched since the cluster started. */
  restarts: number;
  /**
   * The SDK task the process runs in, by its own TASK_NAME environment (dcos-commons PodInfoBuilder sets it): with
   * static pods a control-plane instance's apiserver, controller-manager and scheduler share `kube-control-plane-N-instance`.
   */
  sdkTask: string | undefined;
}

export type Role = 'etcd' | 'kube-apiserver' | 'kube-controller-manager' | 'kube-scheduler' | 'kwok' | 'dns' | 'dcos-api' | 'sshd' | 'dcos-net' | 'planted-defect';

export interface TaskView {
  task: string;
  role: Role;
  host: string;
  ip: string;
  pid: number | undefined;
  state: string;
  restarts: number;
}

export type Signal = 'SIGKILL' | 'SIGTERM' | 'SIGSTOP' | 'SIGCONT' | 'SIGHUP';

/** What every target offers: topology, component access, signals to tasks, and what the suites read. */
/** How to reach a target again (e.g. to heal what an earlier run left): the testbed, or DC/OS by its target file. */
export type TargetRef = { kind: 'testbed'; instance?: string } | { kind: 'dcos'; file?: string | undefined };

export interface Cluster {
  readonly name: string;
  readonly targetRef: TargetRef;
  readonly vip: { name: string; ip: string; port: number };
  readonly kubeconfig: string;
  readonly caFile: string;
  kube(): KubeClients;
  etcdMembers(): Promise<EtcdMemberView[]>;
  /** Running processes of a role with their host, as observed on the hosts (not from haproof's config). */
  processes(role: Role): Promise<ProcessView[]>;
  /** Resolves a name with the cluster's own DNS service. */
  resolve(name: string): Promise<string[]>;
  leaderLeases(): Promise<LeaseView[]>;
  nodes(): Promise<NodeView[]>;
  /** Hosts that make up the cluster's agents. */
  agentHosts(): Promise<string[]>;
  /** Sends a signal to a task's process; the target's scheduler relaunches a task that dies (DC/OS behaviour). */
  signalTask(task: string, signal: Signal): Promise<void>;
  /** The VIP's current backend addresses (the l4lb's view). */
  vipBackends(): Promise<string[]>;
  /** Every task with its host and state, as the cluster's scheduler sees it (`pid` where the target can tell). */
  tasks(): Promise<TaskView[]>;
  /** Agent and master hosts with their addresses. */
  hosts(): Promise<Array<{ host: string; ip: string }>>;
  /** Tasks that report themselves leader of a leader-elected role right now (more than one is split brain). */
  leaderClaims(role: 'kube-scheduler' | 'kube-controller-manager'): Promise<string[]>;
  /** Each running instance's `leader_election_master_status`: 1, 0, 'no-election' (no gauge at all), or 'unreadable'. */
  leaderGauges(role: 'kube-scheduler' | 'kube-controller-manager'): Promise<LeaderGauge[]>;
  /** The task currently leading its role (etcd: raft leader; scheduler, controller-manager: Lease holder). */
  leaderTask(role: 'etcd' | 'kube-scheduler' | 'kube-controller-manager'): Promise<string | undefined>;
  /** `endpoint hashkv` per member name (members that do not answer are absent). */
  etcdHashes(): Promise<Record<string, string>>;
  /**
   * Keys under a prefix read from etcd itself (linearizable), with mod revision and raw value — through one member
   * (its index) when given: a member that serves a store of its own then shows it.
   */
  etcdRange(prefix: string, member?: number): Promise<EtcdKey[]>;
  /** The admin client certificate and key, for reading component metrics. */
  readonly adminCert: { cert: string; key: string };
  /** A bearer token for a ServiceAccount allowed to edit ConfigMaps in `namespace` (created if needed). */
  loadToken(namespace: string): Promise<string>;
  /**
   * A text file as a process sees it — in its own filesystem (a container's, a static pod's), read through
   * `/proc/<pid>/root` on its host — e.g. the kubeconfig its command line names. A relative path is the process's cwd's.
   */
  readProcessFile(process: Pick<ProcessView, 'host' | 'pid'>, path: string): Promise<string>;
  /** The environment a running process was started with (`/proc/<pid>/environ` on its host), NAME → value. */
  processEnv(process: Pick<ProcessView, 'host' | 'pid'>): Promise<Record<string, string>>;
  /** Releases connections (API, SSH); the object is not used afterwards. */
  close(): void;
}

// Capabilities: what a target may offer beyond the common set. A fault that needs one asks with the guard below in its
// `available()`, so "this target cannot do X" is decided before a scenario starts, never by a throw halfway through.

/** A killed task can be held down until `startTask` (the testbed's supervisor can; DC/OS relaunches every task). */
export interface HoldTaskDown {
  /** Signals the task and keeps it down (no relaunch) until `startTask`. */
  signalTaskHeld(task: string, signal: 'SIGKILL' | 'SIGTERM'): Promise<void>;
  startTask(task: string): Promise<void>;
}

/** An agent dies (every task, its link) and comes back: needs out-of-band control of the host. */
export interface HostPower {
  crashHost(host: string): Promise<string[]>;
  restoreHost(host: string): Promise<void>;
}

/** Every process of a host stops answering, then resumes (cgroup freezer, or SIGSTOP of the host's task processes). */
export interface HostFreeze {
  freezeHost(host: string): Promise<void>;
  thawHost(host: string): Promise<void>;
}

/** Installs (text) or removes (undefined) the fault firewall table `inet haproof_fault` on a host. */
export interface HostFirewall {
  /** Installs the fault firewall (replacing any earlier one), or removes it (`undefined`); a heal that did not happen throws. */
  setHostFirewall(host: string, spec: DropSpec | undefined): Promise<void>;
  /** The address(es) `host` sees haproof's own traffic come from (an isolated host loses that traffic too). */
  runnerAddresses(host: string): Promise<string[]>;
}

/** DC/OS `pod replace etcd-N`: member remove → add (same name) → empty data dir → existing → DNS moved. */
export interface MemberReplacement {
  replaceEtcdMember(index: number, toHost: string): Promise<void>;
}

/** Each apiserver's own /readyz, asked at its address rather than through the VIP (whose listing may keep a dead one). */
export interface ApiserverProbe {
  apiserverReadiness(): Promise<Array<{ task: string; ip: string; answer: 'ready' | 'not-ready' | 'refused' | 'timeout' }>>;
}

/**
 * The service scheduler's `pod restart` (dcos-commons PodResource restartPod @ 0.57.3): every task of the pod is killed
 * and relaunched in place as new Mesos tasks (TRANSIENT recovery) — for a static-pod control-plane instance, its
 * kubelet and so all three static pods with it.
 */
export interface PodRestart {
  restartPod(pod: string): Promise<void>;
}

/** The runner's network fence counter: packets for the testbed ranges that tried to leave other than through the testbed. */
export interface RunnerFence {
  fenceEscapes(): Promise<number>;
}

/** `/proc/<pid>/environ` as NAME → value (pure); entries are NUL-separated, a value may hold `=`. */
export function parseEnviron(raw: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const entry of raw.split('\0')) {
    const eq = entry.indexOf('=');
    if (eq > 0) env[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return env;
}

/** Where a process's file is seen from its host: through its root, or its cwd for a relative path (pure). */
export function procPath(pid: number, path: string): string {
  return path.startsWith('/') ? `/proc/${pid}/root${path}` : `/proc/${pid}/cwd/${path}`;
}

const hasMethods = (c: object, ...names: string[]): boolean => names.every((n) => typeof (c as Record<string, unknown>)[n] === 'function');

/** Type guards for the capabilities (a target has one when it implements its methods). */
export const can = {
  holdTaskDown: (c: Cluster): c is Cluster & HoldTaskDown => hasMethods(c, 'signalTaskHeld', 'startTask'),
  powerHosts: (c: Cluster): c is Cluster & HostPower => hasMethods(c, 'crashHost', 'restoreHost'),
  freezeHosts: (c: Cluster): c is Cluster & HostFreeze => hasMethods(c, 'freezeHost', 'thawHost'),
  firewallHosts: (c: Cluster): c is Cluster & HostFirewall => hasMethods(c, 'setHostFirewall', 'runnerAddresses'),
  replaceMembers: (c: Cluster): c is Cluster & MemberReplacement => hasMethods(c, 'replaceEtcdMember'),
  countFenceEscapes: (c: Cluster): c is Cluster & RunnerFence => hasMethods(c, 'fenceEscapes'),
  probeApiservers: (c: Cluster): c is Cluster & ApiserverProbe => hasMethods(c, 'apiserverReadiness'),
  restartPods: (c: Cluster): c is Cluster & PodRestart => hasMethods(c, 'restartPod'),
};

/** The capability names a target has, for logs and `status`. */
export function capabilitiesOf(c: Cluster): string[] {
  return Object.entries(can).filter(([, guard]) => guard(c)).map(([name]) => name);
}

export interface LeaderGauge {
  task: string;
  /**
   * 1 / 0: holds its Lease or not; 'no-election': no gauge and the process runs with `--leader-elect=false` (acts as
   * leader); 'not-started': no gauge yet with election on — a restarted scheduler or controller-manager starts its
   * elector only after its informers synced, seconds later in a degraded cluster; 'unreadable': no /metrics answer.
   */
  gauge: 0 | 1 | 'no-election' | 'not-started' | 'unreadable';
}

/** Whether a scheduler's or controller-manager's own command line turns leader election off (default: on). */
export function electionDisabled(argv: readonly string[]): boolean {
  if (!argv.some((a) => a === '--leader-elect' || a.startsWith('--leader-elect='))) return false;
  // pflag: a bool flag takes its value only after '=' (`--leader-elect false` is true plus an argument), parsed by Go's
  // strconv.ParseBool (0, f, F, false, FALSE, False are false); the last occurrence wins.
  const last = argv.filter((a) => a === '--leader-elect' || a.startsWith('--leader-elect=')).at(-1)!;
  return ['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(last.split('=')[1] ?? '');
}

/** A missing gauge means "election off" only when the process says so; else its elector has not started yet (pure). */
export function gaugeOf(read: LeaderGauge['gauge'], argv: readonly string[]): LeaderGauge['gauge'] {
  return read === 'no-election' && !electionDisabled(argv) ? 'not-started' : read;
}

/** The instances whose gauge says they hold their Lease (more than one: split brain). */
export const claimantsOf = (gauges: readonly LeaderGauge[]): string[] => gauges.filter((g) => g.gauge === 1).map((g) => g.task);

/** The task leading a role, found the same way on every target: etcd's raft leader, else the one Lease claimant. */
export async function leaderTaskOf(c: Pick<Cluster, 'etcdMembers' | 'leaderClaims'>, role: 'etcd' | 'kube-scheduler' | 'kube-controller-manager'): Promise<string | undefined> {
  if (role === 'etcd') {
    const leader = (await c.etcdMembers()).find((m) => m.isLeader);
    return leader ? `${leader.name}-peer` : undefined;
  }
  return (await c.leaderClaims(role))[0];
}
