// Address plan of the testbed: hosts in 198.18.0.0/24, VIPs in 198.19.0.0/24, nothing else ever.

export const HOST_NET = '198.18.0.0/24';
export const VIP_NET = '198.19.0.0/24';
/** Every testbed address (hosts, overlay, VIPs) lies in this benchmark range; the runner routes it onto the bridge. */
export const TESTBED_RANGE = '198.18.0.0/15';
/** The runner's address on the testbed bridge. */
export const RUNNER_IP = '198.18.0.254';
export const MASTER_IP = '198.18.0.1';
export const APISERVER_VIP = '198.19.0.1';
/** ClusterIP range for Services (never routed; the `kubernetes` Service takes the first address). */
export const SERVICE_CIDR = '198.19.0.128/25';
export const FIRST_SERVICE_IP = '198.19.0.129';
export const MAX_AGENTS = 32;

/** agent-<n> (1-based) gets 198.18.0.(10+n). */
export function agentIp(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > MAX_AGENTS) throw new RangeError(`agent number out of range: ${n}`);
  return `198.18.0.${10 + n}`;
}

export function agentHost(n: number): string {
  return `agent-${n}`;
}

export interface HostAddress {
  host: string;
  ip: string;
}

/** Every host of a testbed with `agents` private agents, master first. */
export function hostPlan(agents: number): HostAddress[] {
  return [{ host: 'master-1', ip: MASTER_IP }, ...Array.from({ length: agents }, (_, i) => ({ host: agentHost(i + 1), ip: agentIp(i + 1) }))];
}

/** True when an IPv4 address lies in a.b.c.d/len. */
export function inCidr(ip: string, cidr: string): boolean {
  const [net, lenText] = cidr.split('/');
  const len = Number(lenText);
  const mask = len === 0 ? 0 : (~0 << (32 - len)) >>> 0;
  return ((toInt(ip) & mask) >>> 0) === ((toInt(net ?? '') & mask) >>> 0);
}

function toInt(ip: string): number {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) throw new Error(`not an IPv4 address: ${ip}`);
  return parts.reduce((acc, p) => ((acc << 8) | p) >>> 0, 0);
}

/**
 * The `dcos` overlay, as DC/OS's default configures it — dcos/dcos `gen/calc.py` dcos_overlay_network: overlay `dcos`
 * 9.0.0.0/8 with a /24 per agent, VTEPs in 44.128.0.0/20 with MACs from 70:B3:D5:00:00:00 — moved into the testbed's
 * range: the overlay is 198.18.128.0/17 (agent-<n> gets 198.18.(128+n).0/24, of which the Mesos bridge `m-dcos` takes
 * the first /25 and its gateway the first address, as the Mesos overlay module splits it between Mesos and Docker
 * containers), the VTEPs 198.18.112.0/20 (agent-<n>: 198.18.112.<n>, MAC 70:b3:d5:80:00:<n>, as dcos-net's
 * dcos_overlay tests number them). Every address stays inside TESTBED_RANGE.
 */
export const OVERLAY_NET = '198.18.128.0/17';
export const VTEP_NET = '198.18.112.0/20';
export const VTEP_PREFIX = 20;
/** Mesos containers of one agent get this prefix of the agent's /24 (the Docker bridge takes the other half). */
export const OVERLAY_BRIDGE_PREFIX = 25;

/** agent-<n>'s overlay /24. */
export function agentOverlaySubnet(n: number): string {
  agentIp(n);
  return `198.18.${128 + n}.0/24`;
}

/** The gateway of agent-<n>'s Mesos bridge (its first address). */
export function overlayGateway(n: number): string {
  agentIp(n);
  return `198.18.${128 + n}.1`;
}

export function vtepIp(n: number): string {
  agentIp(n);
  return `198.18.112.${n}`;
}

export function vtepMac(n: number): string {
  agentIp(n);
  return `70:b3:d5:80:00:${n.toString(16).padStart(2, '0')}`;
}

/**
 * The overlay address a pod gets on agent-<n>: one per pod kind and index within the agent's Mesos /25 (etcd .10+i,
 * control plane .20+i, node .30+i, all inside the /25). Mesos' overlay IPAM hands out the next free address; which one is no contract,
 * only that it lies in the agent's subnet and that a pod moved to another agent gets an address of that agent.
 */
export function overlayPodIp(n: number, kind: 'etcd' | 'kube-control-plane' | 'kube-node', index: number): string {
  agentIp(n);
  const base = kind === 'etcd' ? 10 : kind === 'kube-control-plane' ? 20 : 30;
  const limit = kind === 'kube-node' ? MAX_AGENTS : 10;
  if (!Number.isInteger(index) || index < 0 || index >= limit) throw new RangeError(`${kind} index out of range: ${index}`);
  return `198.18.${128 + n}.${base + index}`;
}

/** The agent number of agent-<n>. */
export function agentNumber(host: string): number {
  const m = /^agent-(\d+)$/.exec(host);
  if (!m) throw new Error(`not an agent: ${host}`);
  return Number(m[1]);
}
