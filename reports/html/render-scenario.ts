// One scenario's section: verdicts, the three synced charts' containers, faults, downtime, phases and cluster events (pure HTML).
import type { PhaseFigures } from './aggregate.ts';
import { escapeHtml, formatAt, formatMs, formatPct, scenarioId, verdictBadge } from './format.ts';
import type { ScenarioReport } from './scenario-model.ts';
import { renderProof } from './render-proof.ts';
import { renderClients } from './render-clients.ts';

const CHARTS: Array<{ kind: string; caption: string }> = [
  { kind: 'requests', caption: 'Requests started per 100 ms: ok, failed, unknown (stacked); faults shaded, outages hatched' },
  { kind: 'latency', caption: 'Latency per 100 ms of ok and failed requests, p50 and p99 (log scale)' },
  { kind: 'cluster', caption: 'etcd healthy members and VIP backends; lines mark etcd leader and Lease holder changes' },
];

function table(testid: string, head: string[], rows: string[][], rowTestid: string, empty: string): string {
  if (rows.length === 0) return `<p class="empty" data-testid="${testid}-none">${escapeHtml(empty)}</p>`;
  const th = head.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const tr = rows.map((r) => `<tr data-testid="${rowTestid}">${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('\n');
  return `<table data-testid="${testid}"><thead><tr>${th}</tr></thead><tbody>\n${tr}\n</tbody></table>`;
}

function phaseRow(phase: string, p: PhaseFigures): string[] {
  return [phase, String(p.total), String(p.ok), String(p.fail), String(p.info), formatPct(p.availabilityPct), formatMs(p.p50), formatMs(p.p99)].map(escapeHtml);
}

export function renderScenario(s: ScenarioReport, index: number): string {
  const checkers = s.checkers
    .map((c) => `<li data-testid="checker" data-checker="${escapeHtml(c.checker)}" data-verdict="${c.verdict}">${verdictBadge(c.verdict)} ${escapeHtml(c.checker)}${c.reasons.length ? `<ul>${c.reasons.map((r) => `<li>${escapeHtml(r)}</li>`).join('')}</ul>` : ''}</li>`)
    .join('');
  const charts = s.chart
    ? CHARTS.map((c) => `<figure><figcaption>${escapeHtml(c.caption)}</figcaption><div class="chart" data-testid="chart" data-chart="${c.kind}" data-scenario="${escapeHtml(s.name)}" data-index="${index}"></div></figure>`).join('\n')
    : '<p class="empty">No history stored: nothing to chart.</p>';
  const faults = table('faults', ['fault', 'start', 'end', 'length'], s.faults.map((f) => [escapeHtml(f.label), formatAt(f.start), formatAt(f.end), formatMs(f.end - f.start)]), 'fault-row', 'No fault window in the history.');
  const downtime = s.downtime
    ? table('downtime', ['start', 'end', 'length'], s.downtime.map((d) => [formatAt(d.start), formatAt(d.end), formatMs(d.lengthMs)]), 'downtime-row', 'No outage: every window with requests had an ok one.')
    : '';
  const phases = s.phases
    ? table('phases', ['phase', 'requests', 'ok', 'failed', 'unknown', 'availability %', 'p50', 'p99'], (['before', 'during', 'after'] as const).map((p) => phaseRow(p, s.phases![p])), 'phase-row', '')
    : '';
  const events = table('events', ['at', 'what'], s.events.map((e) => [formatAt(e.time), `<span class="event ${e.kind}">${escapeHtml(e.label)}</span>`]), 'event-row', 'No change in etcd leader or health, VIP backends or Lease holders.');
  const facts = [s.description, s.promise ? `promise: ${s.promise}` : null, s.fault ? `fault: ${s.fault}` : null, s.seed !== null ? `seed ${s.seed}` : null].filter((x): x is string => x !== null);
  const problems = [...(s.error ? [`error: ${s.error}`] : []), ...s.problems];
  return `<section class="scenario" id="${scenarioId(s.name)}" data-testid="scenario" data-scenario="${escapeHtml(s.name)}" data-verdict="${s.verdict}">
<h2>${escapeHtml(s.name)} ${verdictBadge(s.verdict)}</h2>
${facts.map((f) => `<p class="facts">${escapeHtml(f)}</p>`).join('\n')}
${problems.length ? `<ul class="problems" data-testid="problems">${problems.map((p) => `<li>${escapeHtml(p)}</li>`).join('')}</ul>` : ''}
<ul class="checkers">${checkers || '<li>no stored verdicts</li>'}</ul>
${renderProof(s.proof)}
<div class="charts">
${charts}
</div>
<div class="tables">
<div><h3>Fault windows</h3>${faults}</div>
<div><h3>Outages</h3><p class="note">${escapeHtml(s.downtimeNote)}</p>${downtime}</div>
<div><h3>Before / during / after the faults</h3>${phases}</div>
<div>${renderClients(s.clients)}</div>
${s.upstream ? `<div data-testid="scenario-upstream"><h3>Upstream e2e beside it</h3><p class="note">${s.upstream.ran} upstream specs ran while this scenario did; ${s.upstream.failures.length} failed${s.upstream.failures.length ? ' (marked on the cluster chart)' : ''}.</p>${s.upstream.failures.length ? `<ul>${s.upstream.failures.map((f) => `<li data-testid="scenario-upstream-failure">${formatAt(f.at)}: ${escapeHtml(f.name)} — <code>${escapeHtml(f.message)}</code></li>`).join('')}</ul>` : ''}</div>` : ''}
<div><h3>Cluster events</h3>${s.initial.length ? `<p class="note">At the first sample: ${escapeHtml(s.initial.join('; '))}</p>` : ''}${events}</div>
</div>
</section>`;
}
