// The fault ledger: before a fault touches anything, what it is and where (target, fault, params) is written to a file
// outside any run directory; once the fault has taken effect, how to undo it (its injection); after a confirmed heal,
// the entry goes. A runner that dies (SIGKILL, OOM, a CI timeout) leaves its entries behind, and `haproof heal` — or
// the next `haproof run` — undoes them.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { describeZodError } from '../../core/zod-error.ts';
import type { TargetRef } from '../../targets/cluster.ts';
import type { Injection } from './fault.ts';

/** `$HAPROOF_FAULT_LEDGER`, else `~/.local/state/haproof/fault-ledger.json`: per user, outside every checkout and run. */
export const ledgerPath = (): string => process.env['HAPROOF_FAULT_LEDGER'] ?? join(homedir(), '.local', 'state', 'haproof', 'fault-ledger.json');

const entrySchema = z.strictObject({
  id: z.string(),
  target: z.union([z.strictObject({ kind: z.literal('testbed'), instance: z.string().optional() }), z.strictObject({ kind: z.literal('dcos'), file: z.string().optional() })]),
  cluster: z.string(),
  fault: z.string(),
  params: z.unknown(),
  scenario: z.string().optional(),
  runnerPid: z.number().int(),
  startedAt: z.string(),
  /** Present once the inject returned: what heal needs. Absent: the runner died inside the inject. */
  injection: z.strictObject({ fault: z.string(), targets: z.array(z.string()), undo: z.unknown().optional() }).optional(),
});
export type LedgerEntry = z.infer<typeof entrySchema>;
const ledgerSchema = z.strictObject({ version: z.literal(1), entries: z.array(entrySchema) });

export class FaultLedger {
  constructor(readonly file: string = ledgerPath()) {}

  /** Every entry left; a ledger that cannot be read is an error naming the file (never silently empty). */
  entries(): LedgerEntry[] {
    if (!existsSync(this.file)) return [];
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(this.file, 'utf8'));
    } catch (e) {
      throw new Error(`fault ledger ${this.file}: not JSON (${(e as Error).message}); move it away once its faults are undone by hand`);
    }
    const parsed = ledgerSchema.safeParse(json);
    if (!parsed.success) throw new Error(describeZodError(parsed.error, `fault ledger ${this.file}:`, json));
    return parsed.data.entries;
  }

  /** Records a fault about to be injected; returns its id. */
  begin(e: { target: TargetRef; cluster: string; fault: string; params: unknown; scenario?: string }): string {
    const id = `${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
    this.write([...this.entries(), { id, ...e, target: e.target.kind === 'dcos' ? { kind: 'dcos', ...(e.target.file ? { file: e.target.file } : {}) } : { kind: 'testbed', ...(e.target.instance ? { instance: e.target.instance } : {}) }, runnerPid: process.pid, startedAt: new Date().toISOString() }]);
    return id;
  }

  /** The fault took effect: how to undo it. */
  injected(id: string, injection: Injection): void {
    this.write(this.entries().map((x) => (x.id === id ? { ...x, injection: { fault: injection.fault, targets: injection.targets, ...(injection.undo !== undefined ? { undo: injection.undo } : {}) } } : x)));
  }

  /** The heal was confirmed: the entry goes. */
  healed(id: string): void {
    this.write(this.entries().filter((x) => x.id !== id));
  }

  private write(entries: LedgerEntry[]): void {
    mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ version: 1, entries }, null, 2), { mode: 0o600 });
    renameSync(tmp, this.file);
  }
}
