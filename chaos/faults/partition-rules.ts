// Renders the fault firewall of one host (pure): drop traffic from/to a set of peers, optionally etcd peer traffic only.
import { FAULT_TABLE } from '../../targets/host-faults.ts';

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
    '}',
    '',
  ].join('\n');
}
