// The API through the VIP with @kubernetes/client-node: namespaces, ConfigMap CRUD seen on a watch, a Deployment
// whose pods the real scheduler spreads across the agents.
import { Watch, type V1ConfigMap } from '@kubernetes/client-node';
import { test, expect } from '../fixtures.ts';

test.describe('API through the VIP', () => {
  const namespace = `haproof-conformance-${Date.now().toString(36)}`;

  test.beforeAll(async ({ cluster }) => {
    await cluster.kube().core.createNamespace({ body: { metadata: { name: namespace } } });
  });

  test.afterAll(async ({ cluster }) => {
    await cluster.kube().core.deleteNamespace({ name: namespace }).catch(() => undefined);
  });

  test('ConfigMap create, update and delete are seen on a watch', async ({ cluster }) => {
    const { core, kc } = cluster.kube();
    const events: Array<{ type: string; name: string; value: string | undefined }> = [];
    const watching = new Watch(kc);
    const abort = await watching.watch(`/api/v1/namespaces/${namespace}/configmaps`, {}, (type, obj: V1ConfigMap) => {
      events.push({ type, name: obj.metadata?.name ?? '', value: obj.data?.['v'] });
    }, () => undefined);
    try {
      const created = await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'cm-1' }, data: { v: 'one' } } });
      await core.replaceNamespacedConfigMap({ name: 'cm-1', namespace, body: { ...created, data: { v: 'two' } } });
      const read = await core.readNamespacedConfigMap({ name: 'cm-1', namespace });
      expect(read.data?.['v']).toBe('two');
      await core.deleteNamespacedConfigMap({ name: 'cm-1', namespace });
      await expect.poll(() => events.filter((e) => e.name === 'cm-1').map((e) => `${e.type}:${e.value}`), { timeout: 15_000 })
        .toEqual(['ADDED:one', 'MODIFIED:two', 'DELETED:two']);
    } finally {
      abort.abort();
    }
  });

  test('a Deployment of 6 replicas is scheduled across all agents', async ({ cluster }) => {
    const { apps, core } = cluster.kube();
    const labels = { app: 'spread' };
    await apps.createNamespacedDeployment({
      namespace,
      body: {
        metadata: { name: 'spread' },
        spec: {
          replicas: 6,
          selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            spec: {
              // With maxSkew 1 over hostnames, 6 pods on 4 agents must land 2-2-1-1: every agent gets one. Nodes whose
              // taints it does not tolerate (kubernetes-cluster 2.x's control-plane instances, NoExecute) are no domain:
              // counted as empty ones (the default policy), they would cap every worker at one pod.
              topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: labels }, nodeTaintsPolicy: 'Honor' }],
              containers: [{ name: 'app', image: 'registry.invalid/haproof/placeholder:1' }],
            },
          },
        },
      },
    });
    await expect.poll(async () => (await core.listNamespacedPod({ namespace, labelSelector: 'app=spread' })).items.filter((p) => p.status?.phase === 'Running').length, { timeout: 60_000 }).toBe(6);
    const pods = (await core.listNamespacedPod({ namespace, labelSelector: 'app=spread' })).items;
    const nodesUsed = new Set(pods.map((p) => p.spec?.nodeName));
    const agentNodes = (await cluster.nodes()).filter((n) => n.role === 'worker').map((n) => n.name);
    expect([...nodesUsed].sort()).toEqual([...agentNodes].sort());
  });
});
