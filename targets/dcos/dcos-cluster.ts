// The `dcos` target of the Cluster interface: a kubernetes-cluster service on DC/OS, seen only through DC/OS's own
// interfaces — the SDK scheduler API, Mesos master state, dcos-net's VIP table (all through Admin Router) — and SSH to
// the agents for what only a host can tell or do (processes, signals, firewall, etcdctl, the cluster's DNS).
// Hosts are named by their Mesos `hostname` (the agent's IP on DC/OS). It runs the same suites as the testbed target.
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { UsageError } from '../../config/options.ts';
import type { DcosClient } from '../../dcos/client.ts';
import { connectDcos } from '../../dcos/connect.ts';
import type { MesosFramework, MesosState, MesosTask } from '../../dcos/schemas.ts';
import type { DcosTarget } from '../../dcos/target-file.ts';
import { etcdHashes, etcdMembers, type EtcdAccess, type EtcdctlResult } from '../readers/etcdctl.ts';
import { batchScript, parseBatchOutput } from '../../core/shell-batch.ts';
import { etcdRange, type EtcdKey } from '../readers/etcd-range.ts';
import { kubeClients, leaderLeases, nodes, serviceAccountToken, type KubeClients, type NodeView } from '../readers/kube.ts';
import { claimantsOf, gaugeOf, leaderTaskOf, parseEnviron, procPath, type TargetRef, type Cluster, type LeaderGauge, type HostFirewall, type HostFreeze, type MemberReplacement, type ApiserverProbe, type PodRestart, type ProcessView, type Role, type Signal, type TaskView } from '../cluster.ts';
import { leaderGauge, METRICS_PORTS } from '../leader-gauge.ts';
import { installFaultFirewallScript, removeFaultFirewallScript, renderDropTable, type DropSpec } from '../fault-rules.ts';
import { deadmanFilesIn, deadmanScript, dropHeartbeatScript, Heartbeats, listStoppedScript, unlistStoppedScript } from '../deadman.ts';
import { shq, SshPool } from './ssh.ts';
import { probeReadyz, type ReadyzAnswer } from '../readers/readyz.ts';
import { waitFor } from '../../core/wait.ts';

/** How long a `pod replace` may take: image pull on a new agent plus the recover task (minutes on a real cluster). */
const REPLACE_TIMEOUT_MS = 15 * 60_000;

/** How long a host's process listing is shared by the reads that want it (a signal always lists afresh). */
const LISTING_TTL_MS = 1_000;
/** How long an etcd member's pid is reused for entering its task (a relaunch is noticed by nsenter failing). */
const ETCD_PID_TTL_MS = 10_000;

/** How long one Mesos state answer is reused: well under the observer's 1 s sampling and any relaunch delay. */
const STATE_TTL_MS = 300;


/** The processes haproof looks at, by executable name, and the SDK task (by name pattern) each one runs in. */
const ROLE_TASKS: Array<{ role: Role; exe: string; task: RegExp }> = [
  { role: 'etcd', exe: 'etcd', task: /^etcd-\d+-peer$/ },
  { role: 'kube-apiserver', exe: 'kube-apiserver', task: /^kube-control-plane-\d+-instance$/ },
  { role: 'kube-controller-manager', exe: 'kube-controller-manager', task: /^kube-control-plane-\d+-instance$/ },
  { role: 'kube-scheduler', exe: 'kube-scheduler', task: /^kube-control-plane-\d+-instance$/ },
  // On the testbed kwok stands in for the kubelet of a kube-node pod.
  { role: 'kwok', exe: 'kwok', task: /^kube-node-\d+-kubelet$/ },
  { role: 'kwok', exe: 'kubelet', task: /^kube-node-\d+-kubelet$/ },
];

/** One SDK task can hold several processes (kube-control-plane-N-instance: apiserver, controller-manager, scheduler). */
export function processTaskName(mesosTask: string, role: Role): string {
  return /^kube-control-plane-/.test(mesosTask) ? `${mesosTask}:${role}` : mesosTask;
}

function parseProcessTaskName(name: string): { mesosTask: string; role: Role | undefined } {
  const [mesosTask, role] = name.split(':') as [string, Role | undefined];
  return { mesosTask, role };
}

