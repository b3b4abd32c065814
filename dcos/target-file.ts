// The target file for `HAPROOF_TARGET=dcos`: cluster URL, CA (or insecure), credentials file, SSH to the agents, the
// kubernetes-cluster service name and, on Enterprise, its service account; validated once with zod, errors name the
// field and the value.
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import ssh2 from 'ssh2';
import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { describeInputError, requireJsonObject, UsageError } from '../config/options.ts';
import { readJsonFile } from '../core/read-json-file.ts';
import { serviceNameSchema } from './package-options.ts';

/** A file path: not empty, and without NUL (no path can hold one: the OS would refuse or cut it there). */
const filePath = () => z.string().min(1).refine((p) => !p.includes('\0'), 'must not contain a NUL character (\\u0000)');

export const dcosTargetFileSchema = z.strictObject({
  /** Admin Router URL of the cluster, e.g. `https://dcos.example.com`. */
  url: z.url({ protocol: /^https$/, error: 'must be an https:// URL of the cluster (Admin Router)' }),
  /** PEM file of the cluster CA (`/ca/dcos-ca.crt`); or `insecure: true`. */
  ca: filePath().optional(),
  insecure: z.literal(true, { error: 'may only be true (leave it out to verify the cluster with `ca`)' }).optional(),
  /** File holding a token, `{"uid","password"}`, or a service-account secret. */
  credentials: filePath(),
  ssh: z.strictObject({
    user: z.string().min(1),
    keyPath: filePath(),
    port: z.number().int('must be a whole number').min(1).max(65535).default(22),
    /** OpenSSH known_hosts with the agents' host keys (plain entries; hashed ones are not read). */
    knownHosts: filePath().optional(),
    /** Accept any host key (like TLS's `insecure`): only when there is no known_hosts to give. */
    insecureHostKeys: z.literal(true, { error: 'may only be true (leave it out and give ssh.knownHosts)' }).optional(),
    /** The SSH user is not root (DC/OS node images log in as e.g. `core` or `centos`): run host commands with `sudo -n`. */
    sudo: z.boolean({ error: 'must be true or false' }).default(false),
  }),
  /** How to reach the Kubernetes API of the installed cluster (needed to run the suites; not to install). */
  kubernetes: z.strictObject({
    kubeconfig: filePath(),
    /** CA of the apiserver's serving certificate. */
    caFile: filePath(),
    /** A client certificate allowed to read the scheduler's and controller-manager's /metrics. */
    clientCert: filePath(),
    clientKey: filePath(),
  }).optional(),
  /**
   * etcdctl and its client certificate, used over SSH: paths inside an etcd task (`in: "task"`, the default — etcdctl in
   * the task's image, the certificates in its sandbox `/mnt/mesos/sandbox`, whose host path changes with every relaunch;
   * haproof enters the task's mount and network namespaces) or on the agents (`in: "agent"`).
   */
  etcd: z.strictObject({
    etcdctl: filePath(),
    caFile: filePath(),
    certFile: filePath(),
    keyFile: filePath(),
    in: z.enum(['task', 'agent'], { error: 'must be "task" (paths inside the etcd task) or "agent" (paths on the agent)' }).default('task'),
  }).optional(),
  /** The kubernetes-cluster service (`service.name` of its package options); it names the cluster. */
  service: z.strictObject({ name: serviceNameSchema.default('kubernetes-cluster') }).prefault({}),
  /**
   * The cluster runs DC/OS Enterprise: the service is installed with this service account (`service.service_account`)
   * and the secret-store path of its secret (`service.service_account_secret`), without which its scheduler cannot
   * register with Mesos. Create both first (`dcos security org service-accounts create`, `dcos security secrets
   * create-sa-secret`).
   */
  enterprise: z.strictObject({
    serviceAccount: z.string({ error: 'required: the service account id (service.service_account)' }).min(1, 'must not be empty'),
    serviceAccountSecret: z.string({ error: 'required: the secret store path of the service account secret (service.service_account_secret)' }).min(1, 'must not be empty'),
  }).optional(),
}).superRefine((t, ctx) => {
  if (t.ca !== undefined && t.insecure) ctx.addIssue({ code: 'custom', path: ['insecure'], message: 'give either ca or insecure: true, not both' });
  if (t.ca === undefined && !t.insecure) ctx.addIssue({ code: 'custom', path: ['ca'], message: 'required (a CA file to verify the cluster), or set insecure: true' });
  if (t.ssh.knownHosts !== undefined && t.ssh.insecureHostKeys) ctx.addIssue({ code: 'custom', path: ['ssh', 'insecureHostKeys'], message: 'give either ssh.knownHosts or ssh.insecureHostKeys: true, not both' });
  if (t.ssh.knownHosts === undefined && !t.ssh.insecureHostKeys) ctx.addIssue({ code: 'custom', path: ['ssh', 'knownHosts'], message: 'required (the agents\' host keys), or set ssh.insecureHostKeys: true' });
});

export interface DcosTarget {
  url: string;
  tls: { caFile: string } | { insecure: true };
  credentialsFile: string;
  ssh: { user: string; keyPath: string; port: number; knownHostsPath?: string | undefined; sudo?: boolean };
  /** The cluster name = the service name. */
  cluster: string;
  kubernetes?: { kubeconfig: string; caFile: string; clientCert: string; clientKey: string } | undefined;
  /** Remote paths: inside an etcd task (`task`) or on the agents (`agent`). */
  etcd?: { etcdctl: string; caFile: string; certFile: string; keyFile: string; in: 'task' | 'agent' } | undefined;
  /** DC/OS Enterprise: the service account the service is installed with. */
  enterprise?: { serviceAccount: string; serviceAccountSecret: string } | undefined;
}

