// zod schemas of the DC/OS responses haproof reads (shapes from reference/dcos-interfaces.md): loose where DC/OS adds
// fields, strict about the fields haproof relies on.
import { z } from 'zod';
import { issuesText } from '../core/zod-error.ts';

// ---- IAM (Admin Router /acs/api/v1) ----

/** `POST /acs/api/v1/auth/login` → `{"token": "<DC/OS auth token>"}`. */
export const loginResponseSchema = z.looseObject({ token: z.string().min(1) });

/**
 * IAM error body (401 on a refused login or token). [UNCONFIRMED] the reference does not give the body; DC/OS IAM
 * answers `{"title", "description", "code"}` as the dcos-cli decodes it, so every key is optional here.
 */
export const iamErrorSchema = z.looseObject({ title: z.string().optional(), description: z.string().optional(), code: z.string().optional() });

// ---- dcos-commons SDK scheduler (/service/<svc>/v1) ----

/** Plan, phase and step statuses (SDK `plan/Status.java`), plus the display statuses of paused steps. */
export const PLAN_STATUSES = ['ERROR', 'WAITING', 'PENDING', 'PREPARED', 'STARTING', 'STARTED', 'COMPLETE', 'IN_PROGRESS', 'DELAYED', 'PAUSING', 'PAUSED'] as const;
export const planStatusSchema = z.enum(PLAN_STATUSES);
export type PlanStatus = z.infer<typeof planStatusSchema>;

export const stepSchema = z.looseObject({ id: z.string(), name: z.string(), status: planStatusSchema, message: z.string() });
export const phaseSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  steps: z.array(stepSchema),
  /** Older SDKs omit the strategy. */
  strategy: z.string().optional(),
  status: planStatusSchema,
});
export const planSchema = z.looseObject({
  phases: z.array(phaseSchema),
  errors: z.array(z.string()),
  strategy: z.string().optional(),
  status: planStatusSchema,
});
export type Step = z.infer<typeof stepSchema>;
export type Phase = z.infer<typeof phaseSchema>;
export type Plan = z.infer<typeof planSchema>;

/** `GET /v1/plans/<plan>` encodes the plan's state in the HTTP status: 200 complete, 202 in progress, 417 errors. */
export const PLAN_HTTP_STATUSES = [200, 202, 417] as const;
export type PlanHttpStatus = (typeof PLAN_HTTP_STATUSES)[number];

/** `GET /v1/plans`, `GET /v1/pod`, `GET /v1/endpoints`: JSON arrays of names. */
export const nameListSchema = z.array(z.string());

/** `200 {"message": "Received cmd: …"}` — an accepted plan command. */
export const commandAcceptedSchema = z.looseObject({ message: z.string() });

/** `208 text/plain` — a plan command that was a no-op. */
export const ALREADY_REPORTED_TEXT = 'Command has already been reported or completed';
export const alreadyReportedSchema = z.literal(ALREADY_REPORTED_TEXT);

/** `404 text/plain "<Item> <name> not found"`, e.g. `Plan foo not found`, `Pod etcd-9 not found`. */
export const notFoundTextSchema = z.string().regex(/^(Plan|Phase|Step|Pod) .+ not found$/);

/**
 * One task of a pod; `status` is the Mesos TaskState without `TASK_`, absent while the task has no status yet. A task
 * the pod has never launched (`etcd-N-recover` before a replace) has the id `""` and no status.
 * source: mesosphere/dcos-commons sdk/scheduler/src/main/java/com/mesosphere/sdk/http/queries/PodQueries.java @ 0.57.3
 */
export const podTaskStatusSchema = z.looseObject({ id: z.string(), name: z.string(), status: z.string().optional() });
export const podInstanceStatusSchema = z.looseObject({ name: z.string(), tasks: z.array(podTaskStatusSchema) });
/**
 * `GET /v1/pod/status`. The SDK appends to `pods` per pod type, so a service without tasks answers `{"service"}` only.
 * source: mesosphere/dcos-commons sdk/scheduler/src/main/java/com/mesosphere/sdk/http/queries/PodQueries.java @ 0.57.3
 */
export const podStatusSchema = z.looseObject({
  service: z.string(),
  pods: z.array(z.looseObject({ name: z.string(), instances: z.array(podInstanceStatusSchema) })).default([]),
});
export type PodStatus = z.infer<typeof podStatusSchema>;
export type PodInstanceStatus = z.infer<typeof podInstanceStatusSchema>;

