// The testbed's topology (pure): hosts, which pod runs where (UNIQUE placement), and the DNS records that follow.
import { agentHost, agentIp, APISERVER_VIP, hostPlan, MASTER_IP, overlayPodIp, type HostAddress } from '../config/addresses.ts';
import { apiserverVipName, controlPlaneName, dnsLabel, etcdPeerName, mesosTaskName, nodeName } from '../config/naming.ts';
import type { TestbedOptions } from '../config/options.ts';
import { netnsName, podNetnsName } from './paths.ts';

export const ETCD_MEMBERS = 3;
export const CONTROL_PLANES = 3;

export interface PodPlacement {
  /** DC/OS pod instance name, e.g. `etcd-0`, `kube-control-plane-1`, `kube-node-3`. */
  pod: string;
  kind: 'etcd' | 'kube-control-plane' | 'kube-node';
  index: number;
  host: string;
  /** The pod's own address: its agent's on the host network, else its overlay address. */
  ip: string;
  /** Its agent's address (what Mesos-DNS `<task>.<service>.mesos` names, IPSources host first). */
  hostIp: string;
  /** The network namespace its tasks run in: the agent's, or the pod's own on the overlay. */
  netns: string;
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
  for (let i = 0; i < ETCD_MEMBERS; i++) pods.push(placePod(options, 'etcd', i, i + 1));
  for (let i = 0; i < CONTROL_PLANES; i++) pods.push(placePod(options, 'kube-control-plane', i, i + 1));
  for (let i = 0; i < options.agents; i++) pods.push(placePod(options, 'kube-node', i, i + 1));
  return { cluster: options.cluster, hosts: hostPlan(options.agents), pods, vip: { name: apiserverVipName(options.cluster), ip: APISERVER_VIP, port: 6443 } };
}

/** A pod of `kind` and `index` placed on agent-<agent>: its address and namespace follow the testbed's network. */
export function placePod(options: Pick<TestbedOptions, 'network'>, kind: PodPlacement['kind'], index: number, agent: number): PodPlacement {
  const pod = `${kind}-${index}`;
  const host = agentHost(agent);
  const overlay = options.network === 'overlay';
  return { pod, kind, index, host, hostIp: agentIp(agent), ip: overlay ? overlayPodIp(agent, kind, index) : agentIp(agent), netns: overlay ? podNetnsName(pod) : netnsName(host) };
}

export function podsOfKind(t: Topology, kind: PodPlacement['kind']): PodPlacement[] {
  return t.pods.filter((p) => p.kind === kind);
}

/**
 * DNS records the master's DNS server answers (name → IPv4), as dcos-dns and mesos-dns would: an autoip name is the
 * pod's own address (its overlay address on the overlay; dcos-dns `autoip`: container IP when the task has no host
 * port mapping), a Mesos-DNS `.mesos` task name its agent's (DC/OS runs Mesos-DNS with IPSources ["host", "netinfo"],
 * /opt/mesosphere/etc/mesos-dns.json).
 */
export function dnsRecords(t: Topology): Array<{ name: string; ip: string }> {
  const c = t.cluster;
  const records: Array<{ name: string; ip: string }> = [
    { name: t.vip.name, ip: t.vip.ip },
    { name: 'master.mesos', ip: MASTER_IP },
    { name: 'leader.mesos', ip: MASTER_IP },
    { name: `${dnsLabel(c)}.mesos`, ip: MASTER_IP },
  ];
  for (const p of t.pods) records.push(...podDnsRecords(c, p));
  for (const h of t.hosts) records.push({ name: `${h.host}.mesos`, ip: h.ip });
  return records;
}

/** The records of one pod (a replaced pod's are written again from these). */
export function podDnsRecords(c: string, p: PodPlacement): Array<{ name: string; ip: string }> {
  // Mesos-DNS gives a task's name the IPs of every source, the agent's and the container's (surface-mesos.ts).
  const mesos = (task: string) => [p.hostIp, ...(p.ip !== p.hostIp ? [p.ip] : [])].map((ip) => ({ name: mesosTaskName(c, task), ip }));
  if (p.kind === 'etcd') return [{ name: etcdPeerName(c, p.index), ip: p.ip }, ...mesos(`${p.pod}-peer`)];
  if (p.kind === 'kube-control-plane') return [{ name: controlPlaneName(c, p.index), ip: p.ip }, ...mesos(`${p.pod}-instance`)];
  return [{ name: nodeName(c, p.index), ip: p.hostIp }];
}

/** dnsmasq `--addn-hosts` file text (pure). */
export function renderDnsHosts(records: ReadonlyArray<{ name: string; ip: string }>): string {
  return records.map((r) => `${r.ip} ${r.name}`).join('\n') + '\n';
}
