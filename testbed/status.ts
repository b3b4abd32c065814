// Collects the live state of a running testbed: hosts, tasks, etcd members and leader, VIP backends, Leases, Nodes.
import { etcdMembers, type EtcdMemberView } from '../targets/readers/etcdctl.ts';
import { kubeClients, leaderLeases, nodes, type LeaseView, type NodeView } from '../targets/readers/kube.ts';
import { testbedPaths } from './paths.ts';
import { readState, type TestbedState } from './state.ts';
import { requestSupervisor } from './supervisor/client.ts';
import type { TaskStatus } from './supervisor/api.ts';
import { planTopology } from './topology.ts';
import { testbedOptionsSchema } from '../config/options.ts';
import { binaryPaths, readVersions } from '../upstream/versions.ts';
import { join } from 'node:path';

export interface TestbedStatus {
  cluster: string;
  createdAt: string;
  runDir: string;
  kubeconfig: string;
  caFile: string;
  hosts: Array<{ host: string; ip: string; netns: string }>;
  tasks: TaskStatus[];
  vip: { name: string; ip: string; port: number; backends: string[] } | undefined;
  etcd: EtcdMemberView[];
  leases: LeaseView[];
  nodes: NodeView[];
  errors: string[];
}

export async function collectStatus(state: TestbedState | undefined = readState()): Promise<TestbedStatus> {
  if (!state) throw new NoTestbed('no haproof testbed is up (no state file); start one with `haproof up`');
  const options = testbedOptionsSchema.parse(state.options);
  const t = planTopology(options);
  const paths = testbedPaths(state.cluster);
  const errors: string[] = [];
  const sup = (await requestSupervisor(paths.socket, 'GET', '/status', undefined, 3_000).catch((e: Error) => { errors.push(`supervisor: ${e.message}`); return undefined; })) as
    | { tasks: TaskStatus[]; vip: TestbedStatus['vip'] } | undefined;
  const b = binaryPaths(readVersions());
  const etcd = await etcdMembers({ cluster: state.cluster, members: 3, etcdctl: b.etcdctl, pki: paths.pki }).catch((e: Error) => { errors.push(`etcd: ${e.message}`); return []; });
  const k = kubeClients(paths.adminKubeconfig);
  const [leases, nodeList] = await Promise.all([
    leaderLeases(k).catch((e: Error) => { errors.push(`leases: ${e.message}`); return []; }),
    nodes(k).catch((e: Error) => { errors.push(`nodes: ${e.message}`); return []; }),
  ]);
  return {
    cluster: state.cluster, createdAt: state.createdAt, runDir: state.runDir, kubeconfig: paths.adminKubeconfig, caFile: join(paths.pki, 'ca.crt'),
    hosts: t.hosts.map((h) => ({ ...h, netns: `hpf-${h.host}` })), tasks: sup?.tasks ?? [], vip: sup?.vip, etcd, leases, nodes: nodeList, errors,
  };
}

export class NoTestbed extends Error {
  override name = 'NoTestbed';
}

/** Human-readable status (pure). */
export function renderStatus(s: TestbedStatus): string {
  const lines: string[] = [];
  lines.push(`testbed ${s.cluster} (up since ${s.createdAt})`, `  kubeconfig: ${s.kubeconfig}`, `  run dir:    ${s.runDir}`, '');
  lines.push('hosts:', ...s.hosts.map((h) => `  ${h.host.padEnd(10)} ${h.ip.padEnd(14)} netns ${h.netns}`), '');
  lines.push('tasks:', ...s.tasks.map((t) => `  ${t.name.padEnd(40)} ${t.host.padEnd(9)} pid ${String(t.pid ?? '-').padEnd(8)} ${t.state.padEnd(11)} restarts ${t.restarts}`), '');
  lines.push('etcd members:', ...s.etcd.map((m) => `  ${m.name.padEnd(8)} ${m.id.padEnd(18)} ${(m.endpoint ?? '').padEnd(70)} ${m.healthy ? 'healthy' : 'UNHEALTHY'}${m.isLeader ? '  leader' : ''}`), '');
  lines.push(`VIP ${s.vip ? `${s.vip.name}:${s.vip.port} = ${s.vip.ip} → backends ${s.vip.backends.join(', ') || '(none)'}` : '(unknown)'}`, '');
  lines.push('leases:', ...s.leases.map((l) => `  ${l.name.padEnd(24)} holder ${l.holder ?? '(none)'}`), '');
  lines.push('nodes:', ...s.nodes.map((n) => `  ${n.name.padEnd(45)} ${n.ready ? 'Ready' : 'NotReady'}  ${n.host ?? ''} ${n.ip ?? ''}`));
  if (s.errors.length) lines.push('', 'errors:', ...s.errors.map((e) => `  ${e}`));
  return lines.join('\n');
}
