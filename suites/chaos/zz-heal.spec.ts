// Never leave a cluster broken: the runner is SIGKILLed in the middle of a partition (its whole process group, load
// and witness included). The partition tables stay on the hosts — until each host's dead-man switch sees the
// heartbeat go stale and removes them by itself; `haproof heal` then finds the fault in the ledger, undoes it again
// (idempotent) and clears it, and a second `haproof heal` finds nothing. Against the live testbed, with the real CLI.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '../fixtures.ts';
import { run, runStreaming } from '../../core/run.ts';
import { waitFor } from '../../core/wait.ts';
import { waitHealthy } from '../../chaos/observe/health.ts';
import { FAULT_TABLE } from '../../targets/fault-rules.ts';
import { HEARTBEAT_STALE_S } from '../../targets/deadman.ts';
import { can } from '../../targets/cluster.ts';
import { netnsName } from '../../testbed/paths.ts';
import { REPO_ROOT } from '../../testbed/up.ts';

test.describe.configure({ mode: 'serial', timeout: 300_000 });

const bin = join(REPO_ROOT, 'bin', 'haproof.mjs');

async function hostsWithFaultTable(hosts: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const h of hosts) if (!(await run('nft', ['list', 'table', 'inet', FAULT_TABLE], { netns: netnsName(h) })).failed) found.push(h);
  return found;
}

test('a runner SIGKILLed mid-partition: its hosts heal themselves (dead-man switch), haproof heal clears the ledger, and then finds nothing', async ({ cluster }) => {
  const dir = mkdtempSync(join(tmpdir(), 'haproof-heal-'));
  const env = { ...process.env, HAPROOF_FAULT_LEDGER: join(dir, 'ledger.json'), HAPROOF_RUNS_DIR: join(dir, 'runs'), FORCE_COLOR: '0' } as Record<string, string>;
  const hosts = (await cluster.hosts()).map((h) => h.host);
  try {
    const child = spawn(process.execPath, [bin, 'run', '--scenario', 'partition-etcd-leader', '--seed', '3'], { cwd: REPO_ROOT, env, detached: true, stdio: 'ignore' });
    const ledger = () => (existsSync(env['HAPROOF_FAULT_LEDGER']!) ? (JSON.parse(readFileSync(env['HAPROOF_FAULT_LEDGER']!, 'utf8')) as { entries: Array<{ injection?: { targets: string[]; undo?: { touched?: string[] } } }> }).entries : []);
    const entry = await waitFor('the partition recorded in the ledger as injected', async () => ledger().find((e) => e.injection) ?? { waiting: `${ledger().length} entries` }, 90_000);
    // The whole group: the runner, its load process and the vegeta witness (all started by this test).
    process.kill(-child.pid!, 'SIGKILL');
    await new Promise<void>((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', () => r())));
    const touched = entry.injection!.undo!.touched!;
    expect(touched.length).toBeGreaterThan(0);
    expect(await hostsWithFaultTable(hosts), 'the dead runner left its partition in place').toEqual([...touched].sort((a, b) => hosts.indexOf(a) - hosts.indexOf(b)));
    // The dead-man switch on each host removes it by itself once the heartbeat is stale, with no haproof process alive.
    const killedAt = Date.now();
    await waitFor('the dead-man switches to remove every fault table', async () => {
      const left = await hostsWithFaultTable(hosts);
      return left.length === 0 ? true : { waiting: `tables on ${left.join(', ')}` };
    }, 60_000);
    console.log(`dead-man switch: partition removed ${((Date.now() - killedAt) / 1000).toFixed(1)} s after the runner was killed (heartbeat stale after ${HEARTBEAT_STALE_S} s)`);

    const out: string[] = [];
    const healed = await runStreaming(process.execPath, [bin, 'heal'], (l) => out.push(l), { cwd: REPO_ROOT, env, timeoutMs: 120_000 });
    expect(healed.exitCode, out.join('\n')).toBe(0);
    expect(out.join('\n')).toMatch(/1 fault\(s\) left by an earlier run/);
    // The ledger still holds the entry: heal undoes it again (idempotent) and removes it.
    expect(out.join('\n')).toMatch(/healed: partition-split on agent-\d/);
    expect(await hostsWithFaultTable(hosts), 'no fault table is left anywhere').toEqual([]);
    expect(ledger()).toEqual([]);

    const again: string[] = [];
    const second = await runStreaming(process.execPath, [bin, 'heal'], (l) => again.push(l), { cwd: REPO_ROOT, env, timeoutMs: 60_000 });
    expect(second.exitCode).toBe(0);
    expect(again.join('\n')).toContain('nothing left');
  } finally {
    // Whatever happened above, the next scenarios get a whole cluster.
    if (can.firewallHosts(cluster)) for (const h of hosts) await cluster.setHostFirewall(h, undefined);
    await waitHealthy(cluster, 120_000, false);
    rmSync(dir, { recursive: true, force: true });
  }
});
