// `haproof up`: builds (if needed) and starts the whole HA control plane on this machine, then waits for all-green.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFECTS, type TestbedOptions } from '../config/options.ts';
import { run, runOrThrow, setCommandLog } from '../core/run.ts';
import { ensureBinaries } from '../upstream/build.ts';
import { readVersions } from '../upstream/versions.ts';
import { teardown } from './down.ts';
import { etcdMembers } from '../targets/readers/etcdctl.ts';
import { kubeClients, leaderLeases, nodes, registerNodes } from '../targets/readers/kube.ts';
import { renderKubeconfig } from './kubeconfig.ts';
import { createNetwork, foreignUsers, haproofLeftovers } from './network.ts';
import { createPki } from './pki.ts';
import { inOwnNetns, netnsName, testbedPaths } from './paths.ts';
import { usesVip } from './overlay.ts';
import { readState, recordResource, writeState, type TestbedState } from './state.ts';
import { requestSupervisor } from './supervisor/client.ts';
import type { SupervisorSpec } from './supervisor/api.ts';
import { writeMeta } from '../history/write-run.ts';
import { createSshAccess, SSHD, SSHD_PRIVSEP_DIR, writeTestbedDcosTarget } from './ssh-access.ts';
import { SURFACE_USER } from './dcos-emulator/testbed-surface.ts';
import { certRequests, controlPlaneKubeletName, KUBELET_TOKENS_FILE, kubeconfigUsers, renderKubeletTokens, renderAuthenticationConfig, SANDBOX_KUBECONFIG, sandboxKubeconfigFiles, taskSpecs } from './tasks.ts';
import { dnsRecords, planTopology, renderDnsHosts } from './topology.ts';
import { waitFor } from '../core/wait.ts';
import { HOST_NET, VIP_NET } from '../config/addresses.ts';
import { controlPlaneNodeName } from '../config/naming.ts';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const RUNS_DIR = process.env['HAPROOF_RUNS_DIR'] ?? join(REPO_ROOT, 'reports', 'runs');
const UP_TIMEOUT_MS = 180_000;

export class PreflightError extends Error {
  override name = 'PreflightError';
}

export interface UpResult {
  cluster: string;
  runDir: string;
  kubeconfig: string;
  seconds: number;
}

export type Log = (line: string) => void;

export function newRunDir(name: string): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const dir = join(RUNS_DIR, `${stamp}-${name}`);
  mkdirSync(join(dir, 'logs'), { recursive: true });
  return dir;
}

/** Checks what `up` needs before anything is created. */
export async function preflight(): Promise<void> {
  if (process.getuid?.() !== 0) throw new PreflightError('haproof up must run as root (it creates network namespaces and nftables tables)');
  for (const tool of ['ip', 'nft', 'dnsmasq', 'openssl', 'conntrack', 'ssh-keygen', SSHD]) {
    if ((await run('sh', ['-c', `command -v ${tool}`])).exitCode !== 0) throw new PreflightError(`${tool} is not installed (run \`npm start\` or \`npm test\` once; they install it)`);
  }
}

