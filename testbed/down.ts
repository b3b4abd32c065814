// Removes everything a testbed made — processes, mounts, nft tables, namespaces, links, files — idempotently,
// from the state file and from haproof's names, so it also works after the runner was killed mid-`up`.
import { existsSync, readFileSync } from 'node:fs';
import { rm, rmdir } from 'node:fs/promises';
import { run } from '../core/run.ts';
import { requestSupervisor } from './supervisor/client.ts';
import { haproofLeftovers } from './network.ts';
import { NETNS_ETC, STATE_FILE, STATE_ROOT, testbedPaths } from './paths.ts';
import { SSHD_PRIVSEP_DIR } from './ssh-access.ts';
import { readState, type TestbedState } from './state.ts';

export type Log = (line: string) => void;

/** Teardown is not a graceful stop: every task gets SIGTERM at once, and SIGKILL after this. */
const TEARDOWN_GRACE_MS = 2_000;

export async function teardown(log: Log): Promise<{ removed: string[] }> {
  const removed: string[] = [];
  let state: TestbedState | undefined;
  try {
    state = readState();
  } catch (e) {
    log(`warning: ${(e as Error).message}; removing by name instead`);
  }
  const work = state?.workDir ?? (state ? testbedPaths(state.cluster).work : undefined);
  const found = await haproofLeftovers();
  const namespaces = unique([...(state?.namespaces ?? []), ...found.namespaces]);

  // 1. The supervisor stops its tasks gracefully (SIGTERM, then SIGKILL after each task's grace period).
  if (state?.supervisorPid && isAlive(state.supervisorPid) && cmdline(state.supervisorPid).includes('supervise')) {
    if (work) await requestSupervisor(testbedPaths(state.cluster).socket, 'POST', '/shutdown', { graceMs: TEARDOWN_GRACE_MS }, 5_000).catch(() => undefined);
    if (!(await waitGone([state.supervisorPid], TEARDOWN_GRACE_MS + 5_000))) await killAll([state.supervisorPid], log);
    removed.push(`supervisor pid ${state.supervisorPid}`);
  }
  // 2. Whatever still runs inside our namespaces (thawed and continued first, so SIGTERM can act).
  await thawFreezerGroups(state?.cluster);
  const pids: number[] = [];
  for (const ns of namespaces) pids.push(...(await run('ip', ['netns', 'pids', ns])).stdout.split('\n').filter(Boolean).map(Number));
  // 3. Task processes whose namespace is already gone: only those whose command line is still the task's.
  if (state) pids.push(...orphanTaskPids(testbedPaths(state.cluster).tasksFile));
  const victims = unique(pids).filter((p) => p !== process.pid && isAlive(p));
  if (victims.length) {
    await killAll(victims, log);
    removed.push(`${victims.length} processes`);
  }
  // 4. Mounts, nft tables, namespaces, links, /etc/netns files, the work dir, the state file.
  for (const m of state?.mounts ?? []) if ((await run('umount', ['-l', m])).exitCode === 0) removed.push(`mount ${m}`);
  for (const t of unique([...(state?.nftTables ?? []), ...found.nftTables])) {
    const [ns, family, name] = t.split(' ');
    if (ns) continue; // tables inside a namespace go with it
    if ((await run('nft', ['delete', 'table', family ?? 'ip', name ?? ''])).exitCode === 0) removed.push(`nft table ${family} ${name}`);
  }
  for (const ns of namespaces) if ((await run('ip', ['netns', 'del', ns])).exitCode === 0) removed.push(`netns ${ns}`);
  for (const link of unique([...(state?.links ?? []), ...found.links])) if ((await run('ip', ['link', 'del', link])).exitCode === 0) removed.push(`link ${link}`);
  // Namespace dirs first, /etc/netns (if haproof made it) last.
  const netnsDirs = unique([...namespaces.map((n) => `${NETNS_ETC}/${n}`), ...(state?.netnsDirs ?? [])]).sort((a, b) => b.length - a.length);
  for (const d of netnsDirs) {
    if (!existsSync(d)) continue;
    // /etc/netns and /run/sshd are listed only when haproof created them, and go only when nothing else is in them.
    if (d === NETNS_ETC || d === SSHD_PRIVSEP_DIR) await rmdir(d).then(() => removed.push(d), () => undefined);
    else { await rm(d, { recursive: true, force: true }); removed.push(d); }
  }
  if (work && existsSync(work)) { await rm(work, { recursive: true, force: true }); removed.push(work); }
  if (existsSync(STATE_FILE)) { await rm(STATE_FILE, { force: true }); removed.push(STATE_FILE); }
  // The state root goes too when nothing else is in it (another cluster's work dir would keep it).
  if (existsSync(STATE_ROOT)) await rmdir(STATE_ROOT).then(() => removed.push(STATE_ROOT), () => undefined);
  return { removed };
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z');
  } catch {
    return false;
  }
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

function orphanTaskPids(tasksFile: string): number[] {
  if (!existsSync(tasksFile)) return [];
  try {
    const { tasks } = JSON.parse(readFileSync(tasksFile, 'utf8')) as { tasks: Array<{ pid?: number; command: string; signature?: string[] }> };
    return tasks.filter((t) => t.pid && (t.signature ?? [t.command]).every((part) => cmdline(t.pid!).includes(part))).map((t) => t.pid!);
  } catch {
    return [];
  }
}

async function waitGone(pids: number[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (pids.every((p) => !isAlive(p))) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return pids.every((p) => !isAlive(p));
}

/** SIGTERM, SIGCONT (a stopped process acts on SIGTERM only once continued), then SIGKILL after 5 s. */
async function killAll(pids: number[], log: Log): Promise<void> {
  for (const p of pids) for (const s of ['SIGTERM', 'SIGCONT'] as const) try { process.kill(p, s); } catch { /* gone */ }
  if (await waitGone(pids, 5_000)) return;
  const stubborn = pids.filter(isAlive);
  log(`  ${stubborn.length} processes ignored SIGTERM; sending SIGKILL`);
  for (const p of stubborn) try { process.kill(p, 'SIGKILL'); } catch { /* gone */ }
  await waitGone(stubborn, 5_000);
}

/** Frozen processes cannot die: thaw and remove any haproof freezer cgroup. */
async function thawFreezerGroups(cluster: string | undefined): Promise<void> {
  const root = '/sys/fs/cgroup/freezer';
  const { readdir, writeFile, rmdir } = await import('node:fs/promises');
  // Groups are named haproof-<cluster>-<host>; any haproof group is ours to thaw (one testbed per machine).
  const groups = existsSync(root) ? (await readdir(root)).filter((d) => d.startsWith(cluster ? `haproof-${cluster}-` : 'haproof-')) : [];
  for (const g of groups) {
    await writeFile(`${root}/${g}/freezer.state`, 'THAWED').catch(() => undefined);
    let procs: string[] = [];
    try { procs = readFileSync(`${root}/${g}/cgroup.procs`, 'utf8').split('\n').filter(Boolean); } catch { /* gone meanwhile */ }
    for (const p of procs) await writeFile(`${root}/cgroup.procs`, p).catch(() => undefined);
    await rmdir(`${root}/${g}`).catch(() => undefined);
  }
}
