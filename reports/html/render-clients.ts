// haproof's own load and the independent witness (vegeta) side by side: availability per operation class in the
// fault, the recovery and (runs since session 4) the settle window, as the availability checker stored them. Pure;
// unreadable figures give no table.
import { z } from 'zod';
import type { StoredVerdict } from '../../history/run-files.ts';
import { escapeHtml, formatMs, formatPct } from './format.ts';

const windowSchema = z.looseObject({ total: z.number(), availabilityPct: z.number().nullable(), longestDowntimeMs: z.number() });
const classSchema = z.looseObject({ fault: windowSchema, recovery: windowSchema, settle: windowSchema.optional() });
const byClassSchema = z.looseObject({ reads: classSchema, writes: classSchema, readyz: classSchema });
const figuresSchema = z.looseObject({ byClass: byClassSchema.optional(), witness: byClassSchema.optional() });

type ByClass = z.infer<typeof byClassSchema>;
export interface ClientsSideBySide { load: ByClass; witness: ByClass | null }

export function clientsOf(verdicts: readonly StoredVerdict[]): ClientsSideBySide | null {
  const parsed = figuresSchema.safeParse(verdicts.find((v) => v.checker === 'availability')?.figures);
  if (!parsed.success || !parsed.data.byClass) return null;
  return { load: parsed.data.byClass, witness: parsed.data.witness ?? null };
}

export function renderClients(c: ClientsSideBySide | null): string {
  if (!c) return '';
  const cell = (w: z.infer<typeof windowSchema> | undefined) => (w && w.total ? `${formatPct(w.availabilityPct)} % of ${w.total}${w.longestDowntimeMs ? `, down ${formatMs(w.longestDowntimeMs)}` : ''}` : '—');
  // The settle window only where the run had one (older runs did not).
  const windows = c.load.reads.settle ? (['fault', 'recovery', 'settle'] as const) : (['fault', 'recovery'] as const);
  const rows = (['reads', 'writes', 'readyz'] as const).flatMap((cls) => windows.map((win) => {
    const witness = cls === 'writes' ? 'not sent' : cell(c.witness?.[cls][win]);
    return `<tr data-testid="clients-row"><td>${cls}</td><td>${win}</td><td>${escapeHtml(cell(c.load[cls][win]))}</td><td>${escapeHtml(c.witness ? witness : 'did not run')}</td></tr>`;
  }));
  return `<div data-testid="clients"><h3>haproof's load and the vegeta witness</h3><table><thead><tr><th>class</th><th>window</th><th>haproof load</th><th>vegeta witness</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table></div>`;
}
