// The testbed's DC/OS API surface as a pure handler: login (users, service accounts) and tokens, SDK plans (deploy,
// recovery, commands), pods, endpoints, Cosmos install/uninstall and its manager routing, Enterprise, Mesos-DNS, Mesos
// state and operator API, VIPs — on hand-made views changed between requests.
import { createSign, generateKeyPairSync } from 'node:crypto';
import { test, expect } from '@playwright/test';
import { handleDcosRequest, createSurfaceState, type DcosResponse, type SurfaceState } from '../../testbed/dcos-emulator/surface.ts';
import { toDcosView, type DcosView, type DcosViewTask } from '../../testbed/dcos-emulator/view.ts';
import { planSchema, mesosStateSchema, getAgentsResponseSchema, podInfoSchema, podStatusSchema, type Plan } from '../../dcos/schemas.ts';
import { serviceLoginToken } from '../../dcos/credentials.ts';
import { recoveryType } from '../../dcos/plan-progress.ts';

function makeView(cluster = 'kubernetes-cluster'): DcosView {
  const agents = [1, 2, 3, 4].map((n) => ({ host: `agent-${n}`, ip: `198.18.0.${10 + n}`, role: 'agent' as const }));
  const task = (name: string, pod: string, role: string, n: number): DcosViewTask => ({ name, pod, role, host: `agent-${n}`, ip: `198.18.0.${10 + n}`, state: 'running', restarts: 0, startedAt: 't0' });
  const tasks: DcosViewTask[] = [{ name: 'dcos-dns', pod: 'dcos-dns', role: 'dns', host: 'master-1', ip: '198.18.0.1', state: 'running', restarts: 0, startedAt: 't0' }];
  for (let i = 0; i < 3; i++) tasks.push(task(`etcd-${i}-peer`, `etcd-${i}`, 'etcd', i + 1));
  for (let i = 0; i < 3; i++) for (const c of ['apiserver', 'controller-manager', 'scheduler']) tasks.push(task(`kube-control-plane-${i}-${c}`, `kube-control-plane-${i}`, `kube-${c}`, i + 1));
  for (let i = 0; i < 4; i++) tasks.push(task(`kube-node-${i}-kubelet`, `kube-node-${i}`, 'kwok', i + 1));
  return {
    cluster,
    hosts: [{ host: 'master-1', ip: '198.18.0.1', role: 'master' }, ...agents],
    tasks,
    vip: { name: `apiserver.${cluster.replaceAll('/', '')}.l4lb.thisdcos.directory`, ip: '198.19.0.1', port: 6443, backends: ['198.18.0.11', '198.18.0.12', '198.18.0.13'] },
    etcdMembers: ['etcd-0', 'etcd-1', 'etcd-2'],
  };
}

function setTasks(view: DcosView, pod: string, change: Partial<DcosViewTask>): void {
  for (const t of view.tasks) if (t.pod === pod) Object.assign(t, change);
}

type Call = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => DcosResponse;

function setup(cluster?: string): { view: DcosView; state: SurfaceState; call: Call } {
  const view = makeView(cluster);
  let n = 0;
  const state = createSurfaceState({ users: [{ uid: 'bootstrapuser', password: 'deleteme' }], randomBytes: (k) => Buffer.alloc(k, ++n) });
  const login = handleDcosRequest({ method: 'POST', path: '/acs/api/v1/auth/login', headers: {}, body: JSON.stringify({ uid: 'bootstrapuser', password: 'deleteme' }) }, view, state);
  const token = (JSON.parse(login.body) as { token: string }).token;
  const call: Call = (method, path, body, headers = {}) =>
    handleDcosRequest({ method, path, headers: { authorization: `token=${token}`, ...headers }, body: body === undefined ? undefined : JSON.stringify(body) }, view, state);
  return { view, state, call };
}

const svc = (path: string, cluster = 'kubernetes-cluster') => `/service/${cluster}/v1/${path}`;
const plan = (r: DcosResponse): Plan => planSchema.parse(JSON.parse(r.body));
const stepStatus = (p: Plan, step: string) => p.phases.flatMap((ph) => ph.steps).find((s) => s.name === step)?.status;

test('login: a configured uid/password gets a token; anything else is 401 and asks for a token', () => {
  const view = makeView();
  const state = createSurfaceState({ users: [{ uid: 'bootstrapuser', password: 'deleteme' }] });
  const bad = handleDcosRequest({ method: 'POST', path: '/acs/api/v1/auth/login', headers: {}, body: '{"uid":"bootstrapuser","password":"nope"}' }, view, state);
  expect(bad.status).toBe(401);
  expect(JSON.parse(bad.body)).toMatchObject({ code: 'ERR_INVALID_CREDENTIALS' });
  expect(bad.headers['www-authenticate']).toBe('acsjwt');
  expect(handleDcosRequest({ method: 'POST', path: '/acs/api/v1/auth/login', headers: {}, body: '{"uid":"svc","token":"jwt"}' }, view, state).status).toBe(401);
  expect(handleDcosRequest({ method: 'POST', path: '/acs/api/v1/auth/login', headers: {}, body: 'not json' }, view, state).status).toBe(400);
  const ok = handleDcosRequest({ method: 'POST', path: '/acs/api/v1/auth/login', headers: {}, body: '{"uid":"bootstrapuser","password":"deleteme"}' }, view, state);
  expect(ok.status).toBe(200);
  const token = (JSON.parse(ok.body) as { token: string }).token;
  expect(token.length).toBeGreaterThan(20);
  // The DC/OS authentication token is an RS256 JWT {uid, exp} signed by IAM, valid 5 days.
  const [h, c] = token.split('.');
  expect(JSON.parse(Buffer.from(h!, 'base64url').toString())).toEqual({ alg: 'RS256', typ: 'JWT' });
  expect(JSON.parse(Buffer.from(c!, 'base64url').toString())).toEqual({ uid: 'bootstrapuser', exp: expect.any(Number) });
  const get = (headers: Record<string, string> = {}) => handleDcosRequest({ method: 'GET', path: svc('plans'), headers }, view, state);
  const refused = get();
  expect([refused.status, refused.headers['www-authenticate'], refused.headers['content-type']]).toEqual([401, 'oauthjwt', 'text/html; charset=UTF-8']);
  expect(refused.body).toContain('<html>');
  expect(get({ authorization: 'token=wrong' }).status).toBe(401);
  // A JWT of the right shape not signed by IAM is refused too.
  expect(get({ authorization: `token=${h}.${c}.${Buffer.from('forged').toString('base64url')}` }).status).toBe(401);
  // Admin Router takes `token=`, falls back to `Bearer`, and without an Authorization header reads the auth cookie.
  expect(get({ authorization: `token=${token}` }).status).toBe(200);
  expect(get({ authorization: `Bearer ${token}` }).status).toBe(200);
  expect(get({ cookie: `other=1; dcos-acs-auth-cookie=${token}` }).status).toBe(200);
  expect(JSON.parse(get({ authorization: `token=${token}` }).body)).toEqual(['deploy', 'recovery']);
});

