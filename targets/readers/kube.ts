// The Kubernetes API as haproof reads it (through the VIP, with @kubernetes/client-node).
import { AppsV1Api, CoordinationV1Api, CoreV1Api, KubeConfig, type V1Lease, type V1Node } from '@kubernetes/client-node';
import type { Topology } from '../../testbed/topology.ts';
import { nodeName } from '../../config/naming.ts';

export interface KubeClients {
  kc: KubeConfig;
  core: CoreV1Api;
  apps: AppsV1Api;
  coordination: CoordinationV1Api;
}

export function kubeClients(kubeconfigPath: string): KubeClients {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  return { kc, core: kc.makeApiClient(CoreV1Api), apps: kc.makeApiClient(AppsV1Api), coordination: kc.makeApiClient(CoordinationV1Api) };
}

export const LEADER_LEASES = ['kube-scheduler', 'kube-controller-manager'] as const;

export interface LeaseView {
  name: string;
  /** No holder: never acquired, or released (client-go's ReleaseOnCancel writes holderIdentity ""). */
  holder: string | undefined;
  /** ISO time of the last renewal; absent if never renewed (or unreadable). */
  renewTime: string | undefined;
  durationSeconds: number | undefined;
  transitions: number | undefined;
}

/**
 * A Lease as haproof reads it (pure): every spec field may be missing (a Lease created before anyone acquired it has
 * no holderIdentity or renewTime); renewTime comes as a Date from the client, or a string from a stored object.
 */
export function toLeaseView(name: string, l: V1Lease | undefined): LeaseView {
  const spec = l?.spec;
  const renew = spec?.renewTime === undefined || spec.renewTime === null ? undefined : new Date(spec.renewTime as unknown as string | Date);
  const count = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  return {
    name, holder: spec?.holderIdentity || undefined, renewTime: renew && !Number.isNaN(renew.getTime()) ? renew.toISOString() : undefined,
    durationSeconds: count(spec?.leaseDurationSeconds), transitions: count(spec?.leaseTransitions),
  };
}

export async function leaderLeases(c: KubeClients): Promise<LeaseView[]> {
  return Promise.all(LEADER_LEASES.map(async (name) => {
    try {
      return toLeaseView(name, await c.coordination.readNamespacedLease({ name, namespace: 'kube-system' }));
    } catch {
      return toLeaseView(name, undefined);
    }
  }));
}

export interface NodeView {
  name: string;
  ready: boolean;
  /**
   * `control-plane`: a kube-control-plane instance's own kubelet (labelled `tier=kube-control-plane`, tainted
   * NoExecute; kubernetes-cluster 2.x), no workload lands there; `worker`: a kube-node's.
   */
  role: 'worker' | 'control-plane';
  host: string | undefined;
  ip: string | undefined;
}

/** A Node as haproof reads it (pure): without status, conditions or addresses (a Node just registered) it is not Ready. */
export function toNodeView(n: V1Node): NodeView {
  const ready = n.status?.conditions?.find((c) => c?.type === 'Ready')?.status === 'True';
  const role = n.metadata?.labels?.['tier'] === 'kube-control-plane' ? 'control-plane' : 'worker';
  return { name: n.metadata?.name ?? '', ready, role, host: n.metadata?.labels?.['haproof.io/host'], ip: n.status?.addresses?.find((a) => a?.type === 'InternalIP')?.address || undefined };
}

export async function nodes(c: KubeClients): Promise<NodeView[]> {
  return (await c.core.listNode()).items.map(toNodeView);
}

/** kwok manages Nodes but does not create them; the deployer registers one per kube-node pod (as a kubelet would). */
export async function registerNodes(c: KubeClients, t: Topology): Promise<void> {
  const existing = new Set((await c.core.listNode()).items.map((n) => n.metadata?.name));
  for (const p of t.pods.filter((x) => x.kind === 'kube-node')) {
    const name = nodeName(t.cluster, p.index);
    if (existing.has(name)) continue;
    await c.core.createNode({
      body: {
        apiVersion: 'v1',
        kind: 'Node',
        metadata: {
          name,
          labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', type: 'kwok', 'haproof.io/host': p.host, 'haproof.io/pod': p.pod },
          annotations: { 'kwok.x-k8s.io/node': 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
        },
        spec: {},
      },
    });
  }
}

/** A bearer token (1 h) for the ServiceAccount `haproof-load` with `edit` in `namespace`; all made if missing. */
export async function serviceAccountToken(c: KubeClients, namespace: string): Promise<string> {
  const { RbacAuthorizationV1Api } = await import('@kubernetes/client-node');
  const rbac = c.kc.makeApiClient(RbacAuthorizationV1Api);
  const ignoreExists = (e: { code?: number }) => { if (e.code !== 409) throw e; };
  await c.core.createNamespace({ body: { metadata: { name: namespace } } }).catch(ignoreExists);
  await c.core.createNamespacedServiceAccount({ namespace, body: { metadata: { name: 'haproof-load' } } }).catch(ignoreExists);
  await rbac.createNamespacedRoleBinding({ namespace, body: { metadata: { name: 'haproof-load-edit' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' }, subjects: [{ kind: 'ServiceAccount', name: 'haproof-load', namespace }] } }).catch(ignoreExists);
  const tr = await c.core.createNamespacedServiceAccountToken({ name: 'haproof-load', namespace, body: { spec: { audiences: [], expirationSeconds: 3600 } } });
  const token = tr.status?.token;
  if (!token) throw new Error('TokenRequest returned no token');
  return token;
}
