// Watch delivery per watch process: rv strictly increasing, no duplicate, no gap over each covered range, nothing invented.
import { z } from 'zod';
import type { History, Op } from '../history/history.ts';
import { clientOps } from '../history/operations.ts';
import { capped, describeOp, isRegisterWrite, isWatchProcess, registerOps, toRv, type RegisterOp, type RegisterValue } from './register-model.ts';
import { safeCheck } from './safe-check.ts';
import { toVerdict } from './verdict.ts';

export type WatchFigures = {
  watches: number;
  events: number;
  resumes: number;
  gone: number;
  gaps: number;
  duplicates: number;
  outOfOrder: number;
  invented: number;
  mismatched: number;
};

const startSchema = z.object({ fromRv: z.string() });
const eventSchema = z.object({ type: z.enum(['ADDED', 'MODIFIED', 'DELETED']), name: z.string(), rv: z.string(), data: z.string().optional() });
type WatchEvent = z.infer<typeof eventSchema> & { n: bigint; time: number };

const EVENT_TYPE: Record<string, WatchEvent['type']> = { create: 'ADDED', update: 'MODIFIED', delete: 'DELETED' };

/** A stretch of revisions the watch must have delivered in full: (from, to]. */
interface Range { from: bigint; to: bigint }

function parse<T>(schema: z.ZodType<T>, op: Op): T {
  const parsed = schema.safeParse(op.value);
  if (!parsed.success) throw new Error(`${op.process} ${op.f} at ${op.time} ms: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'value'}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

/** What a delivered event says about the write it reports, or undefined when they agree. */
function disagreement(e: WatchEvent, w: RegisterOp): string | undefined {
  if (e.name !== w.name) return `name "${e.name}" instead of "${w.name}"`;
  if (e.type !== EVENT_TYPE[w.f]) return `type ${e.type} instead of ${EVENT_TYPE[w.f]}`;
  if (w.f !== 'delete' && e.data !== undefined && w.data !== undefined && e.data !== w.data) return `data ${JSON.stringify(e.data)} instead of ${JSON.stringify(w.data)}`;
  return undefined;
}

/** An unknown write of the event's name could have been given its rv: same kind, data agreeing, rv above its floor. */
const explains = (w: RegisterOp, e: WatchEvent): boolean =>
  w.name === e.name && EVENT_TYPE[w.f] === e.type && e.n > w.floor && (w.data === undefined || e.data === undefined || w.f === 'delete' || w.data === e.data);

interface Context { acked: Map<string, RegisterOp>; unknown: RegisterOp[]; keys: Set<string>; figures: WatchFigures; failures: string[] }

function checkOneWatch(watch: string, ops: Op[], ctx: Context): void {
  const { figures, failures } = ctx;
  const ranges: Range[] = [];
  let current: Range | undefined;
  let floor: bigint | undefined;
  const delivered = new Map<string, WatchEvent>();
  let starts = 0;
  for (const op of ops) {
    if (op.f === 'watch-start') {
      const from = toRv(parse(startSchema, op).fromRv);
      if (starts++ > 0) figures.resumes += 1;
      // A resume from the last rv seen continues the covered range; any other start begins a new one.
      if (!current || current.to !== from) { if (current) ranges.push(current); current = { from, to: from }; }
      floor = from;
      for (const [rv, e] of delivered) if (e.n > from) delivered.delete(rv);
    } else if (op.f === 'watch-event') {
      const parsed = parse(eventSchema, op);
      const e: WatchEvent = { ...parsed, n: toRv(parsed.rv), time: op.time };
      figures.events += 1;
      const twin = delivered.get(e.rv);
      if (twin) {
        figures.duplicates += 1;
        failures.push(`watch ${watch}: rv ${e.rv} delivered twice (${twin.type} "${twin.name}" at ${twin.time} ms, ${e.type} "${e.name}" at ${e.time} ms)`);
      } else if (floor !== undefined && e.n <= floor) {
        figures.outOfOrder += 1;
        failures.push(`watch ${watch}: event ${e.type} "${e.name}" rv ${e.rv} at ${e.time} ms is not above rv ${floor}, the last rv delivered or resumed from`);
      }
      if (!twin) delivered.set(e.rv, e);
      if (floor === undefined || e.n > floor) floor = e.n;
      if (current && e.n > current.to) current.to = e.n;
      judgeEvent(watch, e, ctx);
    } else if (op.f === 'watch-gone' || op.f === 'watch-end') {
      if (op.f === 'watch-gone') figures.gone += 1;
      if (current) ranges.push(current);
      current = undefined;
    }
  }
  if (current) ranges.push(current);
  // Every acknowledged write inside a covered range must have been delivered.
  const seen = new Set(ops.filter((op) => op.f === 'watch-event').map((op) => (op.value as { rv?: string }).rv));
  for (const w of ctx.acked.values()) {
    const n = toRv(w.rv!);
    const range = ranges.find((r) => n > r.from && n <= r.to);
    if (!range || seen.has(w.rv)) continue;
    figures.gaps += 1;
    failures.push(`watch ${watch}: no event for rv ${w.rv}, ${describeOp(w)} on "${w.name}", inside its covered range (${range.from}, ${range.to}]`);
  }
}

/** An event agrees with the acknowledged write of its rv; one with no such write must be a possible unknown write, or not ours. */
function judgeEvent(watch: string, e: WatchEvent, ctx: Context): void {
  const w = ctx.acked.get(e.rv);
  if (w) {
    const wrong = disagreement(e, w);
    if (wrong) {
      ctx.figures.mismatched += 1;
      ctx.failures.push(`watch ${watch}: event rv ${e.rv} at ${e.time} ms has ${wrong} of ${describeOp(w)}`);
    }
  } else if (ctx.keys.has(e.name) && !ctx.unknown.some((u) => explains(u, e))) {
    ctx.figures.invented += 1;
    ctx.failures.push(`watch ${watch}: event ${e.type} "${e.name}" rv ${e.rv} at ${e.time} ms matches no write of "${e.name}" in the history`);
  }
}

function watchCheck(history: History) {
  const byWatch = new Map<string, Op[]>();
  for (const op of history) {
    if (!isWatchProcess(op.process) || !op.f.startsWith('watch-')) continue;
    byWatch.get(String(op.process))?.push(op) ?? byWatch.set(String(op.process), [op]);
  }
  const figures: WatchFigures = { watches: byWatch.size, events: 0, resumes: 0, gone: 0, gaps: 0, duplicates: 0, outOfOrder: 0, invented: 0, mismatched: 0 };
  if (byWatch.size === 0) return toVerdict('watch', figures, [], ['no watch in the history']);
  const writes = registerOps(history).filter(isRegisterWrite);
  const ctx: Context = {
    acked: new Map(writes.filter((w) => w.type === 'ok' && w.rv !== undefined).map((w) => [w.rv!, w])),
    unknown: writes.filter((w) => w.type === 'info' || (w.type === 'ok' && w.rv === undefined)),
    keys: new Set(clientOps(history).filter((op) => isRegisterWrite(op) && !isWatchProcess(op.process)).map((op) => (op.value as RegisterValue).name ?? '')),
    figures,
    failures: [],
  };
  for (const [watch, ops] of [...byWatch].sort(([a], [b]) => a.localeCompare(b))) {
    checkOneWatch(watch, [...ops].sort((a, b) => a.time - b.time), ctx);
  }
  return toVerdict('watch', figures, capped(ctx.failures, 30));
}

export const checkWatch = safeCheck('watch', watchCheck);
