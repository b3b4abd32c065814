// One scenario's report model from its stored files: verdict, summary figures, phases, downtime, chart data (pure).
import { clientOps, lastTime, type Phase } from '../../history/operations.ts';
import type { History } from '../../history/history.ts';
import { phaseFigures, toBuckets, type Buckets, type PhaseFigures } from './aggregate.ts';
import { storedFigures, type Downtime } from './figures.ts';
import { namedFaults, observations, type ClusterEvent, type ClusterSeries, type NamedFault } from './observations.ts';
import { sloLines } from './slo.ts';
import type { ScenarioFile, ScenarioVerdicts } from '../../history/run-files.ts';

export type VerdictValue = 'pass' | 'fail' | 'unknown';
/** Where a figure came from: the stored verdict, or the history when no checker judged it. */
export type Source = 'verdict' | 'history';

export type { StoredScenario } from '../../history/read-run.ts';
import type { StoredScenario } from '../../history/read-run.ts';
import { proofOf, type Proof } from './render-proof.ts';
import { clientsOf, type ClientsSideBySide } from './render-clients.ts';
import { scenarioUpstreamLines } from './render-upstream.ts';

export interface SummaryFigures {
  availabilityPct: number | null;
  availabilitySource: Source | null;
  longestOutageMs: number | null;
  outageSource: Source | null;
  recoveryMs: number | null;
  recoveryFrom: string | null;
  msToFirstOk: number | null;
  quorumRecoveryMs: number | null;
  quorumLossMs: number | null;
  lostWrites: number | null;
  acknowledgedWrites: number | null;
  slo: string[];
}

/** What the browser draws for one scenario; aggregated, never raw ops. */
export interface ChartData {
  name: string;
  buckets: Buckets;
  faults: Array<Pick<NamedFault, 'label' | 'start' | 'end'>>;
  downtime: Downtime[];
  series: ClusterSeries;
  markers: ClusterEvent[];
}

export interface ScenarioReport {
  name: string;
  description: string | null;
  promise: string | null;
  fault: string | null;
  seed: number | null;
  error: string | null;
  verdict: VerdictValue;
  checkers: Array<{ checker: string; verdict: VerdictValue; reasons: string[] }>;
  /** The operations that prove a safety violation, as the checker stored them. */
  proof: Proof | null;
  /** Availability per class of haproof's load and of the vegeta witness, as the availability checker stored it. */
  clients: ClientsSideBySide | null;
  summary: SummaryFigures;
  phases: Record<Phase, PhaseFigures> | null;
  /** null when neither a verdict nor a history tells. */
  downtime: Downtime[] | null;
  downtimeNote: string;
  faults: NamedFault[];
  events: ClusterEvent[];
  initial: string[];
  chart: ChartData | null;
  /** The upstream e2e specs that ran while it did (a scenario run beside the upstream suite). */
  upstream: ReturnType<typeof scenarioUpstreamLines>;
  problems: string[];
}

const MARKER_KINDS: ReadonlyArray<ClusterEvent['kind']> = ['etcd-leader', 'lease-holder', 'recovered', 'upstream-failure'];

export function scenarioReport(s: StoredScenario): ScenarioReport {
  const problems = [...s.problems];
  const verdicts = s.verdicts?.verdicts ?? [];
  let stored = storedFigures([]);
  try {
    stored = storedFigures(verdicts);
  } catch (e) {
    problems.push(`verdicts.json: ${(e as Error).message}`);
  }
  const ops = s.history ? clientOps(s.history) : [];
  // Availability and downtime are the availability checker's stored figures; the report never recomputes them.
  const windowMs = stored.downtimeWindowMs;
  const downtime = stored.downtime;
  let obs: ReturnType<typeof observations> | null = null;
  if (s.history) {
    try {
      obs = observations(s.history);
    } catch (e) {
      problems.push(`observer samples: ${(e as Error).message}`);
    }
  }
  const expectations = s.file?.scenario.expectations ?? {};
  const summary: SummaryFigures = {
    availabilityPct: stored.availabilityPct,
    availabilitySource: stored.availabilityPct !== null ? 'verdict' : null,
    longestOutageMs: stored.longestDowntimeMs,
    outageSource: stored.longestDowntimeMs !== null ? 'verdict' : null,
    recoveryMs: stored.recoveryMs,
    recoveryFrom: stored.recoveryFrom,
    msToFirstOk: stored.msToFirstOk,
    quorumRecoveryMs: stored.msToEtcdHealthy,
    quorumLossMs: stored.quorumLossMs,
    lostWrites: stored.lostWrites?.length ?? null,
    acknowledgedWrites: stored.acknowledgedWrites,
    slo: sloLines(expectations),
  };
  const faults = s.history ? namedFaults(s.history) : [];
  const upstream = scenarioUpstreamLines(s.upstream, s.history ? lastTime(s.history) : Infinity);
  // Each upstream spec that failed while the scenario ran, on its timeline.
  const upstreamEvents: ClusterEvent[] = (upstream?.failures ?? []).map((f) => ({ time: f.at, kind: 'upstream-failure', label: `upstream e2e failed: ${f.name}: ${f.message}`, short: 'e2e ✗' }));
  const events = [...(obs?.events ?? []), ...upstreamEvents].sort((a, b) => a.time - b.time);
  const chart: ChartData | null = s.history
    ? {
        name: s.name,
        buckets: toBuckets(ops, lastTime(s.history)),
        faults: faults.map(({ label, start, end }) => ({ label, start, end })),
        downtime: downtime ?? [],
        series: obs?.series ?? { time: [], etcdHealthy: [], etcdMembers: [], vipBackends: [] },
        markers: events.filter((e) => MARKER_KINDS.includes(e.kind)),
      }
    : null;
  return {
    name: s.name,
    description: s.file?.scenario.description ?? null,
    promise: s.file?.scenario.promise ?? null,
    fault: s.file ? `${s.file.scenario.fault.name}${s.file.injection?.targets.length ? ` on ${s.file.injection.targets.join(', ')}` : ''}` : null,
    seed: s.file?.seed ?? null,
    error: s.file?.error ?? s.verdicts?.error ?? null,
    verdict: s.verdicts?.verdict ?? 'unknown',
    checkers: verdicts.map((v) => ({ checker: v.checker, verdict: v.verdict, reasons: v.reasons })),
    proof: proofOf(verdicts),
    clients: clientsOf(verdicts),
    summary,
    phases: s.history ? phaseFigures(ops, faults) : null,
    downtime,
    downtimeNote: stored.downtime
      ? `as judged by the availability checker on ${windowMs} ms windows`
      : 'not judged: no availability verdict stored for this scenario',
    faults,
    events,
    initial: obs?.initial ?? [],
    chart,
    upstream,
    problems,
  };
}
