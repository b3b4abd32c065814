// The testbed supervisor (a daemon): runs every task in its host namespace, relaunches dead tasks in place after a
// delay (DC/OS behaviour), runs the l4lb controller, and answers control requests on a unix socket.
import { appendFileSync, chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { z } from 'zod';
import { spawnTask, type TaskProcess } from './spawn-task.ts';
import { L4lbController } from '../l4lb.ts';
import { gossipAnswers } from '../dcos-net-gossip.ts';
import { withTimeout } from '../../core/with-timeout.ts';
import { ControlPlaneKubeletAgent } from './control-plane-kubelet-agent.ts';
import { STATIC_POD_COMPONENTS, type ContainerRun } from '../control-plane-kubelet.ts';
import { apiserverTaskState, CONTROL_PLANE_HEALTH_CHECK, foldHealthCheck, GOSSIP_PORT, healthCheckDue, type HealthCheckState } from '../dcos-net-policy.ts';

/** How often the emulated agents look for a due health check (each task's own schedule: healthCheckDue). */
const HEALTH_CHECK_TICK_MS = 250;
import { probeReadyz } from '../../targets/readers/readyz.ts';
import type { TaskSpec } from '../tasks.ts';
import { createPodNetwork, removePodNetwork } from '../overlay.ts';
import { inOwnNetns, SANDBOX_PATH } from '../paths.ts';
import { readState } from '../state.ts';
import { supervisorSpecSchema, type SupervisorSpec, type TaskState, type TaskStatus } from './api.ts';

export { supervisorSpecSchema, type SupervisorSpec, type TaskState, type TaskStatus } from './api.ts';

/** Tasks of this stage and later are clients of the apiserver VIP. */
const VIP_CLIENT_STAGE = 3;

interface Runtime {
  /** Replaced by `moveTask`. */
  spec: TaskSpec;
  proc: TaskProcess | undefined;
  state: TaskState;
  restarts: number;
  startedAt: string | undefined;
  lastExit: TaskStatus['lastExit'];
  /** Held down: not relaunched until started again. */
  held: boolean;
  /** Signalled to stop gracefully and not exited yet (Mesos TASK_KILLING). */
  killing?: boolean;
  timer: NodeJS.Timeout | undefined;
}

/** A secret by its name in a sandbox: `peer.key` (etcd's), `kube-apiserver-key.pem` (the SDK's TLS artifacts), a token file. */
export const isPrivateKey = (name: string): boolean => /(\.key|-key\.pem|tokens\.csv)$/.test(name);

/** A new sandbox for one launch of a task: `<root>/runs/<uuid>` holding copies of its files (keys readable by root only). */
export function makeSandbox(spec: NonNullable<TaskSpec['sandbox']>): string {
  const dir = join(spec.root, 'runs', randomUUID());
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  for (const [name, from] of Object.entries(spec.files)) {
    copyFileSync(from, join(dir, name));
    chmodSync(join(dir, name), isPrivateKey(name) ? 0o600 : 0o644);
  }
  return dir;
}

export class Supervisor {
  private readonly tasks = new Map<string, Runtime>();
  private stopping = false;
  readonly l4lb: L4lbController;

  constructor(private readonly spec: SupervisorSpec) {
    for (const t of spec.tasks) this.tasks.set(t.name, { spec: t, proc: undefined, state: 'exited', restarts: 0, startedAt: undefined, lastExit: undefined, held: false, timer: undefined });
    const backends = spec.tasks.filter((t) => t.role === 'kube-apiserver').map((t) => ({ name: t.name, ip: t.ip }));
    const hostIps = new Map(spec.tasks.filter((t) => t.role === 'dcos-net').map((t) => [t.host, t.ip]));
    this.l4lb = new L4lbController({
      ...spec.vip, caFile: spec.caFile, backends, namespaces: spec.vipNamespaces, log: (e) => this.event('l4lb', e),
      // What each agent reports of the task that holds the apiserver port (static pods: the instance task, RUNNING while
      // its kubelet restarts a dead apiserver; an agent that is down drops out by the gossip filter).
      taskStates: () => [...this.tasks.values()].filter((r) => r.spec.role === 'kube-apiserver').map((r) => ({
        ip: r.spec.ip, host: r.spec.host, hostIp: hostIps.get(r.spec.host) ?? r.spec.ip,
        state: apiserverTaskState(spec.controlPlane, { up: r.proc !== undefined, killing: r.killing === true }),
        healthy: this.health.get(r.spec.name)?.healthy,
      })),
      hostAnswers: (_host, ip) => gossipAnswers(ip, GOSSIP_PORT),
    });
  }

  event(kind: string, fields: Record<string, unknown>): void {
    const line = JSON.stringify({ time: new Date().toISOString(), kind, ...fields });
    appendFileSync(join(this.spec.logDir, 'supervisor.jsonl'), line + '\n');
  }

  /**
   * Launches tasks stage by stage, like the deploy plan's serial phases: DNS, etcd, apiservers; the components that
   * reach the API through the VIP start once the VIP has a backend (or after 120 s, when they will crash-loop as on DC/OS).
   */
  /** Static pods: each control-plane instance's Mesos health check, by its apiserver task's name. */
  private readonly health = new Map<string, HealthCheckState>();

  /**
   * The Mesos agent's health checks of the control-plane instance tasks (static pods only; the option
   * apiserverHealthCheck): each instance's apiserver /healthz (10 s timeout) from its launch and then 15 s after the
   * previous check ended (healthCheckDue), folded as Mesos does; dcos-net then gives a failing instance weight 0. The
   * kill after 20 failures (5 min) is not emulated.
   */
  private async healthChecks(): Promise<void> {
    const ca = readFileSync(this.spec.caFile);
    const running = new Set<string>();
    while (!this.stopping) {
      // The instance's launch is its processes' earliest start (a process its kubelet restarts is no relaunch).
      const launchOf = (r: Runtime) => Math.min(...[...this.tasks.values()].filter((x) => x.spec.pod === r.spec.pod && x.startedAt).map((x) => Date.parse(x.startedAt!)));
      for (const r of [...this.tasks.values()].filter((x) => x.spec.role === 'kube-apiserver')) {
        const launchedAt = launchOf(r);
        const key = `${r.spec.name}@${launchedAt}`;
        if (!Number.isFinite(launchedAt) || running.has(key)) continue;
        const before = this.health.get(r.spec.name);
        const state: HealthCheckState = before && before.launchedAt === launchedAt ? before : { launchedAt, passedOnce: false, consecutiveFailures: 0, healthy: undefined };
        // A new launch is a new Mesos task: no health until its own first check, whatever the old one's was.
        if (state !== before) this.health.set(r.spec.name, state);
        if (!healthCheckDue(state, Date.now())) continue;
        // Each instance's checker on its own schedule, as each Mesos task has its own (healthCheckDue).
        running.add(key);
        void (async () => {
          let passed = false;
          try {
            // The probe's own timeout is an idle timeout; Mesos' is the check's whole duration.
            passed = r.proc !== undefined && (await withTimeout(probeReadyz({ ip: r.spec.ip, port: this.spec.vip.port, ca, servername: this.spec.vip.name, timeoutMs: CONTROL_PLANE_HEALTH_CHECK.timeoutMs, path: '/healthz' }), CONTROL_PLANE_HEALTH_CHECK.timeoutMs, 'health check')) === 'ready';
          } catch (e) {
            this.event('mesos-health-error', { task: r.spec.name, error: (e as Error).message });
          }
          const next = foldHealthCheck(state, passed, Date.now());
          // A relaunch during the check starts a new checker: this result belongs to the old launch.
          if (launchOf(r) !== launchedAt) return;
          this.health.set(r.spec.name, { launchedAt: next.launchedAt, passedOnce: next.passedOnce, consecutiveFailures: next.consecutiveFailures, healthy: next.healthy, lastEndedAt: Date.now() });
          if (next.healthy !== state.healthy) this.event('mesos-health', { task: r.spec.name, healthy: next.healthy, consecutiveFailures: next.consecutiveFailures });
        })().finally(() => running.delete(key));
      }
      await sleep(HEALTH_CHECK_TICK_MS);
    }
  }

  async start(): Promise<void> {
    const stages = [...new Set(this.spec.tasks.map((t) => t.stage))].sort((a, b) => a - b);
    this.l4lb.start();
    for (const k of this.spec.controlPlaneKubelets) this.startKubelet(k);
    if (this.spec.controlPlane === 'static-pods' && this.spec.apiserverHealthCheck) void this.healthChecks().catch((e: Error) => this.event('mesos-health-error', { error: e.message }));
    for (const stage of stages) {
      if (stage >= VIP_CLIENT_STAGE) {
        const deadline = Date.now() + 120_000;
        while (!this.stopping && this.l4lb.status().backends.length === 0 && Date.now() < deadline) await sleep(100);
      }
      for (const r of this.tasks.values()) if (r.spec.stage === stage) this.launch(r);
      await sleep(200);
    }
  }

  /** Static pods: the API side of one instance's kubelet (its Node, Lease and mirror pods), for as long as the testbed runs. */
  private startKubelet(k: SupervisorSpec['controlPlaneKubelets'][number]): void {
    const runtimes = () => [...this.tasks.values()].filter((r) => r.spec.pod === k.pod);
    const runs = (): ContainerRun[] => runtimes().flatMap((r) => {
      const component = STATIC_POD_COMPONENTS.find((c) => c === r.spec.role);
      return component ? [{ component, running: r.proc !== undefined, startedAt: r.startedAt, exits: r.restarts, lastExit: r.lastExit, argv: [r.spec.command, ...r.spec.args] }] : [];
    });
    // Its agent and address as launched: only etcd pods move today (`pod replace`); a moved instance would need a new
    // kubeconfig too, since its kubelet talks to the instance's own apiserver at this address.
    const first = runtimes().find((r) => r.spec.role === 'kube-apiserver');
    if (!first) return;
    const agent = new ControlPlaneKubeletAgent({ node: k.node, host: first.spec.host, ip: first.spec.ip, kubeconfig: k.kubeconfig }, runs, (kind, f) => this.event(kind, f));
    void agent.run(() => this.stopping).catch((e: Error) => this.event('kubelet-error', { node: k.node, error: e.message }));
  }

  private launch(r: Runtime): void {
    if (this.stopping) return;
    r.timer = undefined;
    let sandbox: string | undefined;
    try {
      sandbox = r.spec.sandbox ? makeSandbox(r.spec.sandbox) : undefined;
    } catch (e) {
      // A launch that failed before the process started: Mesos reports TASK_FAILED and the scheduler relaunches it.
      this.event('launch-failed', { task: r.spec.name, error: (e as Error).message });
      r.state = 'relaunching';
      r.timer = setTimeout(() => { if (!r.held) this.launch(r); }, this.spec.relaunchDelayMs);
      return;
    }
    const env = sandbox && r.spec.env ? { ...r.spec.env, MESOS_SANDBOX: SANDBOX_PATH } : r.spec.env;
    const proc = spawnTask(r.spec.netns, r.spec.command, r.spec.args, join(this.spec.logDir, `${r.spec.name}.log`), env, sandbox);
    r.proc = proc;
    r.killing = false;
    r.state = 'running';
    r.startedAt = new Date().toISOString();
    this.event('launch', { task: r.spec.name, host: r.spec.host, pid: proc.pid, restarts: r.restarts, ...(sandbox ? { sandbox } : {}) });
    this.saveTasks();
    void proc.exited.then((exit) => this.onExit(r, proc, exit));
  }

  private onExit(r: Runtime, proc: TaskProcess, exit: { exitCode: number | undefined; signal: string | undefined }): void {
    if (r.proc !== proc) return;
    r.proc = undefined;
    r.lastExit = { ...exit, at: new Date().toISOString() };
    this.event('exit', { task: r.spec.name, pid: proc.pid, ...exit });
    if (this.stopping || r.held) {
      r.state = r.held ? 'stopped' : 'exited';
    } else {
      r.state = 'relaunching';
      r.restarts++;
      this.event('relaunch-scheduled', { task: r.spec.name, delayMs: this.spec.relaunchDelayMs, restart: r.restarts });
      r.timer = setTimeout(() => { if (!r.held) this.launch(r); }, this.spec.relaunchDelayMs);
    }
    this.saveTasks();
  }

  status(): { cluster: string; supervisorPid: number; tasks: TaskStatus[]; vip: ReturnType<L4lbController['status']> } {
    return {
      cluster: this.spec.cluster,
      supervisorPid: process.pid,
      tasks: [...this.tasks.values()].map((r) => ({
        name: r.spec.name, pod: r.spec.pod, role: r.spec.role, host: r.spec.host, ip: r.spec.ip, netns: r.spec.netns,
        pid: r.proc?.pid, state: r.state, restarts: r.restarts, startedAt: r.startedAt, lastExit: r.lastExit,
      })),
      vip: this.l4lb.status(),
    };
  }

  /** Sends a signal to a task. `relaunch: false` holds it down until `startTask`. */
  signalTask(name: string, signal: NodeJS.Signals, relaunch: boolean): { pid: number | undefined } {
    const r = this.runtime(name);
    r.held = !relaunch;
    // Held down while a relaunch was pending: the relaunch is cancelled too.
    if (r.held && r.timer) { clearTimeout(r.timer); r.timer = undefined; r.state = 'stopped'; }
    const pid = r.proc?.pid;
    // A kill with a grace period: Mesos reports TASK_KILLING until the task exits (dcos-net: weight 0).
    if (pid && (signal === 'SIGTERM' || signal === 'SIGINT')) r.killing = true;
    if (pid) process.kill(pid, signal);
    this.event('signal', { task: name, pid, signal, relaunch });
    return { pid };
  }

  /** A host crash: every task on the host dies and stays down until `restoreHost`. */
  crashHost(host: string): string[] {
    const hit = [...this.tasks.values()].filter((r) => r.spec.host === host);
    for (const r of hit) {
      r.held = true;
      if (r.timer) { clearTimeout(r.timer); r.timer = undefined; r.state = 'stopped'; }
      if (r.proc?.pid) try { process.kill(r.proc.pid, 'SIGKILL'); } catch { /* already gone */ }
    }
    this.event('host-crash', { host, tasks: hit.map((r) => r.spec.name) });
    return hit.map((r) => r.spec.name);
  }

  restoreHost(host: string): string[] {
    const hit = [...this.tasks.values()].filter((r) => r.spec.host === host && r.held);
    this.event('host-restore', { host, tasks: hit.map((r) => r.spec.name) });
    for (const r of hit) this.startTask(r.spec.name);
    return hit.map((r) => r.spec.name);
  }

  /** `pod replace`: the task's process stops, and it is relaunched from a new spec (usually on another host). */
  async moveTask(name: string, spec: TaskSpec): Promise<void> {
    const r = this.runtime(name);
    r.held = true;
    if (r.timer) { clearTimeout(r.timer); r.timer = undefined; }
    if (r.proc) await stopProcess(r.proc, 1_000);
    this.event('move', { task: name, from: r.spec.host, to: spec.host });
    // On the overlay the pod's own namespace goes with it: made anew on the new agent, with an address of that agent's
    // subnet, as the Mesos agent's network isolator makes a container's at launch (this runs in the machine's
    // namespaces, where a namespace made stays visible — not in the DC/OS surface's, whose `pod replace` asks for it).
    if (inOwnNetns(spec) && spec.host !== r.spec.host) {
      const state = readState();
      if (!state) throw new Error('no testbed state file: cannot record the moved pod\'s namespace');
      await removePodNetwork(spec);
      await createPodNetwork(state, spec, undefined);
      this.event('pod-network', { task: name, host: spec.host, netns: spec.netns, ip: spec.ip });
    }
    r.spec = { ...spec, name };
    r.held = false;
    this.launch(r);
  }

  startTask(name: string): void {
    const r = this.runtime(name);
    r.held = false;
    if (!r.proc && !r.timer) this.launch(r);
  }

  private runtime(name: string): Runtime {
    const r = this.tasks.get(name);
    if (!r) throw new HttpError(404, `no task named ${JSON.stringify(name)}`);
    return r;
  }

  private saveTasks(): void {
    // `signature`: what the process's command line must contain before `down` may kill a PID it finds here.
    const list = [...this.tasks.values()].map((r) => ({ name: r.spec.name, netns: r.spec.netns, pid: r.proc?.pid, command: r.spec.command, signature: [r.spec.command, ...r.spec.args.slice(0, 2)] }));
    writeFileSync(this.spec.tasksFile, JSON.stringify({ supervisorPid: process.pid, tasks: list }, null, 2));
  }

  /**
   * Stops every task: SIGTERM, then SIGKILL after the grace period. Gracefully (no `graceMs`): last stage first, each
   * task with its own grace. For teardown (`graceMs` given): all at once with that grace.
   */
  async shutdown(graceMs?: number): Promise<void> {
    this.stopping = true;
    this.l4lb.stop();
    for (const r of this.tasks.values()) if (r.timer) clearTimeout(r.timer);
    const running = () => [...this.tasks.values()].filter((r) => r.proc);
    if (graceMs !== undefined) {
      await Promise.all(running().map((r) => stopProcess(r.proc!, graceMs)));
    } else {
      const stages = [...new Set(this.spec.tasks.map((t) => t.stage))].sort((a, b) => b - a);
      for (const stage of stages) await Promise.all(running().filter((r) => r.spec.stage === stage).map((r) => stopProcess(r.proc!, r.spec.stopGraceSeconds * 1000)));
    }
    this.event('shutdown', {});
    this.saveTasks();
  }
}

async function stopProcess(p: TaskProcess, graceMs: number): Promise<void> {
  if (!p.pid) return;
  try { process.kill(p.pid, 'SIGTERM'); } catch { return; }
  const done = await Promise.race([p.exited.then(() => true), sleep(graceMs).then(() => false)]);
  if (!done) {
    try { process.kill(p.pid, 'SIGKILL'); } catch { /* already gone */ }
    await p.exited;
  }
}

class HttpError extends Error {
  constructor(readonly status: number, message: string) { super(message); }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

const shutdownBody = z.strictObject({ graceMs: z.number().int().min(0).max(60_000).optional() });
const signalBody = z.strictObject({ signal: z.enum(['SIGKILL', 'SIGTERM', 'SIGSTOP', 'SIGCONT', 'SIGINT', 'SIGHUP']), relaunch: z.boolean().default(true) });

/** Runs the supervisor daemon from its spec file until it is told to shut down. */
export async function runSupervisor(specFile: string): Promise<void> {
  const spec = supervisorSpecSchema.parse(JSON.parse(readFileSync(specFile, 'utf8')));
  const sup = new Supervisor(spec);
  let shuttingDown: Promise<void> | undefined;
  const shutdown = (graceMs?: number): Promise<void> => (shuttingDown ??= sup.shutdown(graceMs).then(() => { server.close(); rmSync(spec.socket, { force: true }); }));
  const server = createServer((req, res) => void handle(req, res));
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? '/', 'http://supervisor');
      const body = req.method === 'POST' ? await readBody(req) : undefined;
      const task = /^\/tasks\/([^/]+)\/(signal|start|move)$/.exec(url.pathname);
      const host = /^\/hosts\/([^/]+)\/(crash|restore)$/.exec(url.pathname);
      if (req.method === 'GET' && url.pathname === '/status') return reply(res, 200, sup.status());
      if (req.method === 'POST' && url.pathname === '/shutdown') {
        const { graceMs } = shutdownBody.parse(body ?? {});
        reply(res, 202, { stopping: true });
        await shutdown(graceMs);
        process.exit(0);
      }
      if (req.method === 'POST' && task?.[2] === 'signal') {
        const b = signalBody.parse(body ?? {});
        return reply(res, 200, sup.signalTask(decodeURIComponent(task[1]!), b.signal, b.relaunch));
      }
      if (req.method === 'POST' && task?.[2] === 'move') {
        await sup.moveTask(decodeURIComponent(task[1]!), body as TaskSpec);
        return reply(res, 200, { moved: true });
      }
      if (req.method === 'POST' && host?.[2] === 'crash') return reply(res, 200, { tasks: sup.crashHost(decodeURIComponent(host[1]!)) });
      if (req.method === 'POST' && host?.[2] === 'restore') return reply(res, 200, { tasks: sup.restoreHost(decodeURIComponent(host[1]!)) });
      if (req.method === 'POST' && task?.[2] === 'start') return reply(res, 200, (sup.startTask(decodeURIComponent(task[1]!)), { started: true }));
      reply(res, 404, { error: `no route ${req.method} ${url.pathname}` });
    } catch (e) {
      reply(res, e instanceof HttpError ? e.status : e instanceof z.ZodError ? 400 : 500, { error: String((e as Error).message) });
    }
  }
  rmSync(spec.socket, { force: true });
  await new Promise<void>((resolve) => server.listen(spec.socket, resolve));
  for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(sig, () => void shutdown().then(() => process.exit(0)));
  sup.event('supervisor-start', { pid: process.pid });
  await sup.start();
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString();
  return text ? JSON.parse(text) : undefined;
}
