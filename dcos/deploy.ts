// The deployer on DC/OS: install kubernetes-cluster with HA options through the package manager, follow the deploy plan
// to COMPLETE with progress, discover the topology (SDK pods, Mesos agents, mesos-dns, the VIP); and tear it down.
import { UsageError } from '../config/options.ts';
import { readJsonFile } from '../core/read-json-file.ts';
import type { DcosClient } from './client.ts';
import { DcosApiError } from './errors.ts';
import { connectDcos } from './connect.ts';
import { parsePackageOptions, type KubernetesClusterLayout } from './package-options.ts';
import type { DcosTarget } from './target-file.ts';

export const PACKAGE_NAME = 'kubernetes-cluster';
/**
 * The package manager of kubernetes-cluster (`manager.packageName` of its package): the `kubernetes` package (MKE),
 * whose Marathon app id Cosmos forwards the install to.
 * source: mesosphere/universe repo/packages/K/kubernetes-cluster/2600/package.json; dcos/cosmos
 * cosmos-server/src/main/scala/com/mesosphere/cosmos/service/CustomPackageManagerRouter.scala @ v0.6.2
 */
export const MANAGER_ID = 'kubernetes';

export interface DeployInput {
  target: DcosTarget;
  /** The options JSON sent to the package manager, and the layout it asks for. */
  options: Record<string, unknown>;
  layout: KubernetesClusterLayout;
  packageVersion: string | undefined;
  timeoutMs: number;
}

/**
 * The options to install with: the file's, or `{service.name, kubernetes.high_availability: true}`; on DC/OS Enterprise
 * (the target file's `enterprise`) with `service.service_account` and `service.service_account_secret` put in, without
 * which the scheduler cannot register with Mesos and exits. Refuses (exit 2) options that would not give an HA control
 * plane, that name another service than the target file, or another service account than its `enterprise`. Pure but
 * for reading the file.
 */
export function deployOptions(target: DcosTarget, file: string | undefined): { options: Record<string, unknown>; layout: KubernetesClusterLayout } {
  const source = file ? `package options ${file}` : 'default package options';
  const given = (file ? readJsonFile(file, 'package options') : { service: { name: target.cluster }, kubernetes: { high_availability: true } }) as Record<string, unknown>;
  // Parsed first as given, so that a malformed file is named before anything is added to it.
  parsePackageOptions(given, source);
  const options = target.enterprise ? withServiceAccount(given, target.enterprise, source) : given;
  const layout = parsePackageOptions(options, source);
  if (!layout.highAvailability) throw new UsageError(`${source}: kubernetes.high_availability: must be true (haproof deploys and verifies the HA control plane), got ${JSON.stringify(layout.highAvailability)}`);
  if (layout.serviceName !== target.cluster) throw new UsageError(`${source}: service.name: must match the target file's service.name ${JSON.stringify(target.cluster)}, got ${JSON.stringify(layout.serviceName)}`);
  return { options, layout };
}

/**
 * The options with the Enterprise service account in `service`; a different one already there is refused.
 * source: mesosphere/universe repo/packages/K/kubernetes-cluster/2600/marathon.json.mustache (the secret becomes
 * DCOS_SERVICE_ACCOUNT_CREDENTIAL, the account SERVICE_PRINCIPAL)
 */
function withServiceAccount(options: Record<string, unknown>, enterprise: NonNullable<DcosTarget['enterprise']>, source: string): Record<string, unknown> {
  const service = { ...((options.service ?? {}) as Record<string, unknown>) };
  const wanted: Array<[key: string, value: string, field: string]> = [
    ['service_account', enterprise.serviceAccount, 'enterprise.serviceAccount'],
    ['service_account_secret', enterprise.serviceAccountSecret, 'enterprise.serviceAccountSecret'],
  ];
  for (const [key, value, field] of wanted) {
    const given = service[key];
    if (given !== undefined && given !== '' && given !== value) {
      throw new UsageError(`${source}: service.${key}: must match the target file's ${field} ${JSON.stringify(value)}, got ${JSON.stringify(given)}`);
    }
    service[key] = value;
  }
  return { ...options, service };
}

export interface DcosTopology {
  service: string;
  agents: Array<{ id: string; hostname: string; active: boolean }>;
  pods: Array<{ pod: string; tasks: Array<{ task: string; status: string | undefined; agent: string | undefined }> }>;
  /** The etcd members' Mesos-DNS names and what they resolve to. */
  etcd: Array<{ name: string; ips: string[] }>;
  vip: { name: string | undefined; backends: string[] };
}

/** Reads the installed service's layout from the SDK (pods, pod info), Mesos (agents) and mesos-dns. */
export async function discoverTopology(client: DcosClient): Promise<DcosTopology> {
  const [status, agents, apiserver, vips] = await Promise.all([client.podStatus(), client.mesosSlaves(), client.endpoint('apiserver'), client.vips()]);
  const hostOf = new Map(agents.map((a) => [a.id, a.hostname]));
  const instances = status.pods.flatMap((p) => p.instances);
  const infos = await Promise.all(instances.map((i) => client.podInfo(i.name)));
  const pods = instances.map((inst, n) => ({
    pod: inst.name,
    tasks: inst.tasks.map((t) => ({ task: t.name, status: t.status, agent: hostOf.get(infos[n]!.find((x) => x.info.name === t.name)?.info.slaveId.value ?? '') })),
  }));
  const svcLabel = status.service.replaceAll('/', '');
  const etcdPods = instances.filter((i) => /^etcd-\d+$/.test(i.name)).map((i) => `${i.name}-peer.${svcLabel}.mesos`);
  const etcd = await Promise.all(etcdPods.map(async (name) => ({ name, ips: (await client.mesosDnsHost(name)).map((r) => r.ip) })));
  const vip = vips.find((v) => v.vip === apiserver.vip);
  return {
    service: status.service,
    agents: agents.map((a) => ({ id: a.id, hostname: a.hostname, active: a.active })),
    pods, etcd,
    vip: { name: apiserver.vip, backends: vip ? vip.backend.map((b) => `${b.ip}:${b.port}`) : [] },
  };
}