test('deploy plan: the service spec\'s phases, statuses follow the tasks, 202 until COMPLETE (200)', () => {
  const { view, call } = setup();
  for (const t of view.tasks) if (t.pod !== 'dcos-dns') Object.assign(t, { state: 'pending', startedAt: undefined });
  view.etcdMembers = [];
  view.vip.backends = [];
  let r = call('GET', svc('plans/deploy'));
  expect(r.status).toBe(202);
  let p = plan(r);
  // svc.yml plans.deploy: parallel phases with custom steps are DependencyStrategy phases, named "dependency".
  expect(p.phases.map((ph) => [ph.name, ph.strategy])).toEqual([
    ['etcd', 'serial'], ['control-plane', 'dependency'], ['mandatory-addons', 'serial'], ['node', 'dependency'], ['public-node', 'dependency'],
  ]);
  expect(p.phases[0]!.steps.map((s) => s.name)).toEqual(['etcd-0:[peer]', 'etcd-1:[peer]', 'etcd-2:[peer]']);
  expect(p.phases[1]!.steps[0]!.name).toBe('kube-control-plane-0:[instance]');
  expect(p.phases[2]!.steps.map((s) => [s.name, s.status])).toEqual([['mandatory-addons-0:[instance]', 'PENDING']]);
  expect(p.phases[3]!.steps[3]!.name).toBe('kube-node-3:[kubelet]');
  // No public nodes: an empty phase, COMPLETE — which makes the serial plan IN_PROGRESS from the start (SDK aggregation:
  // a COMPLETE child and a PENDING candidate).
  expect([p.phases[4]!.steps, p.phases[4]!.status]).toEqual([[], 'COMPLETE']);
  expect([p.status, p.strategy]).toEqual(['IN_PROGRESS', 'serial']);

  for (const i of [0, 1, 2]) setTasks(view, `etcd-${i}`, { state: 'starting', startedAt: 't1' });
  p = plan(call('GET', svc('plans/deploy')));
  expect([p.status, p.phases[0]!.status, stepStatus(p, 'etcd-0:[peer]')]).toEqual(['IN_PROGRESS', 'STARTING', 'STARTING']);

  for (const i of [0, 1, 2]) setTasks(view, `etcd-${i}`, { state: 'running' });
  p = plan(call('GET', svc('plans/deploy')));
  expect(stepStatus(p, 'etcd-0:[peer]')).toBe('STARTED'); // running, not yet a healthy member

  view.etcdMembers = ['etcd-0', 'etcd-1', 'etcd-2'];
  setTasks(view, 'kube-control-plane-0', { state: 'running', startedAt: 't1' });
  // SDK aggregation order: a PENDING candidate outranks a STARTED one, so the phase is PENDING, the plan IN_PROGRESS.
  p = plan(call('GET', svc('plans/deploy')));
  expect([p.phases[0]!.status, stepStatus(p, 'kube-control-plane-0:[instance]'), p.phases[1]!.status, p.status]).toEqual(['COMPLETE', 'STARTED', 'PENDING', 'IN_PROGRESS']);
  expect(p.phases[0]!.steps[0]!.message).toMatch(/^com\.mesosphere\.sdk\.scheduler\.plan\.DeploymentStep: etcd-0:\[peer\] \[[0-9a-f-]{36}\] with status: COMPLETE$/);

  // The add-ons step (no testbed task) completes with the control plane, before the nodes.
  for (const i of [0, 1, 2]) setTasks(view, `kube-control-plane-${i}`, { state: 'running', startedAt: 't1' });
  view.vip.backends = ['198.18.0.11', '198.18.0.12', '198.18.0.13'];
  p = plan(call('GET', svc('plans/deploy')));
  expect([p.phases[1]!.status, stepStatus(p, 'mandatory-addons-0:[instance]'), p.phases[3]!.status, p.status]).toEqual(['COMPLETE', 'COMPLETE', 'PENDING', 'IN_PROGRESS']);

  for (const t of view.tasks) Object.assign(t, { state: 'running', startedAt: 't1' });
  view.vip.backends = ['198.18.0.11', '198.18.0.12', '198.18.0.13'];
  r = call('GET', svc('plans/deploy'));
  expect([r.status, plan(r).status]).toEqual([200, 'COMPLETE']);
  // Ids are stable between polls.
  expect(plan(call('GET', svc('plans/deploy'))).phases[0]!.id).toBe(plan(r).phases[0]!.id);
});

test('recovery: empty at rest; a dead task gives a TRANSIENT phase that completes after the relaunch; deploy stays COMPLETE', () => {
  const { view, call } = setup();
  let r = call('GET', svc('plans/recovery'));
  expect([r.status, plan(r)]).toEqual([200, { phases: [], errors: [], strategy: 'parallel', status: 'COMPLETE' }]);

  setTasks(view, 'etcd-1', { state: 'relaunching', restarts: 1 });
  r = call('GET', svc('plans/recovery'));
  let p = plan(r);
  expect(r.status).toBe(202);
  expect(p.phases.map((ph) => [ph.name, ph.strategy, ph.status])).toEqual([['etcd-1:[peer]', 'parallel', 'PENDING']]);
  expect(p.phases[0]!.steps[0]!.message).toMatch(/^com\.mesosphere\.sdk\.scheduler\.recovery\.RecoveryStep: etcd-1:\[peer\] \[.+\] with status: PENDING RecoveryType: TRANSIENT$/);
  expect(plan(call('GET', svc('plans/deploy'))).status).toBe('COMPLETE');

  setTasks(view, 'etcd-1', { state: 'running', startedAt: 't2' });
  view.etcdMembers = ['etcd-0', 'etcd-2'];
  expect(stepStatus(plan(call('GET', svc('plans/recovery'))), 'etcd-1:[peer]')).toBe('STARTED');
  view.etcdMembers = ['etcd-0', 'etcd-1', 'etcd-2'];
  r = call('GET', svc('plans/recovery'));
  p = plan(r);
  expect([r.status, p.status, p.phases.length]).toEqual([200, 'COMPLETE', 1]); // finished recoveries stay listed
});

test('recovery: a relaunch that happened between two looks is still recorded (restart count grew)', () => {
  const { view, call } = setup();
  call('GET', svc('plans/recovery'));
  setTasks(view, 'kube-node-2', { restarts: 1, startedAt: 't5' });
  const p = plan(call('GET', svc('plans/recovery')));
  expect(p.phases.map((ph) => [ph.name, ph.status, recoveryType(ph.steps[0]!.message)])).toEqual([['kube-node-2:[kubelet]', 'COMPLETE', 'TRANSIENT']]);
});

test('pod replace: JSON answer, replace action, PERMANENT recovery that completes once the pod runs elsewhere', () => {
  const { view, call } = setup();
  const r = call('POST', svc('pod/etcd-1/replace'));
  expect([r.status, JSON.parse(r.body)]).toEqual([200, { pod: 'etcd-1', tasks: ['etcd-1-peer', 'etcd-1-recover'] }]);
  expect(r.actions).toEqual([{ kind: 'replace-pod', pod: 'etcd-1', tasks: ['etcd-1-peer'], fromHost: 'agent-2' }]);
  let p = plan(call('GET', svc('plans/recovery')));
  expect(p.phases.map((ph) => [ph.name, ph.steps[0]!.status, recoveryType(ph.steps[0]!.message)])).toEqual([['etcd-1:[peer]', 'PENDING', 'PERMANENT']]);
  // Still the old launch (the supervisor has not moved it yet): PENDING, not COMPLETE.
  expect(plan(call('GET', svc('plans/recovery'))).status).toBe('PENDING');
  setTasks(view, 'etcd-1', { host: 'agent-4', ip: '198.18.0.14', startedAt: 't9' });
  p = plan(call('GET', svc('plans/recovery')));
  expect([p.status, recoveryType(p.phases[0]!.steps[0]!.message)]).toEqual(['COMPLETE', 'PERMANENT']);
  const restart = call('POST', svc('pod/kube-node-0/restart'));
  expect([JSON.parse(restart.body), restart.actions]).toEqual([{ pod: 'kube-node-0', tasks: ['kube-node-0-kubelet'] }, [{ kind: 'restart-pod', pod: 'kube-node-0', tasks: ['kube-node-0-kubelet'], host: 'agent-1' }]]);
  p = plan(call('GET', svc('plans/recovery')));
  expect(p.phases.map((ph) => [ph.name, ph.status, recoveryType(ph.steps[0]!.message)])).toEqual([['etcd-1:[peer]', 'COMPLETE', 'PERMANENT'], ['kube-node-0:[kubelet]', 'PENDING', 'TRANSIENT']]);
  expect(call('POST', svc('pod/etcd-9/replace'))).toMatchObject({ status: 404, body: 'Pod etcd-9 not found', actions: [] });
  expect(call('GET', svc('pod/etcd-1/replace')).status).toBe(405);
});

