// Mesos, Mesos-DNS and dcos-net answers of the surface (pure over view + pods + state): master state, agents, the
// framework's tasks with TASK_* states, the operator API (GET_AGENTS, MARK_AGENT_GONE, DRAIN_AGENT), hosts, VIPs.
import { createHash } from 'node:crypto';
import { dnsLabel } from '../../config/naming.ts';
import { frameworkId, frameworkRole, masterId, mesosAgents, type FrameworkPod, type MesosAgentModel } from './framework-model.ts';
import { operatorCallSchema, type MesosTaskState } from '../../dcos/schemas.ts';
import { empty, json, text, type DcosResponse } from './surface-reply.ts';
import { frameworkRegistered, type SurfaceState } from './surface-state.ts';
import type { DcosView } from './view.ts';
import { issuesText } from '../../core/zod-error.ts';

const MASTER_PORT = 5050;
const AGENT_PORT = 5051;
/** The Mesos version the surface claims: DC/OS 2.2 builds Mesos from its 1.11.x branch (packages/mesos/buildinfo.json). */
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

/** source: apache/mesos src/master/readonly_handler.cpp (the agent model of /master/slaves and /master/state) @ cb6cfe9b */
function agentJson(a: MesosAgentModel, pods: FrameworkPod[], state: SurfaceState): Record<string, unknown> {
  return {
    id: a.id, hostname: a.ip, port: AGENT_PORT, pid: `slave(1)@${a.ip}:${AGENT_PORT}`, attributes: {},
    active: !a.down, deactivated: state.draining.has(a.id), version: MESOS_VERSION,
    ...drainInfo(a, pods, state),
  };
}

/**
 * A Mesos task as the v0 endpoints show it. source: apache/mesos src/common/http.cpp (model(const Task&)) @ cb6cfe9b.
 * [UNCONFIRMED] the executor id (the SDK names its executors; the emulator makes one up per pod).
 */
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
    // source: mesosphere/dcos-commons sdk/scheduler/src/main/java/com/mesosphere/sdk/framework/FrameworkConfig.java
    // (getServicePrincipal: the svc.yml's SERVICE_PRINCIPAL, else <name>-principal), FrameworkRunner.java @ 0.57.3
    hostname: masterIp(view), user: 'nobody', failover_timeout: 1_209_600, checkpoint: true, principal: state.principal ?? `${c}-principal`,
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
  // A scheduler that exits before SUBSCRIBE succeeds never registers a framework.
  return frameworkRegistered(state) ? [frameworkJson(view, pods, state)] : [];
}

/** `GET /mesos/master/state`. source: apache/mesos src/master/readonly_handler.cpp (ReadOnlyHandler::state) @ cb6cfe9b */
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

/**
 * `POST /mesos/api/v1`: GET_AGENTS, MARK_AGENT_GONE and DRAIN_AGENT; the last two return an action.
 * source: apache/mesos docs/operator-http-api.md, src/master/http.cpp @ cb6cfe9b
 */
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
 * an unknown name answers `[{"host":"","ip":""}]`. A task's name carries the IPs of every configured source: DC/OS sets
 * IPSources ["host", "netinfo"], and the Mesos-DNS DC/OS 2.2 ships adds the agent's IP and the task's container IP.
 * source: mesosphere/mesos-dns resolver/resolver.go (RestHost), records/state/state.go (Task.IPs) @ 857ceb94 (DC/OS
 * 2.2); dcos/dcos gen/calc.py (mesos_dns_ip_sources) @ 2.2. [UNCONFIRMED] the order of several IPs (Mesos-DNS walks a
 * Go map); the emulator gives the agent's first.
 */
export function mesosDnsHosts(name: string, view: DcosView, pods: FrameworkPod[], state: SurfaceState): DcosResponse {
  const wanted = name.toLowerCase().replace(/\.$/, '');
  const svc = dnsLabel(view.cluster);
  const masters = view.hosts.filter((h) => h.role === 'master').map((h) => h.ip);
  const records = new Map<string, string[]>();
  const add = (n: string, ip: string) => {
    const ips = records.get(n) ?? [];
    if (!ips.includes(ip)) records.set(n, [...ips, ip]);
  };
  for (const ip of masters) { add('leader.mesos', ip); add('master.mesos', ip); }
  add(`${svc}.mesos`, masters[0] ?? '127.0.0.1');
  const agents = listedAgents(view, state);
  for (const a of agents) if (!a.down) add('slave.mesos', a.ip);
  for (const p of pods) {
    if (p.mesosState !== 'TASK_RUNNING') continue;
    const agentIp = agents.find((a) => a.id === p.agentId)?.ip ?? p.ip;
    add(`${p.task}.${svc}.mesos`, agentIp);
    add(`${p.task}.${svc}.mesos`, p.ip);
    add(`${p.task}.${svc}.slave.mesos`, agentIp);
  }
  // leader.mesos names one master only.
  const ips = wanted === 'leader.mesos' ? (records.get(wanted) ?? []).slice(0, 1) : (records.get(wanted) ?? []);
  return json(200, ips.length ? ips.map((ip) => ({ host: `${wanted}.`, ip })) : [{ host: '', ip: '' }]);
}

/** Pod conditions whose control-plane task is in the VIP's gossip table (see `vips`). */
const PUBLISHED: ReadonlyArray<FrameworkPod['condition']> = ['running', 'unreachable', 'gone'];

/**
 * `GET /net/v1/vips`: dcos-net's raw Lashup table of the apiserver VIP — one backend (task IP, port) per control-plane
 * task its agent last saw running, ready or not: the agent's poller publishes running and killing tasks (a failing
 * health check only sets weight 0, which the table does not show), and only the agent itself removes them, so a
 * down agent's backends stay listed (reachability is filtered in the data plane, not here). ETag: base64 of a SHA-1
 * over the table's version (the emulator hashes the content). A service without a framework has no tasks, so no VIP.
 * source: dcos/dcos-net apps/dcos_rest/src/dcos_rest_vips_handler.erl, apps/dcos_l4lb/src/dcos_l4lb_mesos_poller.erl
 * (is_running, get_weight, generate_vip_ops) @ d35033b8 (DC/OS 2.2). [INFERRED] that a down or gone agent's entries
 * stay until it comes back.
 */
export function vips(view: DcosView, pods: FrameworkPod[], state: SurfaceState): DcosResponse {
  const backends = pods.filter((p) => p.type === 'kube-control-plane' && PUBLISHED.includes(p.condition)).map((p) => ({ ip: p.ip, port: view.vip.port }));
  const body = frameworkRegistered(state) && backends.length ? [{ vip: `${view.vip.name}:${view.vip.port}`, protocol: 'tcp', backend: backends }] : [];
  const etag = createHash('sha1').update(JSON.stringify(body)).digest('base64');
  return json(200, body, [], { etag });
}
