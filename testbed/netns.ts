// One network namespace of the testbed (a host's or a pod's), recorded in the state file before it is made.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MASTER_IP } from '../config/addresses.ts';
import { runOrThrow } from '../core/run.ts';
import { NETNS_ETC } from './paths.ts';
import { recordResource, type TestbedState } from './state.ts';

/**
 * Adds namespace `ns` with its `/etc/netns/<ns>` files: `ip netns exec` bind-mounts them over /etc/resolv.conf and
 * /etc/hosts, so everything in it resolves through the master's DNS and knows itself as `name` at `ip`.
 */
export async function addNetns(state: TestbedState, ns: string, ip: string, name: string): Promise<void> {
  const etc = join(NETNS_ETC, ns);
  recordResource(state, 'netnsDirs', etc);
  await mkdir(etc, { recursive: true });
  await writeFile(join(etc, 'resolv.conf'), `nameserver ${MASTER_IP}\noptions timeout:1 attempts:3\n`);
  await writeFile(join(etc, 'hosts'), `127.0.0.1 localhost\n${ip} ${name}\n`);
  recordResource(state, 'namespaces', ns);
  await runOrThrow('ip', ['netns', 'add', ns], { timeoutMs: 10_000 });
}
