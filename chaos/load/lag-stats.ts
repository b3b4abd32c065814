// The generator's lag: how long after its scheduled time each arrival was taken up (a stalled loop shows here).

export interface LagSummary {
  /** Arrivals scheduled (each recorded as one invoke). */
  scheduled: number;
  /** Arrivals whose request went out (the others failed `client-saturated`). */
  issued: number;
  /** 99th percentile (nearest rank) of (taken up − scheduled), ms; 0 without arrivals. */
  lagP99Ms: number;
  /** Arrivals taken up more than 100 ms after their scheduled time. */
  lagOver100Ms: number;
}

/** Nearest-rank percentile of ascending `sorted` (0 for an empty list). */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export class LagStats {
  private readonly lags: number[] = [];
  private issuedCount = 0;
  private over100 = 0;

  add(lagMs: number, issued: boolean): void {
    const lag = Math.max(0, lagMs);
    this.lags.push(lag);
    if (lag > 100) this.over100++;
    if (issued) this.issuedCount++;
  }

  /** Sorts every lag seen (at most MAX_REQUESTS): ask at the end of a run or now and then, not per arrival. */
  summary(): LagSummary {
    const sorted = Float64Array.from(this.lags).sort();
    return {
      scheduled: this.lags.length,
      issued: this.issuedCount,
      lagP99Ms: Math.round(percentile(sorted, 99) * 1000) / 1000,
      lagOver100Ms: this.over100,
    };
  }
}
