// Builds verdicts: any failure → fail, else any doubt → unknown, else pass; and combines several verdicts into one.
import type { Verdict } from '../history/history.ts';

export type VerdictValue = Verdict['verdict'];

export function toVerdict<F>(checker: string, figures: F, failures: string[], doubts: string[] = []): Verdict<F> {
  const verdict: VerdictValue = failures.length > 0 ? 'fail' : doubts.length > 0 ? 'unknown' : 'pass';
  return { checker, verdict, figures, reasons: [...failures, ...doubts] };
}

/** fail if any verdict fails, else unknown if any is unknown — or if there is none at all — else pass. */
export function overallVerdict(verdicts: ReadonlyArray<{ verdict: VerdictValue }>): VerdictValue {
  if (verdicts.some((v) => v.verdict === 'fail')) return 'fail';
  if (verdicts.length === 0 || verdicts.some((v) => v.verdict === 'unknown')) return 'unknown';
  return 'pass';
}
