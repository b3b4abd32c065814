// What the open-model load is pointed at, its mix and options: defaults and checks in one place.

export interface LoadTarget {
  ip: string;
  port: number;
  servername: string;
  ca: Buffer;
  token: string;
  namespace: string;
}

/** Requests per second for each kind of request; `readyzNew` uses a fresh connection per request. */
export interface LoadMix {
  readyz: number;
  readyzNew: number;
  get: number;
  list: number;
  create: number;
  update: number;
  delete: number;
}
export type ArrivalKind = keyof LoadMix;

export const DEFAULT_MIX: LoadMix = { readyz: 10, readyzNew: 5, get: 5, list: 5, create: 10, update: 5, delete: 2 };
export const REQUEST_TIMEOUT_MS = 2_000;
/** A hard bound on the scheduled arrivals of one load, whatever its duration. */
export const MAX_REQUESTS = 100_000;

export interface LoadOptions {
  /** Keys `hot-0` … `hot-<n-1>`, created by the first arrivals, then read and updated (CAS) by gets and updates. */
  hotKeys?: number;
  /** Seeds key choice (one random source per stream), so the same seed and the same answers replay the same ops. */
  seed?: number;
  /** Names the target in every op's `value.via` (and in the written values): 'vip', or e.g. an apiserver's name. */
  via?: string;
  /** Run the scheduler and its HTTP in a worker thread (a stalled main event loop then cannot delay arrivals). */
  worker?: boolean;
  /** Requests in flight at most; an arrival beyond it is recorded as failed with error `client-saturated`. */
  maxInFlight?: number;
}

export type ResolvedLoadOptions = Required<LoadOptions>;

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** A value as received, readable in an error (JSON would show NaN as null). */
const shown = (v: unknown): string => (typeof v === 'number' ? String(v) : JSON.stringify(v));

function integer(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new Error(`load option ${name}: must be an integer from ${min} to ${max}, got ${shown(value)}`);
  }
  return value;
}

/** Fills in the defaults and rejects bad values, naming the option and the value received. */
export function resolveLoadOptions(o: LoadOptions = {}): ResolvedLoadOptions {
  const via = o.via ?? 'vip';
  if (typeof via !== 'string' || via.length > 40 || !DNS_LABEL.test(via)) throw new Error(`load option via: must be a DNS label of at most 40 characters, got ${shown(via)}`);
  if (o.worker !== undefined && typeof o.worker !== 'boolean') throw new Error(`load option worker: must be a boolean, got ${shown(o.worker)}`);
  return {
    hotKeys: integer('hotKeys', o.hotKeys ?? 20, 0, 1_000),
    seed: integer('seed', o.seed ?? 1, 0, 2 ** 32 - 1),
    via,
    worker: o.worker ?? true,
    maxInFlight: integer('maxInFlight', o.maxInFlight ?? 256, 1, 10_000),
  };
}

/** Rejects a rate that is not a finite number ≥ 0 (a NaN would schedule nothing, silently). */
export function checkMix(mix: LoadMix): LoadMix {
  for (const [kind, rate] of Object.entries(mix)) {
    if (typeof rate !== 'number' || !Number.isFinite(rate) || rate < 0) throw new Error(`load mix ${kind}: must be a rate ≥ 0 per second, got ${shown(rate)}`);
  }
  return mix;
}
