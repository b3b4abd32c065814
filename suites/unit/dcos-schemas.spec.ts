// DC/OS response schemas against recorded-style responses in the documented shapes (reference/dcos-interfaces.md),
// including the error bodies: SDK 404 text, 208 text, IAM 401, and a 417 plan with errors.
import { test, expect } from '@playwright/test';
import {
  ALREADY_REPORTED_TEXT, alreadyReportedSchema, commandAcceptedSchema, endpointSchema, getAgentsResponseSchema, iamErrorSchema, loginResponseSchema,
  mesosDnsHostsSchema, mesosSlavesSchema, mesosStateSchema, nameListSchema, notFoundTextSchema, planSchema, podCommandSchema, podInfoSchema,
  podInstanceStatusSchema, podStatusSchema, vipsSchema,
} from '../../dcos/schemas.ts';
import { errorDetail } from '../../dcos/client.ts';
import { isEmptyCompletePlan, planProgress, recoveryType } from '../../dcos/plan-progress.ts';

const DEPLOY_COMPLETE = {
  phases: [
    {
      id: '8ee5b023-066e-4ef7-a2c9-5fdfc00a50e5', name: 'etcd', strategy: 'serial', status: 'COMPLETE',
      steps: [
        { id: '2e3dde39-1a7c-4a4e-9c11-0d3c9f7f0a01', status: 'COMPLETE', name: 'etcd-0:[peer]', message: 'com.mesosphere.sdk.scheduler.plan.DeploymentStep: etcd-0:[peer] [2e3dde39-1a7c-4a4e-9c11-0d3c9f7f0a01] with status: COMPLETE' },
        { id: '2e3dde39-1a7c-4a4e-9c11-0d3c9f7f0a02', status: 'COMPLETE', name: 'etcd-1:[peer]', message: 'com.mesosphere.sdk.scheduler.plan.DeploymentStep: etcd-1:[peer] [2e3dde39-1a7c-4a4e-9c11-0d3c9f7f0a02] with status: COMPLETE' },
        { id: '2e3dde39-1a7c-4a4e-9c11-0d3c9f7f0a03', status: 'COMPLETE', name: 'etcd-2:[peer]', message: 'com.mesosphere.sdk.scheduler.plan.DeploymentStep: etcd-2:[peer] [2e3dde39-1a7c-4a4e-9c11-0d3c9f7f0a03] with status: COMPLETE' },
      ],
    },
    {
      id: '9ee5b023-066e-4ef7-a2c9-5fdfc00a50e5', name: 'control-plane', strategy: 'dependency', status: 'COMPLETE',
      steps: [{ id: '3e3dde39-1a7c-4a4e-9c11-0d3c9f7f0a01', status: 'COMPLETE', name: 'kube-control-plane-0:[instance]', message: 'com.mesosphere.sdk.scheduler.plan.DeploymentStep: kube-control-plane-0:[instance] [3e3dde39-1a7c-4a4e-9c11-0d3c9f7f0a01] with status: COMPLETE' }],
    },
  ],
  errors: [],
  strategy: 'serial',
  status: 'COMPLETE',
};

test('a complete deploy plan parses; its progress line counts steps per phase', () => {
  const plan = planSchema.parse(DEPLOY_COMPLETE);
  expect(plan.status).toBe('COMPLETE');
  expect(planProgress('deploy', plan)).toBe('deploy: etcd 3/3, control-plane 1/1 (COMPLETE)');
});

test('an older SDK plan without strategy keys parses; extra keys are kept', () => {
  const old = { phases: [{ id: 'a', name: 'etcd', status: 'IN_PROGRESS', steps: [{ id: 's', name: 'etcd-0:[peer]', status: 'STARTING', message: 'm', extra: 1 }] }], errors: [], status: 'IN_PROGRESS', newField: true };
  const plan = planSchema.parse(old);
  expect(plan.phases[0]!.strategy).toBeUndefined();
  expect((plan as Record<string, unknown>).newField).toBe(true);
});

test('a 417 plan body with errors parses and names the errors', () => {
  const body = { phases: [], errors: ['Field: \'etcd.data_disk\'; Value: \'4096\'; Message: \'cannot change\''], strategy: 'serial', status: 'ERROR' };
  const plan = planSchema.parse(body);
  expect(planProgress('deploy', plan)).toContain('errors: Field: \'etcd.data_disk\'');
});

test('an unknown plan status is refused (haproof relies on the status enum)', () => {
  expect(planSchema.safeParse({ ...DEPLOY_COMPLETE, status: 'DONE' }).success).toBe(false);
  expect(planSchema.safeParse({ ...DEPLOY_COMPLETE, phases: [{ name: 'x' }] }).success).toBe(false);
});

