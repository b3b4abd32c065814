// DcosClient against the DC/OS surface served on 127.0.0.1 with a self-signed certificate made here with openssl, and
// a hand-made DcosView changed between polls: login (password, service account), refused tokens, following plans, pod
// replace, Mesos and DNS calls, package install through the manager, dcos-deploy on Enterprise.
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { DcosClient } from '../../dcos/client.ts';
import { connectDcos } from '../../dcos/connect.ts';
import { dcosDeploy, dcosTeardown, deployOptions } from '../../dcos/deploy.ts';
import { DcosApiError, DcosAuthError, DcosConnectionError, DcosPlanTimeout } from '../../dcos/errors.ts';
import { recoveryType } from '../../dcos/plan-progress.ts';
import { startDcosSurface, type DcosSurface } from '../../testbed/dcos-emulator/serve.ts';
import { createSurfaceState, type SurfaceAction, type SurfaceState } from '../../testbed/dcos-emulator/surface.ts';
import type { DcosView, DcosViewTask } from '../../testbed/dcos-emulator/view.ts';

const dir = mkdtempSync(join(tmpdir(), 'haproof-dcos-'));

function selfSigned(name: string): { cert: string; key: string; certFile: string } {
  const keyFile = join(dir, `${name}.key`);
  const certFile = join(dir, `${name}.crt`);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile, '-out', certFile,
    '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'pipe' });
  return { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8'), certFile };
}

const tls = selfSigned('surface');
const PASSWORD = 'deleteme-secret-pw';

function makeView(): DcosView {
  const task = (name: string, pod: string, role: string, n: number): DcosViewTask => ({ name, pod, role, host: `agent-${n}`, ip: `127.0.0.${10 + n}`, state: 'running', restarts: 0, startedAt: 't0' });
  const tasks: DcosViewTask[] = [];
  for (let i = 0; i < 3; i++) tasks.push(task(`etcd-${i}-peer`, `etcd-${i}`, 'etcd', i + 1));
  for (let i = 0; i < 3; i++) for (const c of ['apiserver', 'controller-manager', 'scheduler']) tasks.push(task(`kube-control-plane-${i}-${c}`, `kube-control-plane-${i}`, `kube-${c}`, i + 1));
  for (let i = 0; i < 4; i++) tasks.push(task(`kube-node-${i}-kubelet`, `kube-node-${i}`, 'kwok', i + 1));
  return {
    cluster: 'kubernetes-cluster',
    hosts: [{ host: 'master-1', ip: '127.0.0.1', role: 'master' }, ...[1, 2, 3, 4].map((n) => ({ host: `agent-${n}`, ip: `127.0.0.${10 + n}`, role: 'agent' as const }))],
    tasks,
    vip: { name: 'apiserver.kubernetes-cluster.l4lb.thisdcos.directory', ip: '127.0.0.2', port: 6443, backends: ['127.0.0.11', '127.0.0.12', '127.0.0.13'] },
    etcdMembers: ['etcd-0', 'etcd-1', 'etcd-2'],
  };
}

function setPod(view: DcosView, pod: string, change: Partial<DcosViewTask>): void {
  for (const t of view.tasks) if (t.pod === pod) Object.assign(t, change);
}

interface Bench {
  surface: DcosSurface;
  view: { current: DcosView };
  actions: SurfaceAction[];
  nextAction: () => Promise<SurfaceAction>;
  client: (extra?: { token?: string; insecure?: boolean }) => DcosClient;
  /** Closes the clients, then the surface. */
  close: () => Promise<void>;
}

async function startBench(state?: SurfaceState): Promise<Bench> {
  const view = { current: makeView() };
  const actions: SurfaceAction[] = [];
  let waiters: Array<(a: SurfaceAction) => void> = [];
  const surface = await startDcosSurface({
    cert: tls.cert, key: tls.key, host: '127.0.0.1', port: 0, users: [{ uid: 'bootstrapuser', password: PASSWORD }], ...(state ? { state } : {}),
    getView: () => view.current,
    onAction: (a) => { actions.push(a); for (const w of waiters) w(a); waiters = []; },
  });
  const clients: DcosClient[] = [];
  return {
    surface, view, actions,
    nextAction: () => new Promise((resolve) => waiters.push(resolve)),
    client: (extra = {}) => {
      const c = new DcosClient({
        url: surface.url, serviceName: 'kubernetes-cluster', timeoutMs: 5_000,
        tls: extra.insecure ? { insecure: true } : { ca: tls.cert }, ...(extra.token ? { token: extra.token } : {}),
      });
      clients.push(c);
      return c;
    },
    close: async () => {
      for (const c of clients) c.close();
      await surface.close();
    },
  };
}

test('login: the token is kept and sent; a refused token or login is a DcosAuthError that never shows a secret', async () => {
  const b = await startBench();
  try {
    const anonymous = b.client();
    const e1 = await anonymous.plans().catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(DcosAuthError);
    expect((e1 as Error).message).toBe(`the DC/OS token was refused (401) by ${b.surface.url}/service/kubernetes-cluster/v1/plans; log in again (haproof logs in with the credentials file named in the target file)`);

    const stale = b.client({ token: 'stale-secret-token-123' });
    const e2 = await stale.mesosState().catch((e: unknown) => e);
    expect(e2).toBeInstanceOf(DcosAuthError);
    expect((e2 as Error).message).not.toContain('stale-secret-token-123');
    expect(JSON.stringify(e2)).not.toContain('stale-secret-token-123');

    const c = b.client();
    const e3 = await c.login({ kind: 'password', uid: 'bootstrapuser', password: 'wrong-pw-456' }).catch((e: unknown) => e);
    expect(e3).toBeInstanceOf(DcosAuthError);
    expect((e3 as Error).message).toMatch(/DC\/OS refused the login \(401\) at https:\/\/127\.0\.0\.1:\d+\/acs\/api\/v1\/auth\/login: Unauthorized: The UID or password is invalid/);
    expect((e3 as Error).message).not.toContain('wrong-pw-456');

    await c.login({ kind: 'password', uid: 'bootstrapuser', password: PASSWORD });
    expect(c.authenticated).toBe(true);
    expect(await c.plans()).toEqual(['deploy', 'recovery']);
    const [issued] = [...b.surface.state.tokens.keys()];
    expect(JSON.stringify(c)).not.toContain(issued!);
    expect(String(Object.entries(c))).not.toContain(issued!);

    // insecure: no CA, no verification; a CA that did not sign the server is refused.
    const insecure = b.client({ insecure: true, token: issued! });
    expect(await insecure.endpoints()).toEqual(['apiserver']);
    const other = selfSigned('other');
    const wrongCa = new DcosClient({ url: b.surface.url, serviceName: 'kubernetes-cluster', tls: { ca: other.cert }, token: issued! });
    const e4 = await wrongCa.plans().catch((e: unknown) => e);
    wrongCa.close();
    expect(e4).toBeInstanceOf(DcosConnectionError);
    expect((e4 as Error).message).not.toContain(issued!);
  } finally {
    await b.close();
  }
});

test('followPlan: deploy goes IN_PROGRESS → COMPLETE as the view changes between polls, one line per change', async () => {
  const b = await startBench();
  try {
    const v = b.view.current;
    for (const t of v.tasks) Object.assign(t, { state: 'pending', startedAt: undefined });
    v.etcdMembers = [];
    v.vip.backends = [];
    for (const i of [0, 1, 2]) setPod(v, `etcd-${i}`, { state: 'starting', startedAt: 't1' });
    const stages: Array<() => void> = [
      () => {
        for (const i of [0, 1, 2]) setPod(v, `etcd-${i}`, { state: 'running' });
        v.etcdMembers = ['etcd-0', 'etcd-1', 'etcd-2'];
        for (const i of [0, 1, 2]) setPod(v, `kube-control-plane-${i}`, { state: 'running', startedAt: 't1' });
        v.vip.backends = ['127.0.0.11'];
      },
      () => {
        for (const t of v.tasks) Object.assign(t, { state: 'running', startedAt: t.startedAt ?? 't1' });
        v.vip.backends = ['127.0.0.11', '127.0.0.12', '127.0.0.13'];
      },
    ];
    const c = b.client();
    await c.login({ kind: 'password', uid: 'bootstrapuser', password: PASSWORD });
    expect((await c.plan('deploy')).httpStatus).toBe(202);
    const lines: string[] = [];
    const plan = await c.followPlan('deploy', { timeoutMs: 10_000, intervalMs: 20, onProgress: (line) => { lines.push(line); stages.shift()?.(); } });
    // The spec's phases; the empty public-node phase is COMPLETE, so the serial plan is IN_PROGRESS from the start.
    expect(lines).toEqual([
      'deploy: etcd 0/3, control-plane 0/3, mandatory-addons 0/1, node 0/4, public-node 0/0 (IN_PROGRESS)',
      'deploy: etcd 3/3, control-plane 1/3, mandatory-addons 0/1, node 0/4, public-node 0/0 (IN_PROGRESS)',
      'deploy: etcd 3/3, control-plane 3/3, mandatory-addons 1/1, node 4/4, public-node 0/0 (COMPLETE)',
    ]);
    expect(plan.status).toBe('COMPLETE');
    expect(await c.plan('deploy')).toMatchObject({ httpStatus: 200 });
  } finally {
    await b.close();
  }
});

test('pod replace: the answer, the action handed to the caller, a PERMANENT recovery followed to COMPLETE', async () => {
  const b = await startBench();
  try {
    const c = b.client();
    await c.login({ kind: 'password', uid: 'bootstrapuser', password: PASSWORD });
    expect(await c.plan('recovery')).toEqual({ httpStatus: 200, plan: { phases: [], errors: [], strategy: 'parallel', status: 'COMPLETE' } });
    const action = b.nextAction();
    expect(await c.podReplace('etcd-1')).toEqual({ pod: 'etcd-1', tasks: ['etcd-1-peer', 'etcd-1-recover'] });
    expect(await action).toEqual({ kind: 'replace-pod', pod: 'etcd-1', tasks: ['etcd-1-peer'], fromHost: 'agent-2' });
    const { httpStatus, plan } = await c.plan('recovery');
    expect(httpStatus).toBe(202);
    expect(plan.phases.map((ph) => [ph.name, ph.steps[0]!.status, recoveryType(ph.steps[0]!.message)])).toEqual([['etcd-1:[peer]', 'PENDING', 'PERMANENT']]);

    // The caller moves the member: down, then up on agent-4 as a new launch.
    setPod(b.view.current, 'etcd-1', { state: 'relaunching' });
    const lines: string[] = [];
    const done = await c.followPlan('recovery', {
      timeoutMs: 10_000, intervalMs: 20,
      onProgress: (line) => {
        lines.push(line);
        setPod(b.view.current, 'etcd-1', { state: 'running', host: 'agent-4', ip: '127.0.0.14', startedAt: 't2' });
      },
    });
    expect(lines).toEqual(['recovery: etcd-1:[peer] 0/1 (PENDING)', 'recovery: etcd-1:[peer] 1/1 (COMPLETE)']);
    expect(recoveryType(done.phases[0]!.steps[0]!.message)).toBe('PERMANENT');
    expect((await c.podInfo('etcd-1'))[0]!.status?.containerStatus?.networkInfos?.[0]?.ipAddresses?.[0]?.ipAddress).toBe('127.0.0.14');

    const restart = b.nextAction();
    expect(await c.podRestart('kube-node-0')).toEqual({ pod: 'kube-node-0', tasks: ['kube-node-0-kubelet'] });
    expect(await restart).toMatchObject({ kind: 'restart-pod', pod: 'kube-node-0' });
  } finally {
    await b.close();
  }
});

test('SDK, Mesos-DNS, Mesos and dcos-net calls parse; API errors name method, path, status and message', async () => {
  const b = await startBench();
  try {
    const c = b.client();
    await c.login({ kind: 'password', uid: 'bootstrapuser', password: PASSWORD });
    expect(await c.pods()).toHaveLength(10);
    expect((await c.podStatus()).pods.map((p) => p.name)).toEqual(['etcd', 'kube-control-plane', 'kube-node']);
    expect((await c.podInstanceStatus('etcd-0')).tasks[0]).toMatchObject({ name: 'etcd-0-peer', status: 'RUNNING' });
    expect((await c.endpoint('apiserver')).vip).toBe('apiserver.kubernetes-cluster.l4lb.thisdcos.directory:6443');
    expect(await c.mesosDnsHost('etcd-2-peer.kubernetes-cluster.mesos')).toEqual([{ host: 'etcd-2-peer.kubernetes-cluster.mesos.', ip: '127.0.0.13' }]);
    expect(await c.mesosDnsHost('nobody.mesos')).toEqual([]);
    expect((await c.vips())[0]!.backend).toHaveLength(3);
    const state = await c.mesosState();
    expect(state.frameworks[0]!.tasks).toHaveLength(10);
    expect((await c.mesosSlaves()).map((s) => s.hostname)).toEqual(['127.0.0.11', '127.0.0.12', '127.0.0.13', '127.0.0.14']);
    const agents = await c.mesosAgents();
    const agent4 = agents.find((a) => a.agent_info.hostname === '127.0.0.14')!.agent_info.id.value;
    const gone = b.nextAction();
    await c.markAgentGone(agent4);
    expect(await gone).toEqual({ kind: 'mark-agent-gone', agentId: agent4, host: 'agent-4', pods: ['kube-node-3'] });
    expect((await c.mesosAgents()).map((a) => a.agent_info.id.value)).not.toContain(agent4);
    const agent3 = agents.find((a) => a.agent_info.hostname === '127.0.0.13')!.agent_info.id.value;
    const drain = b.nextAction();
    await c.drainAgent(agent3, { maxGracePeriodSeconds: 30 });
    expect(await drain).toMatchObject({ kind: 'drain-agent', agentId: agent3, markGone: false, maxGracePeriodSeconds: 30 });

    expect(await c.planCommand('deploy', 'interrupt')).toEqual({ httpStatus: 208, message: 'Command has already been reported or completed' });
    expect(await c.planCommand('recovery', 'forceComplete', { phase: 'kube-node-3:[kubelet]' })).toEqual({ httpStatus: 200, message: 'Received cmd: forceComplete for Plan: recovery, Phase: kube-node-3:[kubelet], Step: null' });

    const e = await c.plan('nope').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DcosApiError);
    expect((e as Error).message).toBe('DC/OS GET /service/kubernetes-cluster/v1/plans/nope answered 404: Plan nope not found');
    expect(e).toMatchObject({ method: 'GET', status: 404 });
    const e2 = await c.planCommand('deploy', 'forceComplete', { step: 'x' }).catch((x: unknown) => x);
    expect((e2 as Error).message).toBe('DC/OS POST /service/kubernetes-cluster/v1/plans/deploy/forceComplete answered 400: Missing phase');
    const e3 = await c.podInfo('etcd-9').catch((x: unknown) => x);
    expect((e3 as Error).message).toContain('answered 404: Pod etcd-9 not found');
  } finally {
    await b.close();
  }
});