const protoValue = z.looseObject({ value: z.string() });
const protoLabels = z.looseObject({ labels: z.array(z.looseObject({ key: z.string(), value: z.string().optional() })).default([]) });
const ipAddresses = z.looseObject({ ipAddresses: z.array(z.looseObject({ ipAddress: z.string().optional() })).optional() });

/** Mesos TaskStatus as protobuf-JSON (camelCase), as the SDK returns it inside `pod/<name>/info`. */
export const protoTaskStatusSchema = z.looseObject({
  taskId: protoValue,
  state: z.string(),
  slaveId: protoValue.optional(),
  timestamp: z.number().optional(),
  containerStatus: z.looseObject({ networkInfos: z.array(ipAddresses).optional() }).optional(),
});
/**
 * `GET /v1/pod/<name>/info`: an array of `{info: TaskInfo, status: TaskStatus | null}` (Jackson writes an empty
 * `Optional` as `null`); a never-launched task has `info.taskId.value` `""` and `status: null`.
 * source: mesosphere/dcos-commons sdk/scheduler/src/main/java/com/mesosphere/sdk/http/types/TaskInfoAndStatus.java,
 * .../config/SerializationUtils.java (Jdk8Module) @ 0.57.3
 */
export const podInfoSchema = z.array(z.looseObject({
  info: z.looseObject({
    name: z.string(),
    taskId: protoValue,
    slaveId: protoValue,
    labels: protoLabels.optional(),
    command: z.looseObject({ value: z.string().optional() }).optional(),
  }),
  status: protoTaskStatusSchema.nullable().optional(),
}));
export type PodInfo = z.infer<typeof podInfoSchema>;

/** `POST /v1/pod/<name>/restart|replace` → `{"pod": "etcd-1", "tasks": ["etcd-1-peer", …]}`. */
export const podCommandSchema = z.looseObject({ pod: z.string(), tasks: z.array(z.string()) });
export type PodCommandResult = z.infer<typeof podCommandSchema>;

/** `GET /v1/endpoints/<port name>`: task addresses, autoip names, and the VIP when the port carries one. */
export const endpointSchema = z.looseObject({ address: z.array(z.string()), dns: z.array(z.string()), vip: z.string().optional() });
export type Endpoint = z.infer<typeof endpointSchema>;

// ---- Mesos-DNS (/mesos_dns/v1) and dcos-net (/net/v1) ----

/**
 * `GET /mesos_dns/v1/hosts/<name>`; an unknown name answers one record of empty strings.
 * source: mesosphere/mesos-dns resolver/resolver.go (RestHost) @ 857ceb94 (DC/OS 2.2)
 */
export const mesosDnsHostsSchema = z.array(z.looseObject({ host: z.string(), ip: z.string() }));

/**
 * `GET /net/v1/vips`: dcos-net's raw gossip table — every backend an agent published (running or killing tasks, healthy
 * or not), not the reachability-filtered, weighted set the data plane uses.
 * source: dcos/dcos-net apps/dcos_rest/src/dcos_rest_vips_handler.erl @ d35033b8 (DC/OS 2.2)
 */
export const vipsSchema = z.array(z.looseObject({
  vip: z.string(),
  protocol: z.string(),
  backend: z.array(z.looseObject({ ip: z.string(), port: z.number().int() })),
}));
export type Vips = z.infer<typeof vipsSchema>;

// ---- Mesos master (/mesos) ----

export const MESOS_TASK_STATES = [
  'TASK_STAGING', 'TASK_STARTING', 'TASK_RUNNING', 'TASK_KILLING', 'TASK_FINISHED', 'TASK_FAILED', 'TASK_KILLED', 'TASK_ERROR',
  'TASK_LOST', 'TASK_DROPPED', 'TASK_UNREACHABLE', 'TASK_GONE', 'TASK_GONE_BY_OPERATOR', 'TASK_UNKNOWN',
] as const;
export const mesosTaskStateSchema = z.enum(MESOS_TASK_STATES);
export type MesosTaskState = z.infer<typeof mesosTaskStateSchema>;

export const mesosTaskSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  framework_id: z.string(),
  executor_id: z.string().optional(),
  slave_id: z.string(),
  state: mesosTaskStateSchema,
  role: z.string().optional(),
  statuses: z.array(z.looseObject({
    state: mesosTaskStateSchema,
    timestamp: z.number(),
    container_status: z.looseObject({
      network_infos: z.array(z.looseObject({ ip_addresses: z.array(z.looseObject({ ip_address: z.string().optional() })).optional() })).optional(),
    }).optional(),
  })).default([]),
});
export type MesosTask = z.infer<typeof mesosTaskSchema>;

