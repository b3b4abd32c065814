// The emulated dcos-net VIP policy (pure): which backends are listed, kept as destinations, and get new connections.
import { test, expect } from '@playwright/test';
import { dcosNetVip, type BackendTask } from '../../testbed/dcos-net-policy.ts';

const task = (ip: string, state: BackendTask['state'], agentReachable = true, healthy?: boolean): BackendTask => ({ ip, state, agentReachable, ...(healthy === undefined ? {} : { healthy }) });

test('running tasks get new connections; a killing task stays listed at weight 0; a gone task is gone', () => {
  const v = dcosNetVip([task('a', 'running'), task('b', 'killing'), task('c', 'gone')]);
  expect(v).toEqual({ listed: ['a', 'b'], destinations: ['a', 'b'], weighted: ['a'], failOpen: false });
});

test('a failing Mesos health check is weight 0, not removal', () => {
  const v = dcosNetVip([task('a', 'running', true, false), task('b', 'running', true, true), task('c', 'running')]);
  expect(v.destinations).toEqual(['a', 'b', 'c']);
  expect(v.weighted).toEqual(['b', 'c']);
});

test('backends on unreachable agents are left out but stay in the raw gossip table', () => {
  const v = dcosNetVip([task('a', 'running', false), task('b', 'running'), task('c', 'running')]);
  expect(v).toEqual({ listed: ['a', 'b', 'c'], destinations: ['b', 'c'], weighted: ['b', 'c'], failOpen: false });
});

test('every agent unreachable: all are kept (fail-open)', () => {
  const v = dcosNetVip([task('a', 'running', false), task('b', 'killing', false), task('c', 'gone', false)]);
  expect(v).toEqual({ listed: ['a', 'b'], destinations: ['a', 'b'], weighted: ['a'], failOpen: true });
});

test('nothing running or killing: an empty VIP (new connections find no destination)', () => {
  expect(dcosNetVip([task('a', 'gone'), task('b', 'gone')])).toEqual({ listed: [], destinations: [], weighted: [], failOpen: false });
});

test('static pods: a dead apiserver leaves its instance task RUNNING, so dcos-net keeps it at weight 1; one task per process drops it', async () => {
  const { apiserverTaskState } = await import('../../testbed/dcos-net-policy.ts');
  const dead = { up: false, killing: false };
  const draining = { up: true, killing: true };
  expect(apiserverTaskState('static-pods', dead)).toBe('running');
  expect(apiserverTaskState('static-pods', draining)).toBe('running');
  expect(apiserverTaskState('mesos-tasks', dead)).toBe('gone');
  expect(apiserverTaskState('mesos-tasks', draining)).toBe('killing');
  const vip = (state: 'running' | 'killing' | 'gone', reachable = true) => dcosNetVip([
    { ip: 'a', state: 'running', agentReachable: true }, { ip: 'b', state: 'running', agentReachable: true }, { ip: 'c', state, agentReachable: reachable },
  ]).weighted;
  expect(vip(apiserverTaskState('static-pods', dead))).toEqual(['a', 'b', 'c']);
  expect(vip(apiserverTaskState('mesos-tasks', dead))).toEqual(['a', 'b']);
  // Only the agent's reachability takes a static pod's backend out (a crashed or cut-off agent).
  expect(vip(apiserverTaskState('static-pods', dead), false)).toEqual(['a', 'b']);
});

test('the control-plane instance\'s Mesos health check: failures in the grace period do not count, then one failure is unhealthy (weight 0), a pass is healthy again', async () => {
  const { foldHealthCheck, dcosNetVip, CONTROL_PLANE_HEALTH_CHECK: hc } = await import('../../testbed/dcos-net-policy.ts');
  const start = { launchedAt: 0, passedOnce: false, consecutiveFailures: 0, healthy: undefined };
  // A slow start: failing checks inside the 30 s grace period report nothing.
  const inGrace = foldHealthCheck(start, false, 15_000);
  expect([inGrace.healthy, inGrace.consecutiveFailures]).toEqual([undefined, 0]);
  const afterGrace = foldHealthCheck(inGrace, false, 45_000);
  expect([afterGrace.healthy, afterGrace.consecutiveFailures, afterGrace.kill]).toEqual([false, 1, false]);
  // A pass ends the grace period: the next failure counts at once, whenever it comes.
  const passed = foldHealthCheck(start, true, 15_000);
  expect(passed.healthy).toBe(true);
  expect(foldHealthCheck(passed, false, 20_000).healthy).toBe(false);
  // Twenty failures in a row: Mesos would kill the task.
  let s = { ...passed, kill: false };
  for (let i = 0; i < hc.maxConsecutiveFailures; i++) s = foldHealthCheck(s, false, 30_000 + i * hc.intervalMs);
  expect([s.consecutiveFailures, s.kill]).toEqual([20, true]);
  // dcos-net: a running task that is unhealthy keeps its destination, gets no new connections.
  const vip = dcosNetVip([
    { ip: '198.18.0.11', state: 'running', healthy: false, agentReachable: true },
    { ip: '198.18.0.12', state: 'running', healthy: true, agentReachable: true },
    { ip: '198.18.0.13', state: 'running', agentReachable: true },
  ]);
  expect(vip).toMatchObject({ destinations: ['198.18.0.11', '198.18.0.12', '198.18.0.13'], weighted: ['198.18.0.12', '198.18.0.13'] });
});

test('each instance\'s health check keeps its own schedule: due at its launch (delay 0), then 15 s after its last one ended', async () => {
  const { healthCheckDue } = await import('../../testbed/dcos-net-policy.ts');
  expect(healthCheckDue({ launchedAt: 1_000 }, 999)).toBe(false);
  expect(healthCheckDue({ launchedAt: 1_000 }, 1_000)).toBe(true);
  // A check that took 4 s (a hanging /healthz) pushes the next one back by as much: the interval runs from its end.
  expect(healthCheckDue({ launchedAt: 1_000, lastEndedAt: 5_000 }, 19_999)).toBe(false);
  expect(healthCheckDue({ launchedAt: 1_000, lastEndedAt: 5_000 }, 20_000)).toBe(true);
});
