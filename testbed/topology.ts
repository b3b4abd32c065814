// The testbed's topology (pure): hosts, which pod runs where (UNIQUE placement), and the DNS records that follow.
import { agentHost, agentIp, APISERVER_VIP, hostPlan, MASTER_IP, type HostAddress } from '../config/addresses.ts';
import { apiserverVipName, controlPlaneName, dnsLabel, etcdPeerName, mesosTaskName, nodeName } from '../config/naming.ts';
import type { TestbedOptions } from '../config/options.ts';

export const ETCD_MEMBERS = 3;
export const CONTROL_PLANES = 3;

export interface PodPlacement {
  /** DC/OS pod instance name, e.g. `etcd-0`, `kube-control-plane-1`, `kube-node-3`. */
  pod: string;
  kind: 'etcd' | 'kube-control-plane' | 'kube-node';
  index: number;
  host: string;
  ip: string;
}

export interface Topology {
  cluster: string;
  hosts: HostAddress[];
  pods: PodPlacement[];
  vip: { name: string; ip: string; port: number };
}

/**
 * etcd-i and kube-control-plane-i go to agent-(i+1), each kind UNIQUE per host; kube-node-i runs on every agent.
 * With the minimum of 4 agents one agent hosts no etcd member, so a member can be replaced onto it.
 */
export function planTopology(options: TestbedOptions): Topology {
  const pods: PodPlacement[] = [];
  const on = (n: number) => ({ host: agentHost(n), ip: agentIp(n) });
  for (let i = 0; i < ETCD_MEMBERS; i++) pods.push({ pod: `etcd-${i}`, kind: 'etcd', index: i, ...on(i + 1) });
  for (let i = 0; i < CONTROL_PLANES; i++) pods.push({ pod: `kube-control-plane-${i}`, kind: 'kube-control-plane', index: i, ...on(i + 1) });
  for (let i = 0; i < options.agents; i++) pods.push({ pod: `kube-node-${i}`, kind: 'kube-node', index: i, ...on(i + 1) });
  return { cluster: options.cluster, hosts: hostPlan(options.agents), pods, vip: { name: apiserverVipName(options.cluster), ip: APISERVER_VIP, port: 6443 } };
}

export function podsOfKind(t: Topology, kind: PodPlacement['kind']): PodPlacement[] {
  return t.pods.filter((p) => p.kind === kind);
}

/** DNS records the master's DNS server answers (name → IPv4), as dcos-dns and mesos-dns would. */
export function dnsRecords(t: Topology): Array<{ name: string; ip: string }> {
  const c = t.cluster;
  const records: Array<{ name: string; ip: string }> = [
    { name: t.vip.name, ip: t.vip.ip },
    { name: 'master.mesos', ip: MASTER_IP },
    { name: 'leader.mesos', ip: MASTER_IP },
    { name: `${dnsLabel(c)}.mesos`, ip: MASTER_IP },
  ];
  for (const p of t.pods) {
    if (p.kind === 'etcd') {
      records.push({ name: etcdPeerName(c, p.index), ip: p.ip }, { name: mesosTaskName(c, `${p.pod}-peer`), ip: p.ip });
    } else if (p.kind === 'kube-control-plane') {
      records.push({ name: controlPlaneName(c, p.index), ip: p.ip }, { name: mesosTaskName(c, `${p.pod}-instance`), ip: p.ip });
    } else {
      records.push({ name: nodeName(c, p.index), ip: p.ip });
    }
  }
  for (const h of t.hosts) records.push({ name: `${h.host}.mesos`, ip: h.ip });
  return records;
}

/** dnsmasq `--addn-hosts` file text (pure). */
export function renderDnsHosts(records: ReadonlyArray<{ name: string; ip: string }>): string {
  return records.map((r) => `${r.ip} ${r.name}`).join('\n') + '\n';
}
