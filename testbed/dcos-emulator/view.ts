// DcosView: the snapshot of the testbed the DC/OS API surface answers from, and how to build it from supervisor status.
import type { TaskStatus } from '../supervisor/api.ts';

export type DcosViewTaskState = 'pending' | 'starting' | 'running' | 'relaunching' | 'stopped' | 'exited';

export interface DcosViewTask {
  /** The testbed task name, e.g. `etcd-0-peer`, `kube-control-plane-1-apiserver`, `kube-node-2-kubelet`. */
  name: string;
  /** The DC/OS pod instance, e.g. `etcd-0`, `kube-control-plane-1`; tasks of other pods (the master's DNS) are ignored. */
  pod: string;
  role: string;
  host: string;
  ip: string;
  /**
   * `pending`: never launched; `starting`: launched, not running yet; `relaunching`: died, relaunch scheduled;
   * `stopped`: held down (host crash, held signal); `exited`: ended and not relaunched.
   */
  state: DcosViewTaskState;
  restarts: number;
  /** When the current (or last) process was launched; a new value means a new launch, i.e. a new Mesos task. */
  startedAt?: string | undefined;
}

export interface DcosViewHost {
  host: string;
  ip: string;
  role: 'master' | 'agent';
  /** The host is down (crashed or cut off): the surface reports its agent inactive and its tasks TASK_UNREACHABLE. */
  down?: boolean;
}

export interface DcosView {
  /** The service name (`service.name`), e.g. `kubernetes-cluster` or `dev/kubernetes01`. */
  cluster: string;
  hosts: DcosViewHost[];
  tasks: DcosViewTask[];
  /** The apiserver VIP and its current backend IPs (the l4lb's ready set). */
  vip: { name: string; ip: string; port: number; backends: string[] };
  /**
   * Names of the etcd members that are healthy now (`etcd-0` …): an etcd pod counts as ready (its step COMPLETE) only
   * when listed. Absent: a running etcd task counts as ready.
   */
  etcdMembers?: string[];
  /**
   * How the control plane runs (config/options.ts controlPlane): under `static-pods` a control-plane pod is one Mesos
   * task whose kubelet restarts its processes, so a process's restart is no Mesos relaunch. Absent: `mesos-tasks`.
   */
  controlPlane?: 'static-pods' | 'mesos-tasks';
}

export interface SupervisorSnapshot {
  tasks: TaskStatus[];
  vip: { name: string; ip: string; port: number; backends: string[] };
}

/**
 * Builds the view from the supervisor's `GET /status`, the testbed's hosts (`master-*` are masters, the rest agents)
 * and the healthy etcd member names. Pure.
 */
export function toDcosView(input: {
  cluster: string;
  hosts: ReadonlyArray<{ host: string; ip: string }>;
  status: SupervisorSnapshot;
  etcdMembers?: string[];
  downHosts?: ReadonlyArray<string>;
  controlPlane?: 'static-pods' | 'mesos-tasks';
}): DcosView {
  const down = new Set(input.downHosts ?? []);
  return {
    cluster: input.cluster,
    hosts: input.hosts.map((h) => ({ host: h.host, ip: h.ip, role: h.host.startsWith('master') ? 'master' : 'agent', ...(down.has(h.host) ? { down: true } : {}) })),
    tasks: input.status.tasks.map((t) => ({
      name: t.name, pod: t.pod, role: t.role, host: t.host, ip: t.ip, restarts: t.restarts, startedAt: t.startedAt,
      // The supervisor starts every task as `exited` before its first launch.
      state: t.state === 'exited' && t.startedAt === undefined ? 'pending' : t.state,
    })),
    vip: { name: input.status.vip.name, ip: input.status.vip.ip, port: input.status.vip.port, backends: [...input.status.vip.backends] },
    ...(input.etcdMembers ? { etcdMembers: [...input.etcdMembers] } : {}),
    ...(input.controlPlane ? { controlPlane: input.controlPlane } : {}),
  };
}
