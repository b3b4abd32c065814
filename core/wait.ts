// Waits for a condition (never a bare sleep), reporting what it is still waiting for.

export class WaitTimeout extends Error {
  override name = 'WaitTimeout';
}

/** Polls `check` until it returns a value other than undefined; `check` may return a string explaining the wait. */
export async function waitFor<T>(what: string, check: () => Promise<T | { waiting: string }>, timeoutMs: number, log?: (line: string) => void, intervalMs = 250): Promise<T> {
  const started = Date.now();
  let lastReason = '';
  let lastLog = started;
  for (;;) {
    let outcome: T | { waiting: string };
    try {
      outcome = await check();
    } catch (e) {
      outcome = { waiting: (e as Error).message.split('\n')[0] ?? String(e) };
    }
    if (!(outcome && typeof outcome === 'object' && 'waiting' in outcome)) return outcome;
    lastReason = outcome.waiting;
    if (Date.now() - started > timeoutMs) throw new WaitTimeout(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}: ${lastReason}`);
    if (log && Date.now() - lastLog > 5_000) {
      lastLog = Date.now();
      log(`  … still waiting for ${what} (${Math.round((Date.now() - started) / 1000)} s): ${lastReason}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
