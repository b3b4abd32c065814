// The testbed target of the Cluster interface: observes the running testbed through its hosts, DNS and APIs.
import { readFileSync } from 'node:fs';
import { Resolver } from 'node:dns/promises';
import { dirname, join } from 'node:path';
import { agentNumber, MASTER_IP, RUNNER_IP } from '../../config/addresses.ts';
import { run, runOrThrow } from '../../core/run.ts';
import { etcdMembers } from '../readers/etcdctl.ts';
import { kubeClients, leaderLeases, nodes, serviceAccountToken, type KubeClients } from '../readers/kube.ts';
import { FENCE_TABLE } from '../../testbed/nft-rules.ts';
import { inOwnNetns, podNetnsName, testbedPaths } from '../../testbed/paths.ts';
import { readState } from '../../testbed/state.ts';
import { requestSupervisor } from '../../testbed/supervisor/client.ts';
import type { TaskStatus } from '../../testbed/supervisor/api.ts';
import { placePod, planTopology, podDnsRecords, renderDnsHosts } from '../../testbed/topology.ts';
import { ETCD_TIMINGS, testbedOptionsSchema } from '../../config/options.ts';
import { binaryPaths, readVersions } from '../../upstream/versions.ts';
import { claimantsOf, gaugeOf, leaderTaskOf, parseEnviron, procPath, type Cluster, type LeaderGauge, type ProcessView, type Role, type TaskView, type HoldTaskDown, type HostFirewall, type HostFreeze, type HostPower, type MemberReplacement, type RunnerFence, type Signal, type ApiserverProbe } from '../cluster.ts';
import { etcdctl, etcdHashes } from '../readers/etcdctl.ts';
import { etcdRange, type EtcdKey } from '../readers/etcd-range.ts';
import { freezeHost, setHostFirewall, setHostLink, thawHost } from '../host-faults.ts';
import type { DropSpec } from '../fault-rules.ts';
import { leaderGauge, METRICS_PORTS } from '../leader-gauge.ts';
import { etcdTask, sdkTaskName, type TaskSpec } from '../../testbed/tasks.ts';
import { apiserverVipName, etcdClientUrls, etcdInitialCluster, etcdMemberName, etcdPeerName, VIP_PORT } from '../../config/naming.ts';
import { probeReadyz, type ReadyzAnswer } from '../readers/readyz.ts';
import { backupFile, previousBackup, restoreMemberData } from '../../testbed/defects.ts';
import { waitFor } from '../../core/wait.ts';
import type { TestbedOptions } from '../../config/options.ts';
import { mkdir, rm, readFile, utimes, writeFile } from 'node:fs/promises';
import { deadmanFilesIn, Heartbeats, listScript, listStoppedScript, startListedScript, unlistScript, unlistStoppedScript, type DeadmanFiles, type DeadmanKind } from '../deadman.ts';

export class TestbedCluster implements Cluster, HoldTaskDown, HostPower, HostFreeze, HostFirewall, MemberReplacement, RunnerFence, ApiserverProbe {
  readonly name: string;
  /** `instance`: when this testbed was made — an entry of an earlier testbed's fault went with its `down`. */
  readonly targetRef: { kind: 'testbed'; instance: string };
  readonly vip: { name: string; ip: string; port: number };
  readonly kubeconfig: string;
  readonly caFile: string;
  private readonly paths;
  private readonly agents: number;
  private readonly options: TestbedOptions;
  readonly adminCert: { cert: string; key: string };
  private clients: KubeClients | undefined;

  constructor() {
    const state = readState();
    if (!state) throw new Error('no haproof testbed is up (no state file)');
    const options = testbedOptionsSchema.parse(state.options);
    this.name = state.cluster;
    this.targetRef = { kind: 'testbed', instance: state.createdAt };
    this.agents = options.agents;
    this.vip = planTopology(options).vip;
    this.paths = testbedPaths(state.cluster);
    this.kubeconfig = this.paths.adminKubeconfig;
    this.caFile = join(this.paths.pki, 'ca.crt');
    this.options = options;
    this.adminCert = { cert: join(this.paths.pki, 'admin.crt'), key: join(this.paths.pki, 'admin.key') };
  }

  private etcdAccess() {
    return { cluster: this.name, members: 3, etcdctl: binaryPaths(readVersions()).etcdctl, pki: this.paths.pki };
  }

