// The health check haproof waits for after every heal (pure over a stand-in cluster): each apiserver's own /readyz
// counts, and an apiserver that is not there to ask is one that does not serve.
import { test, expect } from '@playwright/test';
import { checkHealth } from '../../chaos/observe/health.ts';
import type { Cluster } from '../../targets/cluster.ts';

type Answer = 'ready' | 'not-ready' | 'refused' | 'timeout';

function cluster(readiness: Answer[] | Error): Cluster {
  const now = new Date().toISOString();
  return {
    etcdMembers: async () => [0, 1, 2].map((i) => ({ name: `etcd-${i}`, healthy: true, isLeader: i === 0 })),
    etcdHashes: async () => ({ a: '1', b: '1', c: '1' }),
    vipBackends: async () => ['198.18.0.11', '198.18.0.12', '198.18.0.13'],
    leaderLeases: async () => ['kube-scheduler', 'kube-controller-manager'].map((name) => ({ name, holder: 'x', renewTime: now, durationSeconds: 15 })),
    nodes: async () => [{ name: 'n1', ready: true }],
    leaderGauges: async () => [{ task: 'a', gauge: 1 }, { task: 'b', gauge: 0 }, { task: 'c', gauge: 0 }],
    apiserverReadiness: async () => {
      if (readiness instanceof Error) throw readiness;
      return readiness.map((answer, i) => ({ task: `kube-control-plane-${i}-instance:kube-apiserver`, ip: `198.18.0.1${i}`, answer }));
    },
  } as unknown as Cluster;
}

test('three apiservers ready: healthy', async () => {
  expect(await checkHealth(cluster(['ready', 'ready', 'ready']), false)).toEqual({ healthy: true, problems: [], unreadable: [] });
});

test('a refusing or not-ready apiserver is a problem; one that does not answer in time is doubt', async () => {
  expect((await checkHealth(cluster(['ready', 'refused', 'ready']), false)).problems).toEqual(['kube-control-plane-1-instance:kube-apiserver: /readyz refused']);
  const slow = await checkHealth(cluster(['ready', 'timeout', 'ready']), false);
  expect(slow).toMatchObject({ healthy: false, problems: [] });
  expect(slow.unreadable).toEqual(['kube-control-plane-1-instance:kube-apiserver: /readyz did not answer in time']);
});

test('an apiserver the target does not list as running is not serving: fewer than three answers is a problem', async () => {
  const two = await checkHealth(cluster(['ready', 'ready']), false);
  expect(two.healthy).toBe(false);
  expect(two.problems).toEqual(['apiservers: 2/3 ready (2 running)']);
  expect((await checkHealth(cluster([]), false)).problems).toEqual(['apiservers: 0/3 ready (0 running)']);
  // The probe itself failing is doubt, not a count.
  const failed = await checkHealth(cluster(new Error('ssh: agent unreachable')), false);
  expect(failed).toMatchObject({ healthy: false, problems: [] });
  expect(failed.unreadable).toEqual(['apiserver /readyz: ssh: agent unreachable']);
});
