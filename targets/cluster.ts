// The one Cluster interface the suites and chaos code see; each target (testbed, later dcos) implements it.
import type { EtcdMemberView } from './readers/etcdctl.ts';
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
}

export type Role = 'etcd' | 'kube-apiserver' | 'kube-controller-manager' | 'kube-scheduler' | 'kwok' | 'dns' | 'dcos-api' | 'sshd';

export interface TaskView {
  task: string;
  role: Role;
  host: string;
  ip: string;
  pid: number | undefined;
  state: string;
  restarts: number;
}

/** What a target can do beyond the common set; faults that need a missing capability are not available there. */
export interface Capabilities {
  /** A killed task can be held down until `startTask` (the testbed's supervisor can; DC/OS relaunches every task). */
  holdTaskDown: boolean;
  /** `crashHost` / `restoreHost`: an agent dies and comes back (needs out-of-band control of the host). */
  crashHost: boolean;
  /** `fenceEscapes`: the runner's network fence counter. */
  fence: boolean;
}

export interface Cluster {
  readonly name: string;
  readonly capabilities: Capabilities;
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
  /** Sends a signal to a task's process; with `relaunch: false` the task stays down until `startTask`. */
  signalTask(task: string, signal: 'SIGKILL' | 'SIGTERM' | 'SIGSTOP' | 'SIGCONT' | 'SIGHUP', relaunch?: boolean): Promise<void>;
  startTask(task: string): Promise<void>;
  /** The VIP's current backend addresses (the l4lb's view). */
  vipBackends(): Promise<string[]>;
  /** Every task with its host and state, as the cluster's scheduler sees it. */
  tasks(): Promise<TaskView[]>;
  /** Agent and master hosts with their addresses. */
  hosts(): Promise<Array<{ host: string; ip: string }>>;
  /** Tasks that report themselves leader of a leader-elected role right now (more than one is split brain). */
  leaderClaims(role: 'kube-scheduler' | 'kube-controller-manager'): Promise<string[]>;
  /** The task currently leading its role (etcd: raft leader; scheduler, controller-manager: Lease holder). */
  leaderTask(role: 'etcd' | 'kube-scheduler' | 'kube-controller-manager'): Promise<string | undefined>;
  /** Agent crash: every task on the host dies and its network link goes down, until `restoreHost`. */
  crashHost(host: string): Promise<string[]>;
  restoreHost(host: string): Promise<void>;
  /** Freezes every process of a host (cgroup freezer), until `thawHost`. */
  freezeHost(host: string): Promise<void>;
  thawHost(host: string): Promise<void>;
  /** Installs (text) or removes (undefined) the fault firewall table `inet haproof_fault` on a host. */
  setHostFirewall(host: string, nftTable: string | undefined): Promise<void>;
  /** DC/OS `pod replace etcd-N`: member remove → add (same name) → empty data dir → existing → DNS moved. */
  replaceEtcdMember(index: number, toHost: string): Promise<void>;
  /** `endpoint hashkv` per member name (members that do not answer are absent). */
  etcdHashes(): Promise<Record<string, string>>;
  /** The admin client certificate and key, for reading component metrics. */
  readonly adminCert: { cert: string; key: string };
  /** A bearer token for a ServiceAccount allowed to edit ConfigMaps in `namespace` (created if needed). */
  loadToken(namespace: string): Promise<string>;
  /** A text file on one of the cluster's hosts (e.g. a component's kubeconfig named in its command line). */
  readHostFile(host: string, path: string): Promise<string>;
  /** Releases connections (API, SSH); the object is not used afterwards. */
  close(): void;
  /** Packets for the testbed ranges that tried to leave other than through the testbed (must stay 0). */
  fenceEscapes(): Promise<number>;
}

/** The task leading a role, found the same way on every target: etcd's raft leader, else the one Lease claimant. */
export async function leaderTaskOf(c: Pick<Cluster, 'etcdMembers' | 'leaderClaims'>, role: 'etcd' | 'kube-scheduler' | 'kube-controller-manager'): Promise<string | undefined> {
  if (role === 'etcd') {
    const leader = (await c.etcdMembers()).find((m) => m.isLeader);
    return leader ? `${leader.name}-peer` : undefined;
  }
  return (await c.leaderClaims(role))[0];
}