  private async supervisorTasks(): Promise<TaskStatus[]> {
    return ((await requestSupervisor(this.paths.socket, 'GET', '/status')) as { tasks: TaskStatus[] }).tasks;
  }

  /** Each apiserver's own /readyz at its address (1.5 s), whatever the VIP lists. */
  async apiserverReadiness(): Promise<Array<{ task: string; ip: string; answer: ReadyzAnswer }>> {
    const ca = readFileSync(this.caFile);
    const apiservers = (await this.supervisorTasks()).filter((t) => t.role === 'kube-apiserver');
    return Promise.all(apiservers.map(async (t) => ({ task: t.name, ip: t.ip, answer: await probeReadyz({ ip: t.ip, port: VIP_PORT, ca, servername: apiserverVipName(this.name), timeoutMs: 1_500 }) })));
  }

  async vipBackends(): Promise<string[]> {
    return ((await requestSupervisor(this.paths.socket, 'GET', '/status')) as { vip: { backends: string[] } }).vip.backends;
  }

  async tasks(): Promise<TaskView[]> {
    return (await this.supervisorTasks()).map((t) => ({ task: t.name, role: (t.role === 'dns' ? 'dns' : t.role) as Role, host: t.host, ip: t.ip, pid: t.pid, state: t.state, restarts: t.restarts }));
  }

  async hosts(): Promise<Array<{ host: string; ip: string }>> {
    return planTopology(this.options).hosts;
  }

  leaderTask(role: 'etcd' | 'kube-scheduler' | 'kube-controller-manager'): Promise<string | undefined> {
    return leaderTaskOf(this, role);
  }

  async leaderClaims(role: 'kube-scheduler' | 'kube-controller-manager'): Promise<string[]> {
    return claimantsOf(await this.leaderGauges(role));
  }

  async leaderGauges(role: 'kube-scheduler' | 'kube-controller-manager'): Promise<LeaderGauge[]> {
    const procs = (await this.supervisorTasks()).filter((t) => t.role === role && t.pid && t.state === 'running');
    const argv = new Map((await this.processes(role)).map((p) => [p.task, p.argv]));
    return Promise.all(procs.map(async (p) => ({ task: p.name, gauge: gaugeOf(await leaderGauge(p.ip, METRICS_PORTS[role], this.adminCert.cert, this.adminCert.key, 1_500).catch(() => 'unreadable' as const), argv.get(p.name) ?? []) })));
  }

  async crashHost(host: string): Promise<string[]> {
    const r = (await requestSupervisor(this.paths.socket, 'POST', `/hosts/${host}/crash`)) as { tasks: string[] };
    await setHostLink(host, false);
    return r.tasks;
  }

  async restoreHost(host: string): Promise<void> {
    await setHostLink(host, true);
    await requestSupervisor(this.paths.socket, 'POST', `/hosts/${host}/restore`);
  }

  /** With a dead-man switch (see deadman.ts): the frozen group is thawed by itself once this runner is gone. */
  async freezeHost(host: string): Promise<void> {
    const podNamespaces = [...new Set((await this.supervisorTasks()).filter((t) => t.host === host && inOwnNetns(t)).map((t) => t.netns))];
    await freezeHost(this.name, host, podNamespaces, this.deadmanFiles(host, 'frozen'));
    await this.heartbeats.add(host, 'frozen');
  }

  async thawHost(host: string): Promise<void> {
    await thawHost(this.name, host, this.deadmanFiles(host, 'frozen'));
    await this.released(host, 'frozen');
  }

  /** With a dead-man switch: the runner's heartbeat per faulted host lives under the testbed's work dir. */
  async setHostFirewall(host: string, spec: DropSpec | undefined): Promise<void> {
    await setHostFirewall(host, spec, this.deadmanFiles(host, 'firewall'));
    if (spec !== undefined) await this.heartbeats.add(host, 'firewall');
    else await this.released(host, 'firewall');
  }

  private deadmanFiles(host: string, kind: DeadmanKind): DeadmanFiles {
    return deadmanFilesIn(join(this.paths.work, 'deadman'), host, kind);
  }

  /** A fault of `kind` on the host is healed: its heartbeat goes once the host holds none of any kind. */
  private async released(host: string, kind: DeadmanKind): Promise<void> {
    if (this.heartbeats.remove(host, kind)) await rm(this.deadmanFiles(host, kind).heartbeat, { force: true });
  }