/**
 * Lists the processes of the roles above on an agent, in any namespace (SDK tasks are nested containers with network
 * namespaces of their own on the `dcos` overlay; a control-plane instance's apiserver, controller-manager and scheduler
 * are static pods of that task's kubelet), one per line: pid TAB FRAMEWORK_NAME TAB TASK_NAME (or -) TAB argv by TAB.
 * The SDK puts FRAMEWORK_NAME and TASK_NAME in its task's environment (dcos-commons 0.57.3 PodInfoBuilder); a static
 * pod's process has its container runtime's environment instead, so the listing walks up the process's ancestors to
 * the first that carries them. pgrep does the matching, so only the few candidates are read from /proc.
 */
export const LIST_PROCESSES = `for pid in $(pgrep -f '^([^ ]*/)?(${[...new Set(ROLE_TASKS.map((r) => r.exe))].join('|')})( |$)'); do
  p=$pid; fw=; tn=
  while [ -n "$p" ] && [ "$p" -gt 1 ]; do
    env=$(tr '\\0' '\\n' < /proc/$p/environ 2>/dev/null)
    fw=$(printf '%s\\n' "$env" | sed -n 's/^FRAMEWORK_NAME=//p' | head -n1)
    if [ -n "$fw" ]; then tn=$(printf '%s\\n' "$env" | sed -n 's/^TASK_NAME=//p' | head -n1); break; fi
    p=$(sed -n 's/^PPid:[[:space:]]*//p' /proc/$p/status 2>/dev/null)
  done
  printf '%s\\t%s\\t%s\\t' "$pid" "\${fw:--}" "\${tn:--}"; tr '\\0' '\\t' < /proc/$pid/cmdline 2>/dev/null; echo
done; true`;

export interface ListedProcess {
  pid: number;
  /** FRAMEWORK_NAME of the process or its nearest ancestor that has one: the SDK service it belongs to. */
  framework: string | undefined;
  /** TASK_NAME beside it: the SDK task (e.g. `kube-control-plane-0-instance`). */
  sdkTask: string | undefined;
  argv: string[];
}

/** Parses LIST_PROCESSES output. Pure. */
export function parseProcessList(text: string): ListedProcess[] {
  const named = (v: string | undefined) => (v && v !== '-' ? v : undefined);
  return text.split('\n').filter(Boolean).map((line) => {
    const [pid, fw, tn, ...argv] = line.split('\t');
    return { pid: Number(pid), framework: named(fw), sdkTask: named(tn), argv: argv.filter(Boolean) };
  }).filter((p) => Number.isInteger(p.pid) && p.argv.length > 0);
}

/** The processes of one service only: a process of another framework (or of none) on the same agent is never touched. */
export function serviceProcessesOf(listed: readonly ListedProcess[], service: string): ListedProcess[] {
  return listed.filter((p) => p.framework === service && p.sdkTask !== undefined);
}

/** The listed processes that belong to tasks Mesos places on `host` (by their TASK_NAME) (pure). */
export function processesOfHostTasks(procs: readonly ListedProcess[], tasks: ReadonlyArray<Pick<TaskView, 'task' | 'host'>>, host: string): ListedProcess[] {
  const onHost = new Set(tasks.filter((t) => t.host === host).map((t) => parseProcessTaskName(t.task).mesosTask));
  return procs.filter((p) => p.sdkTask !== undefined && onHost.has(p.sdkTask));
}

export function roleOfExe(argv0: string): Role | undefined {
  const base = argv0.split('/').pop();
  return ROLE_TASKS.find((r) => r.exe === base)?.role;
}

export class DcosCluster implements Cluster, HostFreeze, HostFirewall, MemberReplacement, ApiserverProbe, PodRestart {
  readonly name: string;
  readonly kubeconfig: string;
  readonly caFile: string;
  readonly adminCert: { cert: string; key: string };
  targetRef: TargetRef = { kind: 'dcos' };
  private clients: KubeClients | undefined;

  private constructor(
    private readonly target: DcosTarget & { kubernetes: NonNullable<DcosTarget['kubernetes']>; etcd: NonNullable<DcosTarget['etcd']> },
    private readonly dcos: DcosClient,
    private readonly ssh: SshPool,
    readonly vip: { name: string; ip: string; port: number },
  ) {
    this.name = target.cluster;
    this.kubeconfig = target.kubernetes.kubeconfig;
    this.caFile = target.kubernetes.caFile;
    this.adminCert = { cert: target.kubernetes.clientCert, key: target.kubernetes.clientKey };
  }

