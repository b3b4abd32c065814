// What the kubernetes-cluster framework would report about a DcosView (pure): its pods with DC/OS task names, Mesos
// states, readiness and task ids, and the agents with Mesos ids.
import { etcdMemberName } from '../../config/naming.ts';
import type { MesosTaskState } from '../../dcos/schemas.ts';
import type { DcosView, DcosViewTask } from './view.ts';
import { frameworkId, frameworkRole, masterId, stableUuid } from './ids.ts';
import { POD_TYPES, type PodType } from './service-spec.ts';

export { frameworkId, frameworkRole, masterId, stableUuid, POD_TYPES, type PodType };

/** The pod's one DC/OS task, summed up from the testbed processes behind it. */
export type PodCondition = 'pending' | 'starting' | 'running' | 'failed' | 'killed' | 'gone' | 'unreachable';

export interface FrameworkPod {
  /** Pod instance name, e.g. `etcd-0`. */
  name: string;
  type: PodType;
  index: number;
  /** DC/OS task name: `etcd-0-peer`, `kube-control-plane-0-instance`, `kube-node-0-kubelet`. */
  task: string;
  /** DC/OS names of the pod's never-launched tasks (`etcd-0-recover`): task id `""`, no status. */
  stubTasks: string[];
  /** SDK step name: `etcd-0:[peer]`. */
  step: string;
  host: string;
  /** The task's own address (its overlay address on the overlay). */
  ip: string;
  /** Its agent's address (the offer's hostname; Mesos-DNS names). */
  agentIp: string;
  agentId: string | undefined;
  condition: PodCondition;
  /** Running and past its readiness check (etcd: a healthy member; control plane: a VIP backend). */
  ready: boolean;
  /** Changes with every (re)launch of any of the pod's processes. */
  launchId: string;
  restarts: number;
  /** Mesos task id of the current launch (`<svc>__<task>__<uuid>`); undefined while never launched. */
  taskId: string | undefined;
  mesosState: MesosTaskState | undefined;
  /** Launch time of the current launch (seconds), for Mesos status timestamps. */
  startedAtSeconds: number | undefined;
  /** The testbed tasks behind the pod (what a restart or replace acts on). */
  viewTasks: string[];
}

export interface MesosAgentModel {
  host: string;
  ip: string;
  id: string;
  down: boolean;
}

/**
 * Mesos task id as the SDK builds it: `<service with leading / dropped and / → .>__<task>__<uuid>`.
 * source: mesosphere/dcos-commons sdk/scheduler/src/main/java/com/mesosphere/sdk/offer/CommonIdUtils.java (toTaskId) @ 0.57.3
 */
export function mesosTaskId(cluster: string, task: string, launchId: string): string {
  return `${cluster.replace(/^\//, '').replaceAll('/', '.')}__${task}__${stableUuid('task', cluster, task, launchId)}`;
}

/** Agents with Mesos ids `<master id>-S<n>`. [UNCONFIRMED] the numbering; real ids count registrations. */
export function mesosAgents(view: DcosView): MesosAgentModel[] {
  const master = masterId(view.cluster);
  return view.hosts.filter((h) => h.role === 'agent').map((h, i) => ({ host: h.host, ip: h.ip, id: `${master}-S${i}`, down: h.down === true }));
}

const POD_NAME = /^(etcd|kube-control-plane|kube-node)-(\d+)$/;

/** The framework's pods in deploy order; `goneAgents` are agents marked gone (their pods' tasks are GONE_BY_OPERATOR). */
export function frameworkPods(view: DcosView, goneAgents: ReadonlySet<string> = new Set(), previousLaunch: (pod: string) => string | undefined = () => undefined): FrameworkPod[] {
  const agents = new Map(mesosAgents(view).map((a) => [a.host, a]));
  const byPod = new Map<string, DcosViewTask[]>();
  for (const t of view.tasks) if (POD_NAME.test(t.pod)) byPod.set(t.pod, [...(byPod.get(t.pod) ?? []), t]);
  const pods: FrameworkPod[] = [];
  for (const [name, tasks] of byPod) {
    const m = POD_NAME.exec(name)!;
    const type = m[1] as PodType;
    const index = Number(m[2]);
    const spec = POD_TYPES.find((p) => p.type === type)!;
    const first = tasks[0]!;
    const agent = agents.get(first.host);
    // Static pods: the kubelet of the instance task restarts its processes inside that task, so only what ends them all
    // together (a pod restart or replace, the agent's crash) is a Mesos relaunch.
    const staticPods = type === 'kube-control-plane' && view.controlPlane === 'static-pods';
    const condition = staticPods ? staticPodCondition(tasks, agent, goneAgents) : podCondition(tasks, agent, goneAgents);
    const sorted = [...tasks].sort((a, b) => a.name.localeCompare(b.name));
    const launchId = staticPods ? instanceLaunch(sorted, previousLaunch(name)) : sorted.map((t) => t.startedAt ?? '-').join('|');
    const task = `${name}-${spec.task}`;
    const started = sorted.map((t) => (t.startedAt ? Date.parse(t.startedAt) : NaN)).filter((n) => !Number.isNaN(n));
    pods.push({
      name, type, index, task, stubTasks: spec.stubTasks.map((t) => `${name}-${t}`), step: `${name}:[${spec.task}]`, host: first.host, ip: first.ip, agentIp: agent?.ip ?? first.ip, agentId: agent?.id, condition,
      ready: condition === 'running' && isReady(view, type, index, first.ip),
      launchId, restarts: staticPods ? Math.min(...tasks.map((t) => t.restarts)) : tasks.reduce((n, t) => n + t.restarts, 0),
      taskId: condition === 'pending' ? undefined : mesosTaskId(view.cluster, task, launchId),
      mesosState: MESOS_STATE[condition],
      startedAtSeconds: started.length ? Math.max(...started) / 1000 : undefined,
      viewTasks: sorted.map((t) => t.name),
    });
  }
  const order = (p: FrameworkPod) => POD_TYPES.findIndex((t) => t.type === p.type);
  return pods.sort((a, b) => order(a) - order(b) || a.index - b.index);
}

