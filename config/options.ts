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
  'split-store': 'replacing an etcd member restores it from a snapshot as a new one-member cluster: apiservers then write to two stores',
  'watch-drop': 'a proxy in front of the first apiserver, where its clients reach it, leaves out 1 of every 10 events of the load\'s ConfigMap watches',
  'no-quota-admission': 'every apiserver runs with the ResourceQuota admission plugin disabled (--disable-admission-plugins=ResourceQuota): quotas are counted but never enforced',
  'stale-restore': 'after a quorum loss every member is restored from the backup before the newest (one every 2 s while there was a quorum): acknowledged writes after it are gone',
} as const;
export type Defect = keyof typeof DEFECTS;

/** The testbed's VIP policies (testbed/l4lb.ts implements them). */
export const VIP_POLICY_NAMES = ['dcos-net', 'readyz'] as const;
/** How the control plane's processes are run: kubernetes-cluster 2.x's static pods, or one Mesos task each (1.x). */
export const CONTROL_PLANE_NAMES = ['static-pods', 'mesos-tasks'] as const;
/** Where the service's pods live: on the `dcos` overlay (each pod its own network namespace and overlay address, as
 * kubernetes-cluster sets `service.virtual_network_name: dcos`) or on their agents' host network. */
export const NETWORK_NAMES = ['overlay', 'host'] as const;
/** etcd's raft timings: kubernetes-cluster's (election 5000 ms, heartbeat 250 ms) or etcd's own defaults (1000 / 100). */
export const ETCD_TIMING_NAMES = ['package', 'etcd-defaults'] as const;
/** Election timeout and heartbeat interval (ms) of each ETCD_TIMING_NAMES entry. */
export const ETCD_TIMINGS: Record<(typeof ETCD_TIMING_NAMES)[number], { electionMs: number; heartbeatMs: number }> = {
  // universe `repo/packages/K/kubernetes-cluster/2600/marathon.json.mustache` (2.8.0-1.19.2) sets the scheduler's
  // ETCD_ELECTION_TIMEOUT=5000 and ETCD_HEARTBEAT_INTERVAL=250, the same in 1.0.3 (shared/reference/dcos-interfaces.md §2.3);
  // the service spec hands both to the etcd task's environment, which etcd reads as its flags
  // (iss-lab/dcos-kubernetes-cluster `svc.yml` @ 4c2d5492, pods.etcd.tasks.peer.env).
  package: { electionMs: 5_000, heartbeatMs: 250 },
  // etcd's defaults (go.etcd.io/etcd server/embed/config.go DefaultElectionMs / DefaultTickMs), what every bound of
  // chaos/scenarios/definitions.ts was measured with so far.
  'etcd-defaults': { electionMs: 1_000, heartbeatMs: 100 },
};

/**
 * kubernetes-cluster 2.x as DC/OS runs it: pods on the `dcos` overlay and the control plane as static pods of each
 * instance task's kubelet. etcd keeps etcd's own timings here. The scenarios' bounds do follow the package's 5000 ms
 * now (chaos/scenarios/definitions.ts forElectionTimeout), and at 5000 ms this layout fails partition-etcd-leader and
 * drop-etcd-peer-traffic about half the time (session 12: 1 of 2 runs each, 0 % served through a 16 s fault window):
 * when the election overlaps the three instances' Mesos health checks, dcos-net gives all three weight 0 and the VIP
 * serves nothing until their next checks 15 s later — a finding about the layout (README "Measured", session 12),
 * which `up --etcd-timing package` shows; `npm test` cannot hold a verdict that is red one run in two. The
 * dcos-contract and dcos-target projects run on this (the rest of npm test keeps the defaults, whose bounds were
 * measured on them).
 */
export const DCOS_LAYOUT = { network: 'overlay', controlPlane: 'static-pods' } as const;

/**
 * A number given as a JSON number or, as flags come, a decimal string ("5"). Anything else reaches `z.number()` as it is
 * and is refused by name: `z.coerce` would have turned `null`, `true`, `""` and `[5]` into 0, 1, 0 and 5.
 */
