// What a kube-control-plane-N-instance's kubelet shows the API (pure; the supervisor's agent sends it: supervisor/
// control-plane-kubelet-agent.ts). kubernetes-cluster 2.x runs a real kubelet in each control-plane instance task with
// the apiserver, controller-manager and scheduler as its static pods (iss-lab/dcos-kubernetes-cluster
// `files/control-plane-wrapper.sh` @ 4c2d5492). That kubelet registers the instance as a Node named by the task's
// Mesos-DNS name, tainted `node-role.kubernetes.io/master="":NoExecute`, labelled `name=<node>`, `tier=kube-control-plane`
// (its `--register-with-taints`, `--node-labels`), and the wrapper then labels it `node-role.kubernetes.io/master=`; and
// for each static pod it keeps a mirror pod `<manifest name>-<node>` (the wrapper's `APISERVER_PODNAME=kube-apiserver-
// ${TASK_NAME}.${SERVICE_NAME}.mesos`) whose status counts the restarts of its container (kubernetes `pkg/kubelet`
// status manager; `restartCount` is the kubelet's own count of the container's earlier runs).
//
// The testbed has no container runtime, so this is an emulation: the supervisor's processes are the containers and
// their exits the restarts it counts. Named deviations: no kube-proxy and no local-dns-dispatcher static pods (the
// wrapper starts both); the manifests' own content (images, probes, tolerations) is not in the public copy of the
// spec — the image names are placeholders and the NoExecute toleration [UNCONFIRMED] (without it the taint the same
// kubelet registers would evict its own mirror pods).
import { createHash } from 'node:crypto';
import { V1MicroTime, type V1Lease, type V1Node, type V1Pod, type V1PodStatus } from '@kubernetes/client-node';
import { instanceLaunch } from './dcos-emulator/framework-model.ts';

/** The manifests' names, as the wrapper copies them into its `manifests/` directory, in its start order. */
export const STATIC_POD_COMPONENTS = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler'] as const;
export type StaticPodComponent = (typeof STATIC_POD_COMPONENTS)[number];

/** The taint the instance's kubelet registers with (`--register-with-taints=node-role.kubernetes.io/master="":NoExecute`). */
export const CONTROL_PLANE_TAINT = { key: 'node-role.kubernetes.io/master', value: '', effect: 'NoExecute' } as const;
/** The wrapper's `--max-pods=10`. */
const MAX_PODS = '10';
/** kubelet defaults: the node Lease lasts 40 s and is renewed every quarter of it; node status every 10 s. */
export const NODE_LEASE_SECONDS = 40;
export const HEARTBEAT_MS = 10_000;

/** One static pod's container as its kubelet last saw it (the supervisor's process for it). */
export interface ContainerRun {
  component: StaticPodComponent;
  running: boolean;
  /** Its current (or last) run's start. */
  startedAt: string | undefined;
  /** Every exit of this process since the testbed started (the supervisor's count). */
  exits: number;
  lastExit: { exitCode: number | undefined; signal: string | undefined; at: string } | undefined;
  argv: string[];
}

/** What the kubelet remembers across syncs: the instance launch it belongs to and each container's exits at it. */
export interface KubeletMemory {
  launch: string | undefined;
  exitsAtLaunch: Partial<Record<StaticPodComponent, number>>;
}

/**
 * Each container's restart count within the current launch of the instance task. A relaunch of the instance (all
 * three processes started together: instanceLaunch, as the DC/OS surface tells one) is a new kubelet over a volume the
 * wrapper empties (`rm -rf var/*`, docker's storage), so the count starts again at 0; a process restarted alone is
 * one more restart of its container.
 */
export function restartCounts(host: string, runs: readonly ContainerRun[], memory: KubeletMemory): { counts: Record<StaticPodComponent, number>; memory: KubeletMemory } {
  const launch = instanceLaunch(runs.map((r) => ({ host, startedAt: r.startedAt })), memory.launch);
  const exitsAtLaunch = launch === memory.launch ? memory.exitsAtLaunch : Object.fromEntries(runs.map((r) => [r.component, r.exits]));
  const counts = Object.fromEntries(STATIC_POD_COMPONENTS.map((c) => {
    const r = runs.find((x) => x.component === c);
    return [c, r ? Math.max(0, r.exits - (exitsAtLaunch[c] ?? r.exits)) : 0];
  })) as Record<StaticPodComponent, number>;
  return { counts, memory: { launch, exitsAtLaunch } };
}

export function mirrorPodName(component: StaticPodComponent, node: string): string {
  return `${component}-${node}`;
}

/** The Node the kubelet registers (with its labels and taint; status is sent separately). */
export function controlPlaneNode(node: string): V1Node {
  return {
    apiVersion: 'v1', kind: 'Node',
    metadata: {
      name: node,
      labels: {
        'kubernetes.io/hostname': node, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64',
        name: node, tier: 'kube-control-plane',
        // The wrapper's `kubectl label nodes --overwrite <node> node-role.kubernetes.io/master=` once the API answers.
        'node-role.kubernetes.io/master': '',
      },
    },
    spec: { taints: [{ ...CONTROL_PLANE_TAINT }] },
  };
}

