// DC/OS naming and the address plan.
import { test, expect } from '@playwright/test';
import { agentIp, agentOverlaySubnet, APISERVER_VIP, FIRST_SERVICE_IP, hostPlan, inCidr, OVERLAY_NET, overlayGateway, SERVICE_CIDR, TESTBED_RANGE, VIP_NET, VTEP_NET, vtepIp, vtepMac } from '../../config/addresses.ts';
import { apiserverVipName, etcdClientUrls, etcdPeerName, nodeName } from '../../config/naming.ts';
import { parseTestbedOptions } from '../../config/options.ts';
import { dnsRecords, placePod, planTopology, podDnsRecords, renderDnsHosts } from '../../testbed/topology.ts';
import { podVethName } from '../../testbed/paths.ts';

test('DC/OS names', () => {
  expect(etcdPeerName('kubernetes-cluster', 0)).toBe('etcd-0-peer.kubernetes-cluster.autoip.dcos.thisdcos.directory');
  expect(apiserverVipName('dev/kubernetes01')).toBe('apiserver.devkubernetes01.l4lb.thisdcos.directory');
  expect(nodeName('kubernetes-cluster', 2)).toBe('kube-node-2-kubelet.kubernetes-cluster.mesos');
  expect(etcdClientUrls('c', 3)).toEqual(['https://etcd-0-peer.c.autoip.dcos.thisdcos.directory:2379', 'https://etcd-1-peer.c.autoip.dcos.thisdcos.directory:2379', 'https://etcd-2-peer.c.autoip.dcos.thisdcos.directory:2379']);
});

test('every host lies in 198.18.0.0/24, every VIP and ClusterIP in 198.19.0.0/24, all distinct', () => {
  const hosts = hostPlan(32);
  for (const h of hosts) expect(inCidr(h.ip, '198.18.0.0/24'), h.ip).toBe(true);
  expect(new Set(hosts.map((h) => h.ip)).size).toBe(hosts.length);
  expect(inCidr(APISERVER_VIP, '198.19.0.0/24')).toBe(true);
  expect(inCidr(FIRST_SERVICE_IP, SERVICE_CIDR)).toBe(true);
  expect(inCidr(SERVICE_CIDR.split('/')[0]!, '198.19.0.0/24')).toBe(true);
  expect(() => agentIp(0)).toThrow(RangeError);
  expect(() => agentIp(33)).toThrow(RangeError);
});

test('placement: etcd and control planes UNIQUE per host, one agent free of etcd, a kube-node on every agent', () => {
  const t = planTopology(parseTestbedOptions({ agents: '5' }));
  const etcdHosts = t.pods.filter((p) => p.kind === 'etcd').map((p) => p.host);
  const cpHosts = t.pods.filter((p) => p.kind === 'kube-control-plane').map((p) => p.host);
  expect(new Set(etcdHosts).size).toBe(3);
  expect(new Set(cpHosts).size).toBe(3);
  expect(t.hosts.filter((h) => h.host.startsWith('agent-') && !etcdHosts.includes(h.host)).length).toBeGreaterThanOrEqual(1);
  expect(t.pods.filter((p) => p.kind === 'kube-node').map((p) => p.host)).toEqual(['agent-1', 'agent-2', 'agent-3', 'agent-4', 'agent-5']);
});

test('DNS records: the VIP name, each etcd member name on its host, no name twice', () => {
  const t = planTopology(parseTestbedOptions({}));
  const records = dnsRecords(t);
  expect(records).toContainEqual({ name: 'apiserver.kubernetes-cluster.l4lb.thisdcos.directory', ip: '198.19.0.1' });
  expect(records).toContainEqual({ name: 'etcd-1-peer.kubernetes-cluster.autoip.dcos.thisdcos.directory', ip: '198.18.0.12' });
  expect(new Set(records.map((r) => r.name)).size, 'on the host network, one address per name').toBe(records.length);
  expect(renderDnsHosts([{ name: 'a.b', ip: '198.18.0.1' }])).toBe('198.18.0.1 a.b\n');
});

test('overlay: every pod address in its agent\'s Mesos /25, VTEPs and overlay inside the testbed range, nothing shared', () => {
  const t = planTopology(parseTestbedOptions({ agents: '32', network: 'overlay' }));
  const used = [...t.hosts.map((h) => h.ip), ...t.pods.map((p) => p.ip), ...t.hosts.slice(1).map((_, i) => vtepIp(i + 1)), ...t.hosts.slice(1).map((_, i) => overlayGateway(i + 1))];
  expect(new Set(used).size, 'no address twice').toBe(used.length);
  for (const a of used) {
    expect(inCidr(a, TESTBED_RANGE), a).toBe(true);
    expect(inCidr(a, VIP_NET), a).toBe(false);
  }
  for (const p of t.pods) {
    const n = Number(p.host.replace('agent-', ''));
    expect(inCidr(p.ip, `${agentOverlaySubnet(n).split('/')[0]}/25`), `${p.pod} ${p.ip}`).toBe(true);
    expect(inCidr(p.ip, OVERLAY_NET)).toBe(true);
    expect(p.hostIp).toBe(agentIp(n));
    expect(p.netns).toBe(`hpf-pod-${p.pod}`);
    expect(podVethName(p.pod).length).toBeLessThanOrEqual(15);
  }
  expect(inCidr(vtepIp(3), VTEP_NET)).toBe(true);
  expect(vtepMac(26)).toBe('70:b3:d5:80:00:1a');
  // On the host network a pod has its agent's address and namespace.
  expect(placePod(parseTestbedOptions({}), 'etcd', 0, 1)).toEqual({ pod: 'etcd-0', kind: 'etcd', index: 0, host: 'agent-1', hostIp: '198.18.0.11', ip: '198.18.0.11', netns: 'hpf-agent-1' });
});

test('overlay DNS: an autoip name is the pod\'s overlay address, a Mesos-DNS task name its agent\'s and its own, a Node name its agent\'s', () => {
  const o = parseTestbedOptions({ network: 'overlay' });
  const records = dnsRecords(planTopology(o));
  expect(records).toContainEqual({ name: 'etcd-1-peer.kubernetes-cluster.autoip.dcos.thisdcos.directory', ip: '198.18.130.11' });
  expect(records.filter((r) => r.name === 'etcd-1-peer.kubernetes-cluster.mesos').map((r) => r.ip)).toEqual(['198.18.0.12', '198.18.130.11']);
  expect(records).toContainEqual({ name: 'kube-node-3-kubelet.kubernetes-cluster.mesos', ip: '198.18.0.14' });
  // A replaced member's records follow it to the new agent's subnet.
  expect(podDnsRecords('kubernetes-cluster', placePod(o, 'etcd', 0, 4))).toEqual([
    { name: 'etcd-0-peer.kubernetes-cluster.autoip.dcos.thisdcos.directory', ip: '198.18.132.10' },
    { name: 'etcd-0-peer.kubernetes-cluster.mesos', ip: '198.18.0.14' }, { name: 'etcd-0-peer.kubernetes-cluster.mesos', ip: '198.18.132.10' },
  ]);
});

test('--network: a value other than overlay or host is refused by name', () => {
  expect(() => parseTestbedOptions({ network: 'vxlan' })).toThrow(/network.*must be one of overlay, host/);
});
