// kubernetes-cluster 2.x runs each control-plane instance as one Mesos task (`kube-control-plane-N-instance`) whose
// kubelet runs kube-apiserver, kube-controller-manager and kube-scheduler as static pods (shared/reference/
// dcos-interfaces.md; the seed's own words for the scheduler and controller-manager). Two healers, two assertions:
// a dead apiserver is restarted by its instance's kubelet — same Mesos task, no relaunch counted by Mesos — and a
// restarted instance task (the SDK's `pod restart`) is relaunched by DC/OS: one more relaunch, all three processes new,
// same agent. Both need the service scheduler's and Mesos' own view (the dcos target: its relaunch counts are Mesos'
// completed tasks). On the testbed target, which counts its supervisor's relaunches, and where the control plane runs
// one task per process (the host layout, kubernetes-cluster 1.x's model), they are skipped: the relaunch test covers
// that model. Run on the host testbed's supervisor they fail, as they should: it relaunches each process as a task.
import { test, expect } from '../fixtures.ts';
import { can, type Cluster, type Role } from '../../targets/cluster.ts';
import type { V1ContainerStatus } from '@kubernetes/client-node';

const STATIC_POD_ROLES: Role[] = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler'];
const HEAL_TIMEOUT_MS = 120_000;
const SKIP = 'needs the SDK and Mesos view of a static-pod control plane (the dcos target on kubernetes-cluster 2.x\'s layout); see the relaunch test';

async function staticPods(cluster: Cluster): Promise<boolean> {
  if (!can.restartPods(cluster)) return false;
  const apiservers = await cluster.processes('kube-apiserver');
  return apiservers.length > 0 && apiservers.every((p) => /^kube-control-plane-\d+-instance$/.test(p.sdkTask ?? ''));
}

/** Each role's process of one instance: task, pid, host, SDK task, and Mesos' relaunch count of the instance task. */
async function instanceProcesses(cluster: Cluster, instance: number) {
  const tasks = await cluster.tasks();
  const out: Array<{ role: Role; task: string; pid: number; host: string; sdkTask: string | undefined; relaunches: number | undefined; state: string | undefined }> = [];
  for (const role of STATIC_POD_ROLES) {
    const p = (await cluster.processes(role)).find((x) => x.sdkTask === `kube-control-plane-${instance}-instance`);
    if (!p) continue;
    const t = tasks.find((x) => x.task === p.task);
    out.push({ role, task: p.task, pid: p.pid, host: p.host, sdkTask: p.sdkTask, relaunches: t?.restarts, state: t?.state });
  }
  return out;
}

/** Waits until the instance's apiserver answers its own /readyz again, so later tests find all three serving. */
async function apiserverReady(cluster: Cluster, task: string): Promise<void> {
  if (!can.probeApiservers(cluster)) return;
  await expect.poll(async () => (await cluster.apiserverReadiness()).find((r) => r.task === task)?.answer, { timeout: HEAL_TIMEOUT_MS, intervals: [500] }).toBe('ready');
}

/** An instance none of whose processes leads its role (restarting it then moves no Lease). */
async function quietInstance(cluster: Cluster): Promise<number> {
  const leaders = new Set([await cluster.leaderTask('kube-scheduler'), await cluster.leaderTask('kube-controller-manager')]);
  const instances = [...new Set((await cluster.processes('kube-apiserver')).map((p) => Number(/(\d+)-instance$/.exec(p.sdkTask!)![1])))].sort((a, b) => a - b);
  for (const i of instances) {
    const procs = await instanceProcesses(cluster, i);
    if (!procs.some((p) => leaders.has(p.task))) return i;
  }
  return instances[instances.length - 1]!;
}

/** The instance's own Node (its kubelet registers the task's Mesos-DNS name), as the API lists it. */
async function instanceNode(cluster: Cluster, instance: number) {
  return (await cluster.nodes()).find((n) => n.role === 'control-plane' && n.name.startsWith(`kube-control-plane-${instance}-instance.`));
}

/** A static pod's container as its kubelet reports it in the mirror pod `<component>-<node>` (kube-system). */
async function mirrorContainer(cluster: Cluster, component: string, node: string): Promise<V1ContainerStatus | undefined> {
  const pod = await cluster.kube().core.readNamespacedPod({ name: `${component}-${node}`, namespace: 'kube-system' }).catch(() => undefined);
  return pod?.status?.containerStatuses?.find((c) => c.name === component);
}

