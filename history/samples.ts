// Observer samples (etcd members, lease holders) in time order, their shape checked with zod.
import { z } from 'zod';
import type { EtcdSample, History, LeasesSample } from './history.ts';
import { issuesText } from '../core/zod-error.ts';

export interface Sample<T> {
  time: number;
  value: T;
}

/** Leases every control plane must hold; JSON drops `undefined` holders, so a missing key means "no holder". */
export const LEASE_NAMES = ['kube-scheduler', 'kube-controller-manager'] as const;

const etcdSchema = z.object({
  members: z.array(z.object({ name: z.string(), healthy: z.boolean(), isLeader: z.boolean(), hash: z.string().optional(), term: z.number().optional(), answered: z.boolean().optional() })),
  unknown: z.boolean().optional(),
  askedAt: z.number().optional(),
});
const leasesSchema = z.object({ holders: z.record(z.string(), z.string().nullish()), claims: z.record(z.string(), z.array(z.string())).optional(), unelected: z.record(z.string(), z.array(z.string())).optional(), notStarted: z.record(z.string(), z.array(z.string())).optional() });

function observerSamples<T>(history: History, f: string, schema: z.ZodType<T>): Array<Sample<T>> {
  return history
    .filter((op) => op.process === 'observer' && op.f === f)
    .sort((a, b) => a.time - b.time)
    .map((op) => {
      const parsed = schema.safeParse(op.value);
      if (!parsed.success) {
        const issues = issuesText(parsed.error);
        throw new Error(`observer ${f} sample at ${op.time} ms: ${issues}`);
      }
      return { time: op.time, value: parsed.data };
    });
}

export const etcdSamples = (history: History): Array<Sample<EtcdSample>> => observerSamples(history, 'etcd', etcdSchema);

export const leasesSamples = (history: History): Array<Sample<LeasesSample>> =>
  observerSamples(history, 'leases', leasesSchema).map((s) => ({
    time: s.time,
    value: { holders: Object.fromEntries(Object.entries(s.value.holders).map(([k, v]) => [k, v || undefined])), ...(s.value.claims ? { claims: s.value.claims } : {}), ...(s.value.unelected ? { unelected: s.value.unelected } : {}), ...(s.value.notStarted ? { notStarted: s.value.notStarted } : {}) },
  }));

export const leaderCount = (s: EtcdSample): number => s.members.filter((m) => m.isLeader).length;
export const leaders = (s: EtcdSample): string[] => s.members.filter((m) => m.isLeader).map((m) => m.name);
export const hasQuorum = (s: EtcdSample): boolean => s.members.filter((m) => m.healthy).length > s.members.length / 2;
/** Quorum as a sample tells it: undefined when the observer could not read the cluster at all. */
export const quorumOf = (s: EtcdSample): boolean | undefined => (s.unknown ? undefined : hasQuorum(s));

/**
 * A sample whose calls took longer than this mixes states: `endpoint health` may have answered before a fault and
 * `endpoint status` after it (seen: a 6 s sample calling a killed member healthy). It is no point-in-time view.
 */
export const MAX_SAMPLE_SPAN_MS = 3_000;
export const spansTooLong = (s: Sample<EtcdSample>): boolean => s.value.askedAt !== undefined && s.time - s.value.askedAt > MAX_SAMPLE_SPAN_MS;

/** Every member healthy and, when every member reports a hash, all hashes equal. */
export function isEtcdHealthy(s: EtcdSample): boolean {
  const hashes = s.members.map((m) => m.hash);
  const hashesAgree = hashes.some((h) => h === undefined) || new Set(hashes).size === 1;
  return s.members.length > 0 && s.members.every((m) => m.healthy) && hashesAgree;
}

/** The leases expected: the well-known ones plus any other seen in the samples. */
export const leaseNames = (samples: ReadonlyArray<Sample<LeasesSample>>): string[] => [
  ...new Set([...LEASE_NAMES, ...samples.flatMap((s) => Object.keys(s.value.holders))]),
];

export const leasesWithoutHolder = (s: LeasesSample, names: readonly string[]): string[] => names.filter((n) => !s.holders[n]);