  /** Logs in, finds the apiserver VIP from the SDK endpoint and resolves it with the cluster's DNS on an agent. */
  static async connect(target: DcosTarget): Promise<DcosCluster> {
    const { kubernetes, etcd } = target;
    if (!kubernetes) throw new UsageError('target file: kubernetes: required to run the suites ({kubeconfig, caFile, clientCert, clientKey})');
    if (!etcd) throw new UsageError('target file: etcd: required to run the suites ({etcdctl, caFile, certFile, keyFile} as paths on the agents)');
    const ssh = new SshPool({ ...target.ssh });
    const dcos = await connectDcos(target).catch((e: unknown) => { ssh.close(); throw e; });
    try {
      const ep = await dcos.endpoint('apiserver');
      if (!ep.vip) throw new Error(`the SDK endpoint "apiserver" of ${target.cluster} names no VIP`);
      const [vipName, vipPort] = [ep.vip.slice(0, ep.vip.lastIndexOf(':')), Number(ep.vip.slice(ep.vip.lastIndexOf(':') + 1))];
      const agents = (await dcos.mesosSlaves()).filter((a) => a.active);
      if (!agents.length) throw new Error('Mesos lists no active agent');
      // Any agent's resolver will do; right after a (re)install the name may take a moment (a CI run saw one agent's
      // lookup time out once), so each agent is asked in turn, for up to a minute.
      const ips = await waitFor(`the VIP name ${vipName} to resolve on an agent`, async () => {
        for (const a of agents) {
          const r = await resolveOn(ssh, a.hostname, vipName).catch(() => []);
          if (r.length) return r;
        }
        return { waiting: `no agent resolves it yet (${agents.length} asked)` };
      }, 60_000, undefined, 1_000);
      if (ips.length !== 1) throw new Error(`the VIP name ${vipName} resolves to ${JSON.stringify(ips)}, expected one address`);
      return new DcosCluster({ ...target, kubernetes, etcd }, dcos, ssh, { name: vipName, ip: ips[0]!, port: vipPort });
    } catch (e) {
      ssh.close();
      dcos.close();
      throw e;
    }
  }

  close(): void {
    this.ssh.close();
    this.dcos.close();
    this.clients = undefined;
  }

  kube(): KubeClients {
    return (this.clients ??= kubeClients(this.kubeconfig));
  }

  // ---- what Mesos knows ----

  /** Mesos state, shared by the calls of one moment (an observer sample asks for it several times a second). */
  private stateCache: { at: number; state: Promise<MesosState> } | undefined;

  private async framework(): Promise<{ state: MesosState; fw: MesosFramework | undefined; agentHost: Map<string, string> }> {
    if (!this.stateCache || Date.now() - this.stateCache.at > STATE_TTL_MS) {
      const state = this.dcos.mesosState();
      this.stateCache = { at: Date.now(), state };
      state.catch(() => { this.stateCache = undefined; });
    }
    const state = await this.stateCache.state;
    const fw = state.frameworks.find((f) => f.name === this.name && f.active) ?? state.frameworks.find((f) => f.name === this.name);
    return { state, fw, agentHost: new Map(state.slaves.map((s) => [s.id, s.hostname])) };
  }

  async hosts(): Promise<Array<{ host: string; ip: string }>> {
    const state = await this.dcos.mesosState();
    const master = state.hostname ? [{ host: state.hostname, ip: state.hostname }] : [];
    return [...master, ...state.slaves.map((s) => ({ host: s.hostname, ip: s.hostname }))];
  }

  async agentHosts(): Promise<string[]> {
    return (await this.dcos.mesosSlaves()).filter((a) => a.active).map((a) => a.hostname);
  }

  /** One entry per process role of each running SDK task (a control-plane instance gives three). */
  async tasks(): Promise<TaskView[]> {
    const { fw, agentHost } = await this.framework();
    return this.tasksOf(fw, agentHost);
  }

  private tasksOf(fw: MesosFramework | undefined, agentHost: Map<string, string>): TaskView[] {
    if (!fw) return [];
    const relaunches = (name: string) => fw.completed_tasks.filter((t) => t.name === name).length;
    const views: TaskView[] = [];
    for (const t of fw.tasks) {
      for (const r of ROLE_TASKS.filter((x) => x.task.test(t.name) && x.exe !== 'kubelet')) {
        const host = agentHost.get(t.slave_id) ?? '';
        views.push({ task: processTaskName(t.name, r.role), role: r.role, host, ip: taskIp(t) ?? host, pid: undefined, state: mesosStateName(t), restarts: relaunches(t.name) });
      }
    }
    return views;
  }

