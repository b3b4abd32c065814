// No lost writes: every acknowledged ConfigMap create is in the last final read; none that surely failed or was deleted is.
import { z } from 'zod';
import type { History } from '../history/history.ts';
import { clientOps, type ClientOp } from '../history/operations.ts';
import { safeCheck } from './safe-check.ts';
import { toVerdict } from './verdict.ts';

export type NoLostWritesFigures = {
  finalReadAt: number | null;
  /** Names that must be present: an ok create not possibly undone by a delete. */
  acknowledged: number;
  present: number;
  lost: string[];
  /** Present, yet every create definitely failed or was surely followed by an ok delete. */
  unexpected: string[];
  /** Neither acknowledged nor surely absent (an unknown create or delete): either way is fine. */
  unknownPresent: number;
  unknownAbsent: number;
};

const finalReadSchema = z.object({ present: z.array(z.string()) });

function lastFinalRead(history: History): { time: number; present: Set<string> } | undefined {
  const reads = history.filter((op) => op.process === 'final' && op.f === 'final-read' && op.type === 'ok');
  const last = reads.reduce<(typeof reads)[number] | undefined>((a, b) => (!a || b.time >= a.time ? b : a), undefined);
  if (!last) return undefined;
  const parsed = finalReadSchema.safeParse(last.value);
  if (!parsed.success) throw new Error(`final-read at ${last.time} ms: value must be { present: string[] }`);
  return { time: last.time, present: new Set(parsed.data.present) };
}

/** An ok create stays acknowledged unless an unknown delete exists (it may take effect any time) or an ok delete may follow it. */
function isAcknowledged(creates: ClientOp[], deletes: ClientOp[]): boolean {
  if (deletes.some((d) => d.type === 'info')) return false;
  return creates.some((c) => c.type === 'ok' && !deletes.some((d) => d.type === 'ok' && d.end > c.start));
}

/** Could the name exist: an unknown create, or an ok create no ok delete surely came after. */
function couldExist(creates: ClientOp[], deletes: ClientOp[]): boolean {
  return creates.some((c) => c.type === 'info' || (c.type === 'ok' && !deletes.some((d) => d.type === 'ok' && d.start >= c.end)));
}

function noLostWrites(history: History) {
  const read = lastFinalRead(history);
  const byName = new Map<string, ClientOp[]>();
  for (const op of clientOps(history).filter((o) => o.f === 'create' || o.f === 'delete')) {
    if (typeof op.value.name === 'string') byName.set(op.value.name, [...(byName.get(op.value.name) ?? []), op]);
  }
  const present = read?.present ?? new Set<string>();
  const figures: NoLostWritesFigures = { finalReadAt: read?.time ?? null, acknowledged: 0, present: present.size, lost: [], unexpected: [], unknownPresent: 0, unknownAbsent: 0 };
  for (const [name, ops] of [...byName].sort(([a], [b]) => a.localeCompare(b))) {
    const creates = ops.filter((op) => op.f === 'create');
    const deletes = ops.filter((op) => op.f === 'delete');
    if (isAcknowledged(creates, deletes)) {
      figures.acknowledged += 1;
      if (!present.has(name)) figures.lost.push(name);
    } else if (creates.length === 0) {
      continue;
    } else if (!couldExist(creates, deletes)) {
      if (present.has(name)) figures.unexpected.push(name);
    } else {
      if (present.has(name)) figures.unknownPresent += 1;
      else figures.unknownAbsent += 1;
    }
  }
  if (!read) return toVerdict('no-lost-writes', figures, [], ['no final-read in the history']);
  const failures = [
    ...(figures.lost.length ? [`${figures.lost.length} of ${figures.acknowledged} acknowledged creates missing from the final read: ${figures.lost.join(', ')}`] : []),
    ...(figures.unexpected.length ? [`${figures.unexpected.length} names present in the final read although their creates definitely failed or were deleted: ${figures.unexpected.join(', ')}`] : []),
  ];
  return toVerdict('no-lost-writes', figures, failures);
}

export const checkNoLostWrites = safeCheck('no-lost-writes', noLostWrites);
