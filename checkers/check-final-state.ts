// Final state after recovery: every key read through each apiserver directly and from etcd must agree, and the state
// they agree on must be one the history allows (acknowledged creates present unless deleted, the last acknowledged
// update's value or a later unknown one). The second part appends the final reads to the history as reads after
// everything and asks the linearizability checker; it is judged only when the history alone is linearizable.
import type { History, Op } from '../history/history.ts';
import { checkLinearizable } from './check-linearizable.ts';
import { registerOps } from './register-model.ts';
import { safeCheck } from './safe-check.ts';
import { toVerdict } from './verdict.ts';

interface Item { name: string; rv: string; data?: string }

export type FinalStateFigures = {
  /** Where the final state was read (apiserver task names, `etcd`) and how many keys each returned. */
  views: Record<string, number>;
  failedViews: string[];
  disagreements: number;
  /** Keys of the load's history the final state was judged on. */
  keysJudged: number;
};

function finalViews(history: History): { views: Map<string, Map<string, Item>>; failed: string[]; at: number } {
  const views = new Map<string, Map<string, Item>>();
  const failed: string[] = [];
  let at = 0;
  for (const op of history.filter((o) => o.f === 'final-state' && o.type !== 'invoke')) {
    const v = (op.value ?? {}) as { via?: string; items?: Item[] };
    const via = v.via ?? String(op.process);
    at = Math.max(at, op.time);
    if (op.type === 'ok' && Array.isArray(v.items)) views.set(via, new Map(v.items.map((i) => [i.name, i])));
    else failed.push(via);
  }
  return { views, failed, at };
}

/** Disagreeing keys named per view; the rest are counted. */
const SHOWN = 5;

function finalState(history: History) {
  const { views, failed, at } = finalViews(history);
  const figures: FinalStateFigures = { views: Object.fromEntries([...views].map(([via, items]) => [via, items.size])), failedViews: failed, disagreements: 0, keysJudged: 0 };
  if (views.size === 0) return toVerdict('final-state', figures, [], ['no final state was read']);
  const failures: string[] = [];
  const doubts = failed.map((via) => `the final state could not be read through ${via}`);
  // 1. All views agree: the same keys with the same resourceVersion (and value where both know it).
  // The reference is etcd: the one view of older histories, else the first member read.
  const [refVia, ref] = [...views].find(([via]) => via === 'etcd') ?? [...views].sort(([a], [b]) => a.localeCompare(b)).find(([via]) => /^etcd-\d+$/.test(via)) ?? [...views][0]!;
  const show = (i: Item | undefined) => (i ? `rv ${i.rv}${i.data !== undefined ? ` data ${JSON.stringify(i.data)}` : ''}` : 'absent');
  for (const [via, items] of views) {
    if (via === refVia) continue;
    const differing: string[] = [];
    for (const name of [...new Set([...ref.keys(), ...items.keys()])].sort()) {
      const a = ref.get(name);
      const b = items.get(name);
      const differ = !a || !b || a.rv !== b.rv || (a.data !== undefined && b.data !== undefined && a.data !== b.data);
      if (differ) differing.push(`${name}: ${refVia} has ${show(a)}, ${via} has ${show(b)}`);
    }
    figures.disagreements += differing.length;
    // One reason per view, its first few keys in words: a split store disagrees on hundreds.
    if (differing.length) failures.push(`${via} disagrees with ${refVia} on ${differing.length} key(s) — ${differing.slice(0, SHOWN).join('; ')}${differing.length > SHOWN ? `; … ${differing.length - SHOWN} more` : ''}`);
  }
  // 2. The agreed state is one the history allows: final reads appended as gets after everything.
  const keys = [...new Set(registerOps(history).map((op) => op.name))];
  figures.keysJudged = keys.length;
  const base = checkLinearizable(history);
  if (base.verdict !== 'pass') return toVerdict('final-state', figures, failures, [...doubts, `the history itself is ${base.verdict} for linearizability, so whether the final state is allowed is not judged here`]);
  const reads: Op[] = keys.flatMap((name, i) => {
    const item = ref.get(name);
    const process = `finalread:${refVia}:${name}`;
    const time = at + 1 + i * 0.001;
    return [
      { type: 'invoke', process, f: 'get', value: { name, via: refVia }, time },
      item
        ? { type: 'ok', process, f: 'get', value: { name, via: refVia, status: 200, rv: item.rv, ...(item.data !== undefined ? { data: item.data } : {}) }, time: time + 0.0005 }
        : { type: 'fail', process, f: 'get', value: { name, via: refVia, status: 404 }, time: time + 0.0005, error: 'http 404' },
    ] as Op[];
  });
  const withFinal = checkLinearizable([...history, ...reads]);
  if (withFinal.verdict === 'fail') failures.push(...withFinal.reasons.map((r) => `final state (${refVia}) not allowed by the history: ${r}`));
  else if (withFinal.verdict === 'unknown') doubts.push(...withFinal.reasons);
  return toVerdict('final-state', figures, failures, doubts);
}

export const checkFinalState = safeCheck('final-state', finalState);