  async processes(role: Role): Promise<ProcessView[]> {
    const { fw, agentHost } = await this.framework();
    const tasks = this.tasksOf(fw, agentHost).filter((t) => t.role === role && t.state === 'running');
    const hosts = [...new Set(tasks.map((t) => t.host))];
    const listed = await Promise.all(hosts.map(async (h) => ({ host: h, procs: await this.serviceProcesses(h) })));
    const views: ProcessView[] = [];
    for (const { host, procs } of listed) {
      for (const p of procs.filter((x) => roleOfExe(x.argv[0]!) === role)) {
        // The SDK task the process belongs to (its TASK_NAME), as Mesos lists it on this host.
        const task = tasks.find((t) => t.host === host && t.task === processTaskName(p.sdkTask!, role));
        if (task) views.push({ task: task.task, role, host, pid: p.pid, argv: p.argv, restarts: task.restarts, sdkTask: p.sdkTask });
      }
    }
    return views;
  }

  /** This service's processes on a host, found by the SDK's FRAMEWORK_NAME (never another framework's). */
  private async serviceProcesses(host: string, fresh = false): Promise<ListedProcess[]> {
    // One listing per host shared by the reads that want it within LISTING_TTL_MS (a health check asks for it from the
    // /readyz probe, both leader gauges and etcd at once; each listing is an SSH session running pgrep and reading
    // /proc on the agent, and under a scenario's load these made a health check take 8–10 s here). A signal always
    // lists afresh.
    const cached = this.listings.get(host);
    if (!fresh && cached && Date.now() - cached.at < LISTING_TTL_MS) return cached.procs;
    const procs = this.ssh.execOk(host, LIST_PROCESSES).then((out) => serviceProcessesOf(parseProcessList(out), this.name));
    this.listings.set(host, { at: Date.now(), procs });
    procs.catch(() => { if (this.listings.get(host)?.procs === procs) this.listings.delete(host); });
    return procs;
  }

  /**
   * Each running apiserver task's own /readyz, asked from the runner at the task's address (as the leader gauges are
   * read): with static pods the task stays TASK_RUNNING while its kubelet restarts a dead apiserver, and dcos-net keeps
   * it in the VIP, so neither Mesos nor the VIP table can tell a crash-looping apiserver from a serving one. The address
   * and port are where the process listens (`--bind-address` when it names one, `--secure-port`); a dead process has no
   * command line: then the task's address and the VIP's port, which dcos-net maps one to one. The admin client
   * certificate is presented (an apiserver may refuse anonymous requests). Only running tasks are asked: the health
   * check counts the answers, so a task that is not running is an apiserver that does not serve.
   */
  async apiserverReadiness(): Promise<Array<{ task: string; ip: string; answer: ReadyzAnswer }>> {
    const [ca, cert, key] = [this.caFile, this.adminCert.cert, this.adminCert.key].map((f) => readFileSync(f)) as [Buffer, Buffer, Buffer];
    const running = (await this.tasks()).filter((t) => t.role === 'kube-apiserver' && t.state === 'running');
    const argv = new Map((await this.processes('kube-apiserver')).map((p) => [p.task, p.argv]));
    return Promise.all(running.map(async (t) => {
      const { ip, port } = apiserverAddress(argv.get(t.task) ?? [], t.ip, this.vip.port);
      return { task: t.task, ip, answer: await probeReadyz({ ip, port, ca, servername: this.vip.name, timeoutMs: 1_500, client: { cert, key } }) };
    }));
  }

  async vipBackends(): Promise<string[]> {
    const entry = (await this.dcos.vips()).find((v) => v.vip === `${this.vip.name}:${this.vip.port}`);
    return entry ? entry.backend.map((b) => b.ip) : [];
  }

  // ---- etcd, over SSH on an agent that runs a member ----

  /** The etcd member process of each host, for entering its task's namespaces (reused for a few seconds). */
  private readonly etcdPids = new Map<string, { pid: number; at: number }>();
  private readonly listings = new Map<string, { at: number; procs: Promise<ListedProcess[]> }>();

