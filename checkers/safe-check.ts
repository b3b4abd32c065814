// Wraps a checker so that it never throws: an exception becomes verdict `unknown` with the error as the reason.
import type { Verdict } from '../history/history.ts';

export function safeCheck<A extends unknown[], F>(
  checker: string,
  check: (...args: A) => Verdict<F>,
): (...args: A) => Verdict<Partial<F>> {
  return (...args: A): Verdict<Partial<F>> => {
    try {
      return check(...args);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { checker, verdict: 'unknown', figures: {}, reasons: [`checker threw: ${message}`] };
    }
  };
}