  private readonly heartbeats = new Heartbeats(async (host) => {
    const f = this.deadmanFiles(host, 'firewall').heartbeat;
    await mkdir(dirname(f), { recursive: true });
    const now = new Date();
    await writeFile(f, '').then(() => utimes(f, now, now));
  });

  async runnerAddresses(): Promise<string[]> {
    return [RUNNER_IP];
  }

  async etcdHashes(): Promise<Record<string, string>> {
    return etcdHashes(this.etcdAccess());
  }

  etcdRange(prefix: string, member?: number): Promise<EtcdKey[]> {
    return etcdRange(this.etcdAccess(), prefix, member);
  }

  async replaceEtcdMember(index: number, toHost: string): Promise<void> {
    const target = (await this.hosts()).find((h) => h.host === toHost);
    if (!target) throw new Error(`no host ${toHost}`);
    const taskName = `etcd-${index}-peer`;
    const memberName = etcdMemberName(index);
    const dnsName = etcdPeerName(this.name, index);
    const a = this.etcdAccess();
    // 1. The old pod instance is killed and stays down.
    const oldHost = (await this.supervisorTasks()).find((x) => x.name === taskName)?.host;
    await this.signalTaskHeld(taskName, 'SIGKILL');
    // 2. member remove, then member add with the same name and the same peer URL (DNS name).
    const list = JSON.parse((await etcdctl(a, ['member', 'list'])).stdout) as { members: Array<{ ID: string; name: string; peerURLs: string[] }> };
    const old = list.members.find((m) => m.name === memberName || m.peerURLs.some((u) => u.includes(dnsName)));
    if (old) {
      const removed = await etcdctl(a, ['member', 'remove', old.ID], 15_000);
      if (removed.failed) throw new Error(`etcdctl member remove ${old.ID}: ${removed.stderr}`);
    }
    const added = await etcdctl(a, ['member', 'add', memberName, `--peer-urls=https://${dnsName}:2380`], 15_000);
    if (added.failed) throw new Error(`etcdctl member add ${memberName}: ${added.stderr}`);
    const after = JSON.parse((await etcdctl(a, ['member', 'list'])).stdout) as { members: Array<{ name: string; peerURLs: string[] }> };
    const initialCluster = after.members.map((m) => `${m.name || memberName}=${m.peerURLs[0]}`).join(',');
    // 3. The pod gets its place on the new agent (on the overlay: an address of that agent's subnet, and a new
    // namespace the supervisor makes when it moves the task), and the DNS records follow it: the autoip name to the
    // pod's address (apiservers keep using the name), the Mesos-DNS name to agent and container.
    const placement = placePod(this.options, 'etcd', index, agentNumber(toHost));
    const records = podDnsRecords(this.name, placement);
    const hostsText = await readFile(this.paths.dnsHosts, 'utf8');
    const kept = hostsText.split('\n').filter((l) => l && !records.some((r) => r.name === l.split(' ')[1]));
    const moved = renderDnsHosts([...kept.map((l) => ({ ip: l.split(' ')[0]!, name: l.split(' ')[1]! })), ...records]);
    await writeFile(this.paths.dnsHosts, moved);
    await this.signalTask('dcos-dns', 'SIGHUP');
    // 4. Empty data dir, --initial-cluster-state=existing, on the new host.
    await rm(join(this.paths.data, `etcd-${index}`), { recursive: true, force: true });
    if (this.options.defect === 'split-store') {
      // Planted defect: the new member is restored from a snapshot of a healthy member as a one-member cluster of its
      // own (etcd's disaster-recovery restore applied to one member). It serves under etcd-N's DNS name, so the
      // apiservers' clients spread their requests over two stores.
      const from = etcdClientUrls(this.name, 3).find((u) => !u.includes(dnsName))!;
      const snapshot = join(this.paths.work, `split-store-${index}.db`);
      const saved = await etcdctl({ ...a, endpoints: [from] }, ['snapshot', 'save', snapshot], 60_000);
      if (saved.failed) throw new Error(`etcdctl snapshot save from ${from}: ${saved.stderr}`);
      await restoreMemberData(binaryPaths(readVersions()), snapshot, join(this.paths.data, `etcd-${index}`), this.name, index, `${memberName}=https://${dnsName}:2380`, `${this.name}-restored`);
    }
    const t = planTopology(this.options);
    const spec: TaskSpec = etcdTask(placement, { pod: placement.pod, host: placement.host, ip: placement.ip, index, netns: placement.netns }, initialCluster, 'existing', t, binaryPaths(readVersions()), this.paths, ETCD_TIMINGS[this.options.etcdTiming]);
    await requestSupervisor(this.paths.socket, 'POST', `/tasks/${taskName}/move`, spec, 15_000);
    // The move started it: it leaves the old host's held-marker, or that host's watcher would start it again once this
    // runner is gone — a CI run's watcher did so just as an uninstall had stopped it, and the supervisor relaunched it.
    if (oldHost) await this.unholdOn(oldHost, taskName);
  }

