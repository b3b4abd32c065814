// Builds a checker's verdict: any failure → fail, else any doubt → unknown, else pass.
import type { Verdict, VerdictValue } from '../history/verdict.ts';

export type { VerdictValue };

export function toVerdict<F>(checker: string, figures: F, failures: string[], doubts: string[] = []): Verdict<F> {
  const verdict: VerdictValue = failures.length > 0 ? 'fail' : doubts.length > 0 ? 'unknown' : 'pass';
  return { checker, verdict, figures, reasons: [...failures, ...doubts] };
}

export { overallVerdict } from '../history/verdict.ts';
