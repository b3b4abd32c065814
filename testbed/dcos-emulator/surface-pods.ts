// SDK pod and endpoint answers of the surface (pure over pods + view): pod list/status/info, restart/replace (which
// start a recovery and return an action), and the apiserver port endpoint.
import { apiserverVipName, controlPlaneName } from '../../config/naming.ts';
import { stableUuid, type FrameworkPod } from './framework-model.ts';
import type { Endpoint, PodCommandResult, PodInfo, PodInstanceStatus, PodStatus } from '../../dcos/schemas.ts';
import { empty, json, notFound, type DcosResponse } from './surface-reply.ts';
import { startRecovery, type SurfaceAction, type SurfaceState } from './surface-state.ts';
import type { DcosView } from './view.ts';

/**
 * Pods the scheduler knows: those with a launched task (a pod whose deploy step never ran has no task in its state
 * store). source: .../http/types/GroupedTasks.java (built from StateStore.fetchTasks) @ 0.57.3
 */
function launched(pods: FrameworkPod[]): FrameworkPod[] {
  return pods.filter((p) => p.condition !== 'pending');
}

function findPod(pods: FrameworkPod[], name: string): FrameworkPod | undefined {
  return launched(pods).find((p) => p.name === name);
}

/**
 * The pod's tasks in the SDK's `pod/status` form, sorted by name: `status` is the Mesos state without `TASK_`, absent
 * while there is none; a task never launched (`etcd-0-recover`) has the id `""` and no status.
 * source: mesosphere/dcos-commons sdk/scheduler/src/main/java/com/mesosphere/sdk/http/queries/PodQueries.java
 * (getPodInstanceStatusJson), .../http/types/GroupedTasks.java (tasks sorted by name) @ 0.57.3
 */
function taskStatuses(p: FrameworkPod): PodInstanceStatus['tasks'] {
  const launchedTask = { id: p.taskId ?? '', name: p.task, ...(p.mesosState ? { status: p.mesosState.replace(/^TASK_/, '') } : {}) };
  return [launchedTask, ...p.stubTasks.map((name) => ({ id: '', name }))].sort((a, b) => a.name.localeCompare(b.name));
}

/** `GET /v1/pod`: sorted pod instance names. source: .../http/queries/PodQueries.java (list: a TreeSet) @ 0.57.3 */
export function podList(pods: FrameworkPod[]): DcosResponse {
  return json(200, launched(pods).map((p) => p.name).sort());
}

/**
 * `GET /v1/pod/status`: `{"service", "pods": [...]}`; the SDK appends to `pods` once per pod type, so a service
 * without tasks answers `{"service"}` alone. source: .../http/queries/PodQueries.java (getStatuses) @ 0.57.3
 */
export function podStatusAll(cluster: string, pods: FrameworkPod[]): DcosResponse {
  const types = [...new Set(launched(pods).map((p) => p.type))].sort();
  if (types.length === 0) return json(200, { service: cluster });
  const body: PodStatus = {
    service: cluster,
    pods: types.map((type) => ({ name: type, instances: launched(pods).filter((p) => p.type === type).map((p) => ({ name: p.name, tasks: taskStatuses(p) })) })),
  };
  return json(200, body);
}

/** `GET /v1/pod/<name>/status`. source: .../http/queries/PodQueries.java (getStatus) @ 0.57.3 */
export function podInstanceStatus(pods: FrameworkPod[], name: string): DcosResponse {
  const p = findPod(pods, name);
  if (!p) return notFound('Pod', name);
  const body: PodInstanceStatus = { name: p.name, tasks: taskStatuses(p) };
  return json(200, body);
}

/**
 * TaskInfo labels the SDK writes when it evaluates the pod's offer (also on never-launched tasks).
 * source: .../offer/evaluate/LaunchEvaluationStage.java, .../offer/taskdata/TaskLabelWriter.java, LabelConstants.java @ 0.57.3
 */
function taskLabels(p: FrameworkPod): Array<{ key: string; value: string }> {
  return [
    { key: 'task_type', value: p.type },
    { key: 'index', value: String(p.index) },
    // The offer's hostname: the agent's (on DC/OS its IP), not the task's overlay address.
    { key: 'offer_hostname', value: p.agentIp },
  ];
}

/**
 * `GET /v1/pod/<name>/info`: `[{info: TaskInfo, status: TaskStatus | null}]` in protobuf-JSON (camelCase), sorted by
 * task name. A stored, never-launched task (`etcd-N-recover`) has `info.taskId.value` `""` (but its agent and labels)
 * and `"status": null` — Jackson's Jdk8Module writes an empty Optional as null.
 * source: mesosphere/dcos-commons sdk/scheduler/src/main/java/com/mesosphere/sdk/http/queries/PodQueries.java (getInfo),
 * .../http/types/TaskInfoAndStatus.java, .../config/SerializationUtils.java, .../offer/evaluate/LaunchEvaluationStage.java
 * @ 0.57.3. [UNCONFIRMED] the TaskInfo fields beyond name, taskId, slaveId, labels and discovery.
 */
