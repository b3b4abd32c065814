// Asks the running etcd cluster about itself with the real etcdctl, from inside the master's namespace (so the
// members' DNS names resolve through the testbed's DNS server). Responses are parsed with zod, and every state etcdctl
// can report parses: members added but never started, learners, no leader, partial `--cluster` output.
import { join } from 'node:path';
import { z } from 'zod';
import { etcdClientUrls } from '../../config/naming.ts';
import { issuesText } from '../../core/zod-error.ts';
import { run } from '../../core/run.ts';
import { netnsName } from '../../testbed/paths.ts';

/** A member or cluster ID in lower-case hex without leading zeros, as `member list --hex` prints it ('0': none). */
const id = z.union([z.string(), z.number()]).transform((v) => (typeof v === 'number' ? v.toString(16) : v.toLowerCase().replace(/^0+(?=.)/, '')));
const header = z.looseObject({ cluster_id: id.optional(), member_id: id.optional(), revision: z.coerce.number().optional(), raft_term: z.coerce.number().optional() });
/** etcdctl's JSON leaves out empty fields (Go `omitempty`) or prints them as null: both read as absent. */
const orNone = <T extends z.ZodType>(t: T) => t.nullish().transform((v) => v ?? undefined);

export const memberSchema = z.looseObject({
  ID: id,
  /** '' until the member's process has joined the cluster (after `member add`, before it starts). */
  name: orNone(z.string()).transform((v) => v ?? ''),
  peerURLs: orNone(z.array(z.string())).transform((v) => v ?? []),
  /** null (or absent) until the member's process has joined. */
  clientURLs: orNone(z.array(z.string())).transform((v) => v ?? []),
  isLearner: orNone(z.boolean()).transform((v) => v ?? false),
});
export const memberListSchema = z.looseObject({ header: header.optional(), members: z.array(memberSchema) });
export type EtcdMember = z.infer<typeof memberSchema>;

export const endpointStatusSchema = z.looseObject({
  Endpoint: z.string(),
  Status: z.looseObject({
    header: header.optional(),
    version: z.string().optional(),
    dbSize: z.number().optional(),
    /** Absent (or 0) while the member knows no leader: an election in progress, or no quorum. */
    leader: id.optional(),
    raftIndex: z.number().optional(),
    raftTerm: z.number().optional(),
    isLearner: z.boolean().optional(),
    /** e.g. ["etcdserver: no leader"]. */
    errors: orNone(z.array(z.string())),
  }),
});
export type EndpointStatus = z.infer<typeof endpointStatusSchema>;

export const endpointHealthSchema = z.looseObject({ endpoint: z.string(), health: z.boolean(), took: z.string().optional(), error: z.string().optional() });
export type EndpointHealth = z.infer<typeof endpointHealthSchema>;

export const hashkvSchema = z.looseObject({ Endpoint: z.string(), HashKV: z.looseObject({ header: header.optional(), hash: z.number(), hash_revision: z.number().optional() }) });
export type EndpointHashKV = z.infer<typeof hashkvSchema>;

/**
 * JSON.parse of etcdctl's output without losing digits: `--hex` prints member IDs as hex strings in `member list`, but
 * `endpoint status` and `hashkv` print them as JSON numbers, uint64 beyond 2^53, which JSON.parse would round (two IDs
 * could then compare equal). Those are turned into hex strings first, so that every ID reads alike.
 */
export function parseEtcdctlJson(stdout: string): unknown {
  return JSON.parse(stdout.replace(/"(ID|cluster_id|member_id|leader)"(\s*):(\s*)(\d+)/g, (_m, key: string, a: string, b: string, digits: string) => `"${key}"${a}:${b}"${BigInt(digits).toString(16)}"`));
}

