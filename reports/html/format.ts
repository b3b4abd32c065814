// Pure text helpers for the HTML report: escaping, and milliseconds / percentages as short readable strings.

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export const escapeHtml = (text: string | number): string => String(text).replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

/** JSON that is safe inside a <script> element: no `</script>`, no `<!--`, no line separators. */
export const toScriptJson = (value: unknown): string =>
  JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');

/** `850 ms`, `2.99 s`, `2 min 5 s`; `—` when unknown. */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (Math.abs(ms) < 1000) return `${Math.round(ms)} ms`;
  if (Math.abs(ms) < 120_000) return `${(ms / 1000).toFixed(2)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** Two decimals, no unit (the column header says %); `—` when unknown. */
export const formatPct = (pct: number | null | undefined): string => (pct === null || pct === undefined || !Number.isFinite(pct) ? '—' : pct.toFixed(2));

/** Scenario names are [a-z0-9-]; anything else is replaced so the result is a safe id. */
export const scenarioId = (name: string): string => `scenario-${name.replace(/[^a-zA-Z0-9_-]/g, '_')}`;

/** A point in a scenario's timeline: seconds since its start, two decimals. */
export const formatAt = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

/** A verdict badge; `data-verdict` carries the value for tests and styles. */
export const verdictBadge = (verdict: string): string => `<span class="verdict ${escapeHtml(verdict)}" data-verdict="${escapeHtml(verdict)}">${escapeHtml(verdict.toUpperCase())}</span>`;