export function podInfo(view: DcosView, pods: FrameworkPod[], name: string): DcosResponse {
  const p = findPod(pods, name);
  if (!p) return notFound('Pod', name);
  // The VIP label key is VIP_<random uuid> (value <name>:<port>); the emulator's uuid is stable per pod.
  // source: .../offer/taskdata/AuxLabelAccess.java (setVIPLabels) @ 0.57.3
  const vipLabel = { key: `VIP_${stableUuid('vip', view.cluster, p.name)}`, value: `apiserver:${view.vip.port}` };
  const discovery = p.type === 'kube-control-plane'
    ? { discovery: { visibility: 'EXTERNAL', name: p.task, ports: { ports: [{ number: view.vip.port, name: 'apiserver', protocol: 'tcp', visibility: 'EXTERNAL', labels: { labels: [vipLabel] } }] } } }
    : {};
  const launchedTask: PodInfo[number] = {
    info: { name: p.task, taskId: { value: p.taskId ?? '' }, slaveId: { value: p.agentId ?? '' }, labels: { labels: taskLabels(p) }, ...discovery },
    status: p.mesosState ? {
      taskId: { value: p.taskId ?? '' },
      state: p.mesosState,
      slaveId: { value: p.agentId ?? '' },
      ...(p.startedAtSeconds !== undefined ? { timestamp: p.startedAtSeconds } : {}),
      containerStatus: { networkInfos: [{ ipAddresses: [{ ipAddress: p.ip }] }] },
      // The readiness check's outcome is a check status of the TaskStatus (exit code 0 = ready), not a TaskInfo label.
      // source: .../offer/taskdata/TaskLabelReader.java (isReadinessCheckSucceeded) @ 0.57.3. [INFERRED] that the
      // default executor reports it as a COMMAND check.
      ...(p.mesosState === 'TASK_RUNNING' ? { checkStatus: { type: 'COMMAND', command: { exitCode: p.ready ? 0 : 1 } } } : {}),
    } : null,
  };
  const stubs: PodInfo = p.stubTasks.map((task) => ({ info: { name: task, taskId: { value: '' }, slaveId: { value: p.agentId ?? '' }, labels: { labels: taskLabels(p) } }, status: null }));
  const body: PodInfo = [launchedTask, ...stubs].sort((a, b) => a.info.name.localeCompare(b.info.name));
  return json(200, body);
}

/**
 * `POST /v1/pod/<name>/restart` (relaunch in place, TRANSIENT) or `/replace` (relaunch elsewhere with fresh data,
 * PERMANENT). Answers `{"pod", "tasks"}` with all the pod's stored tasks (`["etcd-1-peer","etcd-1-recover"]`, as the
 * kubernetes troubleshooting docs show for a replace); the relaunch itself is the caller's action.
 * source: mesosphere/dcos-commons sdk/scheduler/src/main/java/com/mesosphere/sdk/http/queries/PodQueries.java
 * (restartPod, killTasks) @ 0.57.3
 */
export function podCommand(command: 'restart' | 'replace', pods: FrameworkPod[], name: string, state: SurfaceState): DcosResponse {
  const p = findPod(pods, name);
  if (!p) return notFound('Pod', name);
  startRecovery(state, p, command === 'replace' ? 'PERMANENT' : 'TRANSIENT');
  // Every stored task of the pod is killed and named, the never-launched ones too.
  const body: PodCommandResult = { pod: p.name, tasks: taskStatuses(p).map((t) => t.name) };
  const action: SurfaceAction = command === 'replace'
    ? { kind: 'replace-pod', pod: p.name, tasks: p.viewTasks, fromHost: p.host }
    : { kind: 'restart-pod', pod: p.name, tasks: p.viewTasks, host: p.host };
  return json(200, body, [action]);
}

/**
 * `GET /v1/endpoints`: the port names of the tasks' EXTERNAL ports; the svc.yml's only VIP-carrying control-plane port
 * is `apiserver`. source: mesosphere/dcos-commons sdk/scheduler/src/main/java/com/mesosphere/sdk/http/queries/
 * EndpointsQueries.java @ 0.57.3. [UNCONFIRMED] the full list: the etcd ports (peer, client, metrics) carry VIPs too in
 * the svc.yml copy, so a real service probably lists more names.
 */
export function endpointList(): DcosResponse {
  return json(200, ['apiserver']);
}

/**
 * `GET /v1/endpoints/apiserver`: every launched control plane's address and autoip name, and the VIP.
 * source: mesosphere/dcos-commons sdk/scheduler/src/main/java/com/mesosphere/sdk/http/queries/EndpointsQueries.java,
 * .../http/EndpointUtils.java @ 0.57.3
 */
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