/** `member list`: all or nothing (a member list that cannot be read says so in words, naming the field). */
export function parseMemberList(stdout: string): EtcdMember[] {
  let json: unknown;
  try {
    json = parseEtcdctlJson(stdout);
  } catch (e) {
    throw new Error(`etcdctl member list: output is not JSON (${(e as Error).message.slice(0, 100)})`);
  }
  const parsed = memberListSchema.safeParse(json);
  if (!parsed.success) throw new Error(`etcdctl member list: unexpected output: ${issuesText(parsed.error, 'the output')}`);
  return parsed.data.members;
}

/**
 * The entries of a `--cluster` call that parse, each on its own: the call prints what the members that answered said
 * (and the others' errors on stderr), or nothing usable at all (then: none).
 */
export function parseEntries<T>(stdout: string, schema: z.ZodType<T>): T[] {
  let json: unknown;
  try {
    json = parseEtcdctlJson(stdout);
  } catch {
    return [];
  }
  if (!Array.isArray(json)) return [];
  return json.flatMap((entry) => {
    const parsed = schema.safeParse(entry);
    return parsed.success ? [parsed.data] : [];
  });
}

export const parseEndpointStatus = (stdout: string): EndpointStatus[] => parseEntries(stdout, endpointStatusSchema);
export const parseEndpointHealth = (stdout: string): EndpointHealth[] => parseEntries(stdout, endpointHealthSchema);
export const parseHashKV = (stdout: string): EndpointHashKV[] => parseEntries(stdout, hashkvSchema);

export interface EtcdctlResult {
  failed: boolean;
  stdout: string;
  stderr: string;
}

export interface EtcdAccess {
  cluster: string;
  members: number;
  etcdctl: string;
  /** The testbed PKI dir (ca.crt, etcd-client.crt/key); or the three files named one by one. */
  pki?: string;
  files?: { caFile: string; certFile: string; keyFile: string };
  /** Runs etcdctl somewhere else (e.g. over SSH on an agent); default: in the testbed master's namespace. */
  exec?: (argv: string[], timeoutMs: number) => Promise<EtcdctlResult>;
  /** Runs several etcdctl calls at once where one call each costs much (one SSH session for all); default: `exec` each. */
  execAll?: (argvs: string[][], timeoutMs: number) => Promise<EtcdctlResult[]>;
  /** Only these client URLs (a snapshot is taken from one member); default: every member's DNS name. */
  endpoints?: string[];
}

export interface EtcdMemberView {
  id: string;
  /** '' for a member that never started. */
  name: string;
  peerUrls: string[];
  clientUrls: string[];
  endpoint: string | undefined;
  healthy: boolean;
  isLeader: boolean;
  version: string | undefined;
  raftTerm: number | undefined;
  /** Whether the member answered `endpoint status` (if not, `isLeader` and `raftTerm` are unknown). */
  answered: boolean;
  /** A raft learner: replicates but does not vote (nor serve linearizable reads). */
  isLearner: boolean;
  /** False for a member added (`member add`) whose process never joined: no name, no client URLs, never healthy. */
  started: boolean;
  /** What went wrong, in etcd's words (`endpoint health`'s error, `endpoint status`' errors such as "no leader"). */
  errors: string[];
}

/** etcd's answer to a linearizable read on a learner; `endpoint health` reports it as unhealthy, yet the member is up. */
const LEARNER_REFUSES = /rpc not supported for learner/;