test('followPlan gives up at its timeout, naming the last progress line', async () => {
  const b = await startBench();
  try {
    setPod(b.view.current, 'kube-node-1', { state: 'starting' });
    const c = b.client();
    await c.login({ kind: 'password', uid: 'bootstrapuser', password: PASSWORD });
    // kube-node-1 was never deployed in this state: the deploy plan waits for it.
    const e = await c.followPlan('deploy', { timeoutMs: 300, intervalMs: 50 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DcosPlanTimeout);
    expect((e as Error).message).toBe('plan deploy did not complete within 300 ms; last seen: deploy: etcd 3/3, control-plane 3/3, mandatory-addons 1/1, node 3/4, public-node 0/0 (IN_PROGRESS)');
  } finally {
    await b.close();
  }
});

test('connectDcos: a target with a CA file and a credentials file logs in', async () => {
  const b = await startBench();
  try {
    const creds = join(dir, 'creds.json');
    writeFileSync(creds, JSON.stringify({ uid: 'bootstrapuser', password: PASSWORD }));
    const client = await connectDcos({ url: b.surface.url, tls: { caFile: tls.certFile }, credentialsFile: creds, ssh: { user: 'centos', keyPath: '/dev/null', port: 22 }, cluster: 'kubernetes-cluster' });
    try {
      expect(await client.plans()).toEqual(['deploy', 'recovery']);
    } finally {
      client.close();
    }
    writeFileSync(creds, JSON.stringify({ uid: 'bootstrapuser', password: 'nope' }));
    await expect(connectDcos({ url: b.surface.url, tls: { insecure: true }, credentialsFile: creds, ssh: { user: 'centos', keyPath: '/dev/null', port: 22 }, cluster: 'kubernetes-cluster' })).rejects.toThrow(DcosAuthError);
  } finally {
    await b.close();
  }
});

const HA_OPTIONS = { service: { name: 'kubernetes-cluster' }, kubernetes: { high_availability: true } };

function serviceAccountKeys(): { privateKey: string; publicKey: string } {
  return generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
}

test('service-account login: a create-sa-secret file becomes {uid, token} with an RS256 JWT the surface verifies', async () => {
  const keys = serviceAccountKeys();
  const b = await startBench(createSurfaceState({ users: [], serviceAccounts: [{ uid: 'haproof-sa', publicKey: keys.publicKey }] }));
  try {
    const creds = join(dir, 'sa-secret.json');
    writeFileSync(creds, JSON.stringify({ login_endpoint: 'https://master.mesos/acs/api/v1/auth/login', private_key: keys.privateKey, scheme: 'RS256', uid: 'haproof-sa' }));
    const target = { url: b.surface.url, tls: { caFile: tls.certFile }, credentialsFile: creds, ssh: { user: 'root', keyPath: '/dev/null', port: 22 }, cluster: 'kubernetes-cluster' };
    const client = await connectDcos(target);
    try {
      expect(await client.plans()).toEqual(['deploy', 'recovery']);
      expect([...b.surface.state.tokens.values()]).toEqual(['haproof-sa']);
    } finally {
      client.close();
    }
    // Another account's key: refused, and the error shows no key material.
    const other = serviceAccountKeys();
    writeFileSync(creds, JSON.stringify({ login_endpoint: 'https://master.mesos/acs/api/v1/auth/login', private_key: other.privateKey, scheme: 'RS256', uid: 'haproof-sa' }));
    const e = await connectDcos(target).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DcosAuthError);
    expect((e as Error).message).not.toContain('PRIVATE KEY');
  } finally {
    await b.close();
  }
});