  /** The pid of the etcd task Mesos places on `host` (its process found by FRAMEWORK_NAME and TASK_NAME). */
  private async etcdPidOn(host: string, tasks: readonly TaskView[]): Promise<number | undefined> {
    const cached = this.etcdPids.get(host);
    if (cached && Date.now() - cached.at < ETCD_PID_TTL_MS) return cached.pid;
    const pid = processesOfHostTasks(await this.serviceProcesses(host), tasks, host).find((p) => roleOfExe(p.argv[0]!) === 'etcd')?.pid;
    if (pid === undefined) this.etcdPids.delete(host);
    else this.etcdPids.set(host, { pid, at: Date.now() });
    return pid;
  }

  private async etcdAccess(): Promise<EtcdAccess> {
    const tasks = await this.tasks();
    const etcd = tasks.filter((t) => t.role === 'etcd');
    const hosts = [...new Set(etcd.filter((t) => t.state === 'running').map((t) => t.host))];
    const members = etcd.length || 3;
    const e = this.target.etcd;
    // Any member's host will do: the first where a call answers is used — fully, or partly (`--cluster` calls print
    // the members that answered and exit non-zero). A host that gives nothing (cut off from its peers, frozen,
    // unreachable, its member not running) is passed over for the calls it did not answer.
    const execAll = async (argvs: string[][], timeoutMs: number): Promise<EtcdctlResult[]> => {
      const answered = (r: EtcdctlResult) => !r.failed || r.stdout.trim() !== '';
      const results: EtcdctlResult[] = argvs.map(() => ({ failed: true, stdout: '', stderr: 'no etcd host' }));
      for (const h of hosts) {
        const pending = argvs.map((_a, i) => i).filter((i) => !answered(results[i]!));
        if (!pending.length) break;
        const got = await this.etcdctlOn(h, tasks, pending.map((i) => argvs[i]!), timeoutMs);
        pending.forEach((i, k) => { if (answered(got[k]!) || !results[i]!.stdout) results[i] = got[k]!; });
      }
      return results;
    };
    return {
      cluster: this.name, members, etcdctl: e.etcdctl, files: { caFile: e.caFile, certFile: e.certFile, keyFile: e.keyFile },
      exec: async (argv, timeoutMs) => (await execAll([argv], timeoutMs))[0]!,
      execAll,
    };
  }

  /**
   * Runs the etcdctl calls `argvs` at once on `host` — inside its etcd task when the target file says `in: task` — in
   * one SSH session (a session per call made each etcd sample seven sessions, 6–9 s under a scenario's load).
   */
  private async etcdctlOn(host: string, tasks: readonly TaskView[], argvs: readonly string[][], timeoutMs: number): Promise<EtcdctlResult[]> {
    const failed = (stderr: string) => argvs.map(() => ({ failed: true, stdout: '', stderr }));
    let inTask = (command: string) => command;
    if (this.target.etcd.in === 'task') {
      // Inside the etcd task: its image's etcdctl, its sandbox's certificates, its network (the overlay) and its
      // resolver — the way `dcos task exec <svc>__etcd-N-peer etcdctl …` runs it.
      const pid = await this.etcdPidOn(host, tasks);
      if (pid === undefined) return failed(`no etcd process of ${this.name} runs on ${host}`);
      inTask = (command) => etcdctlInTask(pid, command);
    }
    const commands = argvs.map((argv) => inTask(argv.map(shq).join(' ')));
    try {
      // Each call ends a second before the session's own timeout, so one hanging call costs only its own answer; a
      // call that went unreported says what the session said (sudo refused, no temporary directory, …).
      const results = commands.length === 1
        ? [await this.ssh.exec(host, commands[0]!, { timeoutMs })]
        : await this.ssh.exec(host, batchScript(commands, timeoutMs / 1000 - 1), { timeoutMs })
          .then((r) => parseBatchOutput(r.stdout, commands.length, `no result from the batch on ${host} (exit ${r.code}): ${r.stderr.trim().split('\n').slice(-2).join(' ')}`));
      // A member relaunched since its pid was read: look again next time.
      if (results.some((r) => r.code !== 0 && /nsenter/.test(r.stderr))) this.etcdPids.delete(host);
      return results.map((r) => ({ failed: r.code !== 0, stdout: r.stdout, stderr: r.stderr }));
    } catch (err) {
      return failed((err as Error).message);
    }
  }

