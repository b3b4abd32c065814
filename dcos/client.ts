// DcosClient: the DC/OS HTTP APIs haproof drives (IAM login, SDK plans/pods/endpoints, Mesos-DNS, Mesos master and
// operator API, dcos-net VIPs), every answer parsed with the schemas; the token is sent, never logged or shown.
import type { Agent } from 'node:https';
import type { z } from 'zod';
import { serviceLoginToken, type DcosCredentials } from './credentials.ts';
import { DcosApiError, DcosAuthError, DcosPlanError, DcosPlanTimeout, DcosResponseError } from './errors.ts';
import { createHttpsAgent, sendHttps, type RawResponse } from './https-request.ts';
import { planProgress } from './plan-progress.ts';
import {
  commandAcceptedSchema, cosmosErrorSchema, describeIssues, endpointSchema, getAgentsResponseSchema, iamErrorSchema, loginResponseSchema, mesosDnsHostsSchema,
  mesosSlavesSchema, mesosStateSchema, nameListSchema, packageInstallResponseSchema, packageUninstallResponseSchema, type PackageUninstallResponse, podCommandSchema, podInfoSchema, podInstanceStatusSchema, podStatusSchema, planSchema,
  vipsSchema, type Endpoint, type MesosAgent, type MesosState, type OperatorAgent, type Plan, type PlanHttpStatus, type PodCommandResult,
  type PodInfo, type PodInstanceStatus, type PodStatus, type Vips,
} from './schemas.ts';

export interface DcosClientOptions {
  /** The cluster URL, e.g. `https://dcos.example.com` (Admin Router). */
  url: string;
  /** The kubernetes-cluster service name (`service.name`), e.g. `kubernetes-cluster` or `dev/kubernetes01`. */
  serviceName: string;
  /** A CA PEM to verify the cluster with, or `insecure: true` to verify nothing. */
  tls: { ca: string | Buffer } | { insecure: true };
  /** A token from an earlier login. */
  token?: string;
  /** Per-request timeout (default 10 s). */
  timeoutMs?: number;
}

export type PlanCommand = 'interrupt' | 'continue' | 'restart' | 'forceComplete';

export interface PlanCommandResult {
  /** 200: accepted; 208: a no-op ("Command has already been reported or completed"). */
  httpStatus: 200 | 208;
  message: string;
}

export interface FollowPlanOptions {
  timeoutMs: number;
  /** Called with each new progress line (`deploy: etcd 3/3, control-plane 1/3, node 0/4 (IN_PROGRESS)`). */
  onProgress?: (line: string, plan: Plan) => void;
  /** Poll interval (default 1 s, as the SDK test helpers poll). */
  intervalMs?: number;
}

type Schema<T> = z.ZodType<T>;

interface CallOptions {
  body?: unknown;
  /** Media types other than JSON (Cosmos versions its requests and responses by media type). */
  contentType?: string;
  acceptType?: string;
  /** Non-2xx statuses that carry a normal answer (e.g. 202 and 417 of a plan). */
  accept?: readonly number[];
  /** Send no Authorization header (the login itself). */
  anonymous?: boolean;
}

export class DcosClient {
  readonly url: string;
  readonly serviceName: string;
  readonly #agent: Agent;
  readonly #timeoutMs: number;
  #token: string | undefined;

