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