test('plan commands: interrupt/continue with 208 on no-ops, forceComplete, restart, errors as the SDK answers them', () => {
  expect(setup().call('POST', svc('plans/deploy/interrupt')).status).toBe(208); // a complete plan
  // A deploy whose last node is still starting.
  const s = setup();
  setTasks(s.view, 'kube-node-3', { state: 'starting' });
  let r = s.call('POST', svc('plans/deploy/interrupt'));
  expect([r.status, JSON.parse(r.body)]).toEqual([200, { message: 'Received cmd: interrupt' }]);
  expect(plan(s.call('GET', svc('plans/deploy'))).status).toBe('WAITING');
  expect(s.call('POST', svc('plans/deploy/interrupt'))).toMatchObject({ status: 208, body: 'Command has already been reported or completed' });
  expect(JSON.parse(s.call('POST', svc('plans/deploy/continue')).body)).toEqual({ message: 'Received cmd: continue' });
  expect(s.call('POST', svc('plans/deploy/continue')).status).toBe(208);
  expect(s.call('POST', svc('plans/deploy/interrupt?phase=node')).status).toBe(200);
  expect(plan(s.call('GET', svc('plans/deploy'))).phases[3]!.status).toBe('WAITING');
  expect(s.call('POST', svc('plans/deploy/interrupt?phase=etcd')).status).toBe(208); // complete phase
  expect(s.call('POST', svc('plans/deploy/interrupt?phase=nope'))).toMatchObject({ status: 404, body: 'Phase nope not found' });

  expect(s.call('POST', svc('plans/deploy/forceComplete?step=x'))).toMatchObject({ status: 400, body: 'Missing phase' });
  expect(s.call('POST', svc('plans/deploy/forceComplete?phase=node&step=x'))).toMatchObject({ status: 404, body: 'Step x not found' });
  r = s.call('POST', svc('plans/deploy/forceComplete?phase=node&step=kube-node-3:[kubelet]'));
  expect(JSON.parse(r.body)).toEqual({ message: 'Received cmd: forceComplete for Plan: deploy, Phase: node, Step: kube-node-3:[kubelet]' });
  expect(plan(s.call('GET', svc('plans/deploy'))).status).toBe('COMPLETE');
  expect(s.call('POST', svc('plans/deploy/forceComplete')).status).toBe(208);

  const etcdPhase = plan(s.call('GET', svc('plans/deploy'))).phases[0]!;
  r = s.call('POST', svc(`plans/deploy/restart?phase=${etcdPhase.id}&step=etcd-2:[peer]`));
  expect(JSON.parse(r.body)).toEqual({ message: `Received cmd: restart for Plan: deploy, Phase: ${etcdPhase.id}, Step: etcd-2:[peer]` });
  expect(r.actions).toEqual([{ kind: 'restart-pod', pod: 'etcd-2', tasks: ['etcd-2-peer'], host: 'agent-3' }]);
  expect(stepStatus(plan(s.call('GET', svc('plans/deploy'))), 'etcd-2:[peer]')).toBe('PENDING');
  setTasks(s.view, 'etcd-2', { startedAt: 't7', restarts: 1 });
  expect(stepStatus(plan(s.call('GET', svc('plans/deploy'))), 'etcd-2:[peer]')).toBe('COMPLETE');
  expect(s.call('GET', svc('plans/nope'))).toMatchObject({ status: 404, body: 'Plan nope not found' });
  expect(s.call('POST', svc('plans/nope/interrupt'))).toMatchObject({ status: 404, body: 'Plan nope not found' });
});

test('pods: list, status, instance status, info', () => {
  const { view, call } = setup();
  setTasks(view, 'kube-node-3', { state: 'pending', startedAt: undefined });
  expect(JSON.parse(call('GET', svc('pod')).body)).toEqual([
    'etcd-0', 'etcd-1', 'etcd-2', 'kube-control-plane-0', 'kube-control-plane-1', 'kube-control-plane-2', 'kube-node-0', 'kube-node-1', 'kube-node-2',
  ]);
  const all = JSON.parse(call('GET', svc('pod/status')).body) as { service: string; pods: Array<{ name: string; instances: Array<{ name: string; tasks: Array<{ id: string; name: string; status?: string }> }> }> };
  expect(all.service).toBe('kubernetes-cluster');
  expect(all.pods.map((p) => p.name)).toEqual(['etcd', 'kube-control-plane', 'kube-node']);
  expect(all.pods[1]!.instances[0]!.tasks[0]).toMatchObject({ name: 'kube-control-plane-0-instance', status: 'RUNNING' });
  expect(all.pods[1]!.instances[0]!.tasks[0]!.id).toMatch(/^kubernetes-cluster__kube-control-plane-0-instance__[0-9a-f-]{36}$/);
  setTasks(view, 'kube-control-plane-1', {});
  view.tasks.find((t) => t.name === 'kube-control-plane-1-scheduler')!.state = 'relaunching';
  expect(JSON.parse(call('GET', svc('pod/kube-control-plane-1/status')).body).tasks[0].status).toBe('FAILED');
  expect(call('GET', svc('pod/kube-node-3/status'))).toMatchObject({ status: 404, body: 'Pod kube-node-3 not found' });
  const info = podInfoSchema.parse(JSON.parse(call('GET', svc('pod/etcd-0/info')).body));
  const agents = mesosStateSchema.parse(JSON.parse(call('GET', '/mesos/master/state').body)).slaves;
  expect(info[0]!.info.slaveId.value).toBe(agents.find((a) => a.hostname === '198.18.0.11')!.id);
  expect(info[0]!.status?.state).toBe('TASK_RUNNING');
});

test('endpoints: apiserver with addresses, autoip names and the VIP', () => {
  const { call } = setup();
  expect(JSON.parse(call('GET', svc('endpoints')).body)).toEqual(['apiserver']);
  expect(JSON.parse(call('GET', svc('endpoints/apiserver')).body)).toEqual({
    address: ['198.18.0.11:6443', '198.18.0.12:6443', '198.18.0.13:6443'],
    dns: [0, 1, 2].map((i) => `kube-control-plane-${i}-instance.kubernetes-cluster.autoip.dcos.thisdcos.directory:6443`),
    vip: 'apiserver.kubernetes-cluster.l4lb.thisdcos.directory:6443',
  });
  expect(call('GET', svc('endpoints/etcd'))).toMatchObject({ status: 404, body: '' });
});