  async etcdMembers() {
    return etcdMembers(await this.etcdAccess());
  }

  async etcdHashes(): Promise<Record<string, string>> {
    return etcdHashes(await this.etcdAccess());
  }

  async etcdRange(prefix: string, member?: number): Promise<EtcdKey[]> {
    return etcdRange(await this.etcdAccess(), prefix, member);
  }

  /** `pod replace etcd-N` through the SDK; the framework picks the new agent (UNIQUE placement) and runs etcd-N-recover. */
  async replaceEtcdMember(index: number, _toHost: string): Promise<void> {
    const pod = `etcd-${index}`;
    const peer = `${pod}-peer`;
    // Only the member task counts: the pod also holds the one-shot etcd-N-recover task, which ends. The SDK may place
    // the new instance on any agent (even the old one once its reservation is freed): a new task id is the sign.
    const peerOf = (info: Awaited<ReturnType<DcosClient['podInfo']>>) => info.find((t) => t.info.name === peer);
    const before = peerOf(await this.dcos.podInfo(pod))?.info.taskId.value;
    await this.dcos.podReplace(pod);
    // On a real cluster a replace can take minutes (a new agent pulls the image, etcd-N-recover runs first).
    await waitFor(`pod replace ${pod}: ${peer} running as a new task`, async () => {
      const now = peerOf(await this.dcos.podInfo(pod));
      if (now && now.info.taskId.value !== before && now.status?.state === 'TASK_RUNNING') return true;
      return { waiting: now ? `${peer} is ${now.info.taskId.value === before ? 'still the old task' : now.status?.state ?? 'not launched'}` : `${peer} not listed` };
    }, REPLACE_TIMEOUT_MS, undefined, 1_000);
  }

  /** `pod restart <pod>` through the SDK: it answers once the kill is asked; the relaunch is the caller's to wait for. */
  async restartPod(pod: string): Promise<void> {
    const r = await this.dcos.podRestart(pod);
    if (!r.tasks.length) throw new Error(`pod restart ${pod}: the scheduler named no task to restart`);
  }

  // ---- Kubernetes ----

  leaderLeases() {
    return leaderLeases(this.kube());
  }

  /** Nodes with their host = the agent whose address is the Node's InternalIP. */
  /**
   * Each Node on the agent that runs its kubelet task: a Node is named by that task's Mesos-DNS name
   * (`kube-node-N-kubelet.<svc>.mesos`, `kube-control-plane-N-instance.<svc>.mesos`), so the task — and Mesos' agent for it — is found by name. Not by the Node's
   * address: on the `dcos` overlay a kubelet's InternalIP is its container's, no agent's (seen on the overlay testbed).
   * A Node whose task Mesos does not list keeps its own address as host (conformance then names it).
   */
  async nodes(): Promise<NodeView[]> {
    const [listed, tasks] = await Promise.all([nodes(this.kube()), this.tasks()]);
    // A kube-node's kubelet task, or a control-plane instance task (whose own kubelet registers it: static pods).
    const kubelets = new Map(tasks.filter((t) => t.role === 'kwok' || t.role === 'kube-apiserver').map((t) => [parseProcessTaskName(t.task).mesosTask, t.host]));
    return listed.map((n) => ({ ...n, host: kubelets.get(n.name.split('.')[0]!) ?? n.ip }));
  }

  loadToken(namespace: string): Promise<string> {
    return serviceAccountToken(this.kube(), namespace);
  }

  async leaderClaims(role: 'kube-scheduler' | 'kube-controller-manager'): Promise<string[]> {
    return claimantsOf(await this.leaderGauges(role));
  }

  async leaderGauges(role: 'kube-scheduler' | 'kube-controller-manager'): Promise<LeaderGauge[]> {
    const procs = await this.processes(role);
    const addr = (p: ProcessView) => p.argv.find((a) => a.startsWith('--bind-address='))?.split('=')[1] ?? p.host;
    return Promise.all(procs.map(async (p) => ({ task: p.task, gauge: gaugeOf(await leaderGauge(addr(p), METRICS_PORTS[role], this.adminCert.cert, this.adminCert.key, 1_500).catch(() => 'unreadable' as const), p.argv) })));
  }

  leaderTask(role: 'etcd' | 'kube-scheduler' | 'kube-controller-manager'): Promise<string | undefined> {
    return leaderTaskOf(this, role);
  }

