// Picks the cluster under test: `HAPROOF_TARGET=testbed` (default, the running testbed) or `dcos` (a kubernetes-cluster
// service on DC/OS, described by the target file `HAPROOF_DCOS_TARGET`, default ./dcos-target.json).
import { resolve } from 'node:path';
import { z } from 'zod';
import { UsageError } from '../config/options.ts';
import { dcosTargetPath, readDcosTarget } from '../dcos/target-file.ts';
import type { Cluster } from './cluster.ts';
import { DcosCluster } from './dcos/dcos-cluster.ts';
import { TestbedCluster } from './testbed/testbed-cluster.ts';

export const targetSchema = z.enum(['testbed', 'dcos']);
export type Target = z.infer<typeof targetSchema>;

/** The target named by `HAPROOF_TARGET`; a bad value is a UsageError naming the variable and the value. */
export function targetFromEnv(env: NodeJS.ProcessEnv = process.env): Target {
  const raw = env['HAPROOF_TARGET'] ?? 'testbed';
  const parsed = targetSchema.safeParse(raw);
  if (!parsed.success) throw new UsageError(`HAPROOF_TARGET: must be "testbed" or "dcos", got ${JSON.stringify(raw)}`);
  return parsed.data;
}

/** Connects to the target; `dcosTargetFile` defaults to `HAPROOF_DCOS_TARGET`, else ./dcos-target.json. */
export async function connectTarget(target: Target, dcosTargetFile: string = dcosTargetPath()): Promise<Cluster> {
  if (target === 'testbed') return new TestbedCluster();
  const cluster = await DcosCluster.connect(readDcosTarget(dcosTargetFile));
  cluster.targetRef = { kind: 'dcos', file: resolve(dcosTargetFile) };
  return cluster;
}
