// The API side of a control-plane instance's kubelet (static pods only), run by the supervisor: registers the instance's
// Node, renews its Lease and status every 10 s, and keeps one mirror pod per static pod whose status shows the
// supervisor's process for it — running or waiting, and its restarts within the instance's launch (what it sends is
// control-plane-kubelet.ts; the sources are named there). It speaks with the Node's own credentials
// (`system:node:<node>`, group `system:nodes`: the Node authorizer decides what it may write, as for a real kubelet) to
// the instance's own apiserver: the task's environment names `KUBERNETES_SERVICE_HOST: https://127.0.0.1` (svc.yml
// @ 4c2d5492); [UNCONFIRMED] that `kubelet.conf` names the local apiserver too (its template is not in the public copy).
import { CoordinationV1Api, CoreV1Api, KubeConfig, type V1Node, type V1Pod } from '@kubernetes/client-node';
import { withTimeout } from '../../core/with-timeout.ts';
import {
  controlPlaneNode, controlPlaneNodeStatus, HEARTBEAT_MS, mirrorPod, mirrorPodName, mirrorPodStatus, nodeLease, restartCounts, withTransitionTimes,
  type ContainerRun, type KubeletMemory,
} from '../control-plane-kubelet.ts';

/** How often it looks for a change in its containers (the kubelet's status manager sends a change at once). */
const LOOK_MS = 1_000;
/** One sync's whole time (a kubelet's client has its own timeouts; a cut-off apiserver must not stall the next one). */
const SYNC_TIMEOUT_MS = 8_000;

export interface KubeletAgentSpec {
  node: string;
  host: string;
  ip: string;
  kubeconfig: string;
}

const status = (e: unknown): number | undefined => (e as { code?: number }).code;

export class ControlPlaneKubeletAgent {
  private memory: KubeletMemory = { launch: undefined, exitsAtLaunch: {} };
  private lastSent = '';
  private lastHeartbeat = 0;
  /** Each sync's number: one that timed out runs on (its requests are not cancelled) but may not write any more. */
  private generation = 0;
  private readonly core: CoreV1Api;
  private readonly coordination: CoordinationV1Api;

  constructor(private readonly spec: KubeletAgentSpec, private readonly runs: () => ContainerRun[], private readonly event: (kind: string, fields: Record<string, unknown>) => void) {
    const kc = new KubeConfig();
    kc.loadFromFile(spec.kubeconfig);
    this.core = kc.makeApiClient(CoreV1Api);
    this.coordination = kc.makeApiClient(CoordinationV1Api);
  }

  async run(stopping: () => boolean): Promise<void> {
    let failing: string | undefined;
    while (!stopping()) {
      const runs = this.runs();
      const { counts, memory } = restartCounts(this.spec.host, runs, this.memory);
      this.memory = memory;
      const signature = JSON.stringify(runs.map((r) => [r.component, r.running, r.startedAt, counts[r.component]]));
      if (signature !== this.lastSent || Date.now() - this.lastHeartbeat >= HEARTBEAT_MS) {
        try {
          const gen = ++this.generation;
          await withTimeout(this.sync(runs, counts, () => { if (gen !== this.generation) throw new Error('superseded by a later sync'); }), SYNC_TIMEOUT_MS, `kubelet sync of ${this.spec.node}`);
          this.lastSent = signature;
          this.lastHeartbeat = Date.now();
          if (failing !== undefined) this.event('kubelet-sync', { node: this.spec.node, ok: true });
          failing = undefined;
        } catch (e) {
          // The apiserver it talks to is down or cut off: it tries again at the next look, as a kubelet retries. Each
          // new reason is logged once.
          const error = (e as Error).message.split('\n')[0]!.slice(0, 300);
          if (failing !== error) this.event('kubelet-sync', { node: this.spec.node, ok: false, error });
          failing = error;
        }
      }
      await new Promise((r) => setTimeout(r, LOOK_MS));
    }
  }

  /**
   * One sync. `current` throws once a later sync has started: a sync stuck on a frozen or cut-off apiserver that
   * answers after the heal must not write a renewal time or restart counts older than the later sync's. Each write
   * takes its time just before it is sent.
   */
  private async sync(runs: ContainerRun[], counts: Record<ContainerRun['component'], number>, current: () => void): Promise<void> {
    const node = await this.ensureNode();
    const uid = node.metadata?.uid;
    current();
    await this.core.replaceNodeStatus({ name: this.spec.node, body: { ...node, status: withTransitionTimes(controlPlaneNodeStatus(this.spec.node, this.spec.ip, new Date()), node.status) } });
    current();
    await this.renewLease(uid, current);
    // The Node authorizer lets a node read only pods bound to it, by listing with its own field selector.
    const bound = await this.core.listPodForAllNamespaces({ fieldSelector: `spec.nodeName=${this.spec.node}` });
    for (const run of runs) {
      const name = mirrorPodName(run.component, this.spec.node);
      // A mirror pod deleted (or never made) is made again, as the kubelet does at its next sync.
      const pod: V1Pod = bound.items.find((p) => p.metadata?.name === name && p.metadata.namespace === 'kube-system')
        ?? await this.core.createNamespacedPod({ namespace: 'kube-system', body: mirrorPod(run.component, this.spec.node, uid, run.argv) });
      current();
      await this.core.replaceNamespacedPodStatus({ name, namespace: 'kube-system', body: { ...pod, status: mirrorPodStatus(run, counts[run.component], this.spec.ip, new Date()) } });
    }
  }

  private async ensureNode(): Promise<V1Node> {
    try {
      return await this.core.readNode({ name: this.spec.node });
    } catch (e) {
      if (status(e) !== 404) throw e;
      this.event('kubelet-register', { node: this.spec.node });
      return this.core.createNode({ body: controlPlaneNode(this.spec.node) });
    }
  }

  private async renewLease(nodeUid: string | undefined, current: () => void): Promise<void> {
    try {
      const stored = await this.coordination.readNamespacedLease({ name: this.spec.node, namespace: 'kube-node-lease' });
      current();
      const body = nodeLease(this.spec.node, nodeUid, new Date());
      await this.coordination.replaceNamespacedLease({ name: this.spec.node, namespace: 'kube-node-lease', body: { ...body, metadata: { ...body.metadata, resourceVersion: stored.metadata?.resourceVersion } } });
    } catch (e) {
      if (status(e) !== 404) throw e;
      current();
      await this.coordination.createNamespacedLease({ namespace: 'kube-node-lease', body: nodeLease(this.spec.node, nodeUid, new Date()) });
    }
  }
}
