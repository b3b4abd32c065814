// Pure renderers: nftables rulesets, openssl extensions, kubeconfigs, task command lines.
import { test, expect } from '@playwright/test';
import { parseTestbedOptions } from '../../config/options.ts';
import { renderKubeconfig } from '../../testbed/kubeconfig.ts';
import { renderFence, renderVipBackends, renderVipTable } from '../../testbed/nft-rules.ts';
import { testbedPaths } from '../../testbed/paths.ts';
import { renderExtensions } from '../../testbed/pki.ts';
import { certRequests, taskSpecs } from '../../testbed/tasks.ts';
import { planTopology } from '../../testbed/topology.ts';
import { binaryPaths } from '../../upstream/versions.ts';

const vip = { key: 'apiserver', ip: '198.19.0.1', port: 6443 };

test('VIP backends: one transaction that flushes, fills the map and spreads with numgen over exactly the backends', () => {
  const text = renderVipBackends([{ ...vip, backends: ['198.18.0.11', '198.18.0.12', '198.18.0.13'] }]);
  expect(text.split('\n').filter(Boolean)).toEqual([
    'flush chain ip haproof_vip nat_out',
    'flush map ip haproof_vip be_apiserver',
    'add element ip haproof_vip be_apiserver { 0 : 198.18.0.11, 1 : 198.18.0.12, 2 : 198.18.0.13 }',
    'add rule ip haproof_vip nat_out ip daddr 198.19.0.1 tcp dport 6443 dnat to numgen random mod 3 map @be_apiserver',
  ]);
});

test('VIP with no healthy backend: no DNAT rule, so the table rejects connections with a reset', () => {
  const text = renderVipBackends([{ ...vip, backends: [] }]);
  expect(text).not.toContain('dnat');
  expect(renderVipTable([vip])).toContain('ip daddr 198.19.0.1 tcp dport 6443 counter reject with tcp reset');
});

test('fence: testbed ranges may leave only through the bridge or loopback', () => {
  expect(renderFence('hpf-br0')).toContain('ip daddr 198.18.0.0/15 oifname != { "hpf-br0", "lo" } counter name escaped drop');
});

test('certificates: etcd peers serve and authenticate by DNS name; apiservers are valid for the VIP name and IP', () => {
  const reqs = certRequests(planTopology(parseTestbedOptions({})));
  const etcd0 = reqs.find((r) => r.name === 'etcd-0-peer')!;
  expect(renderExtensions(etcd0)).toContain('extendedKeyUsage=serverAuth,clientAuth');
  expect(renderExtensions(etcd0)).toContain('DNS:etcd-0-peer.kubernetes-cluster.autoip.dcos.thisdcos.directory');
  const api = renderExtensions(reqs.find((r) => r.name === 'kube-control-plane-2-apiserver')!);
  expect(api).toContain('DNS:apiserver.kubernetes-cluster.l4lb.thisdcos.directory');
  expect(api).toContain('IP:198.19.0.1');
  expect(api).toContain('IP:198.18.0.13');
  expect(reqs.find((r) => r.name === 'admin')).toMatchObject({ org: 'system:masters', usage: 'client' });
});

test('kubeconfig: the VIP IP with the VIP name as TLS server name', () => {
  const kc = JSON.parse(renderKubeconfig({ server: 'https://198.19.0.1:6443', tlsServerName: 'apiserver.c.l4lb.thisdcos.directory', caFile: '/ca', certFile: '/c', keyFile: '/k', user: 'admin' }));
  expect(kc.clusters[0].cluster).toEqual({ server: 'https://198.19.0.1:6443', 'certificate-authority': '/ca', 'tls-server-name': 'apiserver.c.l4lb.thisdcos.directory' });
});

test('tasks: apiservers list etcd by DNS name; controllers reach the API by the VIP name; one kwok per agent', () => {
  const options = parseTestbedOptions({});
  const tasks = taskSpecs({ haproofBin: '/x/bin/haproof.mjs', topology: planTopology(options), options, binaries: binaryPaths({ kubernetes: 'v1.0.0', etcd: 'v3.6.0', kwok: 'v0.1.0', vegeta: 'v12.0.0' }), paths: testbedPaths('kubernetes-cluster') });
  const apiservers = tasks.filter((t) => t.role === 'kube-apiserver');
  expect(apiservers.map((t) => t.host)).toEqual(['agent-1', 'agent-2', 'agent-3']);
  for (const a of apiservers) {
    expect(a.args).toContain('--etcd-servers=' + [0, 1, 2].map((i) => `https://etcd-${i}-peer.kubernetes-cluster.autoip.dcos.thisdcos.directory:2379`).join(','));
    expect(a.args.some((x) => x.startsWith('--shutdown-delay-duration='))).toBe(true);
  }
  expect(tasks.filter((t) => t.role === 'kwok').map((t) => t.host)).toEqual(['agent-1', 'agent-2', 'agent-3', 'agent-4']);
  expect(new Set(tasks.map((t) => t.name)).size).toBe(tasks.length);
});