test('Mesos-DNS: running tasks and masters; unknown names answer the empty record', () => {
  const { view, call } = setup();
  expect(JSON.parse(call('GET', '/mesos_dns/v1/hosts/etcd-0-peer.kubernetes-cluster.mesos').body)).toEqual([{ host: 'etcd-0-peer.kubernetes-cluster.mesos.', ip: '198.18.0.11' }]);
  expect(JSON.parse(call('GET', '/mesos_dns/v1/hosts/LEADER.mesos.').body)).toEqual([{ host: 'leader.mesos.', ip: '198.18.0.1' }]);
  expect(JSON.parse(call('GET', '/mesos_dns/v1/hosts/nothing.mesos').body)).toEqual([{ host: '', ip: '' }]);
  setTasks(view, 'etcd-0', { state: 'stopped' });
  expect(JSON.parse(call('GET', '/mesos_dns/v1/hosts/etcd-0-peer.kubernetes-cluster.mesos').body)).toEqual([{ host: '', ip: '' }]);
});

test('Mesos state: agents with ids and IP hostnames, the framework, tasks named as the framework does, TASK_* states', () => {
  const { view, call } = setup();
  let s = mesosStateSchema.parse(JSON.parse(call('GET', '/mesos/master/state').body));
  expect(s.slaves.map((a) => a.hostname)).toEqual(['198.18.0.11', '198.18.0.12', '198.18.0.13', '198.18.0.14']);
  expect(s.slaves.map((a) => a.id.replace(/^.*-/, ''))).toEqual(['S0', 'S1', 'S2', 'S3']);
  const fw = s.frameworks[0]!;
  expect([fw.name, fw.role]).toEqual(['kubernetes-cluster', 'kubernetes-cluster-role']);
  expect(fw.tasks.map((t) => t.name).sort()).toEqual([
    'etcd-0-peer', 'etcd-1-peer', 'etcd-2-peer', 'kube-control-plane-0-instance', 'kube-control-plane-1-instance', 'kube-control-plane-2-instance',
    'kube-node-0-kubelet', 'kube-node-1-kubelet', 'kube-node-2-kubelet', 'kube-node-3-kubelet',
  ]);
  expect(new Set(fw.tasks.map((t) => t.state))).toEqual(new Set(['TASK_RUNNING']));
  const oldId = fw.tasks.find((t) => t.name === 'etcd-2-peer')!.id;
  setTasks(view, 'etcd-2', { state: 'stopped' });
  s = mesosStateSchema.parse(JSON.parse(call('GET', '/mesos/master/state').body));
  expect(s.frameworks[0]!.completed_tasks.map((t) => [t.id, t.state])).toEqual([[oldId, 'TASK_KILLED']]);
  setTasks(view, 'etcd-2', { state: 'running', startedAt: 't3', restarts: 1 });
  s = mesosStateSchema.parse(JSON.parse(call('GET', '/mesos/master/state').body));
  const now = s.frameworks[0]!.tasks.find((t) => t.name === 'etcd-2-peer')!;
  expect(now.id).not.toBe(oldId);
  expect(s.frameworks[0]!.completed_tasks.map((t) => t.id)).toEqual([oldId]);
  view.hosts.find((h) => h.host === 'agent-4')!.down = true;
  s = mesosStateSchema.parse(JSON.parse(call('GET', '/mesos/master/state').body));
  expect(s.slaves.find((a) => a.hostname === '198.18.0.14')!.active).toBe(false);
  expect(s.frameworks[0]!.unreachable_tasks.map((t) => [t.name, t.state])).toEqual([['kube-node-3-kubelet', 'TASK_UNREACHABLE']]);
  expect(JSON.parse(call('GET', '/mesos/slaves').body).slaves).toHaveLength(4);
});

test('static pods: an apiserver its kubelet restarts leaves the instance task as it was (same id, RUNNING, no relaunch); the whole instance relaunched is a new task', () => {
  const { view, call } = setup();
  view.controlPlane = 'static-pods';
  // The apiserver started first, then the controller-manager and scheduler were restarted by the kubelet (start-up
  // crashes, a killed scheduler): the live cases (session 10) where a kubelet restart of the apiserver became a relaunch.
  const at = (s: number) => new Date(Date.UTC(2026, 11, 7, 10, 0, s)).toISOString();
  for (const t of view.tasks.filter((x) => x.pod === 'kube-control-plane-1')) Object.assign(t, { startedAt: at(t.name.endsWith('apiserver') ? 0 : 1) });
  const fw = () => mesosStateSchema.parse(JSON.parse(call('GET', '/mesos/master/state').body)).frameworks[0]!;
  const instance = () => fw().tasks.find((t) => t.name === 'kube-control-plane-1-instance')!;
  const before = instance();
  for (const t of view.tasks.filter((x) => x.pod === 'kube-control-plane-1' && !x.name.endsWith('apiserver'))) Object.assign(t, { startedAt: at(20), restarts: 1 });
  expect(instance().id).toBe(before.id);
  const process = view.tasks.find((t) => t.name === 'kube-control-plane-1-apiserver')!;
  Object.assign(process, { state: 'relaunching', restarts: 1 });
  expect([instance().id, instance().state]).toEqual([before.id, 'TASK_RUNNING']);
  Object.assign(process, { state: 'running', startedAt: at(40) });
  expect([instance().id, instance().state]).toEqual([before.id, 'TASK_RUNNING']);
  expect(fw().completed_tasks).toEqual([]);
  // A pod restart (or the agent's return) relaunches all three processes: a new Mesos task, the old one completed.
  setTasks(view, 'kube-control-plane-1', { state: 'running', startedAt: at(59), restarts: 2 });
  expect(instance().id).not.toBe(before.id);
  expect(fw().completed_tasks.map((t) => t.id)).toEqual([before.id]);
  // One Mesos task per process (mesos-tasks): the same process restart is a relaunch of the task.
  const other = setup();
  const id = () => mesosStateSchema.parse(JSON.parse(other.call('GET', '/mesos/master/state').body)).frameworks[0]!.tasks.find((t) => t.name === 'kube-control-plane-1-instance')!.id;
  const was = id();
  Object.assign(other.view.tasks.find((t) => t.name === 'kube-control-plane-1-apiserver')!, { state: 'running', startedAt: 't5', restarts: 1 });
  expect(id()).not.toBe(was);
});

