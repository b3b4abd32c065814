// Does the leader-elected component work again after its leader died? Started at the kill: a Pod for the scheduler
// (done when it has a node), a ReplicaSet for the controller-manager (done when it has created its Pod). Recorded as a
// `probe` op from its invoke (the kill) to its completion (the component did its job), for check-component-works.ts.
import type { Cluster } from '../../targets/cluster.ts';
import type { HistoryRecorder } from '../../history/history.ts';
import { withTimeout } from '../../core/with-timeout.ts';

export type ProbedComponent = 'kube-scheduler' | 'kube-controller-manager';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs the probe for at most `timeoutMs`; never throws (a failure is recorded). */
export async function probeComponent(cluster: Cluster, component: ProbedComponent, namespace: string, history: HistoryRecorder, timeoutMs: number): Promise<void> {
  const { core, apps } = cluster.kube();
  const name = `probe-${component === 'kube-scheduler' ? 'schedule' : 'replicate'}-${Date.now() % 100_000}`;
  const f = component === 'kube-scheduler' ? 'schedule' : 'replicate';
  history.record({ type: 'invoke', process: 'probe', f, value: { component, name } });
  const deadline = Date.now() + timeoutMs;
  const container = { name: 'c', image: 'registry.invalid/none:0' };
  try {
    // The create itself goes through the VIP: retried until the API takes it (the probe is about the component).
    for (;;) {
      try {
        if (component === 'kube-scheduler') await withTimeout(core.createNamespacedPod({ namespace, body: { metadata: { name }, spec: { containers: [container] } } }), 5_000, 'probe create');
        else await withTimeout(apps.createNamespacedReplicaSet({ namespace, body: { metadata: { name }, spec: { replicas: 1, selector: { matchLabels: { probe: name } }, template: { metadata: { labels: { probe: name } }, spec: { containers: [container] } } } } }), 5_000, 'probe create');
        break;
      } catch (e) {
        if (Date.now() > deadline) throw e;
        await sleep(250);
      }
    }
    for (;;) {
      const done = component === 'kube-scheduler'
        ? Boolean((await withTimeout(core.readNamespacedPod({ namespace, name }), 5_000, 'probe read').catch(() => undefined))?.spec?.nodeName)
        : ((await withTimeout(core.listNamespacedPod({ namespace, labelSelector: `probe=${name}` }), 5_000, 'probe list').catch(() => undefined))?.items.length ?? 0) > 0;
      if (done) { history.record({ type: 'ok', process: 'probe', f, value: { component, name } }); return; }
      if (Date.now() > deadline) throw new Error(`${component} did not ${component === 'kube-scheduler' ? 'schedule the probe Pod' : 'create the probe ReplicaSet\'s Pod'} within ${timeoutMs / 1000} s`);
      await sleep(250);
    }
  } catch (e) {
    history.record({ type: 'fail', process: 'probe', f, value: { component, name }, error: (e as Error).message.slice(0, 200) });
  }
}