/** Validates a target object; relative paths are taken from `baseDir` (the target file's folder). Pure. */
export function parseDcosTarget(json: unknown, source: string, baseDir: string): DcosTarget {
  requireJsonObject(json, `${source}:`);
  // Checked before zod, whose error would quote the URL and with it the password: any `scheme:` + authority with an
  // `@`, parseable or not (`https://u:pw@` is no URL, yet holds the password all the same).
  if (typeof json.url === 'string' && (/^[^:/\\?#]*:[/\\]*[^/\\?#]*@/.test(json.url) || (URL.canParse(json.url) && (new URL(json.url).username || new URL(json.url).password)))) {
    throw new UsageError(`${source}: url: must not carry credentials (user:password@); use the credentials file`);
  }
  const parsed = dcosTargetFileSchema.safeParse(json);
  if (!parsed.success) throw new UsageError(describeInputError(parsed.error, `${source}:`, json));
  const t = parsed.data;
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(baseDir, p));
  return {
    url: new URL(t.url).origin,
    tls: t.ca !== undefined ? { caFile: abs(t.ca) } : { insecure: true },
    credentialsFile: abs(t.credentials),
    ssh: { user: t.ssh.user, keyPath: abs(t.ssh.keyPath), port: t.ssh.port, knownHostsPath: t.ssh.knownHosts === undefined ? undefined : abs(t.ssh.knownHosts), sudo: t.ssh.sudo },
    cluster: t.service.name,
    kubernetes: t.kubernetes && { kubeconfig: abs(t.kubernetes.kubeconfig), caFile: abs(t.kubernetes.caFile), clientCert: abs(t.kubernetes.clientCert), clientKey: abs(t.kubernetes.clientKey) },
    etcd: t.etcd,
    ...(t.enterprise ? { enterprise: { serviceAccount: t.enterprise.serviceAccount, serviceAccountSecret: t.enterprise.serviceAccountSecret } } : {}),
  };
}

/** Reads and validates a target file, and checks that the files it names can be read. Throws UsageError. */
export function readDcosTarget(path: string): DcosTarget {
  const target = parseDcosTarget(readJsonFile(path, 'target file'), `target file ${path}`, dirname(resolve(path)));
  const files: Array<[string, string]> = [['credentials', target.credentialsFile], ['ssh.keyPath', target.ssh.keyPath]];
  if ('caFile' in target.tls) files.unshift(['ca', target.tls.caFile]);
  if (target.ssh.knownHostsPath) files.push(['ssh.knownHosts', target.ssh.knownHostsPath]);
  if (target.kubernetes) for (const k of ['kubeconfig', 'caFile', 'clientCert', 'clientKey'] as const) files.push([`kubernetes.${k}`, target.kubernetes[k]]);
  for (const [field, file] of files) {
    const problem = fileProblem(file, field === 'ssh.keyPath' ? MAX_KEY_BYTES : undefined);
    if (problem) throw new UsageError(`target file ${path}: ${field}: ${problem}`);
  }
  // An unusable key is bad input: said now, before any login or connection.
  let pem: Buffer;
  try {
    pem = readFileSync(target.ssh.keyPath);
  } catch (e) {
    // A readable regular file may still fail to read (`/proc/self/mem`: EIO).
    throw new UsageError(`target file ${path}: ssh.keyPath: cannot read ${shownPath(target.ssh.keyPath)} (${(e as NodeJS.ErrnoException).code ?? e})`);
  }
  const key = sshKeyProblem(pem);
  if (key) throw new UsageError(`target file ${path}: ssh.keyPath: ${shownPath(target.ssh.keyPath)} ${key}`);
  return target;
}

const MAX_KEY_BYTES = 64 * 1024;

/** A path as an error shows it: quoted, escaped, and cut (a 100 kB "path" must not fill the terminal). */
function shownPath(p: string): string {
  return JSON.stringify(p.length > 200 ? `${p.slice(0, 200)}…` : p);
}

/**
 * Why a file named in the target file cannot be used: missing or unreadable, or not a regular file (a directory such
 * as `..`, or a device such as `/dev/zero` that would be read forever); `maxBytes` for a file read here at once.
 */
function fileProblem(file: string, maxBytes?: number): string | undefined {
  const shown = shownPath(file);
  const code = (e: unknown) => (e as NodeJS.ErrnoException).code ?? String(e);
  try {
    const st = statSync(file);
    if (st.isDirectory()) return `${shown} is a directory, not a file`;
    if (!st.isFile()) return `${shown} is not a regular file`;
    if (maxBytes !== undefined && st.size > maxBytes) return `${shown} is too big (${st.size} bytes; a key is a few kB)`;
    accessSync(file, constants.R_OK);
    return undefined;
  } catch (e) {
    return `cannot read ${shown} (${code(e)})`;
  }
}

/** Why a private key file cannot be used by the SSH client (encrypted, a public key, not a key), if it cannot. */
export function sshKeyProblem(pem: Buffer): string | undefined {
  let parsed: ReturnType<typeof ssh2.utils.parseKey>;
  try {
    parsed = ssh2.utils.parseKey(pem);
  } catch (e) {
    return `is not a usable unencrypted private key (${(e as Error).message})`;
  }
  if (parsed instanceof Error) return `is not a usable unencrypted private key (${parsed.message})`;
  const first = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!first || !first.isPrivateKey()) return 'is not a private key (a public key?)';
  return undefined;
}

/** Where the target file is looked for: `HAPROOF_DCOS_TARGET`, else `dcos-target.json` in the working directory. */
export function dcosTargetPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.HAPROOF_DCOS_TARGET ?? 'dcos-target.json';
}