export async function up(options: TestbedOptions, log: Log, runDir?: string): Promise<UpResult> {
  await preflight();
  const binaries = await ensureBinaries(log);
  const started = Date.now();

  let stale: TestbedState | undefined;
  try { stale = readState(); } catch { /* unreadable: found by name below */ }
  const leftovers = await haproofLeftovers();
  if (stale || leftovers.namespaces.length || leftovers.links.length || leftovers.nftTables.length) {
    log(`found a stale haproof testbed${stale ? ` (${stale.cluster}, made ${stale.createdAt} by pid ${stale.runnerPid})` : ''}; removing it first`);
    await teardown(log);
  }
  const foreign = await foreignUsers();
  if (foreign.length) throw new PreflightError(`the testbed ranges ${HOST_NET} and ${VIP_NET} are used by something else: ${foreign.join('; ')} — haproof will not touch them`);

  const dir = runDir ?? newRunDir('testbed');
  mkdirSync(join(dir, 'logs'), { recursive: true });
  setCommandLog(join(dir, 'logs', 'commands.jsonl'));
  const t = planTopology(options);
  const paths = testbedPaths(options.cluster);
  const state: TestbedState = {
    version: 1, cluster: options.cluster, createdAt: new Date().toISOString(), runnerPid: process.pid, runDir: dir, workDir: paths.work,
    namespaces: [], links: [], nftTables: [], mounts: [], netnsDirs: [], routes: [], options,
  };
  writeState(state);

  log(`[1/5] pki, kubeconfigs and DNS records in ${paths.work}`);
  await mkdir(paths.data, { recursive: true });
  recordResource(state, 'mounts', paths.data);
  // etcd data in memory: fsyncs on a shared 2-core VM disk would dominate every latency figure.
  await runOrThrow('mount', ['-t', 'tmpfs', '-o', 'size=2g,mode=0700', `haproof-${options.cluster}`, paths.data]);
  await createPki(paths.pki, `haproof ${options.cluster} CA`, certRequests(t));
  const agents = t.hosts.filter((h) => h.host !== 'master-1');
  await createSshAccess(paths, agents);
  if (!existsSync(SSHD_PRIVSEP_DIR)) {
    recordResource(state, 'netnsDirs', SSHD_PRIVSEP_DIR);
    mkdirSync(SSHD_PRIVSEP_DIR, { mode: 0o755 });
  }
  await mkdir(paths.kubeconfigs, { recursive: true });
  const vipServer = `https://${t.vip.name}:${t.vip.port}`;
  for (const u of kubeconfigUsers()) {
    await writeFile(join(paths.kubeconfigs, `${u.file}.kubeconfig`), renderKubeconfig({ server: vipServer, caFile: join(paths.pki, 'ca.crt'), certFile: join(paths.pki, `${u.cert}.crt`), keyFile: join(paths.pki, `${u.cert}.key`), user: u.file }));
    // The same for a static pod, naming the certificates in its sandbox (copied there at each launch).
    if (u.file !== 'kwok') await writeFile(join(paths.kubeconfigs, `${u.file}.${SANDBOX_KUBECONFIG}.kubeconfig`), renderKubeconfig({ server: vipServer, ...sandboxKubeconfigFiles(u.cert), user: u.file }));
  }
  // Each control-plane instance's kubelet speaks to its own apiserver as its Node (supervisor/control-plane-kubelet-agent.ts).
  const kubeletTokens = t.pods.filter((x) => x.kind === 'kube-control-plane' && options.controlPlane === 'static-pods').map((p) => ({ p, token: randomBytes(24).toString('hex'), node: controlPlaneNodeName(options.cluster, p.index) }));
  await writeFile(join(paths.work, KUBELET_TOKENS_FILE), renderKubeletTokens(kubeletTokens), { mode: 0o600 });
  for (const { p, token } of kubeletTokens) {
    const stem = controlPlaneKubeletName(p.index);
    await writeFile(join(paths.kubeconfigs, `${stem}.kubeconfig`), renderKubeconfig({ server: `https://${p.ip}:${t.vip.port}`, caFile: join(paths.pki, 'ca.crt'), token, user: stem }), { mode: 0o600 });
  }
  await writeFile(paths.adminKubeconfig, renderKubeconfig({ server: `https://${t.vip.ip}:${t.vip.port}`, tlsServerName: t.vip.name, caFile: join(paths.pki, 'ca.crt'), certFile: join(paths.pki, 'admin.crt'), keyFile: join(paths.pki, 'admin.key'), user: 'admin' }));
  await writeFile(join(paths.work, 'authentication-config.json'), renderAuthenticationConfig());
  await writeFile(paths.dnsHosts, renderDnsHosts(dnsRecords(t)));
  await writeTestbedDcosTarget(paths, options.cluster, SURFACE_USER, binaries.etcdctl);

  log(`[2/5] network: bridge, ${t.hosts.length} host namespaces (${t.hosts.map((h) => h.host).join(', ')}), ${options.network === 'overlay' ? `the dcos overlay (VXLAN between agents, ${t.pods.length} pod namespaces), ` : ''}VIP tables, fence`);
  const vip = { key: 'apiserver', ip: t.vip.ip, port: t.vip.port };
  await createNetwork(state, t, [vip]);

  log('[3/5] supervisor: dcos-dns, DC/OS API surface, etcd x3, kube-apiserver x3, controller-manager x3, scheduler x3, kwok x' + options.agents);
  const tasks = taskSpecs({ topology: t, options, binaries, paths, haproofBin: join(REPO_ROOT, 'bin', 'haproof.mjs') });
  const spec: SupervisorSpec = {
    cluster: options.cluster, logDir: join(dir, 'logs'), socket: paths.socket, tasksFile: paths.tasksFile, relaunchDelayMs: options.relaunchDelayMs,
    caFile: join(paths.pki, 'ca.crt'), vip: { ...vip, name: t.vip.name, healthCheck: options.defect !== 'vip-no-health-check', policy: options.vipPolicy }, controlPlane: options.controlPlane, apiserverHealthCheck: options.apiserverHealthCheck, controlPlaneKubelets: options.controlPlane === 'static-pods' ? t.pods.filter((p) => p.kind === 'kube-control-plane').map((p) => ({ pod: p.pod, node: controlPlaneNodeName(options.cluster, p.index), kubeconfig: join(paths.kubeconfigs, `${controlPlaneKubeletName(p.index)}.kubeconfig`) })) : [],
    vipNamespaces: ['', ...t.hosts.map((h) => netnsName(h.host)), ...t.pods.filter((p) => inOwnNetns(p) && usesVip(p)).map((p) => p.netns)], tasks,
  };
  writeFileSync(paths.spec, JSON.stringify(spec, null, 2));
  const out = openSync(join(dir, 'logs', 'supervisor.log'), 'a');
  const bin = join(REPO_ROOT, 'bin', 'haproof.mjs');
  const child = spawn(process.execPath, [bin, 'supervise', '--spec', paths.spec], { detached: true, stdio: ['ignore', out, out] });
  child.unref();
  state.supervisorPid = child.pid;
  writeState(state);
  await waitFor('the supervisor socket', async () => (existsSync(paths.socket) ? await requestSupervisor(paths.socket, 'GET', '/status', undefined, 2_000) : { waiting: 'no socket yet' }), 20_000);

  log('[4/5] waiting for etcd quorum and the apiservers behind the VIP');
  const etcdAccess = { cluster: options.cluster, members: 3, etcdctl: binaries.etcdctl, pki: paths.pki };
  await waitFor('3 healthy etcd members with a leader', async () => {
    const ms = await etcdMembers(etcdAccess);
    const healthy = ms.filter((m) => m.healthy).length;
    return healthy === 3 && ms.some((m) => m.isLeader) ? ms : { waiting: `${healthy}/3 healthy` };
  }, UP_TIMEOUT_MS, log);
  await waitFor('3 VIP backends', async () => {
    const s = (await requestSupervisor(paths.socket, 'GET', '/status')) as { vip: { backends: string[] } };
    return s.vip.backends.length === 3 ? s : { waiting: `${s.vip.backends.length}/3 apiservers ready` };
  }, UP_TIMEOUT_MS, log);

  log('[5/5] registering kube-node Nodes; waiting for Leases and Ready Nodes');
  const k = kubeClients(paths.adminKubeconfig);
  await waitFor('Node registration', async () => { await registerNodes(k, t); return true; }, 60_000, log);
  if (options.defect) log(`PLANTED DEFECT ${options.defect}: ${DEFECTS[options.defect]}`);
  // Without leader election there are no Leases to wait for (that is the defect).
  if (options.defect !== 'no-leader-election') await waitFor('a holder for each leader Lease', async () => {
    const ls = await leaderLeases(k);
    const missing = ls.filter((l) => !l.holder).map((l) => l.name);
    return missing.length === 0 ? ls : { waiting: `no holder yet: ${missing.join(', ')}` };
  }, UP_TIMEOUT_MS, log);
  // One worker Node per agent, and under static pods one per control-plane instance (its own kubelet's).
  const instances = options.controlPlane === 'static-pods' ? t.pods.filter((p) => p.kind === 'kube-control-plane').length : 0;
  await waitFor(`${options.agents} Ready worker Nodes${instances ? ` and ${instances} Ready control-plane Nodes` : ''}`, async () => {
    const ns = await nodes(k);
    const ready = (role: string) => ns.filter((n) => n.ready && n.role === role).length;
    return ready('worker') === options.agents && ready('control-plane') === instances ? ns
      : { waiting: `${ready('worker')}/${options.agents} worker${instances ? `, ${ready('control-plane')}/${instances} control-plane` : ''} Nodes Ready` };
  }, UP_TIMEOUT_MS, log);

  const seconds = (Date.now() - started) / 1000;
  writeMeta(dir, { cluster: options.cluster, options, versions: readVersions(), topology: t, upSeconds: seconds, machine: await machineFacts() });
  return { cluster: options.cluster, runDir: dir, kubeconfig: paths.adminKubeconfig, seconds };
}

async function machineFacts(): Promise<Record<string, string>> {
  const os = await import('node:os');
  return { cpus: String(os.cpus().length), memoryGiB: (os.totalmem() / 2 ** 30).toFixed(1), kernel: os.release(), node: process.version };
}
