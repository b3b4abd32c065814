// Runs a set of upstream e2e specs the way Ginkgo's own parallel mode would: the specs that may share the cluster in
// several `e2e.test` processes at once, then the `[Serial]` ones alone (Ginkgo runs serial specs on one process once
// every parallel one has finished: onsi/ginkgo v2 docs "Spec Parallelization", `Serial` decorator; the e2e suite marks
// them with the `[Serial]` label in the spec text). One process per shard, each with its own reports.
import { join } from 'node:path';
import { runUpstreamE2e, type E2eRunResult } from './run-e2e.ts';

/** Specs that must run alone ([Serial]) and specs too slow for a chaos phase ([Slow]), by upstream's own labels (pure). */
export const isSerialSpec = (name: string): boolean => /\[Serial\]/.test(name);
export const isSlowSpec = (name: string): boolean => /\[Slow\]/.test(name);

export interface ShardPlan {
  /** Each runs in its own process, at the same time as the others. */
  parallel: string[][];
  /** One process, after every parallel shard has ended. */
  serial: string[];
}

/**
 * Splits specs into `processes` shards round-robin in name order, serial specs apart, and each [Slow] spec in a process
 * of its own beside them (the chunking spec waits 5–10 min for a compaction: in a shared process it holds up every spec
 * after it) (pure).
 */
export function planShards(specs: readonly string[], processes: number): ShardPlan {
  if (!Number.isInteger(processes) || processes < 1) throw new Error(`planShards: processes must be a whole number ≥ 1, not ${processes}`);
  const sorted = [...new Set(specs)].sort();
  const slow = sorted.filter((s) => !isSerialSpec(s) && isSlowSpec(s));
  const free = sorted.filter((s) => !isSerialSpec(s) && !isSlowSpec(s));
  const shared = Array.from({ length: Math.min(processes, free.length) }, (_, i) => free.filter((_, j) => j % processes === i));
  return { parallel: [...slow.map((s) => [s]), ...shared], serial: sorted.filter(isSerialSpec) };
}

export interface SetRunOptions {
  binary: string;
  kubeconfig: string;
  specs: readonly string[];
  outDir: string;
  processes: number;
  /** For each process's own deadline. */
  timeoutMs: number;
  log: (line: string) => void;
}

export interface SetRunResult extends Omit<E2eRunResult, 'junit'> {
  startedMs: number;
  /** Each process's JUnit report. */
  junit: string[];
  processes: number;
}

/** Merges the shards' results (pure). */
export function mergeShardResults(startedMs: number, endedMs: number, processes: number, shards: readonly E2eRunResult[]): SetRunResult {
  const firstBad = shards.find((s) => s.exitCode !== 0);
  return {
    startedMs,
    wallMs: endedMs - startedMs,
    processes,
    results: shards.flatMap((s) => s.results),
    missing: shards.flatMap((s) => s.missing),
    suiteFailures: shards.flatMap((s, i) => s.suiteFailures.map((f) => `process ${i + 1}: ${f}`)),
    exitCode: firstBad ? firstBad.exitCode : 0,
    junit: shards.map((s) => s.junit),
  };
}

/** A shard that could not even report: every spec of it is missing, with the reason. */
function crashed(specs: readonly string[], dir: string, e: Error): E2eRunResult {
  return { results: [], missing: specs.map((name) => ({ name, why: `its e2e.test process failed: ${e.message.slice(0, 300)}` })), suiteFailures: [e.message.slice(0, 500)], exitCode: undefined, wallMs: 0, junit: join(dir, 'junit.xml') };
}

export async function runUpstreamSet(o: SetRunOptions): Promise<SetRunResult> {
  const plan = planShards(o.specs, o.processes);
  const started = Date.now();
  o.log(`upstream e2e: ${o.specs.length} specs — ${plan.parallel.length} processes at once (${plan.parallel.map((s) => s.length).join(' + ')}), then ${plan.serial.length} [Serial] alone`);
  const shard = (specs: string[], i: number, label: string): Promise<E2eRunResult> => {
    const dir = join(o.outDir, `process-${i + 1}`);
    return runUpstreamE2e({ binary: o.binary, kubeconfig: o.kubeconfig, specs, outDir: dir, timeoutMs: o.timeoutMs, log: (l) => o.log(l.replace('upstream e2e:', `upstream e2e ${label}:`)) })
      .catch((e: Error) => crashed(specs, dir, e));
  };
  const results = await Promise.all(plan.parallel.map((s, i) => shard(s, i, `process ${i + 1}`)));
  if (plan.serial.length) results.push(await shard(plan.serial, plan.parallel.length, 'serial'));
  return mergeShardResults(started, Date.now(), plan.parallel.length + (plan.serial.length ? 1 : 0), results);
}