test('operator API: GET_AGENTS, MARK_AGENT_GONE (action, GONE_BY_OPERATOR, PERMANENT recovery), DRAIN_AGENT, bad calls', () => {
  const { call } = setup();
  const agents = getAgentsResponseSchema.parse(JSON.parse(call('POST', '/mesos/api/v1', { type: 'GET_AGENTS' }).body)).get_agents.agents;
  const agent2 = agents.find((a) => a.agent_info.hostname === '198.18.0.12')!.agent_info.id.value;
  const r = call('POST', '/mesos/api/v1', { type: 'MARK_AGENT_GONE', mark_agent_gone: { agent_id: { value: agent2 } } });
  expect([r.status, r.body]).toEqual([200, '']);
  expect(r.actions).toEqual([{ kind: 'mark-agent-gone', agentId: agent2, host: 'agent-2', pods: ['etcd-1', 'kube-control-plane-1', 'kube-node-1'] }]);
  const s = mesosStateSchema.parse(JSON.parse(call('GET', '/mesos/master/state').body));
  expect(s.slaves.map((a) => a.id)).not.toContain(agent2);
  expect(s.frameworks[0]!.completed_tasks.filter((t) => t.state === 'TASK_GONE_BY_OPERATOR').map((t) => t.name).sort()).toEqual(['etcd-1-peer', 'kube-control-plane-1-instance', 'kube-node-1-kubelet']);
  const rec = plan(call('GET', svc('plans/recovery')));
  expect(rec.phases.map((ph) => [ph.name, recoveryType(ph.steps[0]!.message)])).toEqual([['etcd-1:[peer]', 'PERMANENT'], ['kube-control-plane-1:[instance]', 'PERMANENT'], ['kube-node-1:[kubelet]', 'PERMANENT']]);
  expect(call('POST', '/mesos/api/v1', { type: 'MARK_AGENT_GONE', mark_agent_gone: { agent_id: { value: agent2 } } }).actions).toEqual([]);

  const agent3 = agents.find((a) => a.agent_info.hostname === '198.18.0.13')!.agent_info.id.value;
  const d = call('POST', '/mesos/api/v1', { type: 'DRAIN_AGENT', drain_agent: { agent_id: { value: agent3 }, max_grace_period: { seconds: 60 } } });
  expect(d.actions).toEqual([{ kind: 'drain-agent', agentId: agent3, host: 'agent-3', markGone: false, maxGracePeriodSeconds: 60, pods: ['etcd-2', 'kube-control-plane-2', 'kube-node-2'] }]);
  const after = getAgentsResponseSchema.parse(JSON.parse(call('POST', '/mesos/api/v1', { type: 'GET_AGENTS' }).body)).get_agents.agents.find((a) => a.agent_info.id.value === agent3)!;
  expect([after.deactivated, after.drain_info?.state]).toEqual([true, 'DRAINING']);

  expect(call('POST', '/mesos/api/v1', { type: 'MARK_AGENT_GONE', mark_agent_gone: { agent_id: { value: 'nope-S9' } } })).toMatchObject({ status: 404, actions: [] });
  expect(call('POST', '/mesos/api/v1', { type: 'FLY' }).status).toBe(400);
  expect(handleDcosRequest({ method: 'POST', path: '/mesos/api/v1', headers: {}, body: '{"type":"GET_AGENTS"}' }, makeView(), createSurfaceState({ users: [] })).status).toBe(401);
});

test('VIPs: the raw gossip table — unready and unreachable backends stay listed, dead tasks go; a base64 ETag', () => {
  const { view, call } = setup();
  const backends = (ips: string[]) => [{ vip: 'apiserver.kubernetes-cluster.l4lb.thisdcos.directory:6443', protocol: 'tcp', backend: ips.map((ip) => ({ ip, port: 6443 })) }];
  const r = call('GET', '/net/v1/vips');
  expect(JSON.parse(r.body)).toEqual(backends(['198.18.0.11', '198.18.0.12', '198.18.0.13']));
  expect(r.headers.etag).toMatch(/^[A-Za-z0-9+/]{27}=$/);
  // Two apiservers fail their readiness (the testbed's ready set shrinks): dcos-net still lists their tasks.
  view.vip.backends = ['198.18.0.12'];
  expect(JSON.parse(call('GET', '/net/v1/vips').body)).toEqual(backends(['198.18.0.11', '198.18.0.12', '198.18.0.13']));
  // An agent cut off: its last published backends stay in the table.
  view.hosts.find((h) => h.host === 'agent-3')!.down = true;
  expect(JSON.parse(call('GET', '/net/v1/vips').body)).toEqual(backends(['198.18.0.11', '198.18.0.12', '198.18.0.13']));
  // A control-plane task that died on a live agent is removed by that agent's poller.
  setTasks(view, 'kube-control-plane-0', { state: 'relaunching' });
  const r2 = call('GET', '/net/v1/vips');
  expect(JSON.parse(r2.body)).toEqual(backends(['198.18.0.12', '198.18.0.13']));
  expect(r2.headers.etag).not.toBe(r.headers.etag);
});

test('a foldered service name: routes under /service/dev/kubernetes01/, task ids with dots, DNS labels without slashes', () => {
  const { call } = setup('dev/kubernetes01');
  expect(call('GET', svc('plans/deploy', 'dev/kubernetes01')).status).toBe(200);
  expect(call('GET', svc('plans/deploy')).status).toBe(404);
  const s = mesosStateSchema.parse(JSON.parse(call('GET', '/mesos/master/state').body));
  expect(s.frameworks[0]!.tasks[0]!.id).toMatch(/^dev\.kubernetes01__etcd-0-peer__/);
  expect(s.frameworks[0]!.role).toBe('dev__kubernetes01-role');
  expect(JSON.parse(call('GET', '/mesos_dns/v1/hosts/etcd-0-peer.devkubernetes01.mesos').body)[0].ip).toBe('198.18.0.11');
  expect(JSON.parse(call('GET', svc('endpoints/apiserver', 'dev/kubernetes01')).body).vip).toBe('apiserver.devkubernetes01.l4lb.thisdcos.directory:6443');
});

test('toDcosView: supervisor status → view (never-launched tasks are pending, master-* hosts are masters)', () => {
  const v = toDcosView({
    cluster: 'kubernetes-cluster',
    hosts: [{ host: 'master-1', ip: '198.18.0.1' }, { host: 'agent-1', ip: '198.18.0.11' }],
    status: {
      tasks: [
        { name: 'etcd-0-peer', pod: 'etcd-0', role: 'etcd', host: 'agent-1', ip: '198.18.0.11', netns: 'hpf-agent-1', pid: 10, state: 'running', restarts: 0, startedAt: 'a', lastExit: undefined },
        { name: 'kube-node-0-kubelet', pod: 'kube-node-0', role: 'kwok', host: 'agent-1', ip: '198.18.0.11', netns: 'hpf-agent-1', pid: undefined, state: 'exited', restarts: 0, startedAt: undefined, lastExit: undefined },
      ],
      vip: { name: 'apiserver.kubernetes-cluster.l4lb.thisdcos.directory', ip: '198.19.0.1', port: 6443, backends: [] },
    },
    etcdMembers: ['etcd-0'],
    downHosts: ['agent-1'],
  });
  expect(v.hosts).toEqual([{ host: 'master-1', ip: '198.18.0.1', role: 'master' }, { host: 'agent-1', ip: '198.18.0.11', role: 'agent', down: true }]);
  expect(v.tasks.map((t) => t.state)).toEqual(['running', 'pending']);
  expect(v.etcdMembers).toEqual(['etcd-0']);
});

const HA_OPTIONS = { service: { name: 'kubernetes-cluster' }, kubernetes: { high_availability: true } };
const INSTALL_REQUEST = 'application/vnd.dcos.package.install-request+json;charset=utf-8;version=v1';
const INSTALL_RESPONSE = 'application/vnd.dcos.package.install-response+json;charset=utf-8;version=v2';
const COSMOS_ERROR = 'application/vnd.dcos.package.error+json;charset=utf-8;version=v1';
const install = (call: Call, body: unknown = { packageName: 'kubernetes-cluster', options: HA_OPTIONS }, contentType = INSTALL_REQUEST, accept = INSTALL_RESPONSE) =>
  call('POST', '/package/install', body, { 'content-type': contentType, accept });
const uninstall = (call: Call, body: unknown = { packageName: 'kubernetes-cluster' }) =>
  call('POST', '/package/uninstall', body, { 'Content-Type': 'application/vnd.dcos.package.uninstall-request+json;charset=utf-8;version=v1', Accept: 'application/vnd.dcos.package.uninstall-response+json;charset=utf-8;version=v1' });
const NOTES = { postInstallNotes: 'DC/OS Kubernetes is being installed!' };

