// `npm run bench:up`: times `up` to all-green and `down` over several runs, samples testbed memory, checks leftovers.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestbedOptions } from '../config/options.ts';
import { run } from '../core/run.ts';
import { teardown } from '../testbed/down.ts';
import { haproofLeftovers } from '../testbed/network.ts';
import { STATE_FILE } from '../testbed/paths.ts';
import { readState } from '../testbed/state.ts';
import { newRunDir, REPO_ROOT, up } from '../testbed/up.ts';
import { ensureBinaries } from '../upstream/build.ts';

/** Median of a non-empty list (pure). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Resident memory (bytes) of every process in the testbed's namespaces plus the supervisor. */
async function testbedRss(): Promise<number> {
  const state = (() => { try { return readState(); } catch { return undefined; } })();
  if (!state) return 0;
  const pids = new Set<number>();
  for (const ns of state.namespaces) for (const p of (await run('ip', ['netns', 'pids', ns])).stdout.split('\n').filter(Boolean)) pids.add(Number(p));
  if (state.supervisorPid) pids.add(state.supervisorPid);
  let total = 0;
  for (const pid of pids) {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) total += Number(m[1]) * 1024;
    } catch { /* exited */ }
  }
  return total;
}

export async function runBenchUp(options: TestbedOptions, runs: number, log: (line: string) => void): Promise<number> {
  await ensureBinaries(log);
  const rows: Array<{ upSeconds: number; downSeconds: number; peakRssMiB: number; leftovers: string[] }> = [];
  for (let i = 1; i <= runs; i++) {
    log(`run ${i}/${runs}: up`);
    let peak = 0;
    let sampling = true;
    const sampler = (async () => { while (sampling) { peak = Math.max(peak, await testbedRss()); await new Promise((r) => setTimeout(r, 500)); } })();
    const r = await up(options, () => undefined, newRunDir(`bench-up-${i}`));
    // Keep sampling a little after all-green: controllers settle right after the Leases are taken.
    await new Promise((res) => setTimeout(res, 5_000));
    sampling = false;
    await sampler;
    const downStarted = Date.now();
    await teardown(() => undefined);
    const downSeconds = (Date.now() - downStarted) / 1000;
    const left = await haproofLeftovers();
    const leftovers = [...left.namespaces, ...left.links, ...left.nftTables, ...(existsSync(STATE_FILE) ? [STATE_FILE] : [])];
    rows.push({ upSeconds: r.seconds, downSeconds, peakRssMiB: peak / 2 ** 20, leftovers });
    log(`run ${i}/${runs}: up ${r.seconds.toFixed(1)} s, down ${downSeconds.toFixed(1)} s, peak RSS ${(peak / 2 ** 20).toFixed(0)} MiB, leftovers ${leftovers.length ? leftovers.join(' ') : 'none'}`);
  }
  const stat = (f: (r: (typeof rows)[number]) => number) => ({ median: median(rows.map(f)), max: Math.max(...rows.map(f)) });
  const summary = { runs, options, up: stat((r) => r.upSeconds), down: stat((r) => r.downSeconds), peakRssMiB: stat((r) => r.peakRssMiB), leftovers: rows.flatMap((r) => r.leftovers), rows, at: new Date().toISOString() };
  const dir = join(REPO_ROOT, 'reports', 'bench');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `up-${summary.at.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(summary, null, 2));
  log(`\nhaproof up → all-green: median ${summary.up.median.toFixed(1)} s, max ${summary.up.max.toFixed(1)} s (target <= 40 s)`);
  log(`haproof down:           median ${summary.down.median.toFixed(1)} s, max ${summary.down.max.toFixed(1)} s (target <= 5 s), leftovers: ${summary.leftovers.length || 'none'}`);
  log(`peak testbed RSS:       median ${summary.peakRssMiB.median.toFixed(0)} MiB, max ${summary.peakRssMiB.max.toFixed(0)} MiB`);
  log(`written to ${file}`);
  return summary.leftovers.length ? 1 : 0;
}
