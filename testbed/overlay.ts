// The `dcos` overlay network on the testbed (`up --network overlay`), built as dcos-net builds it on every agent, and
// one network namespace per pod on it, as the Mesos overlay CNI gives each pod's containers.
//
// Sources (dcos/dcos-net @ 42e119a3): `apps/dcos_overlay/src/dcos_overlay_poller.erl` creates the VTEP
// (`ip link add dev vtep1024 type vxlan id 1024 dstport 64000`, its MAC from the agent's overlay info, up, its VTEP
// address) and gossips {VTEP IP, MAC, agent IP, subnet} of each agent; `dcos_overlay_configure.erl` programs, for every
// other agent: a permanent neighbour (VTEP IP → MAC on vtep1024), a bridge fdb entry (MAC → agent IP) and a route to
// that agent's subnet via its VTEP IP. dcos-net also routes traffic from the overlay to agent addresses through the
// VTEPs (table 42); the testbed does not (a pod reaches other agents' host addresses through its own agent).
// Pods of one agent hang on its Mesos bridge `m-dcos` (the mesos overlay module's CNI config), gateway the bridge.
// Emulation, not DC/OS: the addresses (config/addresses.ts), the static neighbour/fdb entries programmed once at `up`
// (no gossip, so no propagation delay), and MTU 1420 on pod links (DC/OS's overlay default).
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { agentIp, agentNumber, agentOverlaySubnet, OVERLAY_BRIDGE_PREFIX, overlayGateway, TESTBED_RANGE, VIP_NET, VTEP_PREFIX, vtepIp, vtepMac } from '../config/addresses.ts';
import { runOrThrow, run } from '../core/run.ts';
import { renderVipTable, type VipSpec } from './nft-rules.ts';
import { NETNS_ETC, netnsName, podVethName } from './paths.ts';
import type { TestbedState } from './state.ts';
import { addNetns } from './netns.ts';
import type { PodPlacement, Topology } from './topology.ts';

/** dcos-net's VTEP device name and VNI, and the overlay bridge of Mesos containers. */
export const VTEP_NAME = 'vtep1024';
export const VTEP_VNI = 1024;
export const VTEP_PORT = 64000;
export const MESOS_BRIDGE = 'm-dcos';
const POD_MTU = 1420;

const ip = (args: string[], netns?: string) => runOrThrow('ip', args, { netns, timeoutMs: 10_000 });

/**
 * On every agent: forwarding on, the Mesos bridge with the agent's gateway address, the VTEP and, for every other agent,
 * its neighbour, fdb entry and subnet route. On the master and in the runner's namespace: a route to each agent's
 * subnet via that agent (they are not on the overlay; the agent forwards).
 */
export async function createOverlay(t: Topology): Promise<void> {
  const agents = t.hosts.filter((h) => h.host.startsWith('agent-')).map((h) => agentNumber(h.host));
  await Promise.all(agents.map(async (n) => {
    const ns = netnsName(`agent-${n}`);
    await runOrThrow('sysctl', ['-qw', 'net.ipv4.ip_forward=1'], { netns: ns });
    await ip(['link', 'add', MESOS_BRIDGE, 'type', 'bridge'], ns);
    await ip(['addr', 'add', `${overlayGateway(n)}/${OVERLAY_BRIDGE_PREFIX}`, 'dev', MESOS_BRIDGE], ns);
    await ip(['link', 'set', MESOS_BRIDGE, 'up'], ns);
    await ip(['link', 'add', 'dev', VTEP_NAME, 'type', 'vxlan', 'id', String(VTEP_VNI), 'dstport', String(VTEP_PORT), 'local', agentIp(n), 'nolearning'], ns);
    await ip(['link', 'set', VTEP_NAME, 'address', vtepMac(n)], ns);
    await ip(['link', 'set', VTEP_NAME, 'up'], ns);
    await ip(['addr', 'add', `${vtepIp(n)}/${VTEP_PREFIX}`, 'dev', VTEP_NAME], ns);
    for (const m of agents.filter((x) => x !== n)) {
      await ip(['neigh', 'replace', vtepIp(m), 'lladdr', vtepMac(m), 'dev', VTEP_NAME, 'nud', 'permanent'], ns);
      await runOrThrow('bridge', ['fdb', 'replace', 'to', vtepMac(m), 'dst', agentIp(m), 'dev', VTEP_NAME], { netns: ns, timeoutMs: 10_000 });
      await ip(['route', 'replace', agentOverlaySubnet(m), 'via', vtepIp(m), 'dev', VTEP_NAME, 'onlink'], ns);
    }
  }));
  for (const n of agents) {
    await ip(['route', 'replace', agentOverlaySubnet(n), 'via', agentIp(n)]);
    await ip(['route', 'replace', agentOverlaySubnet(n), 'via', agentIp(n)], netnsName('master-1'));
  }
}

/**
 * A pod's own namespace on its agent's Mesos bridge: its overlay address, routes for the testbed and VIP ranges via the
 * gateway, DNS through the master, and the VIP table where `vips` is given (pods that reach the API by the VIP name).
 */
export async function createPodNetwork(state: TestbedState, p: Pick<PodPlacement, 'pod' | 'host' | 'ip' | 'netns'>, vips: VipSpec[] | undefined): Promise<void> {
  const n = agentNumber(p.host);
  const ns = p.netns;
  await addNetns(state, ns, p.ip, p.pod);
  const veth = podVethName(p.pod);
  await ip(['link', 'add', veth, 'mtu', String(POD_MTU), 'netns', netnsName(p.host), 'type', 'veth', 'peer', 'name', 'eth0', 'mtu', String(POD_MTU), 'netns', ns]);
  await ip(['link', 'set', veth, 'master', MESOS_BRIDGE, 'up'], netnsName(p.host));
  await ip(['addr', 'add', `${p.ip}/${OVERLAY_BRIDGE_PREFIX}`, 'dev', 'eth0'], ns);
  await ip(['link', 'set', 'lo', 'up'], ns);
  await ip(['link', 'set', 'eth0', 'up'], ns);
  for (const dst of [TESTBED_RANGE, VIP_NET]) await ip(['route', 'add', dst, 'via', overlayGateway(n), 'dev', 'eth0'], ns);
  if (vips) await runOrThrow('nft', ['-f', '-'], { input: renderVipTable(vips), netns: ns });
}

/** A pod's namespace goes with its pod (a replace): its veth goes with it. */
export async function removePodNetwork(p: Pick<PodPlacement, 'netns'>): Promise<void> {
  await run('ip', ['netns', 'del', p.netns]);
  await rm(join(NETNS_ETC, p.netns), { recursive: true, force: true });
}

/** Pods whose tasks reach the API by the VIP name (controller-manager, scheduler, kwok): they get the VIP table. */
export const usesVip = (p: Pick<PodPlacement, 'kind'>): boolean => p.kind !== 'etcd';
