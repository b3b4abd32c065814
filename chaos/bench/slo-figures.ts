// Per-scenario figures over repeated runs, read from stored run directories (what `bench-slo` runs, or any earlier
// runs): reads / writes availability in the fault and recovery windows (min / median), longest downtime, time to
// recover, haproof's load vs the vegeta witness, issue lag p99, and each run's verdict. Floors are set from these.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

type ClassWindow = { availabilityPct: number | null; longestDowntimeMs: number; total: number; msToLastFailure?: number | null };
type ByClass = Partial<Record<'reads' | 'writes', Partial<Record<'fault' | 'recovery', ClassWindow>>>>;
export interface StoredVerdicts { name: string; verdict: string; verdicts: Array<{ checker: string; verdict: string; figures?: Record<string, unknown> }> }

export interface RunFigures {
  scenario: string;
  dir: string;
  verdict: string;
  failing: string[];
  readsFaultPct: number | null;
  writesFaultPct: number | null;
  readsRecoveryPct: number | null;
  writesRecoveryPct: number | null;
  longestDowntimeMs: number | null;
  /** The later of reads' and writes' last failure, from the window's start (null: no failure, or not recorded). */
  lastFailureFaultMs: number | null;
  lastFailureRecoveryMs: number | null;
  recoveryMs: number | null;
  witnessReadsFaultPct: number | null;
  lagP99Ms: number | null;
}

/** One scenario run's figures from its verdicts.json (pure over the parsed file). */
export function figuresOf(dir: string, v: StoredVerdicts): RunFigures {
  const fig = (c: string) => v.verdicts.find((x) => x.checker === c)?.figures ?? {};
  const availability = fig('availability') as { byClass?: ByClass; witness?: ByClass };
  const cls = (by: ByClass | undefined, c: 'reads' | 'writes', w: 'fault' | 'recovery') => by?.[c]?.[w]?.availabilityPct ?? null;
  const downtimes = (['reads', 'writes'] as const).flatMap((c) => (['fault', 'recovery'] as const).map((w) => availability.byClass?.[c]?.[w]?.longestDowntimeMs)).filter((x): x is number => typeof x === 'number');
  const num = (x: unknown) => (typeof x === 'number' ? x : null);
  const lastFailure = (w: 'fault' | 'recovery') => {
    const xs = (['reads', 'writes'] as const).map((c) => num(availability.byClass?.[c]?.[w]?.msToLastFailure)).filter((x): x is number => x !== null);
    return xs.length ? Math.max(...xs) : null;
  };
  return {
    scenario: v.name, dir, verdict: v.verdict, failing: v.verdicts.filter((x) => x.verdict === 'fail').map((x) => x.checker),
    readsFaultPct: cls(availability.byClass, 'reads', 'fault'), writesFaultPct: cls(availability.byClass, 'writes', 'fault'),
    readsRecoveryPct: cls(availability.byClass, 'reads', 'recovery'), writesRecoveryPct: cls(availability.byClass, 'writes', 'recovery'),
    longestDowntimeMs: downtimes.length ? Math.max(...downtimes) : null,
    lastFailureFaultMs: lastFailure('fault'), lastFailureRecoveryMs: lastFailure('recovery'),
    recoveryMs: num(fig('recovery')['recoveryMs']), witnessReadsFaultPct: cls(availability.witness, 'reads', 'fault'),
    lagP99Ms: num(fig('load-validity')['lagP99Ms']),
  };
}

/** Every scenario run under `root` (any depth: `…/scenarios/<name>/verdicts.json`). */
export function collectRuns(root: string): RunFigures[] {
  const out: RunFigures[] = [];
  const walk = (d: string, depth: number) => {
    if (depth > 6 || !existsSync(d)) return;
    const file = join(d, 'verdicts.json');
    if (d.split('/').at(-2) === 'scenarios' && existsSync(file)) {
      out.push(figuresOf(d, JSON.parse(readFileSync(file, 'utf8')) as StoredVerdicts));
      return;
    }
    for (const e of readdirSync(d, { withFileTypes: true })) if (e.isDirectory()) walk(join(d, e.name), depth + 1);
  };
  walk(root, 0);
  return out.sort((a, b) => a.scenario.localeCompare(b.scenario) || a.dir.localeCompare(b.dir));
}

/** Every run directory under `root` (a directory holding `scenarios/`), root itself included. */
export function runDirsUnder(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string, depth: number) => {
    if (depth > 5 || !existsSync(d)) return;
    if (existsSync(join(d, 'scenarios'))) { out.push(d); return; }
    for (const e of readdirSync(d, { withFileTypes: true })) if (e.isDirectory()) walk(join(d, e.name), depth + 1);
  };
  walk(root, 0);
  return out.sort();
}

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s.length ? (s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2) : null; };

/** min / median / max of a figure over runs (nulls left out), as text (pure). */
function spread(xs: Array<number | null>, unit: '%' | 'ms'): string {
  const v = xs.filter((x): x is number => x !== null);
  if (!v.length) return '—';
  const f = (x: number) => (unit === '%' ? x.toFixed(1) : String(Math.round(x)));
  return `${f(Math.min(...v))} / ${f(median(v)!)} / ${f(Math.max(...v))}`;
}

/** The table: one row per scenario, min / median / max over its runs, and how many runs passed (pure). */
export function renderSloTable(runs: readonly RunFigures[]): string {
  const names = [...new Set(runs.map((r) => r.scenario))];
  const head = ['scenario', 'runs', 'pass', 'reads fault %', 'writes fault %', 'reads recov %', 'writes recov %', 'downtime ms', 'last fail fault ms', 'last fail recov ms', 'recovery ms', 'witness reads fault %', 'lag p99 ms', 'failing (count)'];
  const rows = names.map((n) => {
    const rs = runs.filter((r) => r.scenario === n);
    const failing = new Map<string, number>();
    for (const r of rs) for (const f of r.failing) failing.set(f, (failing.get(f) ?? 0) + 1);
    return [n, String(rs.length), String(rs.filter((r) => r.verdict === 'pass').length),
      spread(rs.map((r) => r.readsFaultPct), '%'), spread(rs.map((r) => r.writesFaultPct), '%'),
      spread(rs.map((r) => r.readsRecoveryPct), '%'), spread(rs.map((r) => r.writesRecoveryPct), '%'),
      spread(rs.map((r) => r.longestDowntimeMs), 'ms'), spread(rs.map((r) => r.lastFailureFaultMs), 'ms'), spread(rs.map((r) => r.lastFailureRecoveryMs), 'ms'),
      spread(rs.map((r) => r.recoveryMs), 'ms'),
      spread(rs.map((r) => r.witnessReadsFaultPct), '%'), spread(rs.map((r) => r.lagP99Ms), 'ms'),
      [...failing].map(([f, c]) => `${f} (${c})`).join(', ') || '—'];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n') + '\n\n(each figure: min / median / max over the runs)';
}
