// The operations that prove a safety violation, on a timeline (as porcupine's visualisation shows the smallest
// non-linearizable window): one row per client process, a bar from invoke to completion, the op that cannot be placed
// in red. Read from the linearizability checker's stored figures; pure SVG, no script.
import { z } from 'zod';
import type { StoredVerdict } from '../../history/run-files.ts';
import { escapeHtml, formatAt } from './format.ts';

const proofOpSchema = z.looseObject({
  process: z.union([z.string(), z.number()]), f: z.string(), invoke: z.number(), complete: z.number().nullable(), type: z.string(),
  sentRv: z.string().optional(), rv: z.string().optional(), data: z.string().optional(), status: z.number().optional(), linearized: z.boolean().optional(),
});
const proofSchema = z.looseObject({ proofKey: z.string().optional(), proof: z.array(proofOpSchema) });

export interface Proof {
  checker: string;
  key: string | null;
  ops: Array<z.infer<typeof proofOpSchema>>;
}

/** The stored proof of the first failing safety checker that has one, else null. */
export function proofOf(verdicts: readonly StoredVerdict[]): Proof | null {
  for (const v of verdicts) {
    if (v.verdict !== 'fail') continue;
    const parsed = proofSchema.safeParse(v.figures);
    if (parsed.success && parsed.data.proof.length) return { checker: v.checker, key: parsed.data.proofKey ?? null, ops: parsed.data.proof };
  }
  return null;
}

const W = 900;
const ROW = 22;
const LEFT = 140;

export function renderProof(p: Proof | null): string {
  if (!p) return '';
  const processes = [...new Set(p.ops.map((o) => String(o.process)))];
  const t0 = Math.min(...p.ops.map((o) => o.invoke));
  const t1 = Math.max(...p.ops.map((o) => o.complete ?? o.invoke), t0 + 1);
  const x = (t: number) => LEFT + ((t - t0) / (t1 - t0)) * (W - LEFT - 10);
  const bars = p.ops.map((o) => {
    const y = processes.indexOf(String(o.process)) * ROW + 4;
    const end = o.complete ?? t1;
    const label = `${o.f}${o.sentRv ? ` if rv=${o.sentRv}` : ''}${o.rv ? ` → rv ${o.rv}` : ''}${o.status && o.type !== 'ok' ? ` (${o.status})` : ''}${o.data ? ` ${o.data}` : ''}`;
    const cls = o.linearized === false ? 'bad' : o.type === 'info' ? 'unknown' : 'good';
    const title = `${o.process}: ${label}; ${o.type}; ${formatAt(o.invoke)} – ${o.complete === null ? 'unknown outcome' : formatAt(o.complete)}`;
    return `<g class="${cls}" data-testid="proof-op"><title>${escapeHtml(title)}</title><rect x="${x(o.invoke).toFixed(1)}" y="${y}" width="${Math.max(2, x(end) - x(o.invoke)).toFixed(1)}" height="${ROW - 8}"/><text x="${(x(o.invoke) + 3).toFixed(1)}" y="${y + ROW - 11}">${escapeHtml(label)}</text></g>`;
  });
  const rows = processes.map((pr, i) => `<text class="process" x="4" y="${i * ROW + ROW - 7}">${escapeHtml(pr)}</text>`);
  const h = processes.length * ROW + 8;
  return `<div class="proof" data-testid="proof" data-checker="${escapeHtml(p.checker)}"><h3>Proof: ${escapeHtml(p.checker)}${p.key ? ` on key ${escapeHtml(p.key)}` : ''}</h3>
<p class="note">The operations from the last linearizable prefix to the first that cannot be placed (red), ${escapeHtml(formatAt(t0))} – ${escapeHtml(formatAt(t1))}; grey: unknown outcome.</p>
<svg class="proof-timeline" width="${W}" height="${h}" viewBox="0 0 ${W} ${h}" role="img">${rows.join('')}${bars.join('')}</svg></div>`;
}
