// The settle period's health checks, judged one way for the runner (when to stop checking) and for the recovery checker
// (what the period showed): a check that found something wrong is a break; a check that could not tell (only reads of
// the observer's own failed) is doubt — a short blind spot does not restart the clock, but a long one does, since
// nothing was seen to be healthy in it.

export interface SettleCheck {
  time: number;
  healthy: boolean;
  problems: readonly string[];
  /** Absent in histories from before unreadable reads were told apart (then every unhealthy check has problems). */
  unreadable?: readonly string[];
}

/** Consecutive checks that could not tell before the blind spot counts as a break (3 checks ≈ 6 s at one per 2 s). */
export const MAX_BLIND_CHECKS = 3;

export type SettleBreak = { at: number; problems: string[] };

/**
 * The breaks among `checks` (time order) and when the final healthy streak began: the first healthy check after the
 * last break (the first healthy check when nothing broke); `stableFrom` undefined when no healthy check followed the
 * last break. `unknown` counts the checks that could not tell (pure).
 */
export function judgeSettleChecks(checks: readonly SettleCheck[]): { breaks: SettleBreak[]; unknown: number; stableFrom: number | undefined; lastHealthy: boolean } {
  const breaks: SettleBreak[] = [];
  let blind: SettleCheck[] = [];
  let unknown = 0;
  let stableFrom: number | undefined;
  for (const c of checks) {
    if (c.healthy) {
      stableFrom ??= c.time;
      blind = [];
      continue;
    }
    if (c.problems.length === 0 && (c.unreadable?.length ?? 0) > 0) {
      unknown += 1;
      blind.push(c);
      if (blind.length === MAX_BLIND_CHECKS) {
        breaks.push({ at: blind[0]!.time, problems: [`nothing could be told for ${MAX_BLIND_CHECKS} checks in a row: ${[...new Set(blind.flatMap((b) => b.unreadable ?? []))].join('; ')}`] });
        stableFrom = undefined;
      }
      continue;
    }
    blind = [];
    breaks.push({ at: c.time, problems: c.problems.length ? [...c.problems] : ['unhealthy, no reason recorded'] });
    stableFrom = undefined;
  }
  return { breaks, unknown, stableFrom, lastHealthy: checks.at(-1)?.healthy === true };
}
