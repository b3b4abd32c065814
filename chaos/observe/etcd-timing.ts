// etcd's raft timings as the live members run with them: what the leader-loss scenarios' bounds are derived from.
import type { Cluster } from '../../targets/cluster.ts';

/** etcd's own defaults when neither flag nor environment sets them (go.etcd.io/etcd server/embed/config.go). */
export const ETCD_DEFAULT_TIMING = { electionMs: 1_000, heartbeatMs: 100 } as const;

export interface MemberTiming {
  task: string;
  electionMs: number;
  heartbeatMs: number;
  /** Where each value came from: its flag, its `ETCD_*` environment variable (how kubernetes-cluster's etcd task sets
   * them), or etcd's default. */
  source: { election: TimingSource; heartbeat: TimingSource };
}
export type TimingSource = 'flag' | 'env' | 'default';

export interface EtcdTiming {
  /** The smallest election timeout of any member (the strictest bounds), heartbeat likewise. */
  electionMs: number;
  heartbeatMs: number;
  members: MemberTiming[];
}

/**
 * One setting as etcd resolves it (pure): a command-line flag (`--election-timeout=5000` or `--election-timeout 5000`)
 * wins over the environment (`ETCD_ELECTION_TIMEOUT`, which etcd reads for every flag not given:
 * go.etcd.io/etcd pkg/flags SetFlagsFromEnv), else etcd's default. A value that is not a positive whole number is
 * refused by etcd at start; here it is an error naming it.
 */
export function settingOf(argv: readonly string[], env: Readonly<Record<string, string>>, flag: string, fallback: number): { ms: number; source: TimingSource } {
  const envName = `ETCD_${flag.toUpperCase().replace(/-/g, '_')}`;
  let fromFlag: string | undefined;
  for (const [i, a] of argv.entries()) {
    if (a === `--${flag}` || a === `-${flag}`) fromFlag = argv[i + 1] ?? '';
    else if (a.startsWith(`--${flag}=`) || a.startsWith(`-${flag}=`)) fromFlag = a.slice(a.indexOf('=') + 1);
  }
  const source: TimingSource = fromFlag !== undefined ? 'flag' : env[envName] !== undefined ? 'env' : 'default';
  if (source === 'default') return { ms: fallback, source };
  const raw = fromFlag ?? env[envName]!;
  const ms = Number(raw);
  // etcd parses it with Go's flag package, which reads a leading 0 as octal (`07000` runs as 3584 ms): such a value is
  // refused here rather than misread.
  if (!/^[1-9]\d*$/.test(raw)) throw new Error(`etcd ${source === 'flag' ? `--${flag}` : envName} is ${JSON.stringify(raw)}, not a positive whole number of milliseconds without leading zeros`);
  return { ms, source };
}

/**
 * The timings of each member from its command line and environment (pure). With a configuration file etcd ignores every
 * other flag and variable (go.etcd.io/etcd server/etcdmain/config.go): its timings are then not read here, an error.
 */
export function memberTiming(task: string, argv: readonly string[], env: Readonly<Record<string, string>>): MemberTiming {
  if (argv.some((a) => /^--?config-file(=|$)/.test(a)) || env['ETCD_CONFIG_FILE'] !== undefined) throw new Error(`${task}: etcd runs from a configuration file, whose timings haproof does not read`);
  const election = settingOf(argv, env, 'election-timeout', ETCD_DEFAULT_TIMING.electionMs);
  const heartbeat = settingOf(argv, env, 'heartbeat-interval', ETCD_DEFAULT_TIMING.heartbeatMs);
  return { task, electionMs: election.ms, heartbeatMs: heartbeat.ms, source: { election: election.source, heartbeat: heartbeat.source } };
}

/** The cluster's timing from its members' (pure); no member, no timing. */
export function clusterTiming(members: MemberTiming[]): EtcdTiming | undefined {
  if (!members.length) return undefined;
  return { electionMs: Math.min(...members.map((m) => m.electionMs)), heartbeatMs: Math.min(...members.map((m) => m.heartbeatMs)), members };
}

/**
 * Reads every etcd member's timings from its process (command line and environment, on its host). Every member of the
 * member list must be read: the one missing might run the smallest timeout, and the bounds would be looser than its.
 */
export async function readEtcdTiming(cluster: Cluster): Promise<EtcdTiming> {
  const [procs, list] = await Promise.all([cluster.processes('etcd'), cluster.etcdMembers()]);
  const members = await Promise.all(procs.map(async (p) => memberTiming(p.task, p.argv, await cluster.processEnv(p))));
  const timing = clusterTiming(members);
  if (!timing || members.length < list.length) throw new Error(`${members.length} etcd processes read for ${list.length} members`);
  return timing;
}
