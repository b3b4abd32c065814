// Runs the testbed's DC/OS API surface (Admin Router's subset) on master-1: views from the supervisor and etcd,
// and DC/OS actions (pod restart/replace, agent gone/drain, package uninstall/install) carried out on the testbed like
// the SDK would.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectCluster } from '../../targets/testbed/testbed-cluster.ts';
import { MASTER_IP } from '../../config/addresses.ts';
import { testbedOptionsSchema } from '../../config/options.ts';
import { testbedPaths } from '../paths.ts';
import { readState } from '../state.ts';
import { requestSupervisor } from '../supervisor/client.ts';
import { supervisorSpecSchema } from '../supervisor/api.ts';
import { planTopology } from '../topology.ts';
import { startDcosSurface } from './serve.ts';
import { createSurfaceState, type SurfaceAction } from './surface.ts';
import { toDcosView } from './view.ts';

export const SURFACE_PORT = 443;
export const SURFACE_USER = { uid: 'bootstrapuser', password: 'deleteme' };
/** Task name prefixes of the service's pods, in deploy order (the master's DNS, sshd and the surface are not the service's). */
const SERVICE_TASK_PREFIXES = ['etcd-', 'kube-control-plane-', 'kube-node-'] as const;

/** Options of the testbed's surface: `enterprise` emulates DC/OS Enterprise (default off). */
export interface TestbedSurfaceOptions {
  enterprise?: boolean;
}

export async function runTestbedSurface(specFile: string, options: TestbedSurfaceOptions = {}): Promise<void> {
  const spec = supervisorSpecSchema.parse(JSON.parse(readFileSync(specFile, 'utf8')));
  const state = readState();
  if (!state) throw new Error('no testbed state file');
  const hosts = planTopology(testbedOptionsSchema.parse(state.options)).hosts;
  const paths = testbedPaths(spec.cluster);
  const cluster = connectCluster();
  const downHosts = new Set<string>();
  let etcdMembers: string[] | undefined;
  // etcd membership is slow to ask (etcdctl); refreshed in the background, read from the cache on each request.
  void (async () => {
    for (;;) {
      etcdMembers = await cluster.etcdMembers().then((ms) => ms.filter((m) => m.healthy).map((m) => m.name), () => etcdMembers);
      await new Promise((r) => setTimeout(r, 1_000));
    }
  })();
  const log = (line: string) => console.log(`${new Date().toISOString()} ${line}`);

  async function freeAgent(): Promise<string> {
    const tasks = await cluster.tasks();
    const etcdHosts = new Set(tasks.filter((t) => t.role === 'etcd').map((t) => t.host));
    const free = hosts.find((h) => h.host.startsWith('agent-') && !etcdHosts.has(h.host) && !downHosts.has(h.host));
    if (!free) throw new Error('no free agent for the replacement (placement hostname:UNIQUE)');
    return free.host;
  }

  async function replace(pod: string): Promise<void> {
    const m = /^etcd-(\d+)$/.exec(pod);
    // Only etcd pods move on the testbed (the etcd-N-recover runbook); other pods restart in place.
    if (!m) {
      const tasks = (await cluster.tasks()).filter((t) => t.task.startsWith(`${pod}-`));
      for (const t of tasks) await cluster.signalTask(t.task, 'SIGKILL');
      return;
    }
    await cluster.replaceEtcdMember(Number(m[1]), await freeAgent());
  }

  /** The service's tasks in deploy order (etcd first, nodes last). */
  async function serviceTasks(): Promise<string[]> {
    const rank = (task: string) => SERVICE_TASK_PREFIXES.findIndex((p) => task.startsWith(p));
    return (await cluster.tasks()).map((t) => t.task).filter((t) => rank(t) >= 0).sort((x, y) => rank(x) - rank(y));
  }

  // Named deviation: a real uninstall kills the tasks AND wipes their data (the SDK's uninstall plan unreserves the
  // volumes), so a reinstall starts an empty cluster. The testbed's uninstall only holds the tasks down; their etcd data
  // stays, so a reinstall resumes the same Kubernetes cluster.
  async function uninstallService(): Promise<void> {
    await forEachTask((await serviceTasks()).reverse(), (t) => cluster.signalTaskHeld(t, 'SIGTERM'));
  }

  async function installService(): Promise<void> {
    await forEachTask(await serviceTasks(), (t) => cluster.startTask(t));
  }

  /** Acts on every task in order; one that fails (e.g. on a crashed host) does not stop the others. */
  async function forEachTask(tasks: string[], act: (task: string) => Promise<void>): Promise<void> {
    const failed: string[] = [];
    for (const t of tasks) await act(t).catch((e: Error) => failed.push(`${t}: ${e.message}`));
    if (failed.length) throw new Error(`failed on ${failed.length} of ${tasks.length} tasks: ${failed.join('; ')}`);
  }

  // Each request's actions run on their own; package actions are chained so that a reinstall sent right after an
  // uninstall starts the tasks only once the uninstall has stopped them all.
  let packageWork: Promise<void> = Promise.resolve();
  function queuePackageWork(work: () => Promise<void>): Promise<void> {
    const next = packageWork.then(work);
    packageWork = next.catch(() => undefined);
    return next;
  }

  const surfaceState = createSurfaceState({ users: [SURFACE_USER], enterprise: options.enterprise ?? false });

  async function onAction(a: SurfaceAction): Promise<void> {
    log(`action ${JSON.stringify(a)}`);
    switch (a.kind) {
      case 'restart-pod':
        for (const t of a.tasks) await cluster.signalTask(t, 'SIGKILL');
        return;
      case 'replace-pod':
        return replace(a.pod);
      case 'mark-agent-gone':
      case 'drain-agent':
        if (a.kind === 'drain-agent' && !a.markGone) {
          for (const pod of a.pods) for (const t of (await cluster.tasks()).filter((x) => x.task.startsWith(`${pod}-`))) await cluster.signalTaskHeld(t.task, 'SIGTERM');
          return;
        }
        await cluster.crashHost(a.host);
        downHosts.add(a.host);
        // A gone agent's pods are replaced automatically, as DC/OS does.
        for (const pod of a.pods) await replace(pod);
        return;
      case 'uninstall-package':
        // The framework goes from Mesos state once its tasks are down (or stopping them failed).
        return queuePackageWork(() => uninstallService().finally(() => { surfaceState.tearingDown = false; }));
      case 'install-package':
        return queuePackageWork(installService);
      case 'scheduler-exits':
        // The service's tasks stay down: a scheduler that never registers launches nothing.
        log(`scheduler of ${spec.cluster}: ${a.message}`);
        return;
    }
  }

  const surface = await startDcosSurface({
    cert: readFileSync(join(paths.pki, 'dcos-adminrouter.crt')),
    key: readFileSync(join(paths.pki, 'dcos-adminrouter.key')),
    host: MASTER_IP,
    port: SURFACE_PORT,
    users: [SURFACE_USER],
    state: surfaceState,
    getView: async () => {
      const status = (await requestSupervisor(spec.socket, 'GET', '/status', undefined, 3_000)) as Parameters<typeof toDcosView>[0]['status'];
      return toDcosView({ cluster: spec.cluster, hosts, status, etcdMembers, downHosts: [...downHosts], controlPlane: spec.controlPlane });
    },
    onAction,
    onError: (e, a) => log(`error${a ? ` in ${a.kind}` : ''}: ${e.message}`),
  });
  log(`DC/OS API surface on ${surface.url}`);
}
