// Network partitions with nftables inside the host namespaces: isolate hosts, split majority/minority, one-way drops,
// and etcd-peer-only drops. Heal removes the fault tables.
import { can, type Cluster, type HostFirewall, type Role } from '../../targets/cluster.ts';
import type { Fault } from './fault.ts';
import { resolveHosts, type HostTarget } from './host-of.ts';
import type { DropSpec } from '../../targets/fault-rules.ts';

export interface PartitionParams {
  /**
   * isolate: the target hosts lose all traffic with every other testbed host (runner included);
   * split: the target hosts and the other hosts of `among` (default: etcd hosts) lose traffic with each other;
   * one-way: the target hosts stop receiving from the others but can still send;
   * peer-only: like split, but only etcd peer traffic (TCP 2380) is dropped.
   */
  mode: 'isolate' | 'split' | 'one-way' | 'peer-only';
  target: HostTarget;
  among?: Role;
}


async function otherSide(cluster: Cluster & HostFirewall, targets: string[], p: PartitionParams): Promise<Array<{ host: string; ip: string }>> {
  const hosts = await cluster.hosts();
  if (p.mode === 'isolate' || p.mode === 'one-way') {
    // The runner is on the other side too, at whatever address the target sees it come from (SSH stays open).
    const runner = [...new Set((await Promise.all(targets.map((t) => cluster.runnerAddresses(t)))).flat())];
    return [...hosts.filter((h) => !targets.includes(h.host)), ...runner.map((ip) => ({ host: 'runner', ip }))];
  }
  const role = p.among ?? 'etcd';
  const roleHosts = new Set((await cluster.tasks()).filter((t) => t.role === role).map((t) => t.host));
  return hosts.filter((h) => roleHosts.has(h.host) && !targets.includes(h.host));
}

/**
 * A host's addresses as a partition must name them (pure): the agent's own, and those of the tasks on it. On DC/OS
 * kubernetes-cluster's tasks are containers on the `dcos` overlay, each with an address of its own: their traffic
 * between agents is VXLAN between the agents' addresses (dropped with them), but a drop of only some ports (peer-only)
 * must match the inner packets, which the agent routes (the fault table's forward chain) — by the tasks' addresses.
 * With host networking (the testbed) a task's address is its agent's, and nothing is added.
 */
export function hostAddresses(hosts: ReadonlyArray<{ host: string; ip: string }>, tasks: ReadonlyArray<{ host: string; ip: string }>): (host: string) => string[] {
  // Only IPv4 (the rules are `ip`/iptables), and only addresses one host has: a container address that recurs on
  // several agents (Mesos bridge mode: every agent's 172.31.254.0/24) is private to each and leaves masqueraded as its
  // agent's own, which is already named.
  const ipv4 = (ip: string) => /^\d{1,3}(\.\d{1,3}){3}$/.test(ip);
  const hostsOf = new Map<string, Set<string>>();
  for (const t of tasks) if (t.ip && ipv4(t.ip)) hostsOf.set(t.ip, (hostsOf.get(t.ip) ?? new Set()).add(t.host));
  return (host) => {
    const own = hosts.find((h) => h.host === host)?.ip;
    if (own === undefined) throw new Error(`partition: no host ${JSON.stringify(host)}`);
    const mine = tasks.filter((t) => t.host === host && hostsOf.get(t.ip)?.size === 1).map((t) => t.ip);
    return [...new Set([own, ...mine])];
  };
}

export const partition: Fault<PartitionParams> = {
  name: 'partition',
  description: 'nftables drops inside host namespaces: isolate, split, one-way, etcd-peer-only',
  available: async (cluster) => can.firewallHosts(cluster),
  async inject({ cluster, random, inEffect }, p) {
    const fw = firewall(cluster);
    const targets = await resolveHosts(cluster, p.target, random);
    const others = await otherSide(fw, targets, p);
    const addressesOf = hostAddresses(await cluster.hosts(), await cluster.tasks());
    const ports = p.mode === 'peer-only' ? [2380] : undefined;
    const touched: string[] = [];
    const apply = async (host: string, spec: DropSpec) => { await fw.setHostFirewall(host, spec); touched.push(host); inEffect?.(); };
    const otherIps = [...new Set(others.flatMap((o) => (o.host === 'runner' ? [o.ip] : addressesOf(o.host))))];
    for (const t of targets) await apply(t, p.mode === 'one-way' ? { dropFrom: otherIps, dropTo: [] } : { dropFrom: otherIps, dropTo: otherIps, ports });
    // A split is symmetric: the other side drops the targets too (the runner has no fault table of its own).
    const targetIps = [...new Set(targets.flatMap(addressesOf))];
    if (p.mode === 'split' || p.mode === 'peer-only') for (const o of others) await apply(o.host, { dropFrom: targetIps, dropTo: targetIps, ports });
    return { fault: `partition-${p.mode}`, targets, undo: { touched } };
  },
  async heal({ cluster }, injection) {
    for (const h of (injection.undo as { touched: string[] }).touched) await firewall(cluster).setHostFirewall(h, undefined);
  },
};

function firewall(cluster: Cluster): Cluster & HostFirewall {
  if (!can.firewallHosts(cluster)) throw new Error('this target cannot install a host firewall');
  return cluster;
}
