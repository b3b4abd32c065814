// The testbed target of the Cluster interface: observes the running testbed through its hosts, DNS and APIs.
import { readFileSync } from 'node:fs';
import { Resolver } from 'node:dns/promises';
import { join } from 'node:path';
import { MASTER_IP } from '../config/addresses.ts';
import { run } from '../process/run.ts';
import { etcdMembers } from '../testbed/etcdctl.ts';
import { kubeClients, leaderLeases, nodes, type KubeClients } from '../testbed/kube.ts';
import { FENCE_TABLE } from '../testbed/nft-rules.ts';
import { testbedPaths } from '../testbed/paths.ts';
import { readState } from '../testbed/state.ts';
import { requestSupervisor } from '../testbed/supervisor-client.ts';
import type { TaskStatus } from '../testbed/supervisor.ts';
import { planTopology } from '../testbed/topology.ts';
import { testbedOptionsSchema } from '../config/options.ts';
import { binaryPaths, readVersions } from '../upstream/versions.ts';
import type { Cluster, ProcessView } from './cluster.ts';

export class TestbedCluster implements Cluster {
  readonly name: string;
  readonly vip: { name: string; ip: string; port: number };
  readonly kubeconfig: string;
  readonly caFile: string;
  private readonly paths;
  private readonly agents: number;
  private clients: KubeClients | undefined;

  constructor() {
    const state = readState();
    if (!state) throw new Error('no haproof testbed is up (no state file)');
    const options = testbedOptionsSchema.parse(state.options);
    this.name = state.cluster;
    this.agents = options.agents;
    this.vip = planTopology(options).vip;
    this.paths = testbedPaths(state.cluster);
    this.kubeconfig = this.paths.adminKubeconfig;
    this.caFile = join(this.paths.pki, 'ca.crt');
  }

  kube(): KubeClients {
    return (this.clients ??= kubeClients(this.kubeconfig));
  }

  etcdMembers() {
    return etcdMembers({ cluster: this.name, members: 3, etcdctl: binaryPaths(readVersions()).etcdctl, pki: this.paths.pki });
  }

  async processes(role: Parameters<Cluster['processes']>[0]): Promise<ProcessView[]> {
    const s = (await requestSupervisor(this.paths.socket, 'GET', '/status')) as { tasks: TaskStatus[] };
    const views: ProcessView[] = [];
    for (const t of s.tasks.filter((x) => x.role === role && x.pid)) {
      const argv = readFileSync(`/proc/${t.pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
      // The host is whichever network namespace the process really runs in.
      const ns = (await run('ip', ['netns', 'identify', String(t.pid)])).stdout.trim();
      views.push({ task: t.name, role, host: ns.replace(/^hpf-/, ''), pid: t.pid!, argv, restarts: t.restarts });
    }
    return views;
  }

  async resolve(name: string): Promise<string[]> {
    const r = new Resolver({ timeout: 1_000, tries: 2 });
    r.setServers([MASTER_IP]);
    return r.resolve4(name);
  }

  leaderLeases() {
    return leaderLeases(this.kube());
  }

  nodes() {
    return nodes(this.kube());
  }

  async agentHosts(): Promise<string[]> {
    return Array.from({ length: this.agents }, (_, i) => `agent-${i + 1}`);
  }

  async signalTask(task: string, signal: 'SIGKILL' | 'SIGTERM' | 'SIGSTOP' | 'SIGCONT', relaunch = true): Promise<void> {
    await requestSupervisor(this.paths.socket, 'POST', `/tasks/${encodeURIComponent(task)}/signal`, { signal, relaunch });
  }

  async startTask(task: string): Promise<void> {
    await requestSupervisor(this.paths.socket, 'POST', `/tasks/${encodeURIComponent(task)}/start`);
  }

  async fenceEscapes(): Promise<number> {
    const r = await run('nft', ['-j', 'list', 'counter', 'inet', FENCE_TABLE, 'escaped']);
    if (r.failed) throw new Error(`cannot read the fence counter: ${r.stderr}`);
    const parsed = JSON.parse(r.stdout) as { nftables: Array<{ counter?: { packets: number } }> };
    const counter = parsed.nftables.find((x) => x.counter)?.counter;
    if (!counter) throw new Error('fence counter not found');
    return counter.packets;
  }
}

export function connectCluster(): Cluster {
  return new TestbedCluster();
}