test('Cosmos: the service starts installed; a second install is 409 PackageAlreadyInstalled', () => {
  const { call } = setup();
  const r = install(call);
  expect([r.status, JSON.parse(r.body), r.actions]).toEqual([409, { type: 'PackageAlreadyInstalled', message: 'Package is already installed' }, []]);
  expect(r.headers['content-type']).toBe(COSMOS_ERROR);
});

test('Cosmos uninstall: 200 with an action; the scheduler, the framework (once its tasks are stopped) and the VIP are gone, the agents stay', () => {
  const { state, call } = setup();
  const r = uninstall(call);
  expect([r.status, JSON.parse(r.body)]).toEqual([200, { results: [{ packageName: 'kubernetes-cluster', appId: '/kubernetes-cluster', packageVersion: '2.8.0-1.19.2', postUninstallNotes: 'DC/OS Kubernetes is being uninstalled.' }] }]);
  expect(r.headers['content-type']).toBe('application/vnd.dcos.package.uninstall-response+json;charset=utf-8;version=v1');
  expect(r.actions).toEqual([{ kind: 'uninstall-package' }]);
  // Admin Router finds no scheduler to route to.
  expect(call('GET', svc('plans/deploy'))).toMatchObject({ status: 404, body: '404 Not Found: service not found.\n' });
  expect(call('GET', svc('pod'))).toMatchObject({ status: 404, body: '404 Not Found: service not found.\n' });
  // Until whoever stops the tasks says they are down, the framework stays registered.
  expect(mesosStateSchema.parse(JSON.parse(call('GET', '/mesos/master/state').body)).frameworks.map((f) => f.name)).toEqual(['kubernetes-cluster']);
  state.tearingDown = false;
  const s = mesosStateSchema.parse(JSON.parse(call('GET', '/mesos/master/state').body));
  expect([s.frameworks, s.slaves.length]).toEqual([[], 4]);
  expect(JSON.parse(call('GET', '/mesos/frameworks').body).frameworks).toEqual([]);
  expect(JSON.parse(call('GET', '/net/v1/vips').body)).toEqual([]);
});

test('Cosmos uninstall: an app id that is not installed is UninstallNonExistentAppForPackage, a package without apps PackageNotInstalled', () => {
  const { call } = setup();
  expect(JSON.parse(uninstall(call, { packageName: 'kubernetes-cluster', appId: '/other' }).body)).toEqual({
    type: 'UninstallNonExistentAppForPackage', message: 'Package [kubernetes-cluster] with id [/other] is not installed', data: { packageName: 'kubernetes-cluster', appId: '/other' },
  });
  expect(JSON.parse(uninstall(call, { packageName: 'kafka' }).body)).toEqual({ type: 'PackageNotInstalled', message: 'Package [kafka] is not installed', data: { packageName: 'kafka' } });
  expect(uninstall(call, { packageName: 'kubernetes-cluster', appId: 'kubernetes-cluster' }).status).toBe(200); // leading slash optional
  const again = uninstall(call);
  expect([again.status, JSON.parse(again.body), again.actions]).toEqual([400, { type: 'PackageNotInstalled', message: 'Package [kubernetes-cluster] is not installed', data: { packageName: 'kubernetes-cluster' } }, []]);
  expect(JSON.parse(uninstall(call, { packageName: 'kubernetes-cluster', appId: '/kubernetes-cluster' }).body).type).toBe('UninstallNonExistentAppForPackage');
});

test('Cosmos requests: Accept, Content-Type (with its parameters) and body are checked as finch does, all 400', () => {
  const { state, call } = setup();
  uninstall(call);
  const error = (r: DcosResponse) => [r.status, r.headers['content-type'], JSON.parse(r.body)];
  expect(error(install(call, undefined, 'application/json'))).toEqual([400, COSMOS_ERROR, {
    type: 'not_valid', message: `Item header 'Content-Type' deemed invalid by rule: should match one of ${INSTALL_REQUEST}`,
  }]);
  // The media type's parameters count: version=v1 must be there.
  expect(JSON.parse(install(call, undefined, 'application/vnd.dcos.package.install-request+json;charset=utf-8').body).type).toBe('not_valid');
  expect(JSON.parse(install(call, undefined, INSTALL_REQUEST, 'application/json').body)).toEqual({
    type: 'not_valid',
    message: `Item header 'Accept' deemed invalid by rule: Media type was [application/json] but should be one of [${INSTALL_RESPONSE}, application/vnd.dcos.package.install-response+json;charset=utf-8;version=v1]`,
  });
  expect(JSON.parse(call('POST', '/package/install', { packageName: 'kubernetes-cluster', options: HA_OPTIONS }, { 'content-type': INSTALL_REQUEST }).body)).toEqual({ type: 'not_present', message: "Item header 'Accept' not present but required" });
  expect(JSON.parse(install(call, { options: HA_OPTIONS }).body)).toEqual({ type: 'not_parsed', message: "Item 'body' unable to be parsed: Attempt to decode value on failed cursor: DownField(packageName)" });
  expect(JSON.parse(install(call, { packageName: 'kubernetes-cluster', options: 'yes' }).body).message).toBe("Item 'body' unable to be parsed: JsonObject: DownField(options)");
  // Several problems at once are one multiple_errors.
  const many = JSON.parse(call('POST', '/package/install', undefined, {}).body) as { type: string; message: string; data: { errors: Array<{ type: string; message: string }> } };
  expect([many.type, many.message, many.data.errors.map((e) => e.message)]).toEqual(['multiple_errors', 'Multiple errors while processing request', [
    "Item header 'Accept' not present but required", "Item header 'Content-Type' not present but required", 'Item body not present but required',
  ]]);
  expect(uninstall(call).status).toBe(400); // still uninstalled
  expect(call('GET', '/package/install').status).toBe(405);
  expect(state.installed).toBe(false);
});

test('Cosmos install: package name and version are looked up like Cosmos (PackageNotFound, VersionNotFound with data)', () => {
  const { call } = setup();
  uninstall(call);
  expect(JSON.parse(install(call, { packageName: 'kafka', options: HA_OPTIONS }).body)).toEqual({ type: 'PackageNotFound', message: 'Package [kafka] not found', data: { packageName: 'kafka' } });
  expect(JSON.parse(install(call, { packageName: 'kubernetes-cluster', packageVersion: '2.7.0-1.18.8', options: HA_OPTIONS }).body)).toEqual({
    type: 'VersionNotFound', message: 'Version [2.7.0-1.18.8] of package [kubernetes-cluster] not found', data: { packageName: 'kubernetes-cluster', packageVersion: '2.7.0-1.18.8' },
  });
});

test('Cosmos install: options the testbed cannot run are 400 JsonSchemaMismatch naming the field', () => {
  const { call } = setup();
  uninstall(call);
  const errors = (options: unknown) => {
    const r = install(call, { packageName: 'kubernetes-cluster', options });
    const body = JSON.parse(r.body) as { type: string; message: string; data: { errors: string[] } };
    expect([r.status, body.type, body.message]).toEqual([400, 'JsonSchemaMismatch', 'Options JSON failed validation']);
    return body.data.errors;
  };
  expect(errors({ service: { name: 'kubernetes-cluster' } })).toEqual([expect.stringContaining('kubernetes.high_availability')]);
  expect(errors({ ...HA_OPTIONS, etcd: { '5_etcd_nodes': true } })).toEqual([expect.stringContaining('etcd.5_etcd_nodes')]);
  expect(errors({ ...HA_OPTIONS, service: { name: 'other' } })).toEqual(['service.name: the testbed hosts only kubernetes-cluster, got other']);
  expect(errors({ ...HA_OPTIONS, kubernetes: { high_availability: 'yes' } })).toEqual([expect.stringMatching(/^options: kubernetes\.high_availability: /)]);
});