test('packageInstall: through the manager (managerId) ServiceAlreadyStarted, directly PackageAlreadyInstalled — both "already installed"', async () => {
  const b = await startBench();
  try {
    const c = b.client();
    await c.login({ kind: 'password', uid: 'bootstrapuser', password: PASSWORD });
    expect(await c.packageInstall('kubernetes-cluster', HA_OPTIONS, { managerId: 'kubernetes', packageVersion: '2.8.0-1.19.2' })).toEqual({ alreadyInstalled: true, packageVersion: undefined, appId: undefined });
    expect(await c.packageInstall('kubernetes-cluster', HA_OPTIONS)).toEqual({ alreadyInstalled: true, packageVersion: undefined, appId: undefined });
    b.surface.state.managerInstalled = false;
    const e = await c.packageInstall('kubernetes-cluster', HA_OPTIONS, { managerId: 'kubernetes' }).catch((x: unknown) => x);
    expect((e as Error).message).toBe("DC/OS POST /package/install answered 400: CustomPackageManagerNotFound: the custom manager: '/kubernetes', is not installed for this package");
  } finally {
    await b.close();
  }
});

test('the client reads a never-launched task (status null) and a pod status without pods', async () => {
  const b = await startBench();
  try {
    const c = b.client();
    await c.login({ kind: 'password', uid: 'bootstrapuser', password: PASSWORD });
    const info = await c.podInfo('etcd-1');
    expect(info.map((t) => [t.info.name, t.info.taskId.value === '', t.status === null])).toEqual([['etcd-1-peer', false, false], ['etcd-1-recover', true, true]]);
    expect((await c.podInstanceStatus('etcd-1')).tasks[1]).toEqual({ id: '', name: 'etcd-1-recover' });
    for (const t of b.view.current.tasks) Object.assign(t, { state: 'pending', startedAt: undefined });
    expect(await c.podStatus()).toEqual({ service: 'kubernetes-cluster', pods: [] });
  } finally {
    await b.close();
  }
});

