// Availability and recovery time per scenario across runs, from each run's stored verdicts (pure).
import { storedFigures } from './figures.ts';
import type { VerdictValue } from './scenario-model.ts';
import type { ScenarioVerdicts } from '../../history/run-files.ts';

export interface RunPoint {
  run: string;
  scenarios: Array<{ name: string; verdict: VerdictValue; availabilityPct: number | null; recoveryMs: number | null }>;
}

/** Column-wise per scenario (rows) and run (columns, oldest first); null where a run lacks the scenario or the figure. */
export interface Trend {
  runs: string[];
  scenarios: string[];
  availabilityPct: Array<Array<number | null>>;
  recoveryMs: Array<Array<number | null>>;
  verdicts: Array<Array<VerdictValue | null>>;
}

export function runPoint(run: string, scenarios: readonly ScenarioVerdicts[]): RunPoint {
  return {
    run,
    scenarios: scenarios.map((s) => {
      let f = storedFigures([]);
      try {
        f = storedFigures(s.verdicts);
      } catch {
        // A run with figures of another shape still contributes its verdict.
      }
      return { name: s.name, verdict: s.verdict, availabilityPct: f.availabilityPct, recoveryMs: f.recoveryMs };
    }),
  };
}

/** Scenarios of the last (current) run first, then any others seen earlier, each group by name. */
export function toTrend(points: readonly RunPoint[]): Trend {
  const current = new Set(points[points.length - 1]?.scenarios.map((s) => s.name) ?? []);
  const others = new Set(points.flatMap((p) => p.scenarios.map((s) => s.name)).filter((n) => !current.has(n)));
  const scenarios = [...[...current].sort(), ...[...others].sort()];
  const cell = <T>(pick: (s: RunPoint['scenarios'][number]) => T) => (name: string): Array<T | null> =>
    points.map((p) => {
      const s = p.scenarios.find((x) => x.name === name);
      return s ? pick(s) : null;
    });
  return {
    runs: points.map((p) => p.run),
    scenarios,
    availabilityPct: scenarios.map(cell((s) => s.availabilityPct)),
    recoveryMs: scenarios.map(cell((s) => s.recoveryMs)),
    verdicts: scenarios.map(cell((s) => s.verdict)),
  };
}