  // ---- host actions over SSH ----

  async resolve(name: string): Promise<string[]> {
    const [agent] = await this.agentHosts();
    if (!agent) throw new Error('no active agent to resolve names on');
    return resolveOn(this.ssh, agent, name);
  }

  readProcessFile(process: Pick<ProcessView, 'host' | 'pid'>, path: string): Promise<string> {
    // Through the process's own root: a static pod's or a nested container's files are not on the agent's filesystem.
    return this.ssh.execOk(process.host, `cat ${shq(procPath(process.pid, path))}`);
  }

  async processEnv(process: Pick<ProcessView, 'host' | 'pid'>): Promise<Record<string, string>> {
    // base64 keeps the NUL separators intact through the SSH session's text.
    const out = await this.ssh.execOk(process.host, `base64 -w0 < /proc/${process.pid}/environ`);
    return parseEnviron(Buffer.from(out.trim(), 'base64').toString('utf8'));
  }

  /** Signals the task's processes on its agent (DC/OS relaunches a task that dies; no task can be held down here). */
  async signalTask(task: string, signal: Signal): Promise<void> {
    const { mesosTask, role } = parseProcessTaskName(task);
    const view = (await this.tasks()).find((t) => t.task === task || (role === undefined && t.task.startsWith(mesosTask)));
    if (!view) throw new Error(`no running task ${JSON.stringify(task)}`);
    const procs = (await this.processes(view.role)).filter((p) => p.task === view.task);
    if (!procs.length) throw new Error(`task ${task}: no ${view.role} process found on ${view.host}`);
    const pids = procs.map((p) => p.pid);
    if (signal === 'SIGSTOP' || signal === 'SIGCONT') await this.stopOrContinue(view.host, pids, signal === 'SIGSTOP' ? 'STOP' : 'CONT');
    else await this.ssh.execOk(view.host, `kill -s ${signal.replace(/^SIG/, '')} ${pids.join(' ')}`);
  }

  /** Stops (SIGSTOP) every process of the SDK's tasks on the host; sshd and the DC/OS agent keep running. */
  async freezeHost(host: string): Promise<void> {
    await this.signalHostTasks(host, 'STOP');
  }

  async thawHost(host: string): Promise<void> {
    await this.signalHostTasks(host, 'CONT');
  }

  private async signalHostTasks(host: string, signal: 'STOP' | 'CONT'): Promise<void> {
    // Only the processes of tasks Mesos places on this agent: an agent's `ps` may see more than its own (on the
    // testbed every agent shares one pid namespace, and a freeze of one agent stopped the whole service).
    const procs = processesOfHostTasks(await this.serviceProcesses(host, true), await this.tasks(), host);
    // A freeze that matches nothing would report success and test nothing; a thaw of nothing is a heal with nothing left.
    if (!procs.length && signal === 'STOP') throw new Error(`freeze ${host}: no process of ${this.name} (FRAMEWORK_NAME) runs on that host`);
    if (procs.length) await this.stopOrContinue(host, procs.map((p) => p.pid), signal);
  }

  /**
   * SIGSTOP / SIGCONT with a dead-man switch: before a stop, its pids are listed in the host's stopped-marker and a
   * watcher is started there (one per host) that continues every listed pid once this runner's heartbeat stops; a
   * continue takes its pids out, and the last one removes the marker (the watcher then ends).
   */
  private async stopOrContinue(host: string, pids: readonly number[], signal: 'STOP' | 'CONT'): Promise<void> {
    const f = deadmanFilesIn(this.deadmanDir, host, 'stopped');
    if (signal === 'STOP') {
      // Beating before the stop: a kill that fails for one pid (it exited) must not leave the others to the watcher.
      await this.heartbeats.add(host, 'stopped');
      await this.ssh.execOk(host, `${listStoppedScript(f, pids, Math.floor(Date.now() / 1000))} && kill -s STOP ${pids.join(' ')}`);
      return;
    }
    // A pid that exited meanwhile cannot be continued; the others are, and the marker is updated either way.
    const left = await this.ssh.execOk(host, `kill -s CONT ${pids.join(' ')} 2>/dev/null; ${unlistStoppedScript(f, pids)}`);
    if (left.trim().endsWith('none-left') && this.heartbeats.remove(host, 'stopped')) await this.ssh.execOk(host, dropHeartbeatScript(f));
  }