  loadToken(namespace: string): Promise<string> {
    return serviceAccountToken(this.kube(), namespace);
  }

  kube(): KubeClients {
    return (this.clients ??= kubeClients(this.kubeconfig));
  }

  etcdMembers() {
    return etcdMembers(this.etcdAccess());
  }

  async processes(role: Parameters<Cluster['processes']>[0]): Promise<ProcessView[]> {
    const s = (await requestSupervisor(this.paths.socket, 'GET', '/status')) as { tasks: TaskStatus[] };
    const views: ProcessView[] = [];
    for (const t of s.tasks.filter((x) => x.role === role && x.pid)) {
      let argv: string[];
      let env: string[];
      try {
        argv = readFileSync(`/proc/${t.pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
        env = readFileSync(`/proc/${t.pid}/environ`, 'utf8').split('\0');
      } catch {
        continue; // exited between the supervisor's answer and now: not a running process
      }
      // The host is whichever network namespace the process really runs in — an agent's; on the overlay a pod's own
      // namespace, which is on the agent the supervisor (standing for Mesos' agent) launched it on.
      const ns = (await run('ip', ['netns', 'identify', String(t.pid)])).stdout.trim();
      const host = ns.startsWith(podNetnsName('')) ? t.host : ns.replace(/^hpf-/, '');
      views.push({ task: t.name, role, host, pid: t.pid!, argv, restarts: t.restarts, sdkTask: env.find((e) => e.startsWith('TASK_NAME='))?.slice('TASK_NAME='.length) });
    }
    return views;
  }

  async resolve(name: string): Promise<string[]> {
    const r = new Resolver({ timeout: 1_000, tries: 2 });
    r.setServers([MASTER_IP]);
    return r.resolve4(name);
  }

  leaderLeases() {
    return leaderLeases(this.kube());
  }

  /** kwok's Nodes carry their agent as a label; a control-plane instance's Node (static pods) is found by its task. */
  async nodes() {
    const [listed, tasks] = await Promise.all([nodes(this.kube()), this.tasks()]);
    const instances = new Map(tasks.filter((t) => t.role === 'kube-apiserver').map((t) => [sdkTaskName(t.task), t.host]));
    return listed.map((n) => (n.host ? n : { ...n, host: instances.get(n.name.split('.')[0]!) ?? n.ip }));
  }

  async agentHosts(): Promise<string[]> {
    return Array.from({ length: this.agents }, (_, i) => `agent-${i + 1}`);
  }

  /** A SIGSTOP is listed with its dead-man switch first (the paused process is continued once this runner is gone). */
  async signalTask(task: string, signal: Signal): Promise<void> {
    const t = signal === 'SIGSTOP' || signal === 'SIGCONT' ? (await this.supervisorTasks()).find((x) => x.name === task) : undefined;
    const f = t && this.deadmanFiles(t.host, 'stopped');
    if (t?.pid && f && signal === 'SIGSTOP') {
      await this.heartbeats.add(t.host, 'stopped');
      await runOrThrow('sh', ['-c', listStoppedScript(f, [t.pid], Math.floor(Date.now() / 1000))]);
    }
    await requestSupervisor(this.paths.socket, 'POST', `/tasks/${encodeURIComponent(task)}/signal`, { signal, relaunch: true });
    if (t?.pid && f && signal === 'SIGCONT' && (await runOrThrow('sh', ['-c', unlistStoppedScript(f, [t.pid])])).stdout.trim().endsWith('none-left')) await this.released(t.host, 'stopped');
  }

  /** The supervisor holds the task down (no relaunch) until `startTask`. */
  /** With a dead-man switch: a held task is listed first, and started by the watcher once this runner is gone. */
  async signalTaskHeld(task: string, signal: 'SIGKILL' | 'SIGTERM'): Promise<void> {
    const host = (await this.supervisorTasks()).find((x) => x.name === task)?.host;
    if (host) {
      await this.heartbeats.add(host, 'held');
      await runOrThrow('sh', ['-c', listScript(this.deadmanFiles(host, 'held'), [task], startListedScript(process.execPath, this.paths.socket), Math.floor(Date.now() / 1000))]);
    }
    await requestSupervisor(this.paths.socket, 'POST', `/tasks/${encodeURIComponent(task)}/signal`, { signal, relaunch: false });
  }

  async startTask(task: string): Promise<void> {
    if (this.options.defect === 'stale-restore' && /^etcd-\d+-peer$/.test(task)) return this.restoreEtcdFromBackup(task);
    await requestSupervisor(this.paths.socket, 'POST', `/tasks/${encodeURIComponent(task)}/start`);
    await this.unhold(task);
  }

  /** A held task was started: it leaves its host's held-marker (the last one takes the marker, and its watcher, away). */
  private async unhold(task: string): Promise<void> {
    const host = (await this.supervisorTasks()).find((x) => x.name === task)?.host;
    if (host) await this.unholdOn(host, task);
  }

  private async unholdOn(host: string, task: string): Promise<void> {
    if ((await runOrThrow('sh', ['-c', unlistScript(this.deadmanFiles(host, 'held'), [task])])).stdout.trim().endsWith('none-left')) await this.released(host, 'held');
  }

  /**
   * Planted defect stale-restore: bringing a held etcd member back after a quorum loss is done by restoring every
   * member from the backup job's previous snapshot (see backupTask for why not the newest) (etcd's disaster-recovery procedure, with a backup older than the
   * members' own data): all members stop, each data dir is restored, all start. Once done, the other held members are
   * already running.
   */
  private async restoreEtcdFromBackup(task: string): Promise<void> {
    const etcds = (await this.supervisorTasks()).filter((t) => t.role === 'etcd');
    if (etcds.find((t) => t.name === task)?.state === 'running') return;
    for (const t of etcds.filter((x) => x.state === 'running')) await this.signalTaskHeld(t.name, 'SIGTERM');
    await waitFor('every etcd member stopped for the restore', async () => {
      const up = (await this.supervisorTasks()).filter((t) => t.role === 'etcd' && t.pid);
      return up.length === 0 ? true : { waiting: up.map((t) => t.name).join(', ') };
    }, 20_000);
    const b = binaryPaths(readVersions());
    const snapshot = previousBackup(backupFile(this.paths));
    for (const t of etcds) {
      await restoreMemberData(b, snapshot, join(this.paths.data, t.pod), this.name, Number(t.pod.replace("etcd-", "")), etcdInitialCluster(this.name, etcds.length), this.name);
    }
    for (const t of etcds) {
      await requestSupervisor(this.paths.socket, 'POST', `/tasks/${encodeURIComponent(t.name)}/start`);
      await this.unhold(t.name);
    }
  }

  readProcessFile(process: Pick<ProcessView, 'host' | 'pid'>, path: string): Promise<string> {
    // The testbed's hosts share this machine's pid namespace: the process's root is readable from here.
    return readFile(procPath(process.pid, path), 'utf8');
  }

  async processEnv(process: Pick<ProcessView, 'host' | 'pid'>): Promise<Record<string, string>> {
    return parseEnviron(await readFile(`/proc/${process.pid}/environ`, 'utf8'));
  }

  close(): void {
    this.clients = undefined;
  }

  async fenceEscapes(): Promise<number> {
    const r = await run('nft', ['-j', 'list', 'counter', 'inet', FENCE_TABLE, 'escaped']);
    if (r.failed) throw new Error(`cannot read the fence counter: ${r.stderr}`);
    const parsed = JSON.parse(r.stdout) as { nftables: Array<{ counter?: { packets: number } }> };
    const counter = parsed.nftables.find((x) => x.counter)?.counter;
    if (!counter) throw new Error('fence counter not found');
    return counter.packets;
  }
}

export function connectCluster(): TestbedCluster {
  return new TestbedCluster();
}

