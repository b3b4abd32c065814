// Renders the nftables rulesets of the testbed (pure): the client-side VIP datapath and the runner's fence.
import { TESTBED_RANGE } from '../config/addresses.ts';

export const VIP_TABLE = 'haproof_vip';
export const FENCE_TABLE = 'haproof_fence';

export interface VipSpec {
  /** Short key used in map names, e.g. `apiserver`. */
  key: string;
  ip: string;
  port: number;
}

/** Creates the VIP table with no backends: connections to the VIP are reset until backends are set. */
export function renderVipTable(vips: readonly VipSpec[]): string {
  const maps = vips.map((v) => `  map be_${v.key} { typeof numgen random mod 1 : ip daddr; }`);
  const rejects = vips.map((v) => `    ip daddr ${v.ip} tcp dport ${v.port} counter reject with tcp reset`);
  return [
    `table ip ${VIP_TABLE} {`,
    ...maps,
    `  chain nat_out { type nat hook output priority -100; policy accept; }`,
    `  chain filter_out {`,
    `    type filter hook output priority 0; policy accept;`,
    // DNAT runs first (priority -100): only connections left undirected (no healthy backend) reach these rejects.
    ...rejects,
    `  }`,
    `}`,
    '',
  ].join('\n');
}

/** One atomic transaction replacing the backends of every VIP (flush chain + flush maps + elements + rules). */
export function renderVipBackends(vips: ReadonlyArray<VipSpec & { backends: readonly string[] }>): string {
  const lines = [`flush chain ip ${VIP_TABLE} nat_out`];
  for (const v of vips) {
    lines.push(`flush map ip ${VIP_TABLE} be_${v.key}`);
    if (v.backends.length === 0) continue;
    const elements = v.backends.map((ip, i) => `${i} : ${ip}`).join(', ');
    lines.push(`add element ip ${VIP_TABLE} be_${v.key} { ${elements} }`);
    lines.push(`add rule ip ${VIP_TABLE} nat_out ip daddr ${v.ip} tcp dport ${v.port} dnat to numgen random mod ${v.backends.length} map @be_${v.key}`);
  }
  return lines.join('\n') + '\n';
}

/**
 * The runner's fence: traffic for the testbed ranges may leave only through the testbed bridge (or loopback, which
 * carries the kernel's own ICMP errors). Anything else is counted and dropped; tests assert the counter stays 0.
 */
export function renderFence(bridge: string): string {
  return [
    `table inet ${FENCE_TABLE} {`,
    `  counter escaped { }`,
    `  chain out {`,
    `    type filter hook output priority 10; policy accept;`,
    `    ip daddr ${TESTBED_RANGE} oifname != { "${bridge}", "lo" } counter name escaped drop`,
    `  }`,
    `}`,
    '',
  ].join('\n');
}
