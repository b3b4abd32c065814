// At most `max` holders per key at once; the rest wait in arrival order. Each holder must release (try/finally).
export class KeyedLimit {
  readonly #running = new Map<string, number>();
  readonly #waiting = new Map<string, Array<() => void>>();

  constructor(private readonly max: number) {
    if (!(Number.isInteger(max) && max > 0)) throw new Error(`max: must be a positive integer, got ${max}`);
  }

  /** Runs `work` once one of the key's places is free, and frees it after. */
  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    await this.#acquire(key);
    try {
      return await work();
    } finally {
      this.#release(key);
    }
  }

  /** Holders of the key right now (for tests and logs). */
  running(key: string): number {
    return this.#running.get(key) ?? 0;
  }

  async #acquire(key: string): Promise<void> {
    const running = this.running(key);
    if (running < this.max) {
      this.#running.set(key, running + 1);
      return;
    }
    await new Promise<void>((resolve) => this.#waiting.set(key, [...(this.#waiting.get(key) ?? []), resolve]));
  }

  #release(key: string): void {
    const next = this.#waiting.get(key)?.shift();
    if (next) next(); // the place passes on as it is
    else this.#running.set(key, this.running(key) - 1);
  }
}
