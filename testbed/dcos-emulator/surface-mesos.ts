// Mesos, Mesos-DNS and dcos-net answers of the surface (pure over view + pods + state): master state, agents, the
// framework's tasks with TASK_* states, the operator API (GET_AGENTS, MARK_AGENT_GONE, DRAIN_AGENT), hosts, VIPs.
import { createHash } from 'node:crypto';
import { dnsLabel } from '../../config/naming.ts';
import { frameworkId, frameworkRole, masterId, mesosAgents, type FrameworkPod, type MesosAgentModel } from './framework-model.ts';
import { operatorCallSchema, type MesosTaskState } from '../../dcos/schemas.ts';
import { empty, json, text, type DcosResponse } from './surface-reply.ts';
import type { SurfaceState } from './surface-state.ts';
import type { DcosView } from './view.ts';
import { issuesText } from '../../core/zod-error.ts';

const MASTER_PORT = 5050;
const AGENT_PORT = 5051;
/** The Mesos version the surface claims. [UNCONFIRMED] any 1.x shape works for the fields haproof reads. */
const MESOS_VERSION = '1.11.0';

function masterIp(view: DcosView): string {
  return view.hosts.find((h) => h.role === 'master')?.ip ?? '127.0.0.1';
}

function runningTasksOn(agent: MesosAgentModel, pods: FrameworkPod[]): FrameworkPod[] {
  return pods.filter((p) => p.agentId === agent.id && (p.mesosState === 'TASK_RUNNING' || p.mesosState === 'TASK_STARTING'));
}

/** Agents Mesos still lists: not marked gone. In DC/OS `hostname` is the agent's IP. */
function listedAgents(view: DcosView, state: SurfaceState): MesosAgentModel[] {
  return mesosAgents(view).filter((a) => !state.goneAgents.has(a.id));
}

function drainInfo(a: MesosAgentModel, pods: FrameworkPod[], state: SurfaceState): { drain_info: { state: string } } | Record<string, never> {
  if (!state.draining.has(a.id)) return {};
  return { drain_info: { state: runningTasksOn(a, pods).length ? 'DRAINING' : 'DRAINED' } };
}

function agentJson(a: MesosAgentModel, pods: FrameworkPod[], state: SurfaceState): Record<string, unknown> {
  return {
    id: a.id, hostname: a.ip, port: AGENT_PORT, pid: `slave(1)@${a.ip}:${AGENT_PORT}`, attributes: {},
    active: !a.down, deactivated: state.draining.has(a.id), version: MESOS_VERSION,
    ...drainInfo(a, pods, state),
  };
}

function taskJson(cluster: string, t: { taskId: string; task: string; pod: string; agentId: string | undefined; ip: string; state: MesosTaskState; at: number | undefined }): Record<string, unknown> {
  const executor = `${cluster.replace(/^\//, '').replaceAll('/', '.')}__${t.pod}__executor`;
  return {
    id: t.taskId, name: t.task, framework_id: frameworkId(cluster), executor_id: executor, slave_id: t.agentId ?? '', state: t.state,
    role: frameworkRole(cluster),
    statuses: [{ state: t.state, timestamp: t.at ?? 0, container_status: { network_infos: [{ ip_addresses: [{ ip_address: t.ip }] }] } }],
  };
}

