// Asks the running etcd cluster about itself with the real etcdctl, from inside the master's namespace (so the
// members' DNS names resolve through the testbed's DNS server). Responses are parsed with zod.
import { join } from 'node:path';
import { z } from 'zod';
import { etcdClientUrls } from '../../config/naming.ts';
import { run } from '../../core/run.ts';
import { netnsName } from '../../testbed/paths.ts';

const hex = z.union([z.string(), z.number()]).transform((v) => String(v));
const header = z.object({ cluster_id: hex, member_id: hex, revision: z.coerce.number().optional(), raft_term: z.coerce.number().optional() }).passthrough();

export const memberListSchema = z.object({
  header,
  members: z.array(z.object({ ID: hex, name: z.string().optional().default(''), peerURLs: z.array(z.string()), clientURLs: z.array(z.string()).optional().default([]), isLearner: z.boolean().optional() }).passthrough()),
}).passthrough();

export const endpointStatusSchema = z.array(z.object({
  Endpoint: z.string(),
  Status: z.object({ header, version: z.string(), dbSize: z.number(), leader: hex, raftIndex: z.number(), raftTerm: z.number() }).passthrough(),
}));

export const endpointHealthSchema = z.array(z.object({ endpoint: z.string(), health: z.boolean(), took: z.string().optional(), error: z.string().optional() }));

export interface EtcdAccess {
  cluster: string;
  members: number;
  etcdctl: string;
  /** The testbed PKI dir (ca.crt, etcd-client.crt/key); or the three files named one by one. */
  pki?: string;
  files?: { caFile: string; certFile: string; keyFile: string };
  /** Runs etcdctl somewhere else (e.g. over SSH on an agent); default: in the testbed master's namespace. */
  exec?: (argv: string[], timeoutMs: number) => Promise<{ failed: boolean; stdout: string; stderr: string }>;
}

export interface EtcdMemberView {
  id: string;
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
}

/** Runs etcdctl (JSON output, member IDs in hex) against the members' DNS names, from the master's namespace. */
export async function etcdctl(a: EtcdAccess, args: string[], timeoutMs = 8_000) {
  const f = a.files ?? { caFile: join(a.pki!, 'ca.crt'), certFile: join(a.pki!, 'etcd-client.crt'), keyFile: join(a.pki!, 'etcd-client.key') };
  const argv = [
    `--endpoints=${etcdClientUrls(a.cluster, a.members).join(',')}`, `--cacert=${f.caFile}`, `--cert=${f.certFile}`,
    `--key=${f.keyFile}`, '--dial-timeout=2s', '--command-timeout=3s', '--hex', '-w', 'json', ...args,
  ];
  if (a.exec) return a.exec([a.etcdctl, ...argv], timeoutMs);
  return run(a.etcdctl, argv, { netns: netnsName('master-1'), timeoutMs });
}

/** Members with health, leader and version; members that do not answer are listed as unhealthy. */
export async function etcdMembers(a: EtcdAccess): Promise<EtcdMemberView[]> {
  const list = await etcdctl(a, ['member', 'list']);
  if (list.failed) throw new Error(`etcdctl member list failed: ${list.stderr.split('\n').slice(-3).join(' ')}`);
  const members = memberListSchema.parse(JSON.parse(list.stdout)).members;
  const [statusRun, healthRun] = await Promise.all([etcdctl(a, ['endpoint', 'status', '--cluster']), etcdctl(a, ['endpoint', 'health', '--cluster'])]);
  // A `--cluster` call with a member down prints what the others said, or nothing usable: then no member counts as
  // answering (unhealthy, no leader seen) rather than the whole view failing with a parse error.
  const statuses = parsePartial(statusRun.stdout, endpointStatusSchema);
  const health = parsePartial(healthRun.stdout, endpointHealthSchema);
  return members.map((m) => {
    const st = statuses.find((s) => m.clientURLs.includes(s.Endpoint));
    const h = health.find((x) => m.clientURLs.includes(x.endpoint));
    return {
      id: m.ID, name: m.name, peerUrls: m.peerURLs, clientUrls: m.clientURLs, endpoint: m.clientURLs[0],
      healthy: h?.health ?? false, isLeader: st !== undefined && st.Status.leader === st.Status.header.member_id,
      version: st?.Status.version, raftTerm: st?.Status.raftTerm, answered: st !== undefined,
    };
  });
}

function parsePartial<T>(stdout: string, schema: z.ZodType<T[]>): T[] {
  try {
    const parsed = schema.safeParse(JSON.parse(stdout));
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

export const hashkvSchema = z.array(z.object({ Endpoint: z.string(), HashKV: z.object({ hash: z.number(), hash_revision: z.number().optional() }).passthrough() }));

/** `endpoint hashkv` of every member at one common revision (the lowest current one), keyed by client URL. */
export async function etcdHashes(a: EtcdAccess): Promise<Record<string, string>> {
  const st = await etcdctl(a, ['endpoint', 'status', '--cluster']);
  const statuses = st.stdout.trim() ? endpointStatusSchema.parse(JSON.parse(st.stdout)) : [];
  const revs = statuses.map((s) => Number(s.Status.header.revision ?? 0)).filter((r) => r > 0);
  if (!revs.length) return {};
  const r = await etcdctl(a, ['endpoint', 'hashkv', '--cluster', `--rev=${Math.min(...revs)}`]);
  const parsed = r.stdout.trim() ? hashkvSchema.parse(JSON.parse(r.stdout)) : [];
  return Object.fromEntries(parsed.map((h) => [h.Endpoint, String(h.HashKV.hash)]));
}