function numberInput<T extends z.ZodType<number>>(schema: T) {
  return z.preprocess((v) => (typeof v === 'string' && DECIMAL.test(v) ? Number(v) : v), schema);
}
const DECIMAL = /^\s*[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*$/i;
const wholeNumber = () => z.number({ error: 'must be a number' }).int('must be a whole number');

export const testbedOptionsSchema = z.strictObject({
  cluster: clusterName.default('kubernetes-cluster'),
  agents: numberInput(wholeNumber().min(4, 'must be at least 4 (a member needs a free host to move to)').max(MAX_AGENTS, `must be at most ${MAX_AGENTS}`)).default(4),
  relaunchDelayMs: numberInput(wholeNumber().min(0).max(60_000)).default(1_000),
  /** Passed to kube-controller-manager; the testbed shortens it so an agent crash evicts pods in seconds. */
  nodeMonitorGracePeriodSeconds: numberInput(wholeNumber().min(5).max(600)).default(20),
  /** The apiservers' default not-ready/unreachable toleration (Kubernetes default 300 s), shortened likewise. */
  podEvictionSeconds: numberInput(wholeNumber().min(1).max(600)).default(10),
  /**
   * How the VIP picks backends: `dcos-net` (DC/OS's own policy, emulated from dcos-net's sources: task state every 2 s,
   * killing tasks at weight 0, unreachable agents left out, no conntrack flush) or `readyz` (a health-checking L4
   * balancer: /readyz every 200 ms, dead backends' flows flushed).
   */
  vipPolicy: z.enum(VIP_POLICY_NAMES, { error: `must be one of ${VIP_POLICY_NAMES.join(', ')}` }).default('dcos-net'),
  /**
   * `static-pods` (kubernetes-cluster 2.x): apiserver, controller-manager and scheduler are static pods of one
   * `kube-control-plane-N-instance` task, restarted by its kubelet — a dead apiserver leaves that task TASK_RUNNING, so
   * dcos-net keeps it in the VIP at weight 1. `mesos-tasks` (1.x, the default until haproof's health checks and the
   * rolling restart judge each apiserver by its own /readyz rather than by the VIP's listing, which static pods keep
   * full): each process is its own Mesos task.
   */
  controlPlane: z.enum(CONTROL_PLANE_NAMES, { error: `must be one of ${CONTROL_PLANE_NAMES.join(', ')}` }).default('mesos-tasks'),
  /**
   * Static pods: the control-plane instance task's Mesos health check (every 15 s; a failing one gets weight 0 in
   * dcos-net's VIP), as kubernetes-cluster's service spec defines it (testbed/dcos-net-policy.ts). Default true.
   */
  apiserverHealthCheck: z.boolean({ error: 'must be true or false' }).default(true),
  /**
   * etcd's election timeout and heartbeat: `package` (kubernetes-cluster's 5000 / 250 ms) or `etcd-defaults`
   * (1000 / 100 ms, the default until the scenarios' bounds are measured again with the package's: a leader's loss then
   * costs about five times as long before a new one is elected).
   */
  etcdTiming: z.enum(ETCD_TIMING_NAMES, { error: `must be one of ${ETCD_TIMING_NAMES.join(', ')}` }).default('etcd-defaults'),
  /**
   * `overlay`: every etcd, control-plane and node pod in its own network namespace with an address on the `dcos`
   * overlay, carried between agents by VXLAN as dcos-net sets it up (testbed/overlay.ts); `host`: pods on their agent's
   * address (the default until a whole `npm test` has run on the overlay).
   */
  network: z.enum(NETWORK_NAMES, { error: `must be one of ${NETWORK_NAMES.join(', ')}` }).default('host'),
  defect: z.enum(Object.keys(DEFECTS) as [Defect, ...Defect[]], { error: `must be one of ${Object.keys(DEFECTS).join(', ')}` }).optional(),
});

export type TestbedOptions = z.infer<typeof testbedOptionsSchema>;

export { describeZodError };

/** Option and target files hold one JSON object; anything else is refused as a whole, saying what it is instead. */
export function requireJsonObject(json: unknown, source: string): asserts json is Record<string, unknown> {
  if (json !== null && typeof json === 'object' && !Array.isArray(json)) return;
  const kind = json === null ? 'null' : Array.isArray(json) ? 'an array' : `a ${typeof json}`;
  throw new UsageError(`${source} must be a JSON object ({"key": value, ...}), got ${kind}`);
}

/**
 * `describeZodError` for a user's input, bounded: each value shown is cut to a few levels and characters (a value
 * nested 100 000 deep would overflow the stack, a megabyte string flood the terminal), control characters are escaped,
 * and at most 10 problems are listed.
 */
export function describeInputError(error: z.ZodError, source: string, input: unknown): string {
  // An issue of the whole object (an unknown key) reads `source: …`, not `source:: …`.
  const lines = describeZodError(error, source, shownAlongPaths(error, input)).split('\n').map((l) => (source.endsWith(':') && l.startsWith(`${source}:`) ? source + l.slice(source.length + 1) : l));
  const kept = lines.slice(0, 10).map((l) => printable(l.length > 400 ? `${l.slice(0, 400)}…` : l));
  return [...kept, ...(lines.length > 10 ? [`${source} … and ${lines.length - 10} more problems`] : [])].join('\n');
}

/** A copy of `input` holding only what the issues' paths reach, each value bounded (pure). */
function shownAlongPaths(error: z.ZodError, input: unknown): unknown {
  if (error.issues.some((i) => i.path.length === 0)) return bounded(input);
  const shown: Record<PropertyKey, unknown> = {};
  for (const issue of error.issues) {
    let from: unknown = input;
    let to = shown;
    issue.path.forEach((key, n) => {
      from = from && typeof from === 'object' ? (from as Record<PropertyKey, unknown>)[key] : undefined;
      if (n === issue.path.length - 1) to[key] = bounded(from);
      else to = (to[key] ??= {}) as Record<PropertyKey, unknown>;
    });
  }
  return shown;
}

function bounded(v: unknown, depth = 0): unknown {
  const cut = (s: string) => (s.length > 100 ? `${s.slice(0, 100)}… (${s.length} characters)` : s);
  if (typeof v === 'string') return cut(v);
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  if (v === null || typeof v !== 'object') return v;
  if (depth >= 3) return Array.isArray(v) ? '[…]' : '{…}';
  if (Array.isArray(v)) return [...v.slice(0, 8).map((x) => bounded(x, depth + 1)), ...(v.length > 8 ? [`… (${v.length} items)`] : [])];
  const keys = Object.keys(v);
  const entries = keys.slice(0, 8).map((k) => [cut(k), bounded((v as Record<string, unknown>)[k], depth + 1)]);
  return Object.fromEntries([...entries, ...(keys.length > 8 ? [['…', `${keys.length} keys`]] : [])]);
}

/** Control characters (from a key or value of the input) shown as escapes, not sent to the terminal. */
function printable(line: string): string {
  return line.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Parses testbed options from an options file (optional) overlaid with flags. Throws UsageError. */
export function parseTestbedOptions(flags: Record<string, unknown>, optionsFile?: string): TestbedOptions {
  let fromFile: Record<string, unknown> = {};
  if (optionsFile !== undefined) {
    const json = readJsonFile(optionsFile, '--options');
    requireJsonObject(json, `options file ${optionsFile}:`);
    const parsedFile = testbedOptionsSchema.partial().safeParse(json);
    if (!parsedFile.success) throw new UsageError(describeInputError(parsedFile.error, `options file ${optionsFile}:`, json));
    fromFile = json;
  }
  const merged = { ...fromFile, ...flags };
  const parsed = testbedOptionsSchema.safeParse(merged);
  // What is wrong here came from a flag (the file was checked above): named as typed, `--control-plane`, not `controlPlane`.
  const asFlag = (key: string) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  if (!parsed.success) throw new UsageError(describeInputError(parsed.error, 'option', merged).replace(/option ([A-Za-z]+)/g, (_, key: string) => asFlag(key)));
  return parsed.data;
}