function frameworkJson(view: DcosView, pods: FrameworkPod[], state: SurfaceState): Record<string, unknown> {
  const c = view.cluster;
  const current = (p: FrameworkPod) => taskJson(c, { taskId: p.taskId!, task: p.task, pod: p.name, agentId: p.agentId, ip: p.ip, state: p.mesosState!, at: p.startedAtSeconds });
  const launched = pods.filter((p) => p.taskId && p.mesosState);
  const nowSeconds = state.now() / 1000;
  return {
    id: frameworkId(c), name: c, active: true, connected: true, recovered: false, role: frameworkRole(c), roles: [frameworkRole(c)],
    hostname: masterIp(view), user: 'nobody', failover_timeout: 1_209_600, checkpoint: true, principal: c,
    capabilities: ['PARTITION_AWARE', 'MULTI_ROLE', 'RESERVATION_REFINEMENT'],
    tasks: launched.filter((p) => p.mesosState === 'TASK_RUNNING' || p.mesosState === 'TASK_STARTING').map(current),
    unreachable_tasks: launched.filter((p) => p.mesosState === 'TASK_UNREACHABLE').map(current),
    completed_tasks: [
      ...state.completedTasks.map((t) => taskJson(c, { ...t, at: t.endedAtSeconds })),
      ...launched.filter((p) => !['TASK_RUNNING', 'TASK_STARTING', 'TASK_UNREACHABLE'].includes(p.mesosState!)).map((p) => ({ ...current(p), statuses: [{ state: p.mesosState, timestamp: nowSeconds }] })),
    ],
    offers: [], executors: [], labels: [],
  };
}

/**
 * The registered frameworks: the service's, while it is installed or its tasks are still being stopped. An uninstalled
 * service's framework is then torn down;
 * [UNCONFIRMED] real Mesos would then list it under `completed_frameworks`, the surface lists it nowhere.
 */
function frameworksJson(view: DcosView, pods: FrameworkPod[], state: SurfaceState): Array<Record<string, unknown>> {
  return state.installed || state.tearingDown ? [frameworkJson(view, pods, state)] : [];
}

/** `GET /mesos/master/state`. */
export function mesosState(view: DcosView, pods: FrameworkPod[], state: SurfaceState): DcosResponse {
  const ip = masterIp(view);
  const agents = listedAgents(view, state);
  return json(200, {
    version: MESOS_VERSION, hostname: ip, pid: `master@${ip}:${MASTER_PORT}`, leader: `master@${ip}:${MASTER_PORT}`,
    leader_info: { id: masterId(view.cluster), pid: `master@${ip}:${MASTER_PORT}`, port: MASTER_PORT, hostname: ip, address: { hostname: ip, ip, port: MASTER_PORT } },
    activated_slaves: agents.filter((a) => !a.down && !state.draining.has(a.id)).length,
    deactivated_slaves: agents.filter((a) => state.draining.has(a.id)).length,
    unreachable_slaves: agents.filter((a) => a.down).length,
    slaves: agents.map((a) => agentJson(a, pods, state)), recovered_slaves: [],
    frameworks: frameworksJson(view, pods, state), completed_frameworks: [], unregistered_frameworks: [],
  });
}

/** `GET /mesos/slaves` (and `/mesos/master/slaves`). */
export function mesosSlaves(view: DcosView, pods: FrameworkPod[], state: SurfaceState): DcosResponse {
  return json(200, { slaves: listedAgents(view, state).map((a) => agentJson(a, pods, state)), recovered_slaves: [] });
}

/** `GET /mesos/frameworks` (and `/mesos/master/frameworks`), which the SDK test helpers read tasks from. */
export function mesosFrameworks(view: DcosView, pods: FrameworkPod[], state: SurfaceState): DcosResponse {
  return json(200, { frameworks: frameworksJson(view, pods, state), completed_frameworks: [], unregistered_frameworks: [] });
}

