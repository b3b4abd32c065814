// Renders the fault firewall of one host (pure): drop traffic from/to a set of peers, optionally etcd peer traffic only
// — as an nftables table, or as iptables chains where a host has no nft (the SDK's own partition recipe uses iptables).

/** The nftables table (inet) and the iptables chains haproof's fault firewall lives in. */
export const FAULT_TABLE = 'haproof_fault';
export const FAULT_CHAINS = { in: 'HAPROOF_FAULT_IN', out: 'HAPROOF_FAULT_OUT', fwd: 'HAPROOF_FAULT_FWD' } as const;

const SSH_PORT = 22;

export interface DropSpec {
  /** Peers whose packets this host no longer receives. */
  dropFrom: string[];
  /** Peers this host can no longer send to. */
  dropTo: string[];
  /** Only traffic to or from these TCP ports (e.g. 2380: etcd peer traffic); all traffic when absent. */
  ports?: number[];
}

export function renderDropTable(d: DropSpec): string {
  const set = (xs: ReadonlyArray<string | number>) => `{ ${xs.join(', ')} }`;
  const rules = (dir: 'saddr' | 'daddr', ips: string[]): string[] => {
    if (!ips.length) return [];
    const base = `    ip ${dir} ${set(ips)}`;
    if (!d.ports?.length) return [`${base} drop`];
    return [`${base} tcp dport ${set(d.ports)} drop`, `${base} tcp sport ${set(d.ports)} drop`];
  };
  return [
    `table inet ${FAULT_TABLE} {`,
    '  chain in {',
    '    type filter hook input priority -10; policy accept;',
    // SSH stays open, as in the DC/OS partition recipe (block all ingress except 22): the way in to heal the fault.
    `    tcp dport ${SSH_PORT} accept`,
    ...rules('saddr', d.dropFrom),
    '  }',
    '  chain out {',
    '    type filter hook output priority -10; policy accept;',
    `    tcp sport ${SSH_PORT} accept`,
    ...rules('daddr', d.dropTo),
    '  }',
    // Traffic the host routes rather than sends or receives: its containers' (DC/OS's overlay tasks, each in a network
    // namespace of its own behind the agent's bridge). Nothing is routed through a host-networked agent.
    '  chain routed {',
    '    type filter hook forward priority -10; policy accept;',
    `    tcp dport ${SSH_PORT} accept`,
    `    tcp sport ${SSH_PORT} accept`,
    ...rules('saddr', d.dropFrom),
    ...rules('daddr', d.dropTo),
    '  }',
    '}',
    '',
  ].join('\n');
}

/** iptables commands that install the same firewall (chains jumped to first from INPUT and OUTPUT), one per line. */
export function renderIptablesDrop(d: DropSpec): string[] {
  const ipt = (args: string) => `iptables -w ${args}`;
  const rules = (chain: string, flag: '-s' | '-d', ips: string[]) => ips.flatMap((ip) => (d.ports?.length
    ? d.ports.flatMap((p) => [ipt(`-A ${chain} -p tcp ${flag} ${ip} --dport ${p} -j DROP`), ipt(`-A ${chain} -p tcp ${flag} ${ip} --sport ${p} -j DROP`)])
    : [ipt(`-A ${chain} ${flag} ${ip} -j DROP`)]));
  return [
    ipt(`-N ${FAULT_CHAINS.in}`), ipt(`-N ${FAULT_CHAINS.out}`), ipt(`-N ${FAULT_CHAINS.fwd}`),
    // SSH stays open, as in the nft table.
    ipt(`-A ${FAULT_CHAINS.in} -p tcp --dport ${SSH_PORT} -j RETURN`), ...rules(FAULT_CHAINS.in, '-s', d.dropFrom),
    ipt(`-A ${FAULT_CHAINS.out} -p tcp --sport ${SSH_PORT} -j RETURN`), ...rules(FAULT_CHAINS.out, '-d', d.dropTo),
    ipt(`-A ${FAULT_CHAINS.fwd} -p tcp --dport ${SSH_PORT} -j RETURN`), ipt(`-A ${FAULT_CHAINS.fwd} -p tcp --sport ${SSH_PORT} -j RETURN`),
    ...rules(FAULT_CHAINS.fwd, '-s', d.dropFrom), ...rules(FAULT_CHAINS.fwd, '-d', d.dropTo),
    ipt(`-I INPUT 1 -j ${FAULT_CHAINS.in}`), ipt(`-I OUTPUT 1 -j ${FAULT_CHAINS.out}`), ipt(`-I FORWARD 1 -j ${FAULT_CHAINS.fwd}`),
  ];
}

/** Removes whichever of haproof's fault firewalls is there (idempotent; nothing there is fine). */
export function removeFaultFirewallScript(): string {
  return [
    `if command -v nft >/dev/null 2>&1 && nft list table inet ${FAULT_TABLE} >/dev/null 2>&1; then nft delete table inet ${FAULT_TABLE}; fi`,
    'if command -v iptables >/dev/null 2>&1; then',
    ...(['in', 'out', 'fwd'] as const).flatMap((k) => {
      const hook = ({ in: 'INPUT', out: 'OUTPUT', fwd: 'FORWARD' } as const)[k];
      return [`  while iptables -w -D ${hook} -j ${FAULT_CHAINS[k]} 2>/dev/null; do :; done`, `  if iptables -w -L ${FAULT_CHAINS[k]} -n >/dev/null 2>&1; then iptables -w -F ${FAULT_CHAINS[k]} && iptables -w -X ${FAULT_CHAINS[k]}; fi`];
    }),
    'fi',
  ].join('\n');
}

/**
 * The shell script that installs the fault firewall on a host (pure): nft where the host has it, else iptables, else
 * a loud failure — never a silent no-op. The nft table comes on stdin.
 */
export function installFaultFirewallScript(d: DropSpec): string {
  return [
    'set -e',
    'if command -v nft >/dev/null 2>&1; then nft -f -',
    `elif command -v iptables >/dev/null 2>&1; then ${renderIptablesDrop(d).join(' && ')}`,
    'else echo "haproof: this host has neither nft nor iptables: no partition can be installed" >&2; exit 3',
    'fi',
  ].join('\n');
}