/** The members of `member list`, each with what `endpoint status` and `endpoint health` said of it (pure). */
export function toMemberViews(members: readonly EtcdMember[], statuses: readonly EndpointStatus[], health: readonly EndpointHealth[]): EtcdMemberView[] {
  // A leader as a member sees it counts only if that member says so of itself (a cut-off learner keeps its old one).
  const confirmed = (leader: string | undefined) => leader !== undefined && leader !== '0' && statuses.some((s) => s.Status.header?.member_id === leader && s.Status.leader === leader);
  return members.map((m) => {
    const started = m.name !== '' || m.clientURLs.length > 0;
    const st = started ? statuses.find((s) => m.clientURLs.includes(s.Endpoint)) : undefined;
    const h = started ? health.find((x) => m.clientURLs.includes(x.endpoint)) : undefined;
    const self = st?.Status.header?.member_id ?? m.ID;
    const leader = st?.Status.leader;
    const errors = st?.Status.errors ?? [];
    const isLearner = m.isLearner || st?.Status.isLearner === true;
    const learnerRefused = isLearner && LEARNER_REFUSES.test(h?.error ?? '');
    // A learner cannot pass the (linearizable) health probe: it is healthy if it answered its status without errors
    // and follows a leader that confirms it leads.
    const learnerUp = learnerRefused && st !== undefined && !errors.length && confirmed(leader);
    const said = learnerRefused ? (learnerUp || !st ? [] : ['follows no confirmed leader']) : h?.error ? [h.error] : [];
    return {
      id: m.ID, name: m.name, peerUrls: m.peerURLs, clientUrls: m.clientURLs, endpoint: m.clientURLs[0],
      healthy: h?.health === true || learnerUp, isLeader: leader !== undefined && leader !== '0' && leader === self,
      version: st?.Status.version, raftTerm: st?.Status.raftTerm, answered: st !== undefined, isLearner, started,
      errors: [...new Set([...errors, ...said])],
    };
  });
}

/**
 * The members in words (pure): "3 members, all healthy, leader etcd-0", "4 members, 1 never started, 3 healthy,
 * leader etcd-0", "5 members, 1 learner, 2 healthy, 3 unhealthy (etcd-1: context deadline exceeded, …), no leader".
 */
export function describeMembers(members: readonly EtcdMemberView[]): string {
  if (!members.length) return 'no members';
  const label = (m: EtcdMemberView) => m.name || m.id;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const parts = [plural(members.length, 'member')];
  const neverStarted = members.filter((m) => !m.started).length;
  if (neverStarted) parts.push(`${neverStarted} never started`);
  const learners = members.filter((m) => m.isLearner).length;
  if (learners) parts.push(plural(learners, 'learner'));
  const healthy = members.filter((m) => m.healthy).length;
  const unhealthy = members.filter((m) => m.started && !m.healthy);
  if (healthy === members.length) parts.push('all healthy');
  else parts.push(`${healthy} healthy`);
  if (unhealthy.length) {
    const why = (m: EtcdMemberView) => (m.errors.length ? `${label(m)}: ${m.errors.join('; ')}` : m.answered ? label(m) : `${label(m)}: no answer`);
    parts.push(`${unhealthy.length} unhealthy (${unhealthy.map(why).join(', ')})`);
  }
  const leaders = members.filter((m) => m.isLeader);
  parts.push(leaders.length === 0 ? 'no leader' : leaders.length === 1 ? `leader ${label(leaders[0]!)}` : `${leaders.length} leaders (${leaders.map(label).join(', ')})`);
  return parts.join(', ');
}

/** etcdctl's arguments for `args` (JSON output, member IDs in hex) against the members' DNS names or `a.endpoints`. */
function etcdctlArgv(a: EtcdAccess, args: string[]): string[] {
  const f = a.files ?? { caFile: join(a.pki!, 'ca.crt'), certFile: join(a.pki!, 'etcd-client.crt'), keyFile: join(a.pki!, 'etcd-client.key') };
  return [
    `--endpoints=${(a.endpoints ?? etcdClientUrls(a.cluster, a.members)).join(',')}`, `--cacert=${f.caFile}`, `--cert=${f.certFile}`,
    `--key=${f.keyFile}`, '--dial-timeout=2s', '--command-timeout=3s', '--hex', '-w', 'json', ...args,
  ];
}

/** Runs etcdctl (JSON output, member IDs in hex) against the members' DNS names, from the master's namespace. */
export async function etcdctl(a: EtcdAccess, args: string[], timeoutMs = 8_000): Promise<EtcdctlResult> {
  const argv = etcdctlArgv(a, args);
  if (a.exec) return a.exec([a.etcdctl, ...argv], timeoutMs);
  return run(a.etcdctl, argv, { netns: netnsName('master-1'), timeoutMs });
}

