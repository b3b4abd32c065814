// The subset of the kubernetes-cluster package options haproof reads (service.name and service account, HA, 5 etcd
// nodes, placement, node count) → the layout DC/OS deploys: HA gives 3 etcd + 3 control planes, 5_etcd_nodes 5 etcd.
// Errors name key and value.
import { z } from 'zod';
import { describeZodError, UsageError } from '../config/options.ts';
import { readJsonFile } from '../core/read-json-file.ts';

/** `service.name`: at most 24 characters; folders allowed (`dev/kubernetes01`). */
export const serviceNameSchema = z
  .string()
  .max(24, 'must be at most 24 characters')
  .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\/[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/, 'must be lower-case DNS labels (a-z, 0-9, -) optionally separated by / (folders)');

/** Marathon constraint operators (a placement rule is `[field, operator]` or `[field, operator, value]`). */
const OPERATORS = ['UNIQUE', 'CLUSTER', 'GROUP_BY', 'LIKE', 'UNLIKE', 'MAX_PER', 'IS'] as const;
export type PlacementRule = [field: string, operator: (typeof OPERATORS)[number], value?: string];
const rule = z.union([z.tuple([z.string().min(1), z.enum(OPERATORS)]), z.tuple([z.string().min(1), z.enum(OPERATORS), z.string()])]);

/** Placement is a JSON *string* of Marathon constraints, e.g. `"[[\"hostname\",\"UNIQUE\"]]"`; `""` means none given. */
const placementString = z.string({ error: 'must be a JSON string of Marathon constraints, e.g. "[[\\"hostname\\",\\"UNIQUE\\"]]"' }).transform((text, ctx): PlacementRule[] | undefined => {
  if (text.trim() === '') return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'is not valid JSON (expected e.g. [["hostname","UNIQUE"]])' });
    return z.NEVER;
  }
  const parsed = z.array(rule).safeParse(json);
  if (!parsed.success) {
    ctx.addIssue({ code: 'custom', message: `must be a list of [field, operator(, value)] with operator one of ${OPERATORS.join(', ')}` });
    return z.NEVER;
  }
  return parsed.data as PlacementRule[];
});

const DEFAULT_PLACEMENT = '[["hostname", "UNIQUE"]]';

/** Loose objects: the real options file has many more keys, all valid for DC/OS; only these are read. */
export const packageOptionsSchema = z.looseObject({
  service: z.looseObject({
    name: serviceNameSchema.default('kubernetes-cluster'),
    /**
     * The service account (Mesos principal) and the secret-store path of its secret; `""` (the default) means none.
     * On DC/OS Enterprise the scheduler can only register with both (the Marathon app then carries
     * DCOS_SERVICE_ACCOUNT_CREDENTIAL and the DC/OS authenticatee modules).
     * source: mesosphere/universe repo/packages/K/kubernetes-cluster/2600/config.json, marathon.json.mustache
     */
    service_account: z.string({ error: 'must be a string (the service account id)' }).default(''),
    service_account_secret: z.string({ error: 'must be a string (the secret store path of the service account secret)' }).default(''),
  }).prefault({}),
  kubernetes: z.looseObject({
    high_availability: z.boolean().default(false),
    control_plane_placement: placementString.prefault(DEFAULT_PLACEMENT),
    private_node_count: z.number().int('must be a whole number').min(0, 'must be 0 or more').default(1),
  }).prefault({}),
  etcd: z.looseObject({
    '5_etcd_nodes': z.boolean().default(false),
    /** `""` falls back to `kubernetes.control_plane_placement` (the package's mustache `{{^etcd.placement}}` branch). */
    placement: placementString.prefault(''),
  }).prefault({}),
});

export interface KubernetesClusterLayout {
  serviceName: string;
  /** `service.service_account` and `service.service_account_secret`, when given (not `""`). */
  serviceAccount?: string | undefined;
  serviceAccountSecret?: string | undefined;
  highAvailability: boolean;
  etcdNodes: 1 | 3 | 5;
  controlPlanes: 1 | 3;
  privateNodes: number;
  controlPlanePlacement: PlacementRule[];
  etcdPlacement: PlacementRule[];
}

/** Parses an options object; `source` names the file in errors. Throws UsageError. */
export function parsePackageOptions(json: unknown, source = 'package options'): KubernetesClusterLayout {
  const parsed = packageOptionsSchema.safeParse(json);
  if (!parsed.success) throw new UsageError(describeZodError(parsed.error, `${source}:`, json));
  const o = parsed.data;
  const ha = o.kubernetes.high_availability;
  const five = o.etcd['5_etcd_nodes'];
  // [UNCONFIRMED] what the package does with 5_etcd_nodes but no HA; the docs describe 5 members only "with HA", so
  // haproof refuses the combination rather than guess.
  if (five && !ha) throw new UsageError(`${source}: etcd.5_etcd_nodes: needs kubernetes.high_availability true: got true with high_availability ${JSON.stringify(ha)}`);
  const controlPlanePlacement = o.kubernetes.control_plane_placement ?? [];
  return {
    serviceName: o.service.name,
    serviceAccount: o.service.service_account || undefined,
    serviceAccountSecret: o.service.service_account_secret || undefined,
    highAvailability: ha,
    etcdNodes: ha ? (five ? 5 : 3) : 1,
    controlPlanes: ha ? 3 : 1,
    privateNodes: o.kubernetes.private_node_count,
    controlPlanePlacement,
    etcdPlacement: o.etcd.placement ?? controlPlanePlacement,
  };
}

export function readPackageOptions(path: string): KubernetesClusterLayout {
  return parsePackageOptions(readJsonFile(path, 'package options'), `package options ${path}`);
}
