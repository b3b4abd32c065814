// The whole self-contained page: inlined uPlot and styles, the aggregated data as JSON, and the sections (pure HTML).
import { escapeHtml, toScriptJson } from './format.ts';
import { renderScenario } from './render-scenario.ts';
import { renderRunFacts, renderSummary, type RunFacts } from './render-summary.ts';
import { renderTrend, shortRunName } from './render-trend.ts';
import type { ScenarioReport } from './scenario-model.ts';
import type { Trend } from './trend.ts';
import { renderUpstream, type UpstreamPhaseRow } from './render-upstream.ts';

/** Text of the files inlined into the page. */
export interface Assets {
  uplotJs: string;
  uplotCss: string;
  reportJs: string;
  reportCss: string;
}

export interface ReportModel {
  run: RunFacts;
  scenarios: ScenarioReport[];
  upstream: UpstreamPhaseRow[];
  trend: Trend | null;
}

/** Inline code must not end its own element early. */
const inlineSafe = (code: string, tag: 'script' | 'style'): string => code.replace(new RegExp(`</${tag}`, 'gi'), `<\\/${tag}`);

/** Nothing may be fetched: the page works from a file with no network. */
const CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:";

export function renderPage(model: ReportModel, assets: Assets): string {
  const data = {
    scenarios: model.scenarios.map((s) => s.chart),
    trend: model.trend ? { ...model.trend, labels: model.trend.runs.map(shortRunName) } : null,
  };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>haproof · ${escapeHtml(model.run.name)} · ${escapeHtml(model.run.verdict.toUpperCase())}</title>
<style>${inlineSafe(assets.uplotCss, 'style')}</style>
<style>${inlineSafe(assets.reportCss, 'style')}</style>
</head>
<body>
${renderRunFacts(model.run, model.scenarios.length)}
<main>
${renderSummary(model.scenarios)}
${renderUpstream(model.upstream)}
${renderTrend(model.trend)}
${model.scenarios.map(renderScenario).join('\n')}
</main>
<script type="application/json" id="report-data">${toScriptJson(data)}</script>
<script>${inlineSafe(assets.uplotJs, 'script')}</script>
<script>${inlineSafe(assets.reportJs, 'script')}</script>
</body>
</html>
`;
}
