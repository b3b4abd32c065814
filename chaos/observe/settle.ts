// The settle period: a cluster that first looks healthy after a fault must stay healthy for as long as the slowest
// delayed effect of the fault needs to show — a Node marked NotReady after the node monitor grace period, a leader
// that lost its Lease and is replaced after the lease duration. Anything that breaks in that period belongs to the
// scenario: the health seen is recorded (`settle-health`), and recovery counts until the cluster stayed healthy.
import type { Cluster } from '../../targets/cluster.ts';
import type { HistoryRecorder } from '../../history/history.ts';
import { checkHealth } from './health.ts';
import { judgeSettleChecks, type SettleCheck } from '../../history/settle-checks.ts';

/** The defaults of the pinned kube-controller-manager v1.37.2 (its `--help`): node monitor grace 50 s, lease 15 s. */
export const DEFAULT_NODE_GRACE_MS = 50_000;
export const DEFAULT_LEASE_MS = 15_000;
/** Between two health checks of the settle period. */
export const SETTLE_SAMPLE_MS = 2_000;

/** A Go duration ("20s", "1m0s", "1h2m3.5s", "500ms") in ms; undefined when it is not one (pure). */
export function parseGoDuration(text: string): number | undefined {
  const unit: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1_000, ms: 1, us: 0.001, µs: 0.001, ns: 0.000001 };
  if (!/^(\d+(\.\d+)?(h|ms|m|s|us|µs|ns))+$/.test(text)) return undefined;
  let ms = 0;
  for (const [, n, , u] of text.matchAll(/(\d+(\.\d+)?)(h|ms|m|s|us|µs|ns)/g)) ms += Number(n) * unit[u!]!;
  return ms;
}

/**
 * The settle period from the controller-managers' own command lines (pure): node monitor grace period + leader lease
 * duration, each the largest any instance runs with, the pinned defaults where a flag is absent or unreadable.
 */
export function settleFromArgv(argvs: readonly string[][]): { settleMs: number; nodeGraceMs: number; leaseMs: number } {
  const flag = (name: string, fallback: number) => {
    const values = argvs.map((argv) => {
      const at = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
      if (at < 0) return fallback;
      const text = argv[at]!.includes('=') ? argv[at]!.slice(name.length + 3) : argv[at + 1] ?? '';
      return parseGoDuration(text) ?? fallback;
    });
    return values.length ? Math.max(...values) : fallback;
  };
  const nodeGraceMs = flag('node-monitor-grace-period', DEFAULT_NODE_GRACE_MS);
  const leaseMs = flag('leader-elect-lease-duration', DEFAULT_LEASE_MS);
  return { settleMs: nodeGraceMs + leaseMs, nodeGraceMs, leaseMs };
}

/** The settle period of this cluster, read from its running controller-managers (the defaults when none is readable). */
export async function settlePeriod(cluster: Cluster): Promise<ReturnType<typeof settleFromArgv>> {
  const procs = await cluster.processes('kube-controller-manager').catch(() => []);
  return settleFromArgv(procs.map((p) => p.argv));
}

/**
 * Keeps checking health until it held for `settleMs` in a row (a break restarts the clock; a short run of checks that
 * could not tell does not, see history/settle-checks.ts); returns when the final healthy streak began (ms since the
 * epoch). Throws, saying what was wrong, when that takes longer than `timeoutMs`.
 */
export async function settle(cluster: Cluster, settleMs: number, timeoutMs: number, history: HistoryRecorder, log: (line: string) => void): Promise<number> {
  const started = Date.now();
  const checks: SettleCheck[] = [];
  let reportedBreaks = 0;
  let broken = false;
  for (;;) {
    const askedAt = Date.now();
    const askedOnHistoryClock = history.now();
    const h = await checkHealth(cluster, false);
    checks.push({ time: Date.now(), askedAt, ...h });
    history.record({ type: 'info', process: 'nemesis', f: 'settle-health', value: { healthy: h.healthy, problems: h.problems, unreadable: h.unreadable, askedAt: askedOnHistoryClock } });
    const judged = judgeSettleChecks(checks);
    for (const b of judged.breaks.slice(reportedBreaks)) log(`  broke ${((b.at - started) / 1000).toFixed(1)} s into the settle period: ${b.problems.join('; ')}`);
    if (judged.breaks.length > reportedBreaks) broken = true;
    reportedBreaks = judged.breaks.length;
    if (broken && judged.stableFrom !== undefined) { broken = false; log(`  healthy again ${((judged.stableFrom - started) / 1000).toFixed(1)} s into the settle period`); }
    if (judged.lastHealthy && judged.stableFrom !== undefined && Date.now() - judged.stableFrom >= settleMs) return judged.stableFrom;
    if (Date.now() - started > timeoutMs) throw new Error(`the cluster did not stay healthy for ${settleMs / 1000} s within ${timeoutMs / 1000} s: ${[...h.problems, ...h.unreadable].join('; ') || 'healthy too briefly'}`);
    await new Promise((r) => setTimeout(r, SETTLE_SAMPLE_MS));
  }
}
