// The testbed's PKI with openssl: a cluster CA, etcd peer/client mTLS, apiserver serving certs, client identities.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { runOrThrow } from '../core/run.ts';

export interface CertRequest {
  /** File stem: `<name>.crt` / `<name>.key`. */
  name: string;
  cn: string;
  org?: string;
  dns?: string[];
  ips?: string[];
  usage: 'server' | 'client' | 'peer';
}

const EKU = { server: 'serverAuth', client: 'clientAuth', peer: 'serverAuth,clientAuth' } as const;

/** The openssl extension file text for one certificate (pure). */
export function renderExtensions(req: CertRequest): string {
  const sans = [...(req.dns ?? []).map((d) => `DNS:${d}`), ...(req.ips ?? []).map((ip) => `IP:${ip}`)];
  return [
    'basicConstraints=critical,CA:FALSE',
    'keyUsage=critical,digitalSignature,keyEncipherment',
    `extendedKeyUsage=${EKU[req.usage]}`,
    ...(sans.length ? [`subjectAltName=${sans.join(',')}`] : []),
    '',
  ].join('\n');
}

function subject(cn: string, org?: string): string {
  return (org ? `/O=${org}` : '') + `/CN=${cn}`;
}

/** Creates ca.crt/ca.key, sa.key/sa.pub and every requested certificate in `dir`. */
export async function createPki(dir: string, caName: string, requests: readonly CertRequest[]): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await runOrThrow('openssl', ['req', '-x509', ...ec, '-keyout', join(dir, 'ca.key'), '-out', join(dir, 'ca.crt'), '-days', '30', '-subj', `/CN=${caName}`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign,digitalSignature']);
  await runOrThrow('openssl', ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', join(dir, 'sa.key')]);
  await runOrThrow('openssl', ['ec', '-in', join(dir, 'sa.key'), '-pubout', '-out', join(dir, 'sa.pub')]);
  // Every openssl ends before a failure is reported: teardown then removes a directory nothing writes to any more
  // (a rejection at the first failure raced the others' writes: `rm -r` of the pki directory failed with ENOTEMPTY).
  const settled = await Promise.allSettled(requests.map((req) => createCert(dir, req)));
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

async function createCert(dir: string, req: CertRequest): Promise<void> {
  const key = join(dir, `${req.name}.key`);
  const csr = join(dir, `${req.name}.csr`);
  const ext = join(dir, `${req.name}.ext`);
  await writeFile(ext, renderExtensions(req));
  await runOrThrow('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', csr, '-subj', subject(req.cn, req.org)]);
  await runOrThrow('openssl', ['x509', '-req', '-in', csr, '-CA', join(dir, 'ca.crt'), '-CAkey', join(dir, 'ca.key'), '-set_serial', `0x${randomBytes(15).toString('hex')}`, '-days', '30', '-sha256',
    '-extfile', ext, '-out', join(dir, `${req.name}.crt`)]);
}
