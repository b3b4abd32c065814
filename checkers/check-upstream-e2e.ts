// Did the upstream Kubernetes e2e suite stay green while this scenario ran? The specs (`e2e.test`, run through the
// VIP beside haproof's own load: chaos/upstream-e2e/phases.ts) are placed on the scenario's clock; every spec that ran
// while the scenario did is judged, and each failure is named with its time and whether it fell in the fault window
// (fault start to the end of the settle period) or outside it, where the cluster was healthy. Pure.
import type { History } from '../history/history.ts';
import type { ScenarioUpstream } from '../history/upstream-files.ts';
import { faultSpan } from '../history/operations.ts';
import type { Verdict } from '../history/verdict.ts';

export type UpstreamFigures = {
  judged: number;
  passed: number;
  failed: number;
  /** Specs that overlapped the fault window (fault start → settled). */
  duringFault: number;
  failedDuringFault: number;
};

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export function checkUpstreamE2e(history: History, upstream: ScenarioUpstream): Verdict<UpstreamFigures> {
  // The fault window of this verdict runs until the cluster had stayed healthy for the settle period (or the history ends).
  const { from, to, end } = faultSpan(history);
  const judged = upstream.specs.filter((s) => s.end >= 0 && s.start <= end);
  const inFault = (s: { start: number; end: number }) => from !== undefined && s.start <= to && s.end >= from;
  const failed = judged.filter((s) => s.outcome === 'failed');
  const figures: UpstreamFigures = {
    judged: judged.length, passed: judged.length - failed.length, failed: failed.length,
    duringFault: judged.filter(inFault).length, failedDuringFault: failed.filter(inFault).length,
  };
  const reasons = failed.map((s) => {
    const at = s.failedAt ?? s.end;
    const where = inFault(s) && from !== undefined ? `during the fault (fault start ${at >= from ? '+' : ''}${seconds(at - from)})` : 'outside the fault window, on a healthy cluster';
    return `${s.name} failed at ${seconds(at)} ${where}: ${s.message ?? 'no message'}`;
  });
  if (failed.length) return { checker: 'upstream-e2e', verdict: 'fail', figures, reasons };
  if (!upstream.complete) return { checker: 'upstream-e2e', verdict: 'unknown', figures, reasons: [`the upstream suite did not finish cleanly: ${upstream.problems.join('; ') || 'no reason given'}`] };
  if (from === undefined) return { checker: 'upstream-e2e', verdict: 'unknown', figures, reasons: ['no fault window in the history: nothing ran during a fault'] };
  if (figures.duringFault === 0) return { checker: 'upstream-e2e', verdict: 'unknown', figures, reasons: ['no upstream spec ran during the fault window: the suite judged nothing of it'] };
  return { checker: 'upstream-e2e', verdict: 'pass', figures, reasons: [] };
}