test('recovery plan: empty at rest, PERMANENT in the step message after a replace', () => {
  expect(isEmptyCompletePlan(planSchema.parse({ phases: [], errors: [], strategy: 'parallel', status: 'COMPLETE' }))).toBe(true);
  const recovering = planSchema.parse({
    phases: [{
      id: 'p1', name: 'etcd-1:[peer]', strategy: 'parallel', status: 'PENDING',
      steps: [{ id: 's1', name: 'etcd-1:[peer]', status: 'PENDING', message: 'com.mesosphere.sdk.scheduler.recovery.RecoveryStep: etcd-1:[peer] [s1] with status: PENDING RecoveryType: PERMANENT' }],
    }],
    errors: [], strategy: 'parallel', status: 'PENDING',
  });
  expect(isEmptyCompletePlan(recovering)).toBe(false);
  expect(recoveryType(recovering.phases[0]!.steps[0]!.message)).toBe('PERMANENT');
  expect(recoveryType('com.mesosphere.sdk.scheduler.plan.DeploymentStep: etcd-0:[peer] [x] with status: COMPLETE')).toBeUndefined();
});

test('plans, pods and endpoints lists; command answers', () => {
  expect(nameListSchema.parse(['deploy', 'recovery'])).toEqual(['deploy', 'recovery']);
  expect(commandAcceptedSchema.parse({ message: 'Received cmd: interrupt' }).message).toBe('Received cmd: interrupt');
  expect(commandAcceptedSchema.parse({ message: 'Received cmd: forceComplete for Plan: deploy, Phase: etcd, Step: etcd-0:[peer]' }).message).toContain('forceComplete');
  expect(podCommandSchema.parse({ pod: 'etcd-1', tasks: ['etcd-1-peer', 'etcd-1-recover'] }).tasks).toHaveLength(2);
});

test('error bodies: SDK 404 text, 208 text, IAM 401 JSON', () => {
  expect(notFoundTextSchema.safeParse('Plan foo not found').success).toBe(true);
  expect(notFoundTextSchema.safeParse('Pod etcd-9 not found').success).toBe(true);
  expect(notFoundTextSchema.safeParse('something else').success).toBe(false);
  expect(alreadyReportedSchema.parse(ALREADY_REPORTED_TEXT)).toBe('Command has already been reported or completed');
  expect(iamErrorSchema.parse({ title: 'Unauthorized', description: 'The UID or password is invalid', code: 'ERR_INVALID_CREDENTIALS' }).code).toBe('ERR_INVALID_CREDENTIALS');
  expect(errorDetail({ text: 'Plan foo not found' })).toBe('Plan foo not found');
  expect(errorDetail({ text: '{"title":"Unauthorized","description":"The UID or password is invalid"}' })).toBe('Unauthorized: The UID or password is invalid');
  expect(errorDetail({ text: '{"message":"Received cmd: x"}' })).toBe('Received cmd: x');
  expect(errorDetail({ text: 'x'.repeat(400) })).toHaveLength(301);
});

test('login response', () => {
  expect(loginResponseSchema.parse({ token: 'eyJhbGciOiJSUzI1NiJ9.e30.sig' }).token).toMatch(/^eyJ/);
  expect(loginResponseSchema.safeParse({ token: '' }).success).toBe(false);
});

test('pod status, instance status and info', () => {
  const all = podStatusSchema.parse({
    service: 'kubernetes-cluster',
    pods: [{ name: 'etcd', instances: [{ name: 'etcd-0', tasks: [{ id: 'kubernetes-cluster__etcd-0-peer__1e90aa3c-0000-4000-8000-000000000001', name: 'etcd-0-peer', status: 'RUNNING' }] }] }],
  });
  expect(all.pods[0]!.instances[0]!.tasks[0]!.status).toBe('RUNNING');
  // No status yet: the key is absent.
  expect(podInstanceStatusSchema.parse({ name: 'etcd-1', tasks: [{ id: 'x', name: 'etcd-1-peer' }] }).tasks[0]!.status).toBeUndefined();
  const info = podInfoSchema.parse([{
    info: {
      name: 'etcd-0-peer', taskId: { value: 'kubernetes-cluster__etcd-0-peer__1e90' }, slaveId: { value: '3f1b7c2e-0b6a-4f0e-9d1c-5a1f2e3d4c5b-S1' },
      command: { value: './bootstrap && ./etcd …' }, labels: { labels: [{ key: 'task_type', value: 'peer' }, { key: 'index', value: '0' }] },
      resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 0.5 } }],
    },
    status: { taskId: { value: 'kubernetes-cluster__etcd-0-peer__1e90' }, state: 'TASK_RUNNING', containerStatus: { networkInfos: [{ ipAddresses: [{ ipAddress: '9.0.1.5' }] }] } },
  }, { info: { name: 'etcd-0-recover', taskId: { value: 't2' }, slaveId: { value: 'a-S1' } } }]);
  expect(info[0]!.info.slaveId.value).toMatch(/-S1$/);
  expect(info[1]!.status).toBeUndefined();
});