/** What differs between the discovered pods and the requested layout (etcd and control-plane counts), if anything. Pure. */
export function layoutMismatch(t: DcosTopology, l: KubernetesClusterLayout): string | undefined {
  const count = (re: RegExp) => t.pods.filter((p) => re.test(p.pod)).length;
  const etcd = count(/^etcd-\d+$/);
  const cp = count(/^kube-control-plane-\d+$/);
  const diffs = [etcd !== l.etcdNodes ? `${etcd} etcd pods, asked for ${l.etcdNodes}` : '', cp !== l.controlPlanes ? `${cp} control-plane pods, asked for ${l.controlPlanes}` : ''].filter(Boolean);
  return diffs.length ? diffs.join('; ') : undefined;
}

export function renderTopology(t: DcosTopology): string {
  const lines = [`service ${t.service}: ${t.pods.length} pods on ${new Set(t.pods.flatMap((p) => p.tasks.map((x) => x.agent))).size} agents`];
  for (const p of t.pods) for (const task of p.tasks) lines.push(`  ${task.task.padEnd(36)} ${(task.status ?? '-').padEnd(10)} ${task.agent ?? '?'}`);
  for (const e of t.etcd) lines.push(`  etcd ${e.name} → ${e.ips.join(', ') || '(no record)'}`);
  lines.push(`  VIP ${t.vip.name ?? '(none)'} → ${t.vip.backends.join(', ') || '(no backends)'}`);
  return lines.join('\n');
}

/** Installs (or finds installed) the package, follows `plans/deploy` to COMPLETE, and returns the topology. */
export async function dcosDeploy(input: DeployInput, log: (line: string) => void): Promise<DcosTopology> {
  const client = await connectDcos(input.target);
  try {
    const l = input.layout;
    log(`installing ${PACKAGE_NAME}${input.packageVersion ? ` ${input.packageVersion}` : ''} as ${l.serviceName} on ${input.target.url}: ${l.etcdNodes} etcd, ${l.controlPlanes} control planes, ${l.privateNodes} private nodes`);
    const r = await client.packageInstall(PACKAGE_NAME, input.options, { packageVersion: input.packageVersion, managerId: MANAGER_ID }).catch((e: unknown) => {
      if (e instanceof DcosApiError && e.detail.startsWith('CustomPackageManagerNotFound')) {
        throw new Error(`${e.message} — install the ${MANAGER_ID} package (the Kubernetes manager, MKE) first: dcos package install ${MANAGER_ID}`);
      }
      throw e;
    });
    log(r.alreadyInstalled ? `${l.serviceName} is already installed; following its deploy plan` : `installed ${PACKAGE_NAME} ${r.packageVersion ?? ''} as ${r.appId ?? l.serviceName}`);
    const started = Date.now();
    await client.followPlan('deploy', { timeoutMs: input.timeoutMs, onProgress: (line) => log(`  [${((Date.now() - started) / 1000).toFixed(0)} s] ${line}`) });
    log(`deploy plan COMPLETE after ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const topology = await discoverTopology(client);
    // An install found in place may have other options than asked for: the layout must be the HA one requested.
    const mismatch = layoutMismatch(topology, l);
    if (mismatch) throw new Error(`${l.serviceName} is installed but not as requested: ${mismatch} (uninstall it with dcos-teardown, or change the options)`);
    return topology;
  } finally {
    client.close();
  }
}

/** Uninstalls the service and waits until Mesos no longer lists its framework as active. */
export async function dcosTeardown(target: DcosTarget, timeoutMs: number, log: (line: string) => void): Promise<void> {
  const client = await connectDcos(target);
  try {
    const appId = `/${target.cluster.replace(/^\//, '')}`;
    log(`uninstalling ${PACKAGE_NAME} ${appId} from ${target.url}`);
    try {
      await client.packageUninstall(PACKAGE_NAME, appId);
    } catch (e) {
      // Idempotent: a service that is not installed is already torn down.
      if (!(e instanceof DcosApiError && e.status === 400 && /^(UninstallNonExistentAppForPackage|PackageNotInstalled):/.test(e.detail))) throw e;
      log(`${appId} is not installed; nothing to tear down`);
      return;
    }
    const deadline = Date.now() + timeoutMs;
    let last = 'no answer yet';
    for (;;) {
      try {
        const fw = (await client.mesosState()).frameworks.find((f) => f.name === target.cluster && f.active);
        if (!fw) break;
        last = `${fw.tasks.length} tasks still listed`;
      } catch (e) {
        // A master that does not answer for a moment is no reason to give up waiting.
        last = (e as Error).message;
      }
      if (Date.now() > deadline) throw new Error(`${appId}: its framework is still there ${timeoutMs / 1000} s after the uninstall (${last})`);
      await new Promise((res) => setTimeout(res, 1_000));
    }
    log(`${appId} uninstalled; Mesos lists no active framework for it`);
  } finally {
    client.close();
  }
}
