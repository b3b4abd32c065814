// The verdict every checker returns, and the one rule that combines verdicts (scenario and run level alike).
export type VerdictValue = 'pass' | 'fail' | 'unknown';

/** A checker's result. A checker that throws yields `unknown`, never `pass`. */
export interface Verdict<F = Record<string, unknown>> {
  checker: string;
  verdict: VerdictValue;
  figures: F;
  reasons: string[];
}

/** fail if any verdict fails, else unknown if any is unknown — or if there is none at all — else pass. */
export function overallVerdict(verdicts: ReadonlyArray<{ verdict: VerdictValue }>): VerdictValue {
  if (verdicts.some((v) => v.verdict === 'fail')) return 'fail';
  if (verdicts.length === 0 || verdicts.some((v) => v.verdict === 'unknown')) return 'unknown';
  return 'pass';
}