/** The Node's status as the kubelet reports it every HEARTBEAT_MS: Ready, its container's address. */
export function controlPlaneNodeStatus(node: string, ip: string, now: Date): NonNullable<V1Node['status']> {
  const t = now;
  const condition = (type: string, status: string, reason: string) => ({ type, status, reason, message: reason, lastHeartbeatTime: t, lastTransitionTime: t });
  return {
    conditions: [
      condition('MemoryPressure', 'False', 'KubeletHasSufficientMemory'), condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure'),
      condition('PIDPressure', 'False', 'KubeletHasSufficientPID'), condition('Ready', 'True', 'KubeletReady'),
    ],
    // `--node-ip=${MESOS_CONTAINER_IP}`: its overlay address.
    addresses: [{ type: 'InternalIP', address: ip }, { type: 'Hostname', address: node }],
    capacity: { cpu: '2', memory: '4Gi', pods: MAX_PODS },
    allocatable: { cpu: '2', memory: '4Gi', pods: MAX_PODS },
    nodeInfo: { architecture: 'amd64', operatingSystem: 'linux', kubeletVersion: 'haproof-emulated', kubeProxyVersion: '', bootID: '', containerRuntimeVersion: 'haproof://supervisor', kernelVersion: '', machineID: '', osImage: '', systemUUID: '' },
  };
}

/** Keeps the conditions' transition times of the status already stored when their state did not change. */
export function withTransitionTimes(next: NonNullable<V1Node['status']>, stored: V1Node['status'] | undefined): NonNullable<V1Node['status']> {
  const before = new Map((stored?.conditions ?? []).map((c) => [c.type, c]));
  return { ...next, conditions: (next.conditions ?? []).map((c) => {
    const b = before.get(c.type);
    return b && b.status === c.status && b.lastTransitionTime ? { ...c, lastTransitionTime: b.lastTransitionTime } : c;
  }) };
}

export function nodeLease(node: string, nodeUid: string | undefined, now: Date): V1Lease {
  return {
    apiVersion: 'coordination.k8s.io/v1', kind: 'Lease',
    metadata: { name: node, namespace: 'kube-node-lease', ...(nodeUid ? { ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: node, uid: nodeUid }] } : {}) },
    // A MicroTime: the apiserver refuses a renewal time without six fractional digits.
    spec: { holderIdentity: node, leaseDurationSeconds: NODE_LEASE_SECONDS, renewTime: new V1MicroTime(now.getTime()) },
  };
}

/** The manifest's hash, which names a static pod's config for the kubelet (`kubernetes.io/config.hash`). */
function configHash(component: StaticPodComponent, node: string): string {
  return createHash('md5').update(`${component}\0${node}`).digest('hex');
}

/** A static pod's mirror pod, as the kubelet creates it (status sent separately). */
export function mirrorPod(component: StaticPodComponent, node: string, nodeUid: string | undefined, argv: readonly string[]): V1Pod {
  const hash = configHash(component, node);
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: {
      name: mirrorPodName(component, node), namespace: 'kube-system',
      labels: { component, tier: 'control-plane' },
      annotations: { 'kubernetes.io/config.source': 'file', 'kubernetes.io/config.hash': hash, 'kubernetes.io/config.mirror': hash },
      ...(nodeUid ? { ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: node, uid: nodeUid, controller: true }] } : {}),
    },
    spec: {
      nodeName: node, hostNetwork: true, priorityClassName: 'system-node-critical', restartPolicy: 'Always',
      tolerations: [{ key: CONTROL_PLANE_TAINT.key, operator: 'Exists', effect: CONTROL_PLANE_TAINT.effect }],
      containers: [{ name: component, image: `registry.invalid/haproof/${component}:emulated`, command: [...argv] }],
    },
  };
}

/** Exit status as a container runtime reports it: a signal as 128 + its number. */
const SIGNALS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15, SIGSEGV: 11, SIGABRT: 6 };
function exitCodeOf(e: NonNullable<ContainerRun['lastExit']>): number {
  if (e.exitCode !== undefined && e.exitCode !== null) return e.exitCode;
  return 128 + (SIGNALS[e.signal ?? ''] ?? 0);
}

/** A mirror pod's status: the container running (or waiting to be restarted), its restart count, its last exit. */
export function mirrorPodStatus(run: ContainerRun, restartCount: number, hostIp: string, now: Date): V1PodStatus {
  const ready = run.running ? 'True' : 'False';
  const last = run.lastExit && restartCount > 0
    ? { terminated: { exitCode: exitCodeOf(run.lastExit), reason: 'Error', finishedAt: new Date(run.lastExit.at), ...(run.lastExit.signal ? { signal: SIGNALS[run.lastExit.signal] } : {}) } }
    : {};
  const condition = (type: string, status: string) => ({ type, status, lastTransitionTime: now });
  return {
    phase: 'Running', hostIP: hostIp, podIP: hostIp, podIPs: [{ ip: hostIp }],
    ...(run.startedAt ? { startTime: new Date(run.startedAt) } : {}),
    conditions: [condition('Initialized', 'True'), condition('Ready', ready), condition('ContainersReady', ready), condition('PodScheduled', 'True')],
    containerStatuses: [{
      name: run.component, image: `registry.invalid/haproof/${run.component}:emulated`, imageID: '', ready: run.running, restartCount, started: run.running,
      state: run.running && run.startedAt ? { running: { startedAt: new Date(run.startedAt) } } : { waiting: { reason: 'CrashLoopBackOff' } },
      lastState: last,
    }],
  };
}