test('tasks: etcd gets its raft timings as the service spec hands them, in its environment beside the SDK\'s', () => {
  for (const [etcdTiming, election, heartbeat] of [['package', '5000', '250'], ['etcd-defaults', '1000', '100']] as const) {
    const options = parseTestbedOptions({ etcdTiming });
    const tasks = taskSpecs({ haproofBin: '/x/bin/haproof.mjs', topology: planTopology(options), options, binaries: binaryPaths({ kubernetes: 'v1.0.0', etcd: 'v3.6.0', kwok: 'v0.1.0', vegeta: 'v12.0.0' }), paths: testbedPaths('kubernetes-cluster') });
    const etcds = tasks.filter((t) => t.role === 'etcd');
    expect(etcds).toHaveLength(3);
    for (const e of etcds) {
      expect(e.env).toMatchObject({ ETCD_ELECTION_TIMEOUT: election, ETCD_HEARTBEAT_INTERVAL: heartbeat, FRAMEWORK_NAME: 'kubernetes-cluster', TASK_NAME: e.name });
      expect(e.args.filter((a) => /election|heartbeat/.test(a))).toEqual([]);
    }
  }
});

test('tasks: under static pods the control plane\'s files are in each task\'s sandbox, and its command line names only those', () => {
  const specs = (controlPlane: 'static-pods' | 'mesos-tasks') => {
    const options = parseTestbedOptions({ controlPlane });
    return taskSpecs({ haproofBin: '/x/bin/haproof.mjs', topology: planTopology(options), options, binaries: binaryPaths({ kubernetes: 'v1.0.0', etcd: 'v3.6.0', kwok: 'v0.1.0', vegeta: 'v12.0.0' }), paths: testbedPaths('kubernetes-cluster') })
      .filter((t) => ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler'].includes(t.role));
  };
  const fileFlags = (args: string[]) => args.map((a) => /^--[a-z-]*(file|kubeconfig|config)=(.*)$/.exec(a)).filter((m) => m !== null).map((m) => m![2]!);
  const staticPods = specs('static-pods');
  expect(staticPods).toHaveLength(9);
  for (const t of staticPods) {
    const files = fileFlags(t.args);
    expect(files.length, t.name).toBeGreaterThan(0);
    for (const f of files) {
      expect(f, `${t.name}: ${f}`).toMatch(/^\/mnt\/mesos\/sandbox\//);
      expect(Object.keys(t.sandbox!.files), `${t.name}: ${f} is put in its sandbox`).toContain(f.slice('/mnt/mesos/sandbox/'.length));
    }
  }
  // One Mesos task per process (1.x): no sandbox, the machine's paths.
  for (const t of specs('mesos-tasks')) {
    expect(t.sandbox, t.name).toBeUndefined();
    for (const f of fileFlags(t.args)) expect(f, `${t.name}: ${f}`).toMatch(/^\/run\/haproof\//);
  }
});

test('tasks: every private key (and the kubelets\' token file) put in a sandbox is readable by root only; each sandbox kubeconfig names only files of its sandbox', async () => {
  const { isPrivateKey } = await import('../../testbed/supervisor/daemon.ts');
  const { sandboxKubeconfigFiles, kubeconfigUsers } = await import('../../testbed/tasks.ts');
  const options = parseTestbedOptions({ controlPlane: 'static-pods' });
  const tasks = taskSpecs({ haproofBin: '/x/bin/haproof.mjs', topology: planTopology(options), options, binaries: binaryPaths({ kubernetes: 'v1.0.0', etcd: 'v3.6.0', kwok: 'v0.1.0', vegeta: 'v12.0.0' }), paths: testbedPaths('kubernetes-cluster') });
  for (const t of tasks.filter((x) => x.sandbox)) {
    for (const [name, from] of Object.entries(t.sandbox!.files)) expect(isPrivateKey(name), `${t.name}: ${name} (from ${from})`).toBe(/\.key$/.test(from) || from.endsWith('sa.key') || from.endsWith('kubelet-tokens.csv'));
  }
  // The kubeconfig up.ts renders for a component's sandbox names its certificates; each must be in that sandbox.
  for (const u of kubeconfigUsers().filter((x) => x.file !== 'kwok')) {
    for (const t of tasks.filter((x) => x.name.endsWith(`-${u.file}`))) {
      for (const f of Object.values(sandboxKubeconfigFiles(u.cert))) expect(Object.keys(t.sandbox!.files), `${t.name}: ${f}`).toContain(f.slice('/mnt/mesos/sandbox/'.length));
    }
  }
});
