// Faults ask for capabilities: a target without one makes the fault unavailable before a scenario starts (never a
// throw halfway through). The targets declare their capabilities by implementing them.
import { expect, test } from '@playwright/test';
import { can, capabilitiesOf, type Cluster } from '../../targets/cluster.ts';
import { FAULTS } from '../../chaos/faults/registry.ts';
import type { Fault } from '../../chaos/faults/fault.ts';
import { DcosCluster } from '../../targets/dcos/dcos-cluster.ts';
import { TestbedCluster } from '../../targets/testbed/testbed-cluster.ts';

/** The common part only: a target that can do nothing beyond it. */
const bare = {
  name: 'bare', vip: { name: 'v', ip: '198.19.0.1', port: 6443 }, kubeconfig: '', caFile: '', adminCert: { cert: '', key: '' },
  tasks: async () => [{ task: 'etcd-0-peer', role: 'etcd', host: 'agent-1', ip: '198.18.0.11', pid: undefined, state: 'running', restarts: 0 }],
  agentHosts: async () => ['agent-1', 'agent-2'],
} as unknown as Cluster;

const available = (name: keyof typeof FAULTS, c: Cluster, params: unknown) => (FAULTS[name] as Fault<unknown>).available(c, params);

test('a target with only the common set: every fault that needs more is unavailable', async () => {
  expect(capabilitiesOf(bare)).toEqual([]);
  expect(await available('kill-process', bare, { role: 'etcd', selector: 'leader', signal: 'SIGKILL', relaunch: false })).toBe(false);
  expect(await available('kill-process', bare, { role: 'etcd', selector: 'leader', signal: 'SIGKILL', relaunch: true })).toBe(true);
  expect(await available('crash-agent', bare, { host: 'agent-1' })).toBe(false);
  expect(await available('freeze-agent', bare, { host: 'agent-1' })).toBe(false);
  expect(await available('partition', bare, { mode: 'isolate', target: { host: 'agent-1' } })).toBe(false);
  expect(await available('replace-etcd-member', bare, { index: 0 })).toBe(false);
});

test('the dcos target cannot hold a task down, crash a host or count fence escapes, but restarts pods through the SDK; the testbed can all of it but that', () => {
  const dcos = Object.create(DcosCluster.prototype) as Cluster;
  expect(can.holdTaskDown(dcos)).toBe(false);
  expect(can.powerHosts(dcos)).toBe(false);
  expect(can.countFenceEscapes(dcos)).toBe(false);
  expect(capabilitiesOf(dcos)).toEqual(['freezeHosts', 'firewallHosts', 'replaceMembers', 'probeApiservers', 'restartPods']);
  const testbed = Object.create(TestbedCluster.prototype) as Cluster;
  expect(capabilitiesOf(testbed)).toEqual(['holdTaskDown', 'powerHosts', 'freezeHosts', 'firewallHosts', 'replaceMembers', 'countFenceEscapes', 'probeApiservers']);
});

test('a missing leader gauge means "election off" only when the process\'s own command line says so', async () => {
  const { electionDisabled, gaugeOf } = await import('../../targets/cluster.ts');
  expect(electionDisabled(['kube-scheduler', '--leader-elect=false'])).toBe(true);
  // pflag bool flags take a value only after '=': `--leader-elect false` leaves election on.
  expect(electionDisabled(['kube-scheduler', '--leader-elect', 'false'])).toBe(false);
  for (const v of ['0', 'f', 'F', 'FALSE', 'False']) expect(electionDisabled(['kube-scheduler', `--leader-elect=${v}`])).toBe(true);
  expect(electionDisabled(['kube-scheduler', '--leader-elect=false', '--leader-elect=true'])).toBe(false);
  expect(electionDisabled(['kube-scheduler', '--leader-elect=true'])).toBe(false);
  expect(electionDisabled(['kube-scheduler'])).toBe(false);
  expect(gaugeOf('no-election', ['kube-scheduler', '--leader-elect=false'])).toBe('no-election');
  expect(gaugeOf('no-election', ['kube-scheduler', '--kubeconfig=x'])).toBe('not-started');
  expect(gaugeOf(1, [])).toBe(1);
});

test('a process\'s file is read through its own root (a container\'s filesystem), a relative one through its cwd', async () => {
  const { procPath } = await import('../../targets/cluster.ts');
  expect(procPath(812, '/etc/kubernetes/scheduler.kubeconfig')).toBe('/proc/812/root/etc/kubernetes/scheduler.kubeconfig');
  expect(procPath(812, 'kubeconfig')).toBe('/proc/812/cwd/kubeconfig');
});
