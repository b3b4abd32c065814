// `npm run bench:verdicts`: can the verdicts fail, and do they stay quiet when nothing is wrong? Each planted chaos
// defect is brought up and its scenario run (defect → run verdict → failing checkers), then `healthy` runs of the
// checked scenarios on a healthy testbed count false alarms; checker time and history size per scenario are printed.
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Cluster } from '../../targets/cluster.ts';
import type { Defect } from '../../config/options.ts';
import { checkAll } from '../../checkers/index.ts';
import { readHistory } from '../../history/history.ts';
import { runMatrix } from '../scenarios/run-matrix.ts';
import { findScenario, type Scenario } from '../scenarios/definitions.ts';

export interface VerdictBenchOptions {
  /** Brings a (defective) testbed up and returns its cluster; `down` removes it. */
  up: (defect: Defect | undefined) => Promise<Cluster>;
  down: () => Promise<void>;
  runDir: (name: string) => string;
  healthyRuns: number;
  seed: number;
  log: (line: string) => void;
}

/**
 * Each chaos defect, the scenario that must catch it, the checkers that must fail (`fails`) and those that may fail as
 * knock-on effects in one run (`mayFail`); any other failing checker is a wrong reason. The defects project asserts
 * this live; the benchmark prints whether each run met it. (The conformance defects are judged by the defects project.)
 */
export const CHAOS_DEFECTS: Array<{ defect: Defect; scenario: string; fails: string[]; mayFail: string[]; why: string }> = [
  { defect: 'vip-no-health-check', scenario: 'sigkill-apiserver', fails: ['availability'], mayFail: [], why: 'a dead apiserver keeps getting connections' },
  {
    defect: 'stale-restore', scenario: 'kill-2-of-3-etcd', fails: ['no-lost-writes', 'final-state', 'linearizable'], why: 'writes acknowledged after the last backup are gone',
    // A restored cluster starts again at the snapshot's raft term, so a term can show two leaders; the apiservers'
    // caches are ahead of the restored revision, so their watches and reads may stall.
    mayFail: ['leader-uniqueness', 'watch', 'availability', 'recovery'],
  },
  {
    defect: 'split-store', scenario: 'replace-etcd-0', fails: ['linearizable', 'watch', 'final-state'], why: 'the apiservers write to two stores',
    // Reads and creates through the other store miss acknowledged keys; the forked member is a leader of its own (two
    // leaders seen in one term); the health view flips between the stores, so recovery never completes.
    mayFail: ['no-lost-writes', 'leader-uniqueness', 'recovery', 'availability'],
  },
  // Nothing but the watches is touched: every other checker must pass.
  { defect: 'watch-drop', scenario: 'kill-etcd-follower', fails: ['watch'], mayFail: [], why: 'a proxy in front of one apiserver leaves out watch events' },
];

/** Whether a defect's run failed for the right reasons (pure). */
export function caughtRightly(d: { fails: string[]; mayFail: string[] }, failing: string[]): boolean {
  return d.fails.every((f) => failing.includes(f)) && failing.every((f) => d.fails.includes(f) || d.mayFail.includes(f));
}
/** The scenarios whose healthy runs count false alarms: one per kind of fault the safety checkers see most of. */
export const HEALTHY_SCENARIOS = ['kill-etcd-leader', 'kill-2-of-3-etcd', 'partition-etcd-leader'];

interface Row { what: string; verdict: string; failing: string[]; unknown: string[]; checkMs: number; historyMiB: number; rightly?: boolean }

function rowsOf(results: Awaited<ReturnType<typeof runMatrix>>['results'], what: (name: string) => string, scenarios: Scenario[]): Row[] {
  return results.map((r) => {
    const history = readHistory(join(r.dir, 'history.jsonl'));
    const scenario = scenarios.find((s) => r.name.startsWith(s.name))!;
    const t0 = performance.now();
    checkAll(history, scenario.expectations);
    return {
      what: what(r.name), verdict: r.verdict,
      failing: r.verdicts.filter((v) => v.verdict === 'fail').map((v) => v.checker),
      unknown: r.verdicts.filter((v) => v.verdict === 'unknown').map((v) => v.checker),
      checkMs: Math.round(performance.now() - t0),
      historyMiB: Math.round((statSync(join(r.dir, 'history.jsonl')).size / 2 ** 20) * 10) / 10,
    };
  });
}

export async function benchVerdicts(o: VerdictBenchOptions): Promise<{ defects: Row[]; healthy: Row[]; falseAlarms: number }> {
  const defects: Row[] = [];
  for (const d of CHAOS_DEFECTS) {
    const { defect, scenario } = d;
    o.log(`\n== defect ${defect}: ${scenario}`);
    const cluster = await o.up(defect);
    try {
      const s = findScenario(scenario)!;
      const m = await runMatrix(cluster, [s], { runDir: o.runDir(`bench-verdicts-${defect}`), seed: o.seed, log: o.log });
      defects.push(...rowsOf(m.results, () => `defect ${defect} (${scenario})`, [s]).map((row) => ({ ...row, rightly: row.verdict === 'fail' && caughtRightly(d, row.failing) })));
    } finally {
      cluster.close();
      await o.down();
    }
  }
  o.log(`\n== ${o.healthyRuns} healthy runs of ${HEALTHY_SCENARIOS.join(', ')}`);
  const cluster = await o.up(undefined);
  const healthy: Row[] = [];
  try {
    const scenarios = HEALTHY_SCENARIOS.map((n) => findScenario(n)!);
    for (let i = 0; i < o.healthyRuns; i++) {
      const m = await runMatrix(cluster, scenarios, { runDir: o.runDir(`bench-verdicts-healthy-${i + 1}`), seed: o.seed + 100 * i, log: o.log });
      healthy.push(...rowsOf(m.results, (n) => `healthy ${i + 1}: ${n}`, scenarios));
    }
  } finally {
    cluster.close();
    await o.down();
  }
  const falseAlarms = healthy.filter((r) => r.verdict !== 'pass').length;
  return { defects, healthy, falseAlarms };
}

export function renderVerdictTable(r: Awaited<ReturnType<typeof benchVerdicts>>): string {
  const line = (x: Row) => `${x.what.padEnd(48)} ${(x.verdict.toUpperCase() + (x.rightly === undefined ? '' : x.rightly ? ' ✓' : ' ✗')).padEnd(8)} ${(x.failing.join(', ') || '—').padEnd(44)} ${(x.unknown.join(', ') || '—').padEnd(16)} ${String(x.checkMs).padStart(6)} ms ${String(x.historyMiB).padStart(5)} MiB`;
  return [
    `${'run'.padEnd(48)} ${'verdict'.padEnd(8)} ${'failing checkers'.padEnd(44)} ${'unknown'.padEnd(16)} ${'checking'.padStart(9)} ${'history'.padStart(9)}`,
    ...r.defects.map(line), ...r.healthy.map(line),
    `defects caught by the right checkers (✓): ${r.defects.filter((d) => d.rightly).length} of ${r.defects.length}`,
    `false alarms in ${r.healthy.length} healthy scenario runs: ${r.falseAlarms}`,
  ].join('\n');
}

export function writeVerdictBench(file: string, r: Awaited<ReturnType<typeof benchVerdicts>>): void {
  writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), ...r }, null, 2));
}