test('endpoint, Mesos-DNS hosts (incl. the empty record), VIPs', () => {
  const ep = endpointSchema.parse({
    address: ['9.0.1.5:6443', '9.0.2.7:6443'],
    dns: ['kube-control-plane-0-instance.kubernetes-cluster.autoip.dcos.thisdcos.directory:6443', 'kube-control-plane-1-instance.kubernetes-cluster.autoip.dcos.thisdcos.directory:6443'],
    vip: 'apiserver.kubernetes-cluster.l4lb.thisdcos.directory:6443',
  });
  expect(ep.vip).toBe('apiserver.kubernetes-cluster.l4lb.thisdcos.directory:6443');
  expect(mesosDnsHostsSchema.parse([{ host: 'leader.mesos.', ip: '10.0.0.5' }])[0]!.ip).toBe('10.0.0.5');
  expect(mesosDnsHostsSchema.parse([{ host: '', ip: '' }])).toEqual([{ host: '', ip: '' }]);
  const v = vipsSchema.parse([{ vip: 'apiserver.kubernetes-cluster.l4lb.thisdcos.directory:6443', protocol: 'tcp', backend: [{ ip: '9.0.1.5', port: 6443 }, { ip: '9.0.2.7', port: 6443 }] }]);
  expect(v[0]!.backend.map((b) => b.ip)).toEqual(['9.0.1.5', '9.0.2.7']);
});

const AGENT = {
  id: '3f1b7c2e-0b6a-4f0e-9d1c-5a1f2e3d4c5b-S1', hostname: '10.0.1.11', port: 5051, pid: 'slave(1)@10.0.1.11:5051', attributes: {},
  registered_time: 1712000000.5, resources: { cpus: 4, mem: 14018, disk: 35577, ports: '[1025-2180, 2182-3887]' }, used_resources: {}, offered_resources: {},
  reserved_resources: {}, unreserved_resources: {}, active: true, deactivated: false, version: '1.10.0', capabilities: ['MULTI_ROLE'],
};

const TASK = {
  id: 'kubernetes-cluster__etcd-0-peer__1e90aa3c', name: 'etcd-0-peer', framework_id: '3f1b7c2e-0b6a-4f0e-9d1c-5a1f2e3d4c5b-0001',
  executor_id: 'kubernetes-cluster__etcd__e1', slave_id: AGENT.id, state: 'TASK_RUNNING', resources: { cpus: 0.5, mem: 1024, disk: 3584, gpus: 0 },
  role: 'kubernetes-cluster-role',
  statuses: [{ state: 'TASK_RUNNING', timestamp: 1712000100.2, container_status: { network_infos: [{ ip_addresses: [{ ip_address: '10.0.1.11' }] }], container_id: { value: 'c1' } } }],
};

test('Mesos master state: agents with ids and hostnames, the framework with tasks and states', () => {
  const state = mesosStateSchema.parse({
    hostname: '10.0.0.5', leader: 'master@10.0.0.5:5050', leader_info: {}, activated_slaves: 1, deactivated_slaves: 0, unreachable_slaves: 0,
    slaves: [AGENT], recovered_slaves: [],
    frameworks: [{
      id: TASK.framework_id, name: 'kubernetes-cluster', pid: 'scheduler@10.0.1.12:1234', active: true, connected: true, role: 'kubernetes-cluster-role',
      tasks: [TASK], unreachable_tasks: [], completed_tasks: [{ ...TASK, id: 'old', state: 'TASK_FAILED', statuses: [] }], offers: [], executors: [],
    }],
    completed_frameworks: [], unregistered_frameworks: [],
  });
  expect(state.slaves[0]!.hostname).toBe('10.0.1.11');
  expect(state.frameworks[0]!.tasks[0]!.state).toBe('TASK_RUNNING');
  expect(state.frameworks[0]!.completed_tasks[0]!.state).toBe('TASK_FAILED');
  expect(mesosStateSchema.safeParse({ slaves: [AGENT], frameworks: [{ ...state.frameworks[0], tasks: [{ ...TASK, state: 'RUNNING' }] }] }).success).toBe(false);
  expect(mesosSlavesSchema.parse({ slaves: [AGENT], recovered_slaves: [] }).slaves[0]!.id).toMatch(/-S1$/);
});

test('operator API GET_AGENTS', () => {
  const r = getAgentsResponseSchema.parse({
    type: 'GET_AGENTS',
    get_agents: {
      agents: [{
        active: true, agent_info: { hostname: '10.0.1.11', id: { value: AGENT.id }, port: 5051, resources: [] }, pid: 'slave(1)@10.0.1.11:5051',
        registered_time: { nanoseconds: 1712000000500000000 }, total_resources: [], version: '1.10.0',
      }],
    },
  });
  expect(r.get_agents.agents[0]!.agent_info.id.value).toBe(AGENT.id);
  expect(r.get_agents.recovered_agents).toEqual([]);
});
