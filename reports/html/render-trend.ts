// The trend across runs: a table of availability and recovery per scenario and run, plus two chart containers (pure HTML).
import { escapeHtml, formatMs, formatPct } from './format.ts';
import type { Trend } from './trend.ts';

/** `2026-11-26T17-27-21-318Z-chaos` → `11-26 17:27:21`; other names are kept. */
export const shortRunName = (run: string): string => {
  const m = /^\d{4}-(\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})/.exec(run);
  return m ? `${m[1]} ${m[2]}:${m[3]}:${m[4]}` : run;
};

export function renderTrend(trend: Trend | null): string {
  if (!trend) return '';
  const head = trend.runs.map((r) => `<th title="${escapeHtml(r)}">${escapeHtml(shortRunName(r))}</th>`).join('');
  const rows = trend.scenarios.map((name, i) => {
    const cells = trend.runs.map((run, j) => {
      const verdict = trend.verdicts[i]?.[j] ?? null;
      if (verdict === null) return '<td class="missing">—</td>';
      const pct = trend.availabilityPct[i]?.[j] ?? null;
      const rec = trend.recoveryMs[i]?.[j] ?? null;
      return `<td class="${verdict}" data-testid="trend-cell" data-run="${escapeHtml(run)}" data-verdict="${verdict}">${escapeHtml(formatPct(pct))} % · ${escapeHtml(formatMs(rec))}</td>`;
    });
    return `<tr data-testid="trend-row" data-scenario="${escapeHtml(name)}"><td>${escapeHtml(name)}</td>${cells.join('')}</tr>`;
  });
  return `<section id="trend" data-testid="trend">
<h2>Trend over ${trend.runs.length} runs</h2>
<div class="charts">
<figure><figcaption>Availability % per scenario and run</figcaption><div class="chart" data-testid="chart" data-chart="trend-availability"></div></figure>
<figure><figcaption>Time to recover (s) per scenario and run</figcaption><div class="chart" data-testid="chart" data-chart="trend-recovery"></div></figure>
</div>
<table class="trend"><thead><tr><th>Scenario</th>${head}</tr></thead><tbody>
${rows.join('\n')}
</tbody></table>
<p class="note">Each cell: availability % · time to recover, coloured by the scenario's verdict in that run.</p>
</section>`;
}