/** `POST /mesos/api/v1`: GET_AGENTS, MARK_AGENT_GONE and DRAIN_AGENT; the last two return an action. */
export function mesosOperatorCall(body: string | undefined, view: DcosView, pods: FrameworkPod[], state: SurfaceState): DcosResponse {
  let input: unknown;
  try {
    input = JSON.parse(body ?? '');
  } catch {
    return text(400, 'Failed to parse body into Call: not JSON');
  }
  const parsed = operatorCallSchema.safeParse(input);
  if (!parsed.success) return text(400, `Failed to validate master::Call: ${issuesText(parsed.error, 'type')}`);
  const call = parsed.data;
  if (call.type === 'GET_AGENTS') {
    const agents = listedAgents(view, state).map((a) => ({
      active: !a.down, deactivated: state.draining.has(a.id), pid: `slave(1)@${a.ip}:${AGENT_PORT}`, version: MESOS_VERSION,
      agent_info: { hostname: a.ip, id: { value: a.id }, port: AGENT_PORT },
      ...drainInfo(a, pods, state),
    }));
    return json(200, { type: 'GET_AGENTS', get_agents: { agents, recovered_agents: [] } });
  }
  const id = call.type === 'MARK_AGENT_GONE' ? call.mark_agent_gone.agent_id.value : call.drain_agent.agent_id.value;
  const agent = mesosAgents(view).find((a) => a.id === id);
  // [UNCONFIRMED] the status Mesos answers for an unknown agent; 404 with the id named.
  if (!agent) return text(404, `Agent ${id} not found`);
  const podsOn = pods.filter((p) => p.agentId === id).map((p) => p.name);
  // [UNCONFIRMED] repeating a call on an agent already gone / draining: answered 200 with nothing more to do.
  if (call.type === 'MARK_AGENT_GONE') {
    if (state.goneAgents.has(id)) return empty(200);
    state.goneAgents.add(id);
    return { ...empty(200), actions: [{ kind: 'mark-agent-gone', agentId: id, host: agent.host, pods: podsOn }] };
  }
  if (state.draining.has(id) || state.goneAgents.has(id)) return empty(200);
  const markGone = call.drain_agent.mark_gone ?? false;
  state.draining.set(id, { markGone });
  // With mark_gone the drained agent ends up gone and its tasks TASK_GONE_BY_OPERATOR; the surface records that at once.
  if (markGone) state.goneAgents.add(id);
  return { ...empty(200), actions: [{ kind: 'drain-agent', agentId: id, host: agent.host, markGone, maxGracePeriodSeconds: call.drain_agent.max_grace_period?.seconds, pods: podsOn }] };
}

/**
 * `GET /mesos_dns/v1/hosts/<name>`: `leader.mesos`, `master.mesos`, `slave.mesos`, `<svc>.mesos`, and
 * `<task>.<svc>.mesos` / `<task>.<svc>.slave.mesos` of RUNNING tasks; names are lower-cased with a trailing dot;
 * an unknown name answers `[{"host":"","ip":""}]`.
 */
export function mesosDnsHosts(name: string, view: DcosView, pods: FrameworkPod[], state: SurfaceState): DcosResponse {
  const wanted = name.toLowerCase().replace(/\.$/, '');
  const svc = dnsLabel(view.cluster);
  const masters = view.hosts.filter((h) => h.role === 'master').map((h) => h.ip);
  const records = new Map<string, string[]>();
  const add = (n: string, ip: string) => records.set(n, [...(records.get(n) ?? []), ip]);
  for (const ip of masters) { add('leader.mesos', ip); add('master.mesos', ip); }
  add(`${svc}.mesos`, masters[0] ?? '127.0.0.1');
  for (const a of listedAgents(view, state)) if (!a.down) add('slave.mesos', a.ip);
  for (const p of pods) {
    if (p.mesosState !== 'TASK_RUNNING') continue;
    add(`${p.task}.${svc}.mesos`, p.ip);
    add(`${p.task}.${svc}.slave.mesos`, p.ip);
  }
  // leader.mesos names one master only.
  const ips = wanted === 'leader.mesos' ? (records.get(wanted) ?? []).slice(0, 1) : (records.get(wanted) ?? []);
  return json(200, ips.length ? ips.map((ip) => ({ host: `${wanted}.`, ip })) : [{ host: '', ip: '' }]);
}

/**
 * `GET /net/v1/vips`: the apiserver VIP and its backends, with an ETag over the content. The VIP is a label on the
 * service's tasks, so an uninstalled service has none.
 */
export function vips(view: DcosView, state: SurfaceState): DcosResponse {
  const body = state.installed ? [{ vip: `${view.vip.name}:${view.vip.port}`, protocol: 'tcp', backend: view.vip.backends.map((ip) => ({ ip, port: view.vip.port })) }] : [];
  const etag = createHash('sha1').update(JSON.stringify(body)).digest('hex').slice(0, 16);
  return json(200, body, [], { etag: `"${etag}"` });
}