  constructor(options: DcosClientOptions) {
    const base = new URL(options.url);
    if (base.protocol !== 'https:') throw new Error(`DC/OS url must be https://…, got ${JSON.stringify(`${base.protocol}//${base.host}`)}`);
    if (base.username || base.password) throw new Error('DC/OS url must not carry credentials; use the credentials file');
    this.url = base.origin;
    this.serviceName = options.serviceName;
    this.#agent = createHttpsAgent('insecure' in options.tls ? { insecure: true } : { ca: options.tls.ca });
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#token = options.token;
  }

  /** Whether a token is held (from `login` or the constructor). */
  get authenticated(): boolean {
    return this.#token !== undefined;
  }

  /** Logs in (`POST /acs/api/v1/auth/login`) and keeps the token for later requests; a token credential is used as is. */
  async login(credentials: DcosCredentials): Promise<void> {
    if (credentials.kind === 'token') {
      this.#token = credentials.token;
      return;
    }
    const body = credentials.kind === 'password'
      ? { uid: credentials.uid, password: credentials.password }
      : { uid: credentials.uid, token: serviceLoginToken(credentials.uid, credentials.privateKey) };
    const { data } = await this.#call('POST', '/acs/api/v1/auth/login', loginResponseSchema, { body, anonymous: true });
    this.#token = data.token;
  }

  /** Closes kept-alive connections. */
  close(): void {
    this.#agent.destroy();
  }

  // ---- SDK scheduler ----

  async plans(): Promise<string[]> {
    return (await this.#call('GET', this.#svc('plans'), nameListSchema)).data;
  }

  /** The plan and its HTTP status: 200 complete, 202 in progress, 417 errors. */
  async plan(name: string): Promise<{ httpStatus: PlanHttpStatus; plan: Plan }> {
    const r = await this.#call('GET', this.#svc(`plans/${enc(name)}`), planSchema, { accept: [202, 417] });
    return { httpStatus: r.status as PlanHttpStatus, plan: r.data };
  }

  /** `POST plans/<plan>/<command>[?phase=&step=]`; a no-op answers 208, which is not an error. */
  async planCommand(plan: string, command: PlanCommand, target: { phase?: string; step?: string } = {}): Promise<PlanCommandResult> {
    const q = new URLSearchParams();
    if (target.phase !== undefined) q.set('phase', target.phase);
    if (target.step !== undefined) q.set('step', target.step);
    const path = this.#svc(`plans/${enc(plan)}/${command}${q.size ? `?${q}` : ''}`);
    const raw = await this.#send('POST', path, {});
    if (raw.status === 208) return { httpStatus: 208, message: raw.text.trim() };
    return { httpStatus: 200, message: this.#parse('POST', path, raw, commandAcceptedSchema).message };
  }

  async pods(): Promise<string[]> {
    return (await this.#call('GET', this.#svc('pod'), nameListSchema)).data;
  }

  async podStatus(): Promise<PodStatus> {
    return (await this.#call('GET', this.#svc('pod/status'), podStatusSchema)).data;
  }

  async podInstanceStatus(name: string): Promise<PodInstanceStatus> {
    return (await this.#call('GET', this.#svc(`pod/${enc(name)}/status`), podInstanceStatusSchema)).data;
  }

  async podInfo(name: string): Promise<PodInfo> {
    return (await this.#call('GET', this.#svc(`pod/${enc(name)}/info`), podInfoSchema)).data;
  }

  /** Kills the pod's tasks; they relaunch in place (recovery TRANSIENT). */
  async podRestart(name: string): Promise<PodCommandResult> {
    return (await this.#call('POST', this.#svc(`pod/${enc(name)}/restart`), podCommandSchema)).data;
  }

  /** Marks the pod permanently failed; it relaunches anywhere with fresh data (recovery PERMANENT). */
  async podReplace(name: string): Promise<PodCommandResult> {
    return (await this.#call('POST', this.#svc(`pod/${enc(name)}/replace`), podCommandSchema)).data;
  }

  async endpoints(): Promise<string[]> {
    return (await this.#call('GET', this.#svc('endpoints'), nameListSchema)).data;
  }

  /** A port endpoint (`apiserver`): addresses, autoip names and the VIP. */
  async endpoint(name: string): Promise<Endpoint> {
    return (await this.#call('GET', this.#svc(`endpoints/${enc(name)}`), endpointSchema)).data;
  }

  // ---- Mesos-DNS, dcos-net ----

  /** Mesos-DNS records of a name; an unknown name (`[{"host":"","ip":""}]`) gives an empty list. */
  async mesosDnsHost(name: string): Promise<Array<{ host: string; ip: string }>> {
    const { data } = await this.#call('GET', `/mesos_dns/v1/hosts/${enc(name)}`, mesosDnsHostsSchema);
    return data.filter((r) => r.host !== '' || r.ip !== '').map((r) => ({ host: r.host, ip: r.ip }));
  }

  async vips(): Promise<Vips> {
    return (await this.#call('GET', '/net/v1/vips', vipsSchema)).data;
  }

  // ---- Mesos master ----

  async mesosState(): Promise<MesosState> {
    return (await this.#call('GET', '/mesos/master/state', mesosStateSchema)).data;
  }

  async mesosSlaves(): Promise<MesosAgent[]> {
    return (await this.#call('GET', '/mesos/slaves', mesosSlavesSchema)).data.slaves;
  }

  /** Operator API `GET_AGENTS`. */
  async mesosAgents(): Promise<OperatorAgent[]> {
    return (await this.#call('POST', '/mesos/api/v1', getAgentsResponseSchema, { body: { type: 'GET_AGENTS' } })).data.get_agents.agents;
  }

  /** Operator API `MARK_AGENT_GONE` (`dcos node decommission`): the agent's tasks become TASK_GONE_BY_OPERATOR. */
  async markAgentGone(agentId: string): Promise<void> {
    await this.#send('POST', '/mesos/api/v1', { body: { type: 'MARK_AGENT_GONE', mark_agent_gone: { agent_id: { value: agentId } } } });
  }

  /** Operator API `DRAIN_AGENT` (`dcos node drain`). */
  async drainAgent(agentId: string, options: { markGone?: boolean; maxGracePeriodSeconds?: number } = {}): Promise<void> {
    const drain = {
      agent_id: { value: agentId },
      ...(options.maxGracePeriodSeconds !== undefined ? { max_grace_period: { seconds: options.maxGracePeriodSeconds } } : {}),
      mark_gone: options.markGone ?? false,
    };
    await this.#send('POST', '/mesos/api/v1', { body: { type: 'DRAIN_AGENT', drain_agent: drain } });
  }

  // ---- DC/OS package manager (Cosmos) ----

  /**
   * `POST /package/install` of a package with its options, through its package manager: `managerId` (and
   * `packageVersion` when given) makes Cosmos forward the install to the manager's `/service/<managerId>/package/install`
   * (the `kubernetes` package, MKE, for kubernetes-cluster) instead of launching the Marathon app itself. A service that
   * is already there answers 409 — `ServiceAlreadyStarted` from the manager path, `PackageAlreadyInstalled` from the
   * direct one — returned as `alreadyInstalled` (not an error: deploy is idempotent).
   * source: dcos/cosmos cosmos-server/src/main/scala/com/mesosphere/cosmos/handler/PackageInstallHandler.scala,
   * .../service/CustomPackageManagerRouter.scala @ v0.6.2
   */
  async packageInstall(
    packageName: string, options: unknown, target: { packageVersion?: string | undefined; managerId?: string | undefined } = {},
  ): Promise<{ alreadyInstalled: boolean; packageVersion: string | undefined; appId: string | undefined }> {
    const path = '/package/install';
    const raw = await this.#send('POST', path, {
      body: {
        packageName,
        ...(target.packageVersion ? { packageVersion: target.packageVersion } : {}),
        options,
        ...(target.managerId ? { managerId: target.managerId } : {}),
      },
      contentType: 'application/vnd.dcos.package.install-request+json;charset=utf-8;version=v1',
      acceptType: 'application/vnd.dcos.package.install-response+json;charset=utf-8;version=v2',
      accept: [409],
    });
    if (raw.status === 409) {
      // Only these two mean "it is there"; any other conflict is an error.
      const err = cosmosErrorSchema.safeParse(safeJson(raw.text));
      if (!err.success || !ALREADY_INSTALLED_ERRORS.includes(err.data.type)) throw new DcosApiError('POST', path, 409, this.#redact(errorDetail(raw)));
      return { alreadyInstalled: true, packageVersion: undefined, appId: undefined };
    }
    const r = this.#parse('POST', path, raw, packageInstallResponseSchema);
    return { alreadyInstalled: false, packageVersion: r.packageVersion, appId: r.appId };
  }

  /**
   * `POST /package/uninstall` of one installed app (`dcos package uninstall --app-id`); Cosmos forwards it to the
   * package's manager whenever the package has one (it reads the app's package labels).
   * source: dcos/cosmos cosmos-server/src/main/scala/com/mesosphere/cosmos/handler/UninstallHandler.scala @ v0.6.2
   */
  async packageUninstall(packageName: string, appId: string): Promise<PackageUninstallResponse> {
    return (await this.#call('POST', '/package/uninstall', packageUninstallResponseSchema, {
      body: { packageName, appId },
      contentType: 'application/vnd.dcos.package.uninstall-request+json;charset=utf-8;version=v1',
      acceptType: 'application/vnd.dcos.package.uninstall-response+json;charset=utf-8;version=v1',
    })).data;
  }

  // ---- following a plan ----

  /**
   * Polls a plan until it is COMPLETE; ERROR (417) throws DcosPlanError, a refused token DcosAuthError and a wrongly
   * shaped answer DcosResponseError at once. Other failures (scheduler not up yet: 404/5xx, a dropped connection) are
   * retried until the timeout, which names the last one.
   */
  async followPlan(name: string, options: FollowPlanOptions): Promise<Plan> {
    const deadline = Date.now() + options.timeoutMs;
    const interval = options.intervalMs ?? 1_000;
    let lastLine: string | undefined;
    let lastError: string | undefined;
    for (;;) {
      try {
        const { plan } = await this.plan(name);
        const line = planProgress(name, plan);
        if (line !== lastLine) options.onProgress?.(line, plan);
        lastLine = line;
        lastError = undefined;
        if (plan.status === 'COMPLETE') return plan;
        if (plan.status === 'ERROR') throw new DcosPlanError(name, plan.errors, line);
      } catch (e) {
        // A refused token, a failed plan or an answer of the wrong shape will not mend by waiting.
        if (e instanceof DcosAuthError || e instanceof DcosPlanError || e instanceof DcosResponseError) throw e;
        lastError = (e as Error).message;
      }
      if (Date.now() + interval > deadline) throw new DcosPlanTimeout(name, options.timeoutMs, lastLine, lastError);
      await new Promise((r) => setTimeout(r, interval));
    }
  }

  // ---- transport ----

  #svc(path: string): string {
    return `/service/${this.serviceName}/v1/${path}`;
  }

  async #call<T>(method: string, path: string, schema: Schema<T>, options: CallOptions = {}): Promise<{ status: number; data: T }> {
    const raw = await this.#send(method, path, options);
    return { status: raw.status, data: this.#parse(method, path, raw, schema) };
  }

  async #send(method: string, path: string, options: CallOptions): Promise<RawResponse> {
    const url = new URL(path, this.url);
    const headers: Record<string, string> = { accept: options.acceptType ?? 'application/json' };
    if (options.body !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
    if (!options.anonymous && this.#token !== undefined) headers.authorization = `token=${this.#token}`;
    const raw = await sendHttps(this.#agent, method, url, headers, options.body === undefined ? undefined : JSON.stringify(options.body), this.#timeoutMs);
    const shownUrl = `${url.origin}${url.pathname}`;
    if (raw.status === 401) throw new DcosAuthError(shownUrl, options.anonymous ? 'login' : 'token', options.anonymous ? this.#redact(errorDetail(raw)) : undefined);
    const ok = (raw.status >= 200 && raw.status < 300) || (options.accept ?? []).includes(raw.status);
    if (!ok) throw new DcosApiError(method, url.pathname, raw.status, this.#redact(errorDetail(raw)));
    return raw;
  }

  #parse<T>(method: string, path: string, raw: RawResponse, schema: Schema<T>): T {
    const pathOnly = path.split('?')[0] ?? path;
    let json: unknown;
    try {
      json = JSON.parse(raw.text);
    } catch {
      throw new DcosResponseError(method, pathOnly, raw.status, `not JSON (content-type ${raw.headers['content-type'] ?? 'none'})`);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new DcosResponseError(method, pathOnly, raw.status, describeIssues(parsed.error));
    return parsed.data;
  }

  /** Belt and braces: a body that echoes the token never carries it into an error message. */
  #redact(text: string): string {
    return this.#token ? text.replaceAll(this.#token, '<token>') : text;
  }
}

/** The Cosmos error types of a 409 that mean "the service is already installed". */
const ALREADY_INSTALLED_ERRORS: readonly string[] = ['ServiceAlreadyStarted', 'PackageAlreadyInstalled'];

/** The message of an error body: SDK text (`Plan foo not found`), IAM `{title, description}`, or `{message}`. */
export function errorDetail(raw: Pick<RawResponse, 'text'>): string {
  const text = raw.text.trim();
  if (text.startsWith('{')) {
    try {
      const json: unknown = JSON.parse(text);
      const iam = iamErrorSchema.safeParse(json);
      if (iam.success && (iam.data.description || iam.data.title)) return [iam.data.title, iam.data.description].filter(Boolean).join(': ');
      const cosmos = cosmosErrorSchema.safeParse(json);
      if (cosmos.success) {
        const errors = (cosmos.data as { data?: { errors?: unknown } }).data?.errors;
        return `${cosmos.data.type}: ${cosmos.data.message}${Array.isArray(errors) && errors.length ? ` (${errors.map(String).join('; ')})` : ''}`;
      }
      const msg = commandAcceptedSchema.safeParse(json);
      if (msg.success) return msg.data.message;
    } catch {
      // not JSON after all: shown as text
    }
  }
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function enc(segment: string): string {
  return encodeURIComponent(segment);
}
