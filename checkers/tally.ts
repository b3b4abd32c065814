// Counts client operation outcomes: ok, fail, info, and the error rate (not ok ÷ total; null when there are none).
import type { ClientOp } from '../history/operations.ts';

export type Tally = { total: number; ok: number; fail: number; info: number; errorRate: number | null };

export function tally(ops: readonly ClientOp[]): Tally {
  const count = (type: ClientOp['type']): number => ops.filter((op) => op.type === type).length;
  const total = ops.length;
  const ok = count('ok');
  return { total, ok, fail: count('fail'), info: count('info'), errorRate: total === 0 ? null : (total - ok) / total };
}

export function tallyBy(ops: readonly ClientOp[], key: (op: ClientOp) => string): Record<string, Tally> {
  const groups = new Map<string, ClientOp[]>();
  for (const op of ops) groups.set(key(op), [...(groups.get(key(op)) ?? []), op]);
  return Object.fromEntries([...groups].map(([k, group]) => [k, tally(group)]));
}