test('Cosmos install after uninstall: 200 with an action, and the service answers again with fresh plans', () => {
  const { view, state, call } = setup();
  uninstall(call);
  for (const t of view.tasks) if (t.pod !== 'dcos-dns') Object.assign(t, { state: 'stopped' });
  call('GET', '/mesos/master/state');
  const r = install(call, { packageName: 'kubernetes-cluster', packageVersion: '2.8.0-1.19.2', options: HA_OPTIONS, appId: '/kubernetes-cluster' });
  expect([r.status, JSON.parse(r.body)]).toEqual([200, { packageName: 'kubernetes-cluster', packageVersion: '2.8.0-1.19.2', appId: '/kubernetes-cluster', ...NOTES }]);
  expect(r.headers['content-type']).toBe('application/vnd.dcos.package.install-response+json;charset=utf-8;version=v2');
  expect(r.actions).toEqual([{ kind: 'install-package' }]);
  expect(state.installed).toBe(true);
  // The new scheduler deploys from scratch: no recoveries left from the uninstall.
  expect(plan(call('GET', svc('plans/recovery'))).phases).toEqual([]);
  expect(plan(call('GET', svc('plans/deploy'))).status).not.toBe('COMPLETE');
  for (const t of view.tasks) Object.assign(t, { state: 'running', startedAt: 't9' });
  expect(plan(call('GET', svc('plans/deploy'))).status).toBe('COMPLETE');
  expect(mesosStateSchema.parse(JSON.parse(call('GET', '/mesos/master/state').body)).frameworks).toHaveLength(1);
  expect(JSON.parse(call('GET', '/net/v1/vips').body)).toHaveLength(1);
});

test('Cosmos for a foldered service: appId /dev/kubernetes01, service.name must match it', () => {
  const { call } = setup('dev/kubernetes01');
  expect(JSON.parse(uninstall(call).body).results[0].appId).toBe('/dev/kubernetes01');
  expect(call('GET', svc('plans/deploy', 'dev/kubernetes01')).status).toBe(404);
  expect(install(call).status).toBe(400); // options name kubernetes-cluster
  const r = install(call, { packageName: 'kubernetes-cluster', options: { ...HA_OPTIONS, service: { name: 'dev/kubernetes01' } } });
  expect([r.status, JSON.parse(r.body).appId]).toEqual([200, '/dev/kubernetes01']);
  expect(call('GET', svc('plans/deploy', 'dev/kubernetes01')).status).toBe(200);
});

test('never-launched tasks: etcd-N-recover is in pod info with an empty task id and "status": null, in pod status without a status', () => {
  const { call } = setup();
  const raw = call('GET', svc('pod/etcd-0/info')).body;
  expect(raw).toContain('"status":null');
  const info = JSON.parse(raw) as Array<{ info: { name: string; taskId: { value: string }; slaveId: { value: string } }; status: { state: string } | null }>;
  expect(info.map((t) => [t.info.name, t.info.taskId.value === '' ? '' : 'id', t.status === null ? null : t.status.state])).toEqual([
    ['etcd-0-peer', 'id', 'TASK_RUNNING'], ['etcd-0-recover', '', null],
  ]);
  // Stored with the pod's first launch: on the same agent as the peer. Readiness is in the TaskStatus, not the TaskInfo.
  expect(info[1]!.info.slaveId.value).toBe(info[0]!.info.slaveId.value);
  expect((info[0]!.status as unknown as { checkStatus: unknown }).checkStatus).toEqual({ type: 'COMMAND', command: { exitCode: 0 } });
  expect(podInfoSchema.parse(info)[1]!.status).toBeNull();
  const status = JSON.parse(call('GET', svc('pod/etcd-0/status')).body) as { tasks: Array<Record<string, string>> };
  expect(status.tasks[1]).toEqual({ id: '', name: 'etcd-0-recover' });
  expect(status.tasks[0]).toMatchObject({ name: 'etcd-0-peer', status: 'RUNNING' });
  // A restart kills (and names) every stored task of the pod, the stub too.
  expect(JSON.parse(call('POST', svc('pod/etcd-1/restart')).body)).toEqual({ pod: 'etcd-1', tasks: ['etcd-1-peer', 'etcd-1-recover'] });
  // Pods without such a task have one entry; the apiserver port carries a VIP_<uuid> label.
  const cp = JSON.parse(call('GET', svc('pod/kube-control-plane-0/info')).body) as Array<{ info: { discovery: { ports: { ports: Array<{ name: string; labels: { labels: Array<{ key: string; value: string }> } }> } } } }>;
  expect(cp).toHaveLength(1);
  const port = cp[0]!.info.discovery.ports.ports[0]!;
  expect([port.name, port.labels.labels[0]!.value]).toEqual(['apiserver', 'apiserver:6443']);
  expect(port.labels.labels[0]!.key).toMatch(/^VIP_[0-9a-f-]{36}$/);
});

test('pod status of a service without tasks is {"service"} alone (no pods key); the client reads it as no pods', () => {
  const { view, call } = setup();
  for (const t of view.tasks) if (t.pod !== 'dcos-dns') Object.assign(t, { state: 'pending', startedAt: undefined });
  const body = JSON.parse(call('GET', svc('pod/status')).body) as Record<string, unknown>;
  expect(body).toEqual({ service: 'kubernetes-cluster' });
  expect(podStatusSchema.parse(body).pods).toEqual([]);
  expect(JSON.parse(call('GET', svc('pod')).body)).toEqual([]);
});

test('service-account login: {uid, token} with an RS256 JWT {uid, exp} signed by the account\'s key; anything else 401', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
  const other = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
  const view = makeView();
  const nowMs = 1_700_000_000_000;
  const state = createSurfaceState({ users: [], serviceAccounts: [{ uid: 'haproof', publicKey }], now: () => nowMs });
  const jwt = (claims: Record<string, unknown>, key = privateKey, alg = 'RS256') => {
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const unsigned = `${b64({ alg, typ: 'JWT' })}.${b64(claims)}`;
    return `${unsigned}.${createSign('RSA-SHA256').update(unsigned).sign(key).toString('base64url')}`;
  };
  const loginWith = (uid: string, token: string) => handleDcosRequest({ method: 'POST', path: '/acs/api/v1/auth/login', headers: {}, body: JSON.stringify({ uid, token }) }, view, state);
  const exp = nowMs / 1000 + 300;
  const ok = loginWith('haproof', jwt({ uid: 'haproof', exp }));
  expect(ok.status).toBe(200);
  const token = (JSON.parse(ok.body) as { token: string }).token;
  expect(handleDcosRequest({ method: 'GET', path: svc('plans'), headers: { authorization: `token=${token}` } }, view, state).status).toBe(200);
  // The client's own token builder gives what IAM takes.
  expect(loginWith('haproof', serviceLoginToken('haproof', privateKey, nowMs / 1000)).status).toBe(200);
  for (const [uid, bad] of [
    ['haproof', jwt({ uid: 'haproof', exp }, other.privateKey)], // another key
    ['haproof', jwt({ uid: 'haproof', exp: nowMs / 1000 - 1 })], // expired
    ['haproof', jwt({ uid: 'haproof' })], // no exp
    ['haproof', jwt({ uid: 'someone-else', exp })], // claims another uid
    ['haproof', jwt({ uid: 'haproof', exp }, privateKey, 'HS256')], // not RS256
    ['nobody', jwt({ uid: 'nobody', exp })], // no such account
    ['haproof', 'not-a-jwt'],
  ] as const) {
    const r = loginWith(uid, bad);
    expect([r.status, JSON.parse(r.body).code]).toEqual([401, 'ERR_INVALID_CREDENTIALS']);
  }
});

