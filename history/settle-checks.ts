// The settle period's health checks, judged one way for the runner (when to stop checking) and for the recovery checker
// (what the period showed): a check that found something wrong is a break; a check that could not tell (only reads of
// the observer's own failed) is doubt — a short blind spot does not restart the clock, but a long one does, since
// nothing was seen to be healthy in it.

export interface SettleCheck {
  /** When the check's answer was in. */
  time: number;
  /** When the check began (a check can take seconds); absent in older histories (then `time`). */
  askedAt?: number;
  healthy: boolean;
  problems: readonly string[];
  /** Absent in histories from before unreadable reads were told apart (then every unhealthy check has problems). */
  unreadable?: readonly string[];
}

/** Consecutive checks that could not tell before the blind spot counts as a break (3 checks ≈ 6 s at one per 2 s)… */
export const MAX_BLIND_CHECKS = 3;
/** …or this long without a check that could tell, however few checks that took (one check can take 30 s). */
export const MAX_BLIND_MS = 6_000;

export type SettleBreak = { at: number; problems: string[] };

/**
 * The breaks among `checks` (time order) and when the final healthy streak began: the first healthy check after the
 * last break (the first healthy check when nothing broke); `stableFrom` undefined when no healthy check followed the
 * last break. `unknown` counts the checks that could not tell (pure).
 */
export function judgeSettleChecks(checks: readonly SettleCheck[]): { breaks: SettleBreak[]; unknown: number; stableFrom: number | undefined; lastHealthy: boolean } {
  const breaks: SettleBreak[] = [];
  let blind: SettleCheck[] = [];
  /** Since when nothing could be told: the last check that could, else the first check's start. */
  let seenAt: number | undefined = checks[0] ? checks[0].askedAt ?? checks[0].time : undefined;
  let unknown = 0;
  let stableFrom: number | undefined;
  for (const c of checks) {
    if (c.healthy) {
      stableFrom ??= c.time;
      blind = [];
      seenAt = c.time;
      continue;
    }
    if (c.problems.length === 0 && (c.unreadable?.length ?? 0) > 0) {
      unknown += 1;
      blind.push(c);
      const blindMs = c.time - (seenAt ?? c.time);
      if (stableFrom !== undefined && (blind.length === MAX_BLIND_CHECKS || blindMs > MAX_BLIND_MS)) {
        breaks.push({ at: blind[0]!.time, problems: [`nothing could be told for ${blind.length} checks (${Math.round(blindMs)} ms): ${[...new Set(blind.flatMap((b) => b.unreadable ?? []))].join('; ')}`] });
        stableFrom = undefined;
        blind = [];
        seenAt = c.time;
      }
      continue;
    }
    blind = [];
    seenAt = c.time;
    breaks.push({ at: c.time, problems: c.problems.length ? [...c.problems] : ['unhealthy, no reason recorded'] });
    stableFrom = undefined;
  }
  return { breaks, unknown, stableFrom, lastHealthy: checks.at(-1)?.healthy === true };
}