  /** Where the host sees haproof's SSH session come from: the client address of `$SSH_CONNECTION` on that host. */
  async runnerAddresses(host: string): Promise<string[]> {
    const line = (await this.ssh.execOk(host, 'echo "$SSH_CONNECTION"')).trim();
    return parseSshConnection(line);
  }

  /** Removes haproof's fault table (if there) and installs the new one, checked: a heal that did not happen is an error. */
  async setHostFirewall(host: string, spec: DropSpec | undefined): Promise<void> {
    const f = deadmanFilesIn(this.deadmanDir, host, 'firewall');
    const last = spec === undefined && this.heartbeats.remove(host, 'firewall');
    await this.ssh.execOk(host, `rm -f ${shq(f.marker)}; ${last ? `${dropHeartbeatScript(f)}; ` : ''}${removeFaultFirewallScript()}`);
    if (spec === undefined) return;
    await this.ssh.execOk(host, installFaultFirewallScript(spec), { input: renderDropTable(spec) });
    // The dead-man switch, on the agent itself: undoes the firewall once this runner's heartbeat stops.
    const watcher = deadmanScript(f, `(${removeFaultFirewallScript()}) >/dev/null 2>&1`, Math.floor(Date.now() / 1000));
    await this.ssh.execOk(host, `mkdir -p ${shq(dirname(f.marker))} && touch ${shq(f.heartbeat)} ${shq(f.marker)} && (nohup setsid sh -c ${shq(watcher)} >/dev/null 2>&1 &)`);
    await this.heartbeats.add(host, 'firewall');
  }

  /** The dead-man files on an agent: per service and agent, under /run (tmpfs: gone with a reboot, as the faults are). */
  private get deadmanDir(): string {
    return `/run/haproof-${this.name.replaceAll('/', '-')}`;
  }

  private readonly heartbeats = new Heartbeats(async (host) => { await this.ssh.execOk(host, `mkdir -p ${shq(this.deadmanDir)} && touch ${shq(deadmanFilesIn(this.deadmanDir, host, 'firewall').heartbeat)}`, { timeoutMs: 5_000 }); });
}

/** A command run inside the namespaces (mount, network) of the task whose process is `pid` (pure). */
export function etcdctlInTask(pid: number, command: string): string {
  return `nsenter -t ${pid} -m -n -- ${command}`;
}

/**
 * Where an apiserver listens (pure): `--bind-address` when it names one address, else the task's address (the
 * advertised address is what the apiserver publishes, which may be a balancer's); `--secure-port`, else the VIP's port.
 */
export function apiserverAddress(argv: readonly string[], taskIp: string, vipPort: number): { ip: string; port: number } {
  const flag = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const bind = flag('bind-address');
  const ip = bind && !['0.0.0.0', '::', ''].includes(bind) ? bind : taskIp;
  const port = Number(flag('secure-port') ?? vipPort);
  return { ip, port: Number.isInteger(port) && port > 0 ? port : vipPort };
}

/** The client address of an `$SSH_CONNECTION` value (`client-ip client-port server-ip server-port`), IPv4 only (pure). */
export function parseSshConnection(line: string): string[] {
  const client = line.trim().split(/\s+/)[0] ?? '';
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(client) ? [client] : [];
}

/** IPv4 addresses of a name as a host of the cluster resolves it (its resolver: dcos-dns / mesos-dns). */
async function resolveOn(ssh: SshPool, host: string, name: string): Promise<string[]> {
  const r = await ssh.exec(host, `getent ahostsv4 ${shq(name)}`, { timeoutMs: 10_000 });
  if (r.code === 2) return [];
  if (r.code !== 0) throw new Error(`resolve ${name} on ${host}: getent exited ${r.code}: ${r.stderr.trim()}`);
  return [...new Set(r.stdout.split('\n').map((l) => l.split(/\s+/)[0]).filter((x): x is string => !!x))];
}

function taskIp(t: MesosTask): string | undefined {
  const last = t.statuses[t.statuses.length - 1];
  return last?.container_status?.network_infos?.[0]?.ip_addresses?.[0]?.ip_address;
}

function mesosStateName(t: MesosTask): string {
  return t.state === 'TASK_RUNNING' ? 'running' : t.state.replace(/^TASK_/, '').toLowerCase();
}
