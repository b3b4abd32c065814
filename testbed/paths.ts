// Where a testbed keeps things: state outside any checkout (/run/haproof), logs in the run directory.
import { join } from 'node:path';

export const STATE_ROOT = process.env['HAPROOF_STATE_DIR'] ?? '/run/haproof';
export const STATE_FILE = join(STATE_ROOT, 'state.json');
export const BRIDGE = 'hpf-br0';
export const NETNS_PREFIX = 'hpf-';
/**
 * Where a Mesos container sees its sandbox, also its `$MESOS_SANDBOX` (apache/mesos docs/sandbox.md; dcos-commons
 * 0.57.3 frameworks' template tests: MESOS_SANDBOX is "added to tasks automatically by Mesos").
 */
export const SANDBOX_PATH = '/mnt/mesos/sandbox';
/** Where `ip netns exec` finds per-namespace resolv.conf and hosts files. */
export const NETNS_ETC = '/etc/netns';

export interface TestbedPaths {
  work: string;
  pki: string;
  data: string;
  kubeconfigs: string;
  adminKubeconfig: string;
  spec: string;
  socket: string;
  tasksFile: string;
  dnsHosts: string;
}

export function testbedPaths(cluster: string): TestbedPaths {
  const work = join(STATE_ROOT, cluster);
  return {
    work,
    pki: join(work, 'pki'),
    data: join(work, 'data'),
    kubeconfigs: join(work, 'kubeconfigs'),
    adminKubeconfig: join(work, 'admin.kubeconfig'),
    spec: join(work, 'supervisor-spec.json'),
    socket: join(work, 'supervisor.sock'),
    tasksFile: join(work, 'tasks.json'),
    dnsHosts: join(work, 'dns-hosts'),
  };
}

export function netnsName(host: string): string {
  return `${NETNS_PREFIX}${host}`;
}

/** Whether a task or pod runs in a namespace of its own (a pod on the overlay), not in its host's. */
export function inOwnNetns(x: { netns: string; host: string }): boolean {
  return x.netns !== netnsName(x.host);
}

/** A pod's own network namespace on the overlay (its tasks share it, as a Mesos pod's containers do). */
export function podNetnsName(pod: string): string {
  return `${NETNS_PREFIX}pod-${pod}`;
}

/** The agent-side end of a pod's veth on the overlay (15 characters at most): `hpfo-e0`, `hpfo-c1`, `hpfo-n3`. */
export function podVethName(pod: string): string {
  const m = /^(etcd|kube-control-plane|kube-node)-(\d+)$/.exec(pod);
  if (!m) throw new Error(`not a pod of the service: ${pod}`);
  return `hpfo-${m[1] === 'etcd' ? 'e' : m[1] === 'kube-control-plane' ? 'c' : 'n'}${m[2]}`;
}

export function vethName(host: string): string {
  return `hpfv-${host}`;
}