test('Cosmos routing: forwarded to the manager only with packageVersion or managerId; ServiceAlreadyStarted from there, PackageAlreadyInstalled directly', () => {
  const { state, call } = setup();
  const body = (extra: Record<string, unknown>) => ({ packageName: 'kubernetes-cluster', options: HA_OPTIONS, ...extra });
  const started = { type: 'ServiceAlreadyStarted', message: 'The DC/OS service has already been started' };
  expect([install(call, body({ managerId: 'kubernetes' })).status, JSON.parse(install(call, body({ managerId: 'kubernetes' })).body)]).toEqual([409, started]);
  expect(JSON.parse(install(call, body({ packageVersion: '2.8.0-1.19.2' })).body)).toEqual(started);
  expect(JSON.parse(install(call, body({})).body)).toEqual({ type: 'PackageAlreadyInstalled', message: 'Package is already installed' });
  // An empty managerId is no manager.
  expect(JSON.parse(install(call, body({ managerId: '' })).body).type).toBe('PackageAlreadyInstalled');
  // The manager decides on the options in its path; Cosmos relays its 400.
  const relayed = JSON.parse(install(call, { packageName: 'kubernetes-cluster', managerId: 'kubernetes', options: { service: { name: 'kubernetes-cluster' } } }).body) as { type: string; message: string; data: { managerId: string; statusCode: number; responseContent: string } };
  expect([relayed.type, relayed.data.managerId, relayed.data.statusCode, JSON.parse(relayed.data.responseContent).type]).toEqual(['CustomPackageManagerError', 'kubernetes', 400, 'JsonSchemaMismatch']);
  expect(relayed.message).toMatch(/^Custom manager \[kubernetes\] returned error code \[400\] and response \[\{"type":"JsonSchemaMismatch"/);

  // Without the manager: the forwarded calls fail, the direct install still reaches Marathon (here: already there).
  state.managerInstalled = false;
  const notFound = { type: 'CustomPackageManagerNotFound', message: "the custom manager: '/kubernetes', is not installed for this package", data: { managerId: '/kubernetes' } };
  expect([install(call, body({ packageVersion: '2.8.0-1.19.2' })).status, JSON.parse(install(call, body({ managerId: 'kubernetes' })).body)]).toEqual([400, notFound]);
  expect(JSON.parse(install(call, body({})).body).type).toBe('PackageAlreadyInstalled');
  // Uninstall always goes to the manager (the package has one).
  const u = uninstall(call, { packageName: 'kubernetes-cluster', appId: '/kubernetes-cluster' });
  expect([u.status, JSON.parse(u.body), u.actions]).toEqual([400, notFound, []]);
  expect(state.installed).toBe(true);
  state.managerInstalled = true;
  expect(JSON.parse(install(call, body({ managerId: 'mke-2' })).body)).toEqual({ ...notFound, message: "the custom manager: '/mke-2', is not installed for this package", data: { managerId: '/mke-2' } });

  // Through the manager after an uninstall: 200 with the package's notes, and the tasks start.
  uninstall(call);
  const r = install(call, body({ managerId: 'kubernetes', packageVersion: '2.8.0-1.19.2' }));
  expect([r.status, JSON.parse(r.body), r.actions]).toEqual([200, { packageName: 'kubernetes-cluster', packageVersion: '2.8.0-1.19.2', appId: '/kubernetes-cluster', ...NOTES }, [{ kind: 'install-package' }]]);
});

test('Enterprise: an install without service.service_account(_secret) is accepted, but its scheduler never registers; with them it deploys', () => {
  const view = makeView();
  const state = createSurfaceState({ users: [{ uid: 'bootstrapuser', password: 'deleteme' }], enterprise: true });
  const token = (JSON.parse(handleDcosRequest({ method: 'POST', path: '/acs/api/v1/auth/login', headers: {}, body: '{"uid":"bootstrapuser","password":"deleteme"}' }, view, state).body) as { token: string }).token;
  const call: Call = (method, path, body, headers = {}) => handleDcosRequest({ method, path, headers: { authorization: `token=${token}`, ...headers }, body: body === undefined ? undefined : JSON.stringify(body) }, view, state);
  expect(handleDcosRequest({ method: 'GET', path: svc('plans'), headers: {} }, view, state).headers['www-authenticate']).toBe('acsjwt');
  uninstall(call);
  for (const t of view.tasks) if (t.pod !== 'dcos-dns') Object.assign(t, { state: 'stopped' });
  state.tearingDown = false;

  const r = install(call, { packageName: 'kubernetes-cluster', managerId: 'kubernetes', options: HA_OPTIONS });
  expect(r.status).toBe(200); // Cosmos (and the manager) accept it: the options are valid
  expect(r.actions).toEqual([{ kind: 'scheduler-exits', message: expect.stringMatching(/SchedulerDriver returned an error, shutting down: Received unexpected '401 Unauthorized'.*SUBSCRIBE.*ERROR\[6\]/) }]);
  expect(call('GET', svc('plans/deploy'))).toMatchObject({ status: 404, body: '404 Not Found: service not found.\n' });
  expect(mesosStateSchema.parse(JSON.parse(call('GET', '/mesos/master/state').body)).frameworks).toEqual([]);
  expect(JSON.parse(call('GET', '/net/v1/vips').body)).toEqual([]);
  // The Marathon app is there: a second install conflicts, an uninstall removes it (nothing to tear down).
  expect(install(call, { packageName: 'kubernetes-cluster', options: HA_OPTIONS }).status).toBe(409);
  const u = uninstall(call, { packageName: 'kubernetes-cluster', appId: '/kubernetes-cluster' });
  expect([u.status, u.actions, state.tearingDown]).toEqual([200, [], false]);

  const sa = { ...HA_OPTIONS, service: { name: 'kubernetes-cluster', service_account: 'kubernetes-sa', service_account_secret: 'kubernetes-sa/secret' } };
  const ok = install(call, { packageName: 'kubernetes-cluster', managerId: 'kubernetes', options: sa });
  expect([ok.status, ok.actions]).toEqual([200, [{ kind: 'install-package' }]]);
  expect(call('GET', svc('plans/deploy')).status).toBe(202);
  const fw = JSON.parse(call('GET', '/mesos/master/state').body).frameworks[0] as { name: string; principal: string };
  expect([fw.name, fw.principal]).toEqual(['kubernetes-cluster', 'kubernetes-sa']);
});

test('Mesos-DNS: a task name resolves to its agent\'s IP and its container IP (IPSources host, netinfo)', () => {
  const { view, call } = setup();
  setTasks(view, 'etcd-1', { ip: '198.18.4.7' });
  expect(JSON.parse(call('GET', '/mesos_dns/v1/hosts/etcd-1-peer.kubernetes-cluster.mesos').body)).toEqual([
    { host: 'etcd-1-peer.kubernetes-cluster.mesos.', ip: '198.18.0.12' }, { host: 'etcd-1-peer.kubernetes-cluster.mesos.', ip: '198.18.4.7' },
  ]);
  expect(JSON.parse(call('GET', '/mesos_dns/v1/hosts/etcd-1-peer.kubernetes-cluster.slave.mesos').body)).toEqual([{ host: 'etcd-1-peer.kubernetes-cluster.slave.mesos.', ip: '198.18.0.12' }]);
});
