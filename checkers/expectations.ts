// What a scenario expects, parsed once with zod: each key names a checker and holds its options.
import { z } from 'zod';

const ms = z.number().nonnegative();
const count = z.number().int().nonnegative();

const classSlo = z.strictObject({ minAvailabilityPct: z.number().min(0).max(100).optional(), maxDowntimeMs: ms.optional(), maxMsToLastFailure: ms.optional() });
const windowsSlo = z.strictObject({ fault: classSlo.optional(), recovery: classSlo.optional(), settle: classSlo.optional() });

export const availabilityOptionsSchema = z.strictObject({
  /** Per operation class, in the fault window, the recovery window (heal → recovered) and the settle window (recovered → settled). */
  classes: z.strictObject({ reads: windowsSlo.optional(), writes: windowsSlo.optional(), readyz: windowsSlo.optional() }).optional(),
  windowMs: z.number().positive().optional(),
  fs: z.array(z.string()).nonempty().optional(),
  slo: z
    .strictObject({
      maxDowntimeMs: ms.optional(), maxFailedDuring: count.optional(), maxFailedTotal: count.optional(),
      /** Definite failures only (`fail`), and unknown outcomes only (`info`), over the whole scenario. */
      maxDefiniteFailures: count.optional(), maxUnknown: count.optional(),
      startingAnswers: z.strictObject({ statuses: z.array(z.number().int().min(100).max(599)).nonempty(), max: count }).optional(),
      startingTimeouts: z.strictObject({ max: count }).optional(),
      minAvailabilityPct: z.number().min(0).max(100).optional(),
    })
    .optional(),
});

export const recoveryOptionsSchema = z.strictObject({
  from: z.enum(['heal', 'fault-start']).optional(),
  slo: z.strictObject({ maxRecoveryMs: ms.optional() }).optional(),
  leaseTakeover: z.string().optional(),
});

export const leaderUniquenessOptionsSchema = z.strictObject({ settleMs: ms.optional() });
export const quorumLossOptionsSchema = z.strictObject({ graceMs: ms.optional() });

export const loadValidityOptionsSchema = z.strictObject({
  minRateRatio: z.number().min(0).max(1).optional(), maxLagMs: ms.optional(), maxLateShare: z.number().min(0).max(1).optional(),
});

export const expectationsSchema = z.strictObject({
  /** Safety: per-key linearizability, watch guarantees, final state through every apiserver and etcd. */
  linearizable: z.boolean().optional(),
  watch: z.boolean().optional(),
  finalState: z.boolean().optional(),
  /** Whether the load was honest (planned rate delivered, issue lag): a run without it is unknown, never pass. */
  loadValidity: loadValidityOptionsSchema.optional(),
  /** Leader kills: the component does its job again (a Pod scheduled, a ReplicaSet's Pod created) within the bound. */
  componentWorks: z.strictObject({ component: z.enum(['kube-scheduler', 'kube-controller-manager']), withinMs: ms }).optional(),
  availability: availabilityOptionsSchema.optional(),
  recovery: recoveryOptionsSchema.optional(),
  noLostWrites: z.boolean().optional(),
  leaderUniqueness: leaderUniquenessOptionsSchema.optional(),
  quorumLoss: quorumLossOptionsSchema.optional(),
});

export type Expectations = z.infer<typeof expectationsSchema>;
