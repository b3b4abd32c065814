// Contract suite: the `dcos` target's client against the testbed's DC/OS API surface (Admin Router subset on master-1):
// login, deploy plan, pods (with the never-launched etcd-N-recover), endpoints, mesos-dns, install and uninstall through
// the package manager, and `pod replace etcd-1` end to end — recovery PERMANENT, the member
// on a new agent under the same DNS name, the apiservers untouched.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from '../fixtures.ts';
import { DcosClient } from '../../dcos/client.ts';
import { DcosApiError, DcosAuthError } from '../../dcos/errors.ts';
import { dcosDeploy, dcosTeardown, deployOptions } from '../../dcos/deploy.ts';
import { readDcosTarget } from '../../dcos/target-file.ts';
import { testbedPaths } from '../../testbed/paths.ts';
import { waitHealthy } from '../../chaos/observe/health.ts';
import { SURFACE_USER } from '../../testbed/dcos-emulator/testbed-surface.ts';
import { MASTER_IP } from '../../config/addresses.ts';

test.describe.configure({ mode: 'serial', timeout: 180_000 });

test.describe('DC/OS API contract (testbed surface)', () => {
  let client: DcosClient;

  test.beforeAll(async ({ cluster }) => {
    client = new DcosClient({ url: `https://${MASTER_IP}`, serviceName: cluster.name, tls: { ca: readFileSync(cluster.caFile) } });
    await client.login({ kind: 'password', ...SURFACE_USER });
  });
  test.afterAll(() => client?.close());

  test('a bad token is refused with a clear error that does not show the token', async ({ cluster }) => {
    const bad = new DcosClient({ url: `https://${MASTER_IP}`, serviceName: cluster.name, tls: { ca: readFileSync(cluster.caFile) }, token: 'not-a-token-123' });
    const err = await bad.plans().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DcosAuthError);
    expect(String((err as Error).message)).toContain('401');
    expect(String((err as Error).message)).not.toContain('not-a-token-123');
    bad.close();
  });

  test('the deploy plan is followed to COMPLETE (the kubernetes-cluster spec\'s phases)', async () => {
    const lines: string[] = [];
    const plan = await client.followPlan('deploy', { timeoutMs: 60_000, onProgress: (l) => lines.push(l) });
    expect(plan.status).toBe('COMPLETE');
    expect(plan.phases.map((p) => p.name)).toEqual(['etcd', 'control-plane', 'mandatory-addons', 'node', 'public-node']);
    expect(plan.phases[0]!.steps.map((s) => s.name)).toEqual(['etcd-0:[peer]', 'etcd-1:[peer]', 'etcd-2:[peer]']);
    expect((await client.plan('recovery')).httpStatus).toBe(200);
  });

  test('pods, the apiserver endpoint and mesos-dns answer in DC/OS shapes', async ({ cluster }) => {
    const pods = await client.pods();
    for (const p of ['etcd-0', 'etcd-1', 'etcd-2', 'kube-control-plane-0', 'kube-control-plane-1', 'kube-control-plane-2', 'kube-node-0']) expect(pods).toContain(p);
    const ep = await client.endpoint('apiserver');
    expect(ep.vip).toBe(`${cluster.vip.name}:6443`);
    expect(await client.mesosDnsHost('no-such-task.mesos')).toEqual([]);
    // The never-launched member-recovery task is stored with the pod: empty task id, status null.
    const recover = (await client.podInfo('etcd-0')).find((t) => t.info.name === 'etcd-0-recover');
    expect([recover?.info.taskId.value, recover?.status]).toEqual(['', null]);
  });

  test('pod replace etcd-1: recovery PERMANENT, same DNS name on a new agent, apiservers untouched', async ({ cluster }) => {
    const before = (await cluster.processes('etcd')).find((p) => p.task === 'etcd-1-peer')!;
    const apiservers = (await cluster.processes('kube-apiserver')).map((p) => p.pid).sort();
    const dnsName = `etcd-1-peer.${cluster.name}.autoip.dcos.thisdcos.directory`;
    const oldIp = (await cluster.resolve(dnsName))[0];
    await client.podReplace('etcd-1');
    await expect.poll(async () => JSON.stringify((await client.plan('recovery')).plan), { timeout: 30_000 }).toContain('PERMANENT');
    const recovery = await client.followPlan('recovery', { timeoutMs: 120_000 });
    expect(recovery.status).toBe('COMPLETE');
    await expect.poll(async () => (await cluster.etcdMembers()).filter((m) => m.healthy).length, { timeout: 60_000 }).toBe(3);
    const after = (await cluster.processes('etcd')).find((p) => p.task === 'etcd-1-peer')!;
    expect(after.host).not.toBe(before.host);
    const newIp = (await cluster.resolve(dnsName))[0];
    expect(newIp).not.toBe(oldIp);
    expect((await cluster.etcdMembers()).find((m) => m.name === 'etcd-1')?.peerUrls).toEqual([`https://${dnsName}:2380`]);
    expect((await cluster.processes('kube-apiserver')).map((p) => p.pid).sort()).toEqual(apiservers);
  });

  test('dcos-deploy finds the service installed, follows its deploy plan and discovers the HA topology', async ({ cluster }) => {
    const target = readDcosTarget(join(testbedPaths(cluster.name).work, 'dcos-target.json'));
    const lines: string[] = [];
    const topo = await dcosDeploy({ target, ...deployOptions(target, undefined), packageVersion: undefined, timeoutMs: 60_000 }, (l) => lines.push(l));
    expect(lines.join('\n')).toContain('is already installed; following its deploy plan');
    expect(lines.join('\n')).toContain('deploy plan COMPLETE');
    // The member tasks only: each etcd pod also lists its never-launched etcd-N-recover task (no status), as the SDK does.
    const etcd = topo.pods.filter((p) => /^etcd-\d+$/.test(p.pod)).flatMap((p) => p.tasks).filter((t) => t.task.endsWith('-peer'));
    expect(etcd).toHaveLength(3);
    expect(new Set(etcd.map((t) => t.agent)).size, 'etcd on 3 distinct agents').toBe(3);
    // `<task>.<svc>.mesos` names the agent, and on the overlay the container too (Mesos-DNS IPSources host, netinfo):
    // one or two addresses each, no two members sharing one.
    for (const e of topo.etcd) expect(e.ips.length, e.name).toBeGreaterThan(0);
    const all = topo.etcd.flatMap((e) => e.ips);
    expect(new Set(all).size, 'no address shared by two members').toBe(all.length);
    expect(topo.vip.name).toBe(`${cluster.vip.name}:6443`);
    expect(topo.vip.backends).toHaveLength(3);
  });

  test('dcos-teardown uninstalls the service; dcos-deploy installs it again and its deploy plan completes', async ({ cluster }) => {
    const target = readDcosTarget(join(testbedPaths(cluster.name).work, 'dcos-target.json'));
    const log: string[] = [];
    await dcosTeardown(target, 60_000, (l) => log.push(l));
    // The scheduler is gone: its API answers 404, Mesos lists no framework for it, and its tasks have stopped.
    const gone = await client.plans().catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(DcosApiError);
    expect((gone as DcosApiError).status).toBe(404);
    expect((await client.mesosState()).frameworks.filter((f) => f.name === cluster.name)).toEqual([]);
    await expect.poll(async () => (await cluster.processes('etcd')).length, { timeout: 30_000 }).toBe(0);
    const lines: string[] = [];
    await dcosDeploy({ target, ...deployOptions(target, undefined), packageVersion: undefined, timeoutMs: 120_000 }, (l) => lines.push(l));
    expect(lines.join('\n')).toContain('installed kubernetes-cluster 2.8.0-1.19.2 as /kubernetes-cluster');
    // Fully healthy again before the next suites: etcd, VIP, Leases and Ready Nodes.
    await waitHealthy(cluster, 120_000, true, (l) => console.log(l));
  });
});
