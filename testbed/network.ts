// Builds the testbed's network: a bridge, one namespace per host, veth links, routes, the VIP tables and the fence —
// and on the overlay (testbed/overlay.ts) the VTEPs and one namespace per pod.
import { inCidr, RUNNER_IP, TESTBED_RANGE, VIP_NET } from '../config/addresses.ts';
import { run, runOrThrow } from '../core/run.ts';
import { FENCE_TABLE, renderFence, renderVipTable, VIP_TABLE, type VipSpec } from './nft-rules.ts';
import { BRIDGE, inOwnNetns, NETNS_ETC, netnsName, vethName } from './paths.ts';
import { existsSync } from 'node:fs';
import { recordResource, type TestbedState } from './state.ts';
import type { Topology } from './topology.ts';
import { createOverlay, createPodNetwork, usesVip } from './overlay.ts';
import { addNetns } from './netns.ts';

const ip = (args: string[], netns?: string) => runOrThrow('ip', args, { netns, timeoutMs: 10_000 });

/** The runner's routes for the testbed ranges all go onto the bridge: nothing for 198.18.0.0/15 leaves the machine. */
export const RUNNER_ROUTE = TESTBED_RANGE;

export async function createNetwork(state: TestbedState, t: Topology, vips: VipSpec[]): Promise<void> {
  recordResource(state, 'links', BRIDGE);
  await ip(['link', 'add', BRIDGE, 'type', 'bridge']);
  await ip(['addr', 'add', `${RUNNER_IP}/24`, 'dev', BRIDGE]);
  await ip(['link', 'set', BRIDGE, 'up']);
  recordResource(state, 'routes', RUNNER_ROUTE);
  await ip(['route', 'add', RUNNER_ROUTE, 'dev', BRIDGE, 'metric', '1000']);
  recordResource(state, 'nftTables', ` inet ${FENCE_TABLE}`);
  await runOrThrow('nft', ['-f', '-'], { input: renderFence(BRIDGE) });
  recordResource(state, 'nftTables', ` ip ${VIP_TABLE}`);
  await runOrThrow('nft', ['-f', '-'], { input: renderVipTable(vips) });

  if (!existsSync(NETNS_ETC)) recordResource(state, 'netnsDirs', NETNS_ETC);
  await Promise.all(t.hosts.map(async (h) => {
    const ns = netnsName(h.host);
    const veth = vethName(h.host);
    await addNetns(state, ns, h.ip, h.host);
    recordResource(state, 'links', veth);
    await ip(['link', 'add', veth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns]);
    await ip(['link', 'set', veth, 'master', BRIDGE, 'up']);
    await ip(['addr', 'add', `${h.ip}/24`, 'dev', 'eth0'], ns);
    await ip(['link', 'set', 'lo', 'up'], ns);
    await ip(['link', 'set', 'eth0', 'up'], ns);
    // No default route: on-link routes for the host and VIP ranges only.
    await ip(['route', 'add', VIP_NET, 'dev', 'eth0'], ns);
    await runOrThrow('nft', ['-f', '-'], { input: renderVipTable(vips), netns: ns });
  }));
  // On the overlay each pod has its own namespace (topology: netns other than its agent's).
  const pods = t.pods.filter(inOwnNetns);
  if (!pods.length) return;
  await createOverlay(t);
  await Promise.all(pods.map((p) => createPodNetwork(state, p, usesVip(p) ? vips : undefined)));
}

/** Anything else already using the testbed ranges (not made by haproof) — the testbed must not start then. */
export async function foreignUsers(): Promise<string[]> {
  const found: string[] = [];
  const addrs = JSON.parse((await runOrThrow('ip', ['-j', '-4', 'addr', 'show'])).stdout || '[]') as Array<{ ifname: string; addr_info?: Array<{ local: string; prefixlen: number }> }>;
  for (const a of addrs) {
    if (a.ifname.startsWith('hpf')) continue;
    for (const info of a.addr_info ?? []) if (inCidr(info.local, TESTBED_RANGE)) found.push(`address ${info.local}/${info.prefixlen} on ${a.ifname}`);
  }
  const routes = JSON.parse((await runOrThrow('ip', ['-j', '-4', 'route', 'show'])).stdout || '[]') as Array<{ dst: string; dev?: string }>;
  for (const r of routes) if (/^\d+\.\d+\.\d+\.\d+/.test(r.dst) && inCidr(r.dst.split('/')[0]!, TESTBED_RANGE) && !(r.dev ?? '').startsWith('hpf')) found.push(`route ${r.dst} via ${r.dev ?? '?'}`);
  return found;
}

/** Leftovers of a haproof testbed by name, whether or not a state file exists. */
export async function haproofLeftovers(): Promise<{ namespaces: string[]; links: string[]; nftTables: string[] }> {
  const ns = (await run('ip', ['netns', 'list'])).stdout.split('\n').map((l) => l.split(' ')[0] ?? '').filter((n) => n.startsWith('hpf-'));
  const links = (JSON.parse((await run('ip', ['-j', 'link', 'show'])).stdout || '[]') as Array<{ ifname: string }>).map((l) => l.ifname).filter((n) => n.startsWith('hpf'));
  const tables = (await run('nft', ['list', 'tables'])).stdout.split('\n').map((l) => l.trim()).filter((l) => / haproof_/.test(l)).map((l) => ` ${l.replace(/^table /, '')}`);
  return { namespaces: ns, links, nftTables: tables };
}

