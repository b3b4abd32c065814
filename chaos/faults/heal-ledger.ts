// `haproof heal`: undoes every fault an earlier runner left in the ledger — with the fault's own heal when its
// injection was recorded, else every kind of fault on every host — and removes each entry once its heal returned.
import type { Cluster, TargetRef } from '../../targets/cluster.ts';
import type { Fault } from './fault.ts';
import { FaultLedger, type LedgerEntry } from './fault-ledger.ts';
import { FAULTS } from './registry.ts';
import { resetAllFaults } from './reset-all.ts';

export interface HealOutcome { found: number; healed: LedgerEntry[]; failed: Array<{ entry: LedgerEntry; error: string }> }

export function describeEntry(e: LedgerEntry): string {
  const what = e.injection ? `${e.injection.fault} on ${e.injection.targets.join(', ') || 'no target'}` : `${e.fault} (the runner died inside its inject: every kind of fault is undone everywhere)`;
  return `${what} — ${e.scenario ? `scenario ${e.scenario}, ` : ''}${e.cluster} on the ${e.target.kind} target, left by pid ${e.runnerPid} at ${e.startedAt}`;
}

export async function healLedger(ledger: FaultLedger, connect: (ref: TargetRef) => Promise<Cluster>, log: (line: string) => void, pick: (e: LedgerEntry) => boolean = () => true): Promise<HealOutcome> {
  const entries = ledger.entries().filter(pick);
  const out: HealOutcome = { found: entries.length, healed: [], failed: [] };
  const clusters = new Map<string, Promise<Cluster>>();
  try {
    for (const e of entries) {
      const key = JSON.stringify(e.target);
      if (!clusters.has(key)) clusters.set(key, connect(e.target));
      try {
        const cluster = await clusters.get(key)!;
        const ctx = { cluster, random: () => 0.5, log };
        const fault = FAULTS[e.fault as keyof typeof FAULTS] as Fault<unknown> | undefined;
        if (e.injection && fault) await fault.heal(ctx, e.injection);
        else await resetAllFaults(cluster, log);
        ledger.healed(e.id);
        out.healed.push(e);
        log(`healed: ${describeEntry(e)}`);
      } catch (err) {
        out.failed.push({ entry: e, error: (err as Error).message });
        log(`NOT healed (kept in the ledger): ${describeEntry(e)}: ${(err as Error).message}`);
      }
    }
  } finally {
    for (const c of clusters.values()) await c.then((x) => x.close(), () => undefined);
  }
  return out;
}
