// DC/OS naming and the address plan.
import { test, expect } from '@playwright/test';
import { agentIp, APISERVER_VIP, FIRST_SERVICE_IP, hostPlan, inCidr, SERVICE_CIDR } from '../../config/addresses.ts';
import { apiserverVipName, etcdClientUrls, etcdPeerName, nodeName } from '../../config/naming.ts';
import { parseTestbedOptions } from '../../config/options.ts';
import { dnsRecords, planTopology, renderDnsHosts } from '../../testbed/topology.ts';

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
  expect(new Set(records.map((r) => r.name)).size).toBe(records.length);
  expect(renderDnsHosts([{ name: 'a.b', ip: '198.18.0.1' }])).toBe('198.18.0.1 a.b\n');
});
