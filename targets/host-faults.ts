// Host-level fault actions on the testbed: agent crash and return, cgroup-freezer freeze and thaw, fault firewalls.
import { existsSync, mkdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { run, runOrThrow } from '../core/run.ts';
import { netnsName, vethName } from '../testbed/paths.ts';
import { FAULT_TABLE, renderDropTable, type DropSpec } from './fault-rules.ts';
import { listScript, type DeadmanFiles } from './deadman.ts';
import { shq } from '../core/shell-quote.ts';

const FREEZER = '/sys/fs/cgroup/freezer';

function freezerGroup(cluster: string, host: string): string {
  return `${FREEZER}/haproof-${cluster}-${host}`;
}

/** Every process in the host's namespace and in `podNamespaces` (its pods' own, on the overlay). */
async function hostPids(host: string, podNamespaces: readonly string[]): Promise<string[]> {
  const pids: string[] = [];
  for (const ns of [netnsName(host), ...podNamespaces]) pids.push(...(await runOrThrow('ip', ['netns', 'pids', ns])).stdout.split('\n').filter(Boolean));
  return pids;
}

/**
 * Freezes a host's processes (cgroup v1 freezer). With `deadman` files, a watcher started first (in the machine's
 * namespace, outside the frozen group) thaws the group by itself once the runner's heartbeat goes stale.
 */
export async function freezeHost(cluster: string, host: string, podNamespaces: readonly string[], deadman?: DeadmanFiles): Promise<void> {
  const group = freezerGroup(cluster, host);
  mkdirSync(group, { recursive: true });
  if (deadman) await startWatcher(deadman, `echo THAWED > ${shq(`${group}/freezer.state`)} 2>/dev/null`);
  for (const pid of await hostPids(host, podNamespaces)) {
    try { writeFileSync(`${group}/cgroup.procs`, pid); } catch { /* exited meanwhile */ }
  }
  writeFileSync(`${group}/freezer.state`, 'FROZEN');
}

export async function thawHost(cluster: string, host: string, deadman?: DeadmanFiles): Promise<void> {
  const group = freezerGroup(cluster, host);
  if (deadman) rmSync(deadman.marker, { force: true });
  if (!existsSync(group)) return;
  writeFileSync(`${group}/freezer.state`, 'THAWED');
  for (const pid of readFileSync(`${group}/cgroup.procs`, 'utf8').split('\n').filter(Boolean)) {
    try { writeFileSync(`${FREEZER}/cgroup.procs`, pid); } catch { /* exited meanwhile */ }
  }
  rmdirSync(group);
}

/** Takes a host's only link down (or up): the host drops off the network as a crashed machine would. */
export async function setHostLink(host: string, up: boolean): Promise<void> {
  await runOrThrow('ip', ['link', 'set', vethName(host), up ? 'up' : 'down']);
}

/**
 * Installs (or, `undefined`, removes) a host's fault firewall. With `deadman` files, a watcher started in the host's
 * namespace removes the table by itself once the runner's heartbeat goes stale (see deadman.ts).
 */
export async function setHostFirewall(host: string, spec: DropSpec | undefined, deadman?: DeadmanFiles): Promise<void> {
  const ns = netnsName(host);
  // The heartbeat is the host's, shared with its other faults: the caller removes it once the host holds none.
  if (deadman) rmSync(deadman.marker, { force: true });
  await run('nft', ['delete', 'table', 'inet', FAULT_TABLE], { netns: ns });
  // A heal is confirmed, not assumed: the table must be gone (the delete fails harmlessly when there was none).
  if (!(await run('nft', ['list', 'table', 'inet', FAULT_TABLE], { netns: ns })).failed) throw new Error(`${host}: fault table ${FAULT_TABLE} still there after its delete`);
  if (spec === undefined) return;
  await runOrThrow('nft', ['-f', '-'], { input: renderDropTable(spec), netns: ns });
  if (deadman) await startWatcher(deadman, `nft delete table inet ${FAULT_TABLE} 2>/dev/null`, ['ip', 'netns', 'exec', ns]);
}

/** Writes the heartbeat and the marker, then starts the watcher detached — the same shell text every target uses. */
async function startWatcher(deadman: DeadmanFiles, undo: string, prefix: string[] = []): Promise<void> {
  const argv = [...prefix, 'sh', '-c', listScript(deadman, [process.pid], undo, Math.floor(Date.now() / 1000))];
  await runOrThrow(argv[0]!, argv.slice(1));
}