/** Several etcdctl calls at once (each with its own endpoints, default `a`'s), in one go where `a.execAll` offers it. */
export async function etcdctlAll(a: EtcdAccess, calls: ReadonlyArray<{ endpoints?: string[]; args: string[] }>, timeoutMs = 8_000): Promise<EtcdctlResult[]> {
  const scoped = (c: { endpoints?: string[] }): EtcdAccess => (c.endpoints ? { ...a, endpoints: c.endpoints } : a);
  if (a.execAll) return a.execAll(calls.map((c) => [a.etcdctl, ...etcdctlArgv(scoped(c), c.args)]), timeoutMs);
  return Promise.all(calls.map((c) => etcdctl(scoped(c), c.args, timeoutMs)));
}

/**
 * Every member of `member list` (also those never started, and learners) with health, leader and version; members
 * that do not answer are listed as unhealthy. Throws (in words) only when `member list` itself gives no answer.
 */
export async function etcdMembers(a: EtcdAccess): Promise<EtcdMemberView[]> {
  // Without --hex: its member-list printer leaves out isLearner (the IDs, uint64 numbers then, are read losslessly).
  // Serializable: a member that lost its quorum still answers from its own state, so a quorum loss shows as members
  // without health rather than as no answer at all (which the observer must record as unknown).
  // Each endpoint of --endpoints (every member's DNS name), not --cluster: --cluster asks for a linearizable member
  // list first, which fails without a quorum.
  // One call per endpoint, all at once: etcdctl asks several endpoints one after another, each dead one costing its
  // dial timeout, so a sample with two members down took 6 s and mixed states from before and after a fault.
  const urls = a.endpoints ?? etcdClientUrls(a.cluster, a.members);
  // Short timeouts (the later flag wins): a live member answers in milliseconds, while a member without a quorum never
  // passes the health probe (a linearizable read) — waiting 3 s for it made every sample during a quorum loss 3 s long.
  const quick = ['--dial-timeout=1s', '--command-timeout=1500ms'];
  const probe = (what: 'status' | 'health') => urls.map((u) => ({ endpoints: [u], args: [...quick, 'endpoint', what] }));
  const [list, ...probes] = await etcdctlAll(a, [{ args: ['member', 'list', '--hex=false', '--consistency=s'] }, ...probe('status'), ...probe('health')]);
  if (list!.failed) throw new Error(`etcdctl member list failed: ${list!.stderr.split('\n').slice(-3).join(' ')}`);
  const members = parseMemberList(list!.stdout);
  // A member that does not answer prints nothing usable: it counts as not answering (unhealthy, no leader seen)
  // rather than the whole view failing with a parse error.
  const [statuses, healths] = [probes.slice(0, urls.length), probes.slice(urls.length)];
  return toMemberViews(members, statuses.flatMap((s) => parseEndpointStatus(s.stdout)), healths.flatMap((h) => parseEndpointHealth(h.stdout)));
}

/** The lowest revision the members that answered are at (0: none answered) — where their hashes can be compared. */
export function commonRevision(statuses: readonly EndpointStatus[]): number {
  const revs = statuses.map((s) => Number(s.Status.header?.revision ?? 0)).filter((r) => r > 0);
  return revs.length ? Math.min(...revs) : 0;
}

/** `endpoint hashkv` of every member at one common revision (the lowest current one), keyed by client URL. */
export async function etcdHashes(a: EtcdAccess): Promise<Record<string, string>> {
  const st = await etcdctl(a, ['endpoint', 'status', '--cluster']);
  const rev = commonRevision(parseEndpointStatus(st.stdout));
  if (!rev) return {};
  // Learners refuse hashkv ("rpc not supported for learner") and members that are down do not answer: both are absent.
  const r = await etcdctl(a, ['endpoint', 'hashkv', '--cluster', `--rev=${rev}`]);
  return Object.fromEntries(parseHashKV(r.stdout).map((h) => [h.Endpoint, String(h.HashKV.hash)]));
}
