// The recording client: writes uniquely named ConfigMaps with @kubernetes/client-node at a fixed arrival rate and
// records each write, so acknowledged writes can be read back after the faults (the ledger is the history itself).
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import type { HistoryRecorder } from '../../history/history.ts';
import { classify } from './classify.ts';
import { withTimeout } from '../../core/with-timeout.ts';
import { REQUEST_TIMEOUT_MS } from './open-model.ts';

export const LEDGER_PREFIX = 'ledger-';
/** A hard bound on the writes of one run, whatever its duration. */
const MAX_WRITES = 20_000;

export class LedgerWriter {
  private readonly core: CoreV1Api;
  private stopped = false;
  private n = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly pending = new Set<Promise<void>>();

  constructor(kubeconfig: string, private readonly namespace: string, private readonly history: HistoryRecorder, private readonly ratePerSecond = 5) {
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfig);
    this.core = kc.makeApiClient(CoreV1Api);
  }

  start(durationMs: number): void {
    const deadline = Date.now() + durationMs;
    const t0 = performance.now();
    const interval = 1000 / this.ratePerSecond;
    const tick = (): void => {
      if (this.stopped || Date.now() > deadline) return;
      while (t0 + this.n * interval <= performance.now() && this.n < MAX_WRITES) {
        this.n++;
        const p = this.write(`${LEDGER_PREFIX}${this.n}`).finally(() => this.pending.delete(p));
        this.pending.add(p);
      }
      this.timer = setTimeout(tick, Math.max(1, t0 + this.n * interval - performance.now()));
    };
    tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await Promise.allSettled([...this.pending]);
  }

  private async write(name: string): Promise<void> {
    const process = `ledger-${name}`;
    this.history.record({ type: 'invoke', process, f: 'create', value: { name, conn: 'reused' } });
    const call = this.core.createNamespacedConfigMap({ namespace: this.namespace, body: { metadata: { name }, data: { written: new Date().toISOString() } } })
      .then(() => ({ status: 201 }))
      .catch((e: { code?: number | string; cause?: { code?: string } }) => (typeof e.code === 'number' ? { status: e.code } : { errorCode: String(e.cause?.code ?? e.code ?? 'ERROR') }));
    // A write still pending at the timeout may yet happen: recorded as unknown outcome (classify → info).
    const r: { status?: number; errorCode?: string } = await withTimeout(call, REQUEST_TIMEOUT_MS, name).catch(() => ({ errorCode: 'ETIMEDOUT' }));
    const type = classify(true, r);
    this.history.record({ type, process, f: 'create', value: { name, conn: 'reused', status: r.status }, ...(type === 'ok' ? {} : { error: r.errorCode ?? `http ${r.status}` }) });
  }
}
