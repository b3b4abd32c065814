// SDK pod and endpoint answers of the surface (pure over pods + view): pod list/status/info, restart/replace (which
// start a recovery and return an action), and the apiserver port endpoint.
import { apiserverVipName, controlPlaneName } from '../../config/naming.ts';
import { frameworkId, type FrameworkPod } from './framework-model.ts';
import type { Endpoint, PodCommandResult, PodInfo, PodInstanceStatus, PodStatus } from '../../dcos/schemas.ts';
import { empty, json, notFound, type DcosResponse } from './surface-reply.ts';
import { startRecovery, type SurfaceAction, type SurfaceState } from './surface-state.ts';
import type { DcosView } from './view.ts';

/** Pods the scheduler knows: those with a launched task (a pod never launched has no task in its state store). */
function launched(pods: FrameworkPod[]): FrameworkPod[] {
  return pods.filter((p) => p.condition !== 'pending');
}

function findPod(pods: FrameworkPod[], name: string): FrameworkPod | undefined {
  return launched(pods).find((p) => p.name === name);
}

function taskStatus(p: FrameworkPod): PodInstanceStatus['tasks'][number] {
  // `status` is the Mesos state without `TASK_`; the key is absent while there is no status.
  return { id: p.taskId ?? '', name: p.task, ...(p.mesosState ? { status: p.mesosState.replace(/^TASK_/, '') } : {}) };
}

/** `GET /v1/pod`: sorted pod instance names. */
export function podList(pods: FrameworkPod[]): DcosResponse {
  return json(200, launched(pods).map((p) => p.name).sort());
}

/** `GET /v1/pod/status`. */
export function podStatusAll(cluster: string, pods: FrameworkPod[]): DcosResponse {
  const types = [...new Set(launched(pods).map((p) => p.type))].sort();
  const body: PodStatus = {
    service: cluster,
    pods: types.map((type) => ({ name: type, instances: launched(pods).filter((p) => p.type === type).map((p) => ({ name: p.name, tasks: [taskStatus(p)] })) })),
  };
  return json(200, body);
}

/** `GET /v1/pod/<name>/status`. */
export function podInstanceStatus(pods: FrameworkPod[], name: string): DcosResponse {
  const p = findPod(pods, name);
  if (!p) return notFound('Pod', name);
  const body: PodInstanceStatus = { name: p.name, tasks: [taskStatus(p)] };
  return json(200, body);
}

/** `GET /v1/pod/<name>/info`: `[{info: TaskInfo, status?: TaskStatus}]` in protobuf-JSON. */
export function podInfo(view: DcosView, pods: FrameworkPod[], name: string): DcosResponse {
  const p = findPod(pods, name);
  if (!p) return notFound('Pod', name);
  const labels = [
    { key: 'task_type', value: p.type },
    { key: 'index', value: String(p.index) },
    { key: 'offer_hostname', value: p.ip },
    { key: 'readiness_check_passed', value: String(p.ready) },
  ];
  const discovery = p.type === 'kube-control-plane'
    ? { discovery: { visibility: 'EXTERNAL', name: p.task, ports: { ports: [{ number: view.vip.port, name: 'apiserver', protocol: 'tcp', visibility: 'EXTERNAL', labels: { labels: [{ key: 'VIP_apiserver', value: `apiserver:${view.vip.port}` }] } }] } } }
    : {};
  const body: PodInfo = [{
    info: {
      name: p.task,
      taskId: { value: p.taskId ?? '' },
      slaveId: { value: p.agentId ?? '' },
      frameworkId: { value: frameworkId(view.cluster) },
      labels: { labels },
      ...discovery,
    },
    ...(p.mesosState ? {
      status: {
        taskId: { value: p.taskId ?? '' },
        state: p.mesosState,
        slaveId: { value: p.agentId ?? '' },
        ...(p.startedAtSeconds !== undefined ? { timestamp: p.startedAtSeconds } : {}),
        containerStatus: { networkInfos: [{ ipAddresses: [{ ipAddress: p.ip }] }] },
      },
    } : {}),
  }];
  return json(200, body);
}

/**
 * `POST /v1/pod/<name>/restart` (relaunch in place, TRANSIENT) or `/replace` (relaunch elsewhere with fresh data,
 * PERMANENT). Answers `{"pod", "tasks"}`; the relaunch itself is the caller's action. An etcd replace lists the
 * member-recovery task too, as the documented `["etcd-1-peer","etcd-1-recover"]` answer does.
 */
export function podCommand(command: 'restart' | 'replace', pods: FrameworkPod[], name: string, state: SurfaceState): DcosResponse {
  const p = findPod(pods, name);
  if (!p) return notFound('Pod', name);
  startRecovery(state, p, command === 'replace' ? 'PERMANENT' : 'TRANSIENT');
  const tasks = command === 'replace' && p.type === 'etcd' ? [p.task, `${p.name}-recover`] : [p.task];
  const body: PodCommandResult = { pod: p.name, tasks };
  const action: SurfaceAction = command === 'replace'
    ? { kind: 'replace-pod', pod: p.name, tasks: p.viewTasks, fromHost: p.host }
    : { kind: 'restart-pod', pod: p.name, tasks: p.viewTasks, host: p.host };
  return json(200, body, [action]);
}

/** `GET /v1/endpoints`: the apiserver port is the one EXTERNAL port. [INFERRED] the real list is not public. */
export function endpointList(): DcosResponse {
  return json(200, ['apiserver']);
}

/** `GET /v1/endpoints/apiserver`: every launched control plane's address and autoip name, and the VIP. */
export function endpoint(view: DcosView, pods: FrameworkPod[], name: string): DcosResponse {
  if (name !== 'apiserver') return empty(404);
  const cps = launched(pods).filter((p) => p.type === 'kube-control-plane');
  const body: Endpoint = {
    address: cps.map((p) => `${p.ip}:${view.vip.port}`),
    dns: cps.map((p) => `${controlPlaneName(view.cluster, p.index)}:${view.vip.port}`),
    vip: `${apiserverVipName(view.cluster)}:${view.vip.port}`,
  };
  return json(200, body);
}