test.describe('static-pod control plane', () => {
  test('each instance\'s kubelet registers its Node on the instance\'s agent, Ready, tainted NoExecute so no workload lands there, with a mirror pod per static pod', async ({ cluster }) => {
    test.skip(!(await staticPods(cluster)), SKIP);
    const apiservers = await cluster.processes('kube-apiserver');
    const nodes = (await cluster.nodes()).filter((n) => n.role === 'control-plane');
    // iss-lab/dcos-kubernetes-cluster files/control-plane-wrapper.sh @ 4c2d5492: Node named `${TASK_NAME}.${SERVICE_NAME}.mesos`.
    const byName = (a: { name?: string | undefined }, b: { name?: string | undefined }) => (a.name ?? '').localeCompare(b.name ?? '');
    expect(nodes.map((n) => ({ name: n.name.split('.')[0], host: n.host, ready: n.ready })).sort(byName))
      .toEqual(apiservers.map((p) => ({ name: p.sdkTask, host: p.host, ready: true })).sort(byName));
    // Its address is the instance's own (`--node-ip=${MESOS_CONTAINER_IP}`), as Mesos reports the task's — read from the
    // Node itself, not from how the target places it.
    const tasks = await cluster.tasks();
    expect(nodes.map((n) => ({ name: n.name.split('.')[0], ip: n.ip })).sort(byName))
      .toEqual(apiservers.map((p) => ({ name: p.sdkTask, ip: tasks.find((t) => t.task === p.task)?.ip })).sort(byName));
    for (const n of nodes) {
      const node = await cluster.kube().core.readNode({ name: n.name });
      expect(node.spec?.taints?.filter((t) => t.key === 'node-role.kubernetes.io/master').map((t) => t.effect), `${n.name}: --register-with-taints=node-role.kubernetes.io/master="":NoExecute`).toEqual(['NoExecute']);
      expect(node.metadata?.labels?.['tier'], `${n.name}: --node-labels=…,tier=kube-control-plane`).toBe('kube-control-plane');
    }
    // Each static pod's container running, as its kubelet reports it (an earlier test may just have had one restarted).
    const wanted = nodes.flatMap((n) => STATIC_POD_ROLES.map((component) => `${component}-${n.name}`)).sort();
    await expect.poll(async () => {
      const running = await Promise.all(nodes.flatMap((n) => STATIC_POD_ROLES.map(async (component) => ((await mirrorContainer(cluster, component, n.name))?.state?.running ? `${component}-${n.name}` : undefined))));
      return running.filter((x) => x !== undefined).sort();
    }, { timeout: HEAL_TIMEOUT_MS, intervals: [1_000], message: 'a running container in every mirror pod' }).toEqual(wanted);
  });


  test('a killed apiserver is restarted by its instance\'s kubelet: same Mesos task, no relaunch by DC/OS', async ({ cluster }) => {
    test.skip(!(await staticPods(cluster)), SKIP);
    const instance = await quietInstance(cluster);
    const before = (await instanceProcesses(cluster, instance)).find((p) => p.role === 'kube-apiserver')!;
    expect(before.relaunches, `${before.task}: Mesos lists its instance task`).toBeDefined();
    const node = await instanceNode(cluster, instance);
    expect(node, `kube-control-plane-${instance}-instance registered its Node`).toBeDefined();
    // Read once its kubelet reports the container running (a report may trail the process by a sync).
    const restartsBefore = await expect.poll(async () => (await mirrorContainer(cluster, 'kube-apiserver', node!.name))?.state?.running !== undefined, { timeout: HEAL_TIMEOUT_MS, message: `mirror pod kube-apiserver-${node!.name} running` }).toBe(true)
      .then(async () => (await mirrorContainer(cluster, 'kube-apiserver', node!.name))?.restartCount);
    expect(restartsBefore, `mirror pod kube-apiserver-${node!.name} counts restarts`).toBeDefined();
    await cluster.signalTask(before.task, 'SIGKILL');
    await expect.poll(async () => {
      const now = (await instanceProcesses(cluster, instance)).find((p) => p.role === 'kube-apiserver');
      return now && now.pid !== before.pid ? { host: now.host, sdkTask: now.sdkTask } : undefined;
    }, { timeout: HEAL_TIMEOUT_MS, message: `a new kube-apiserver process in ${before.sdkTask}` }).toEqual({ host: before.host, sdkTask: before.sdkTask });
    await apiserverReady(cluster, before.task);
    // The kubelet, not DC/OS: the instance task ran on throughout and Mesos counted no relaunch of it.
    const after = (await instanceProcesses(cluster, instance)).find((p) => p.role === 'kube-apiserver')!;
    expect({ state: after.state, relaunches: after.relaunches }).toEqual({ state: 'running', relaunches: before.relaunches });
    // …and the kubelet counted the restart in the pod's status: one more restart, the last run ended by SIGKILL (137).
    await expect.poll(async () => {
      const c = await mirrorContainer(cluster, 'kube-apiserver', node!.name);
      return c && { restartCount: c.restartCount, running: c.state?.running !== undefined, lastExitCode: c.lastState?.terminated?.exitCode };
    }, { timeout: HEAL_TIMEOUT_MS, intervals: [1_000], message: `mirror pod kube-apiserver-${node!.name}` }).toEqual({ restartCount: restartsBefore! + 1, running: true, lastExitCode: 137 });
  });

  test('a restarted instance task is relaunched by DC/OS: one more Mesos relaunch, all three static pods new, same agent', async ({ cluster }) => {
    test.skip(!(await staticPods(cluster)), SKIP);
    if (!can.restartPods(cluster)) return;
    const instance = await quietInstance(cluster);
    const before = await instanceProcesses(cluster, instance);
    expect(before.map((p) => p.role), `kube-control-plane-${instance}-instance runs all three static pods`).toEqual(STATIC_POD_ROLES);
    const node = await instanceNode(cluster, instance);
    expect(node, `kube-control-plane-${instance}-instance registered its Node`).toBeDefined();
    const runningSince = async () => new Map(await Promise.all(STATIC_POD_ROLES.map(async (component) => [component, (await mirrorContainer(cluster, component, node!.name))?.state?.running?.startedAt] as const)));
    await expect.poll(async () => [...(await runningSince()).values()].every((x) => x !== undefined), { timeout: HEAL_TIMEOUT_MS, message: 'every mirror pod reports its running container before the restart' }).toBe(true);
    const startedBefore = await runningSince();
    await cluster.restartPod(`kube-control-plane-${instance}`);
    await expect.poll(async () => {
      const now = await instanceProcesses(cluster, instance);
      return STATIC_POD_ROLES.map((role) => {
        const b = before.find((p) => p.role === role)!;
        const n = now.find((p) => p.role === role);
        return n && n.pid !== b.pid && n.state === 'running' ? { role, host: n.host, relaunches: n.relaunches } : { role, waiting: n ? `pid ${n.pid}, ${n.state ?? 'no task'}` : 'no process' };
      });
    }, { timeout: HEAL_TIMEOUT_MS, intervals: [1_000], message: `kube-control-plane-${instance}-instance relaunched by DC/OS` })
      .toEqual(before.map((b) => ({ role: b.role, host: b.host, relaunches: b.relaunches! + 1 })));
    await apiserverReady(cluster, before.find((p) => p.role === 'kube-apiserver')!.task);
    // The new kubelet reports each static pod's container of this launch, started after the one before it; and it
    // counts the apiserver's restarts anew (the wrapper empties the container runtime's volume, `rm -rf var/*`).
    await expect.poll(async () => Promise.all(STATIC_POD_ROLES.map(async (component) => {
      const c = await mirrorContainer(cluster, component, node!.name);
      const started = c?.state?.running?.startedAt;
      const was = startedBefore.get(component);
      return { component, startedAfterTheOldRun: started !== undefined && was !== undefined && new Date(started) > new Date(was), ...(component === 'kube-apiserver' ? { restartCount: c?.restartCount } : {}) };
    })), { timeout: HEAL_TIMEOUT_MS, intervals: [1_000], message: `mirror pods of kube-control-plane-${instance}-instance` })
      .toEqual(STATIC_POD_ROLES.map((component) => ({ component, startedAfterTheOldRun: true, ...(component === 'kube-apiserver' ? { restartCount: 0 } : {}) })));
  });
});
