// The report's head: run facts (verdict, seed, versions, topology) and one summary row per scenario (pure HTML).
import { escapeHtml, formatMs, formatPct, scenarioId, verdictBadge } from './format.ts';
import type { ScenarioReport, Source } from './scenario-model.ts';
import type { Meta } from '../../history/run-files.ts';

export interface RunFacts {
  name: string;
  verdict: 'pass' | 'fail' | 'unknown';
  seed: number | null;
  seconds: number | null;
  meta: Meta | undefined;
}

function topologyText(meta: Meta): string | null {
  const t = meta.topology;
  if (!t) return null;
  const kinds = new Map<string, number>();
  for (const p of t.pods ?? []) kinds.set(p.kind, (kinds.get(p.kind) ?? 0) + 1);
  const parts = [
    t.hosts ? `${t.hosts.length} hosts (${t.hosts.map((h) => h.host).join(', ')})` : '',
    kinds.size ? `pods: ${[...kinds].map(([k, n]) => `${k} ×${n}`).join(', ')}` : '',
    t.vip ? `VIP ${t.vip.name} ${t.vip.ip}:${t.vip.port}` : '',
  ];
  return parts.filter(Boolean).join('; ') || null;
}

export function renderRunFacts(run: RunFacts, scenarioCount: number): string {
  const m = run.meta;
  const facts: Array<[string, string, string | null]> = [
    ['run', 'run', run.name],
    ['scenarios', 'scenarios', String(scenarioCount)],
    ['seed', 'seed', run.seed === null ? null : String(run.seed)],
    ['duration', 'duration', run.seconds === null ? null : formatMs(run.seconds * 1000)],
    ['cluster', 'cluster', m?.cluster ?? null],
    ['versions', 'versions', m?.versions ? Object.entries(m.versions).map(([k, v]) => `${k} ${v}`).join(', ') : null],
    ['topology', 'topology', m ? topologyText(m) : null],
    ['machine', 'machine', m?.machine ? Object.entries(m.machine).map(([k, v]) => `${k} ${v}`).join(', ') : null],
  ];
  const rows = facts
    .filter((f): f is [string, string, string] => f[2] !== null)
    .map(([id, label, value]) => `<dt>${escapeHtml(label)}</dt><dd data-testid="fact-${id}">${escapeHtml(value)}</dd>`)
    .join('');
  return `<header>
<h1>Availability report <span class="overall" data-testid="overall-verdict" data-verdict="${run.verdict}">${verdictBadge(run.verdict)}</span></h1>
<dl class="facts" data-testid="run-facts">${rows}</dl>
</header>`;
}

/** A figure cell: the number as text, `data-value` raw; `—` where no checker stored the figure. */
function cell(testid: string, text: string, value: number | null, title: string, source: Source | null = 'verdict'): string {
  const attrs = `data-testid="${testid}"${value === null ? '' : ` data-value="${value}"`}${source && value !== null ? ` data-source="${source}"` : ''}`;
  return `<td class="num" ${attrs} title="${escapeHtml(title)}">${escapeHtml(text)}</td>`;
}

function summaryRow(s: ScenarioReport): string {
  const f = s.summary;
  const lost = f.lostWrites === null ? '—' : `${f.lostWrites}${f.acknowledgedWrites === null ? '' : ` of ${f.acknowledgedWrites}`}`;
  const why = s.checkers.filter((c) => c.verdict !== 'pass').flatMap((c) => c.reasons.map((r) => `${c.checker}: ${r}`));
  return `<tr data-testid="summary-row" data-scenario="${escapeHtml(s.name)}" data-verdict="${s.verdict}" class="${s.verdict}">
<td><a href="#${scenarioId(s.name)}">${escapeHtml(s.name)}</a></td>
<td data-testid="verdict" title="${escapeHtml([...why, ...(s.error ? [`error: ${s.error}`] : []), ...s.problems].join('\n'))}">${verdictBadge(s.verdict)}</td>
${cell('availability', formatPct(f.availabilityPct), f.availabilityPct, 'requests ok ÷ all requests', f.availabilitySource)}
${cell('longest-outage', formatMs(f.longestOutageMs), f.longestOutageMs, 'longest run of windows with requests and none ok', f.outageSource)}
${cell('recovery', formatMs(f.recoveryMs), f.recoveryMs, `recovery checker, from ${f.recoveryFrom ?? '—'}: first ok request after ${formatMs(f.msToFirstOk)}; the largest of first ok, etcd leader, etcd healthy, lease holders`)}
${cell('quorum-recovery', formatMs(f.quorumRecoveryMs), f.quorumRecoveryMs, `until every etcd member was healthy (msToEtcdHealthy)${f.quorumLossMs !== null ? `; quorum was lost for ${formatMs(f.quorumLossMs)}` : ''}`)}
${cell('data-loss', lost, f.lostWrites, 'acknowledged creates missing from the final read')}
<td data-testid="slo">${f.slo.length ? f.slo.map(escapeHtml).join('<br>') : '—'}</td>
</tr>`;
}

export function renderSummary(scenarios: readonly ScenarioReport[]): string {
  const counts = (['pass', 'fail', 'unknown'] as const).map((v) => `${scenarios.filter((s) => s.verdict === v).length} ${v}`).join(', ');
  return `<section id="summary">
<h2>Summary <small>${escapeHtml(counts)}</small></h2>
<table class="summary" data-testid="summary">
<thead><tr><th>Scenario</th><th>Verdict</th><th>Availability %</th><th>Longest outage</th><th>Time to recover</th><th>Quorum recovery</th><th>Lost writes</th><th>SLO judged against</th></tr></thead>
<tbody>
${scenarios.map(summaryRow).join('\n')}
</tbody>
</table>
<p class="note">Figures come from each scenario's stored verdicts; — marks one that no checker judged.</p>
</section>`;
}