test('dcos-deploy on Enterprise: the target\'s service account goes into the options, and the service deploys; without it the scheduler never comes up', async () => {
  const state = createSurfaceState({ users: [{ uid: 'bootstrapuser', password: PASSWORD }], enterprise: true });
  state.installed = false;
  const b = await startBench(state);
  try {
    const creds = join(dir, 'deploy-creds.json');
    writeFileSync(creds, JSON.stringify({ uid: 'bootstrapuser', password: PASSWORD }));
    const base = { url: b.surface.url, tls: { caFile: tls.certFile }, credentialsFile: creds, ssh: { user: 'root', keyPath: '/dev/null', port: 22 }, cluster: 'kubernetes-cluster' };

    // Without the service account: Cosmos accepts the install, but the deploy plan never answers (Admin Router: 404).
    const lines: string[] = [];
    const plain = deployOptions(base, undefined);
    const e = await dcosDeploy({ target: base, ...plain, packageVersion: undefined, timeoutMs: 1_500 }, (l) => lines.push(l)).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DcosPlanTimeout);
    expect((e as Error).message).toContain('404 Not Found: service not found.');
    expect(b.actions.map((a) => a.kind)).toEqual(['scheduler-exits']);
    expect(lines).toContain('installed kubernetes-cluster 2.8.0-1.19.2 as /kubernetes-cluster');

    // Uninstall it, then deploy with the target's enterprise service account.
    await dcosTeardown(base, 5_000, () => undefined);
    const target = { ...base, enterprise: { serviceAccount: 'kubernetes-sa', serviceAccountSecret: 'kubernetes-sa/secret' } };
    const withSa = deployOptions(target, undefined);
    expect(withSa.options).toEqual({ service: { name: 'kubernetes-cluster', service_account: 'kubernetes-sa', service_account_secret: 'kubernetes-sa/secret' }, kubernetes: { high_availability: true } });
    const topo = await dcosDeploy({ target, ...withSa, packageVersion: undefined, timeoutMs: 10_000 }, () => undefined);
    expect(b.actions.at(-1)).toEqual({ kind: 'install-package' });
    expect(topo.pods.filter((p) => /^etcd-\d+$/.test(p.pod))).toHaveLength(3);
    expect(b.surface.state.principal).toBe('kubernetes-sa');
  } finally {
    await b.close();
  }
});

test('dcos-deploy without the Kubernetes manager installed says to install it', async () => {
  const state = createSurfaceState({ users: [{ uid: 'bootstrapuser', password: PASSWORD }], managerInstalled: false });
  const b = await startBench(state);
  try {
    const creds = join(dir, 'deploy-creds2.json');
    writeFileSync(creds, JSON.stringify({ uid: 'bootstrapuser', password: PASSWORD }));
    const target = { url: b.surface.url, tls: { caFile: tls.certFile }, credentialsFile: creds, ssh: { user: 'root', keyPath: '/dev/null', port: 22 }, cluster: 'kubernetes-cluster' };
    const e = await dcosDeploy({ target, ...deployOptions(target, undefined), packageVersion: undefined, timeoutMs: 1_000 }, () => undefined).catch((x: unknown) => x);
    expect((e as Error).message).toMatch(/CustomPackageManagerNotFound: .* — install the kubernetes package \(the Kubernetes manager, MKE\) first: dcos package install kubernetes$/);
  } finally {
    await b.close();
  }
});
