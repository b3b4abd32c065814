// The upstream e2e suite in the report (pure): per phase (before chaos, during the scenarios run beside it, after the
// matrix) how many specs passed, failed and did not run, and each failure with its message and where it fell — for a
// spec that failed during a scenario, its time on that scenario's timeline (the charts' clock).
import type { PhaseRecord, ScenarioUpstream } from '../../history/upstream-files.ts';
import { escapeHtml, formatAt, scenarioId } from './format.ts';

export interface UpstreamFailure {
  name: string;
  message: string;
  /** The scenario it overlapped, and the failure's time on that scenario's clock (ms). */
  scenario: string | null;
  at: number | null;
  where: string;
}

export interface UpstreamPhaseRow {
  phase: string;
  kubernetes: string;
  asked: number;
  passed: number;
  failed: number;
  notRun: number;
  wallMs: number;
  processes: number;
  leftOut: number;
  suiteFailures: string[];
  failures: UpstreamFailure[];
}

/** One row per stored phase (pure). */
export function upstreamRows(phases: readonly PhaseRecord[]): UpstreamPhaseRow[] {
  return phases.map((p) => ({
    phase: p.phase === 'during' ? `during ${p.scenarios.map((s) => s.name).join(', ') || 'chaos'}` : `${p.phase} chaos`,
    kubernetes: p.kubernetes, asked: p.asked, processes: p.processes, wallMs: p.wallMs, leftOut: p.leftOut.length,
    passed: p.results.filter((s) => s.outcome === 'passed').length,
    failed: p.results.filter((s) => s.outcome === 'failed').length,
    notRun: p.missing.length,
    suiteFailures: p.suiteFailures,
    failures: p.results.filter((s) => s.outcome === 'failed').map((s) => {
      const t = s.failedMs ?? s.endMs;
      const c = t === undefined ? undefined : p.scenarios.find((x) => t >= x.startMs && t <= x.endMs);
      const inFault = c && t !== undefined && c.faultFromMs !== undefined && c.faultToMs !== undefined && t >= c.faultFromMs && t <= c.faultToMs;
      return {
        name: s.name, message: s.message ?? s.state, scenario: c?.name ?? null, at: c && t !== undefined ? t - c.startMs : null,
        where: c ? `${c.name}, ${inFault ? 'in its fault window' : 'outside its fault window'}` : p.phase === 'during' ? 'between scenarios' : `${p.phase} chaos`,
      };
    }),
  }));
}

export function renderUpstream(rows: readonly UpstreamPhaseRow[]): string {
  if (!rows.length) return '';
  const body = rows.map((r) => `<tr data-testid="upstream-phase" data-failed="${r.failed}"><td>${escapeHtml(r.phase)}</td><td>${r.asked}</td><td>${r.passed}</td><td>${r.failed}</td><td>${r.notRun}</td><td>${r.processes}</td><td>${Math.round(r.wallMs / 1000)} s</td></tr>`).join('\n');
  const failures = rows.flatMap((r) => r.failures.map((f) => `<li data-testid="upstream-failure">${escapeHtml(f.name)} — ${f.scenario ? `<a href="#${scenarioId(f.scenario)}">${escapeHtml(f.where)}</a>, at ${formatAt(f.at ?? 0)}` : escapeHtml(f.where)}: <code>${escapeHtml(f.message)}</code></li>`));
  const suite = rows.flatMap((r) => r.suiteFailures.map((f) => `<li>${escapeHtml(r.phase)}: ${escapeHtml(f)}</li>`));
  return `<section class="upstream" data-testid="upstream">
<h2>Upstream Kubernetes e2e ${escapeHtml(rows[0]!.kubernetes)} [Conformance] specs through the VIP</h2>
<table><thead><tr><th>phase</th><th>specs</th><th>passed</th><th>failed</th><th>not run</th><th>processes</th><th>wall</th></tr></thead><tbody>
${body}
</tbody></table>
${failures.length ? `<h3>Failures</h3><ul>${failures.join('')}</ul>` : '<p class="empty" data-testid="upstream-failures-none">No upstream spec failed.</p>'}
${suite.length ? `<h3>The suite itself</h3><ul>${suite.join('')}</ul>` : ''}
</section>`;
}

/** A scenario's own upstream figures: specs that ran while it did, and its failures on its clock (pure). */
export function scenarioUpstreamLines(u: ScenarioUpstream | undefined, end: number): { ran: number; failures: Array<{ name: string; at: number; message: string }> } | null {
  if (!u) return null;
  const ran = u.specs.filter((s) => s.end >= 0 && s.start <= end);
  return { ran: ran.length, failures: ran.filter((s) => s.outcome === 'failed').map((s) => ({ name: s.name, at: s.failedAt ?? s.end, message: s.message ?? '' })) };
}
