// The one Cluster interface the suites and chaos code see; each target (testbed, later dcos) implements it.
import type { EtcdMemberView } from '../testbed/etcdctl.ts';
import type { KubeClients, LeaseView, NodeView } from '../testbed/kube.ts';

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

export interface Cluster {
  readonly name: string;
  readonly vip: { name: string; ip: string; port: number };
  readonly kubeconfig: string;
  readonly caFile: string;
  kube(): KubeClients;
  etcdMembers(): Promise<EtcdMemberView[]>;
  /** Running processes of a role with their host, as observed on the hosts (not from haproof's config). */
  processes(role: 'etcd' | 'kube-apiserver' | 'kube-controller-manager' | 'kube-scheduler' | 'kwok'): Promise<ProcessView[]>;
  /** Resolves a name with the cluster's own DNS service. */
  resolve(name: string): Promise<string[]>;
  leaderLeases(): Promise<LeaseView[]>;
  nodes(): Promise<NodeView[]>;
  /** Hosts that make up the cluster's agents. */
  agentHosts(): Promise<string[]>;
  /** Sends a signal to a task's process; with `relaunch: false` the task stays down until `startTask`. */
  signalTask(task: string, signal: 'SIGKILL' | 'SIGTERM' | 'SIGSTOP' | 'SIGCONT', relaunch?: boolean): Promise<void>;
  startTask(task: string): Promise<void>;
  /** Packets for the testbed ranges that tried to leave other than through the testbed (must stay 0). */
  fenceEscapes(): Promise<number>;
}
