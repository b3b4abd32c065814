// Reads the figures the report shows out of stored verdicts (pure); a missing checker or figure gives null.
import { z } from 'zod';
import type { StoredVerdict } from '../../history/run-files.ts';
import { issuesText } from '../../core/zod-error.ts';

const ms = z.number().nullable();
const downtimeSchema = z.object({ start: z.number(), end: z.number(), lengthMs: z.number() });

const availabilitySchema = z.looseObject({
  availabilityPct: z.number(),
  longestDowntimeMs: z.number(),
  windowMs: z.number(),
  downtime: z.array(downtimeSchema),
}).partial();
const recoverySchema = z.looseObject({ from: z.string(), reference: ms, recoveryMs: ms, msToFirstOk: ms, msToEtcdHealthy: ms, msToLeaseTakeover: ms }).partial();
const noLostWritesSchema = z.looseObject({ acknowledged: z.number(), lost: z.array(z.string()) }).partial();
const quorumLossSchema = z.looseObject({ lengthMs: ms }).partial();

export type Downtime = z.infer<typeof downtimeSchema>;

export interface StoredFigures {
  availabilityPct: number | null;
  longestDowntimeMs: number | null;
  /** Window width the availability checker judged downtime on. */
  downtimeWindowMs: number | null;
  downtime: Downtime[] | null;
  recoveryMs: number | null;
  recoveryFrom: string | null;
  msToFirstOk: number | null;
  msToEtcdHealthy: number | null;
  acknowledgedWrites: number | null;
  lostWrites: string[] | null;
  quorumLossMs: number | null;
}

function figuresOf<T>(verdicts: readonly StoredVerdict[], checker: string, schema: z.ZodType<T>): T | undefined {
  const v = verdicts.find((x) => x.checker === checker);
  if (!v) return undefined;
  const parsed = schema.safeParse(v.figures);
  if (!parsed.success) throw new Error(`${checker} figures: ${issuesText(parsed.error)}`);
  return parsed.data;
}

export function storedFigures(verdicts: readonly StoredVerdict[]): StoredFigures {
  const a = figuresOf(verdicts, 'availability', availabilitySchema);
  const r = figuresOf(verdicts, 'recovery', recoverySchema);
  const w = figuresOf(verdicts, 'no-lost-writes', noLostWritesSchema);
  const q = figuresOf(verdicts, 'quorum-loss', quorumLossSchema);
  return {
    availabilityPct: a?.availabilityPct ?? null,
    longestDowntimeMs: a?.longestDowntimeMs ?? null,
    downtimeWindowMs: a?.windowMs ?? null,
    downtime: a?.downtime ?? null,
    recoveryMs: r?.recoveryMs ?? null,
    recoveryFrom: r?.from ?? null,
    msToFirstOk: r?.msToFirstOk ?? null,
    msToEtcdHealthy: r?.msToEtcdHealthy ?? null,
    acknowledgedWrites: w?.acknowledged ?? null,
    lostWrites: w?.lost ?? null,
    quorumLossMs: q?.lengthMs ?? null,
  };
}
