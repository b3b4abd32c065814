// Testbed options: CLI flags and an optional options file, validated once with zod; errors name the field and value.
import { z } from 'zod';
import { MAX_AGENTS } from './addresses.ts';
import { readJsonFile } from '../core/read-json-file.ts';
import { UsageError } from '../core/usage-error.ts';
import { describeZodError } from '../core/zod-error.ts';

export { UsageError };

const clusterName = z
  .string()
  .regex(/^[a-z]([a-z0-9-]{0,22}[a-z0-9])?$/, 'must be 1-24 characters of a-z, 0-9 and -, starting with a letter');

/**
 * Planted defects (`up --defect <name>`): a deliberately broken HA layout, to prove the suites fail on it — each for
 * the reason given here (suites/defects/ checks exactly that).
 */
export const DEFECTS = {
  'single-etcd-endpoint': 'every apiserver lists only etcd-0 in --etcd-servers (losing that member takes the API down)',
  'no-leader-election': 'schedulers and controller-managers run with --leader-elect=false (three active at once)',
  'vip-no-health-check': 'the VIP keeps all three apiservers whatever their /readyz says (a dead one keeps getting connections)',
} as const;
export type Defect = keyof typeof DEFECTS;

export const testbedOptionsSchema = z.strictObject({
  cluster: clusterName.default('kubernetes-cluster'),
  agents: z.coerce.number().int('must be a whole number').min(4, 'must be at least 4 (a member needs a free host to move to)').max(MAX_AGENTS, `must be at most ${MAX_AGENTS}`).default(4),
  relaunchDelayMs: z.coerce.number().int().min(0).max(60_000).default(1_000),
  /** Passed to kube-controller-manager; the testbed shortens it so an agent crash evicts pods in seconds. */
  nodeMonitorGracePeriodSeconds: z.coerce.number().int().min(5).max(600).default(20),
  /** The apiservers' default not-ready/unreachable toleration (Kubernetes default 300 s), shortened likewise. */
  podEvictionSeconds: z.coerce.number().int().min(1).max(600).default(10),
  defect: z.enum(Object.keys(DEFECTS) as [Defect, ...Defect[]], { error: `must be one of ${Object.keys(DEFECTS).join(', ')}` }).optional(),
});

export type TestbedOptions = z.infer<typeof testbedOptionsSchema>;

export { describeZodError };

/** Parses testbed options from an options file (optional) overlaid with flags. Throws UsageError. */
export function parseTestbedOptions(flags: Record<string, unknown>, optionsFile?: string): TestbedOptions {
  let fromFile: Record<string, unknown> = {};
  if (optionsFile !== undefined) {
    const json = readJsonFile(optionsFile, '--options');
    const parsedFile = testbedOptionsSchema.partial().safeParse(json);
    if (!parsedFile.success) throw new UsageError(describeZodError(parsedFile.error, `options file ${optionsFile}:`, json));
    fromFile = json as Record<string, unknown>;
  }
  const merged = { ...fromFile, ...flags };
  const parsed = testbedOptionsSchema.safeParse(merged);
  if (!parsed.success) throw new UsageError(describeZodError(parsed.error, 'option', merged).replaceAll('option ', '--'));
  return parsed.data;
}
