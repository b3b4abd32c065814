// The target file for `HAPROOF_TARGET=dcos`: cluster URL, CA (or insecure), credentials file, SSH to the agents, and the
// kubernetes-cluster service name; validated once with zod, errors name the field and the value.
import { accessSync, constants, readFileSync } from 'node:fs';
import ssh2 from 'ssh2';
import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { describeZodError, UsageError } from '../config/options.ts';
import { readJsonFile } from '../core/read-json-file.ts';
import { serviceNameSchema } from './package-options.ts';

export const dcosTargetFileSchema = z.strictObject({
  /** Admin Router URL of the cluster, e.g. `https://dcos.example.com`. */
  url: z.url({ protocol: /^https$/, error: 'must be an https:// URL of the cluster (Admin Router)' }),
  /** PEM file of the cluster CA (`/ca/dcos-ca.crt`); or `insecure: true`. */
  ca: z.string().min(1).optional(),
  insecure: z.literal(true, { error: 'may only be true (leave it out to verify the cluster with `ca`)' }).optional(),
  /** File holding a token, `{"uid","password"}`, or a service-account secret. */
  credentials: z.string().min(1),
  ssh: z.strictObject({
    user: z.string().min(1),
    keyPath: z.string().min(1),
    port: z.number().int('must be a whole number').min(1).max(65535).default(22),
    /** OpenSSH known_hosts with the agents' host keys (plain entries; hashed ones are not read). */
    knownHosts: z.string().min(1).optional(),
    /** Accept any host key (like TLS's `insecure`): only when there is no known_hosts to give. */
    insecureHostKeys: z.literal(true, { error: 'may only be true (leave it out and give ssh.knownHosts)' }).optional(),
  }),
  /** How to reach the Kubernetes API of the installed cluster (needed to run the suites; not to install). */
  kubernetes: z.strictObject({
    kubeconfig: z.string().min(1),
    /** CA of the apiserver's serving certificate. */
    caFile: z.string().min(1),
    /** A client certificate allowed to read the scheduler's and controller-manager's /metrics. */
    clientCert: z.string().min(1),
    clientKey: z.string().min(1),
  }).optional(),
  /** etcdctl and its client certificate ON THE AGENTS (paths there), used over SSH. */
  etcd: z.strictObject({
    etcdctl: z.string().min(1),
    caFile: z.string().min(1),
    certFile: z.string().min(1),
    keyFile: z.string().min(1),
  }).optional(),
  /** The kubernetes-cluster service (`service.name` of its package options); it names the cluster. */
  service: z.strictObject({ name: serviceNameSchema.default('kubernetes-cluster') }).prefault({}),
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
  ssh: { user: string; keyPath: string; port: number; knownHostsPath?: string | undefined };
  /** The cluster name = the service name. */
  cluster: string;
  kubernetes?: { kubeconfig: string; caFile: string; clientCert: string; clientKey: string } | undefined;
  /** Remote paths on the agents. */
  etcd?: { etcdctl: string; caFile: string; certFile: string; keyFile: string } | undefined;
}

/** Validates a target object; relative paths are taken from `baseDir` (the target file's folder). Pure. */
export function parseDcosTarget(json: unknown, source: string, baseDir: string): DcosTarget {
  // Checked before zod, whose error would quote the URL and with it the password.
  const url = json && typeof json === 'object' ? (json as Record<string, unknown>).url : undefined;
  if (typeof url === 'string' && URL.canParse(url) && (new URL(url).username || new URL(url).password)) {
    throw new UsageError(`${source}: url: must not carry credentials (user:password@); use the credentials file`);
  }
  const parsed = dcosTargetFileSchema.safeParse(json);
  if (!parsed.success) throw new UsageError(describeZodError(parsed.error, `${source}:`, json));
  const t = parsed.data;
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(baseDir, p));
  return {
    url: new URL(t.url).origin,
    tls: t.ca !== undefined ? { caFile: abs(t.ca) } : { insecure: true },
    credentialsFile: abs(t.credentials),
    ssh: { user: t.ssh.user, keyPath: abs(t.ssh.keyPath), port: t.ssh.port, knownHostsPath: t.ssh.knownHosts === undefined ? undefined : abs(t.ssh.knownHosts) },
    cluster: t.service.name,
    kubernetes: t.kubernetes && { kubeconfig: abs(t.kubernetes.kubeconfig), caFile: abs(t.kubernetes.caFile), clientCert: abs(t.kubernetes.clientCert), clientKey: abs(t.kubernetes.clientKey) },
    etcd: t.etcd,
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
    try {
      accessSync(file, constants.R_OK);
    } catch (e) {
      throw new UsageError(`target file ${path}: ${field}: cannot read ${JSON.stringify(file)} (${(e as NodeJS.ErrnoException).code ?? e})`);
    }
  }
  // An unusable key is bad input: said now, before any login or connection.
  const key = sshKeyProblem(readFileSync(target.ssh.keyPath));
  if (key) throw new UsageError(`target file ${path}: ssh.keyPath: ${JSON.stringify(target.ssh.keyPath)} ${key}`);
  return target;
}

/** Why a private key file cannot be used by the SSH client (encrypted, a public key, not a key), if it cannot. */
export function sshKeyProblem(pem: Buffer): string | undefined {
  const parsed = ssh2.utils.parseKey(pem);
  if (parsed instanceof Error) return `is not a usable unencrypted private key (${parsed.message})`;
  const first = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!first || !first.isPrivateKey()) return 'is not a private key (a public key?)';
  return undefined;
}

/** Where the target file is looked for: `HAPROOF_DCOS_TARGET`, else `dcos-target.json` in the working directory. */
export function dcosTargetPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.HAPROOF_DCOS_TARGET ?? 'dcos-target.json';
}
