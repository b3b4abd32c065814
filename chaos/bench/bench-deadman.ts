// `npm run bench:deadman`: how long a fault outlives a runner SIGKILLed at a random point of it. Each round starts
// `haproof run --scenario <scenario>` (one per fault kind: partition isolate / split / peer-only, pause, freeze) in
// its own process group, kills the whole group a random time after the ledger shows the fault in place, then times
// until no host holds anything of the fault (a fault table, a stopped process, a frozen group) with no haproof process
// alive — the dead-man switches — and checks that `haproof heal` afterwards leaves nothing in the ledger.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runStreaming } from '../../core/run.ts';
import { seededRandom } from '../../core/random.ts';
import { waitFor } from '../../core/wait.ts';

/** One scenario per fault kind that touches hosts, through either target… */
export const DEADMAN_SCENARIOS = ['isolate-agent', 'partition-etcd-leader', 'drop-etcd-peer-traffic', 'pause-etcd-leader', 'freeze-agent'] as const;
/** …and the held kill, which only the testbed's supervisor can do (DC/OS relaunches a killed task; nothing holds it). */
export const DEADMAN_SCENARIOS_TESTBED = [...DEADMAN_SCENARIOS, 'kill-2-of-3-etcd'] as const;

export interface DeadmanRow { round: number; scenario: string; killAfterInjectMs: number; healedAfterKillMs: number | null; leftWhenKilled: string[]; ledgerLeftAfterHeal: number; healExit: number | undefined }

export interface DeadmanBenchOptions {
  bin: string;
  cwd: string;
  kills: number;
  seed: number;
  /** Taken in turn, one per round. */
  scenarios: readonly string[];
  /** What is left of any fault right now, in words ("agent-1: fault table", "pid 123 (etcd): stopped"). */
  faultsLeft: () => Promise<string[]>;
  /** Extra environment of each runner (e.g. the dcos target and its file). */
  env?: Record<string, string>;
  /** Waits until the cluster is healthy again (between rounds). */
  settle: () => Promise<void>;
  log: (line: string) => void;
}

export async function benchDeadman(o: DeadmanBenchOptions): Promise<DeadmanRow[]> {
  const random = seededRandom(o.seed);
  const rows: DeadmanRow[] = [];
  for (let round = 1; round <= o.kills; round++) {
    const scenario = o.scenarios[(round - 1) % o.scenarios.length]!;
    const dir = mkdtempSync(join(tmpdir(), 'haproof-bench-deadman-'));
    const ledgerFile = join(dir, 'ledger.json');
    const env = { ...process.env, ...o.env, HAPROOF_FAULT_LEDGER: ledgerFile, HAPROOF_RUNS_DIR: join(dir, 'runs') } as Record<string, string>;
    const entries = () => (existsSync(ledgerFile) ? (JSON.parse(readFileSync(ledgerFile, 'utf8')) as { entries: Array<{ injection?: unknown }> }).entries : []);
    try {
      const child = spawn(process.execPath, [o.bin, 'run', '--scenario', scenario, '--seed', String(o.seed + round)], { cwd: o.cwd, env, detached: true, stdio: 'ignore' });
      await waitFor(`round ${round}: ${scenario} in place`, async () => (entries().some((e) => e.injection) ? true : { waiting: 'not yet injected' }), 120_000);
      // Anywhere in the fault (8 s for every kind here, 10 s for the held kill).
      const killAfterInjectMs = Math.round(random() * 7_000);
      await new Promise((r) => setTimeout(r, killAfterInjectMs));
      process.kill(-child.pid!, 'SIGKILL');
      await new Promise<void>((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', () => r())));
      const killedAt = Date.now();
      // What the dead runner left (evidence the kill landed inside the fault).
      const leftWhenKilled = await o.faultsLeft();
      let healedAfterKillMs: number | null = null;
      try {
        await waitFor('nothing of the fault left', async () => { const left = await o.faultsLeft(); return left.length === 0 ? true : { waiting: left.join('; ') }; }, 120_000);
        healedAfterKillMs = Date.now() - killedAt;
      } catch { /* reported as null: not healed by itself */ }
      const heal = await runStreaming(process.execPath, [o.bin, 'heal'], () => undefined, { cwd: o.cwd, env, timeoutMs: 120_000 });
      rows.push({ round, scenario, killAfterInjectMs, healedAfterKillMs, leftWhenKilled, ledgerLeftAfterHeal: entries().length, healExit: heal.exitCode });
      o.log(`round ${round}: ${scenario}, killed ${killAfterInjectMs} ms after the inject (left: ${leftWhenKilled.join('; ') || 'nothing'}), hosts healed ${healedAfterKillMs === null ? 'NOT by themselves' : `${(healedAfterKillMs / 1000).toFixed(1)} s`} after the kill; heal exit ${heal.exitCode}, ${entries().length} ledger entries left`);
      await o.settle();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return rows;
}

export function renderDeadmanTable(rows: readonly DeadmanRow[]): string {
  // A kill that left nothing behind (it landed after the fault ended) measures nothing and is not counted as healed.
  const landed = rows.filter((r) => r.leftWhenKilled.length > 0);
  const healed = landed.map((r) => r.healedAfterKillMs).filter((x): x is number => x !== null);
  return [
    '| round | fault | killed after inject | left at the kill | healed after kill | heal exit | ledger left |', '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.round} | ${r.scenario} | ${(r.killAfterInjectMs / 1000).toFixed(1)} s | ${r.leftWhenKilled.length} | ${r.healedAfterKillMs === null ? 'not by itself' : `${(r.healedAfterKillMs / 1000).toFixed(1)} s`} | ${r.healExit} | ${r.ledgerLeftAfterHeal} |`),
    '', `kills that left a fault behind: ${landed.length} of ${rows.length}; of those healed by themselves: ${healed.length}; longest ${healed.length ? (Math.max(...healed) / 1000).toFixed(1) : '—'} s after the kill`,
  ].join('\n');
}