/** An agent in `/mesos/master/state` and `/mesos/slaves`; in DC/OS `hostname` is the agent's IP. */
export const mesosAgentSchema = z.looseObject({
  id: z.string(),
  hostname: z.string(),
  port: z.number().int().optional(),
  active: z.boolean(),
  deactivated: z.boolean().optional(),
  attributes: z.record(z.string(), z.unknown()).optional(),
  drain_info: z.looseObject({ state: z.string() }).optional(),
});
export type MesosAgent = z.infer<typeof mesosAgentSchema>;

export const mesosFrameworkSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  active: z.boolean(),
  role: z.string().optional(),
  tasks: z.array(mesosTaskSchema),
  unreachable_tasks: z.array(mesosTaskSchema).default([]),
  completed_tasks: z.array(mesosTaskSchema).default([]),
});
export type MesosFramework = z.infer<typeof mesosFrameworkSchema>;

/** `GET /mesos/master/state`. */
export const mesosStateSchema = z.looseObject({
  hostname: z.string().optional(),
  leader: z.string().optional(),
  slaves: z.array(mesosAgentSchema),
  frameworks: z.array(mesosFrameworkSchema),
  completed_frameworks: z.array(z.unknown()).default([]),
});
export type MesosState = z.infer<typeof mesosStateSchema>;

/** `GET /mesos/slaves` (alias of `/mesos/master/slaves`). */
export const mesosSlavesSchema = z.looseObject({ slaves: z.array(mesosAgentSchema), recovered_slaves: z.array(z.unknown()).default([]) });

/** `POST /mesos/api/v1 {"type":"GET_AGENTS"}`. */
export const getAgentsResponseSchema = z.looseObject({
  type: z.literal('GET_AGENTS'),
  get_agents: z.looseObject({
    agents: z.array(z.looseObject({
      active: z.boolean(),
      deactivated: z.boolean().optional(),
      agent_info: z.looseObject({ hostname: z.string(), id: protoValue, port: z.number().int().optional() }),
      pid: z.string().optional(),
      registered_time: z.looseObject({ nanoseconds: z.number() }).optional(),
      drain_info: z.looseObject({ state: z.string() }).optional(),
    })),
    recovered_agents: z.array(z.unknown()).default([]),
  }),
});
export type GetAgentsResponse = z.infer<typeof getAgentsResponseSchema>;
export type OperatorAgent = GetAgentsResponse['get_agents']['agents'][number];

/** Operator API calls the surface accepts (request bodies). */
const agentIdBody = z.strictObject({ agent_id: z.strictObject({ value: z.string().min(1) }) });
export const operatorCallSchema = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('GET_AGENTS') }),
  z.looseObject({ type: z.literal('MARK_AGENT_GONE'), mark_agent_gone: agentIdBody }),
  z.looseObject({
    type: z.literal('DRAIN_AGENT'),
    drain_agent: z.strictObject({
      agent_id: z.strictObject({ value: z.string().min(1) }),
      max_grace_period: z.strictObject({ seconds: z.number().int().min(0) }).optional(),
      mark_gone: z.boolean().optional(),
    }),
  }),
]);
export type OperatorCall = z.infer<typeof operatorCallSchema>;

/** Issues of a failed parse as `path: message` lines, never with the values (a response may hold a token). */
export function describeIssues(error: z.ZodError): string {
  return issuesText(error);
}

// ---- DC/OS package manager (Cosmos, /package) ----

/** `POST /package/install` (response v2). */
export const packageInstallResponseSchema = z.looseObject({ packageName: z.string(), packageVersion: z.string(), appId: z.string().optional() });
export type PackageInstallResponse = z.infer<typeof packageInstallResponseSchema>;

/** `POST /package/uninstall` (response v1). */
export const packageUninstallResponseSchema = z.looseObject({
  results: z.array(z.looseObject({ packageName: z.string(), appId: z.string().optional(), packageVersion: z.string().optional() })),
});
export type PackageUninstallResponse = z.infer<typeof packageUninstallResponseSchema>;

/**
 * Cosmos error bodies: `{"type": "PackageAlreadyInstalled", "message": "…"}`, plus `data` for some types (null values
 * are dropped). source: dcos/cosmos cosmos-common/src/main/scala/com/mesosphere/cosmos/rpc/v1/model/ErrorResponse.scala @ v0.6.2
 */
export const cosmosErrorSchema = z.looseObject({ type: z.string(), message: z.string(), data: z.record(z.string(), z.unknown()).optional() });