const MESOS_STATE: Record<PodCondition, MesosTaskState | undefined> = {
  pending: undefined,
  starting: 'TASK_STARTING',
  running: 'TASK_RUNNING',
  failed: 'TASK_FAILED',
  killed: 'TASK_KILLED',
  gone: 'TASK_GONE_BY_OPERATOR',
  unreachable: 'TASK_UNREACHABLE',
};

/** Terminal Mesos states (the task is over; a new launch gets a new task id). */
export function isTerminal(state: MesosTaskState | undefined): boolean {
  return state !== undefined && !['TASK_STAGING', 'TASK_STARTING', 'TASK_RUNNING', 'TASK_KILLING', 'TASK_UNREACHABLE'].includes(state);
}

function podCondition(tasks: DcosViewTask[], agent: MesosAgentModel | undefined, gone: ReadonlySet<string>): PodCondition {
  if (agent && gone.has(agent.id)) return 'gone';
  if (agent?.down) return 'unreachable';
  const states = tasks.map((t) => t.state);
  if (states.some((s) => s === 'stopped' || s === 'exited')) return 'killed';
  if (states.includes('relaunching')) return 'failed';
  if (states.every((s) => s === 'pending')) return 'pending';
  if (states.some((s) => s === 'pending' || s === 'starting')) return 'starting';
  return 'running';
}

/**
 * A static-pod instance task's Mesos state: its kubelet keeps it RUNNING while it restarts (or cannot restart) one of
 * its processes; it ends only when all of them are gone (kubernetes-cluster 2.x: apiserver, controller-manager and
 * scheduler are static pods of one kube-control-plane-N-instance task — shared/reference/dcos-interfaces.md).
 */
function staticPodCondition(tasks: DcosViewTask[], agent: MesosAgentModel | undefined, gone: ReadonlySet<string>): PodCondition {
  if (agent && gone.has(agent.id)) return 'gone';
  if (agent?.down) return 'unreachable';
  const states = tasks.map((t) => t.state);
  if (states.every((s) => s === 'pending')) return 'pending';
  if (states.every((s) => s === 'stopped' || s === 'exited')) return 'killed';
  if (!states.includes('running') && states.some((s) => s === 'pending' || s === 'starting')) return 'starting';
  return 'running';
}

/** How close together an instance's three processes must have started to be one launch of the instance task. */
export const INSTANCE_LAUNCH_SPREAD_MS = 5_000;

/**
 * The instance's launch, for its Mesos task id: a relaunch of the whole instance (pod restart or replace, the agent's
 * crash) starts its three processes again together; its kubelet restarting one of them leaves the task as it was.
 * So the launch moves only when all three started within INSTANCE_LAUNCH_SPREAD_MS of each other, and is otherwise
 * the one seen before (the surface's memory of the pod). Read before as the earliest start of the three, and then as
 * how often all three had restarted, a kubelet restart became a Mesos relaunch — the first when it hit the process
 * that had started first, the second once the controller-manager's start-up restarts and a killed scheduler had left
 * only the apiserver unrestarted: both seen by the static-pod conformance test, session 10.
 * [APPROXIMATION] three kubelet restarts within the spread would count as a relaunch.
 */
export function instanceLaunch(tasks: ReadonlyArray<{ host: string; startedAt?: string | undefined }>, previous: string | undefined): string {
  const starts = tasks.map((t) => (t.startedAt ? Date.parse(t.startedAt) : NaN));
  if (!tasks.length || starts.some((x) => Number.isNaN(x))) return previous ?? '-';
  const together = Math.max(...starts) - Math.min(...starts) <= INSTANCE_LAUNCH_SPREAD_MS;
  return together || previous === undefined || previous === '-' ? `${tasks[0]!.host}|${new Date(Math.min(...starts)).toISOString()}` : previous;
}

function isReady(view: DcosView, type: PodType, index: number, ip: string): boolean {
  if (type === 'etcd') return view.etcdMembers === undefined || view.etcdMembers.includes(etcdMemberName(index));
  if (type === 'kube-control-plane') return view.vip.backends.includes(ip);
  return true;
}
