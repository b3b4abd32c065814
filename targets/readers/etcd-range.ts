// Reads keys straight from etcd (`etcdctl get --prefix`, linearizable): the store itself, beside what the apiservers say.
import { z } from 'zod';
import { etcdClientUrls } from '../../config/naming.ts';
import { etcdctl, type EtcdAccess } from './etcdctl.ts';

export interface EtcdKey {
  key: string;
  /** The key's mod_revision: what Kubernetes reports as the object's resourceVersion. */
  modRevision: string;
  /** The stored bytes as latin1 text (Kubernetes stores protobuf; strings inside it are found verbatim). */
  value: string;
}

const rangeSchema = z.object({
  kvs: z.array(z.object({ key: z.string(), mod_revision: z.coerce.number(), value: z.string().optional() }).passthrough()).optional(),
}).passthrough();

const fromBase64 = (s: string, enc: BufferEncoding): string => Buffer.from(s, 'base64').toString(enc);

/** Every key under `prefix`, with its mod revision and value. Throws when etcd does not answer. */
export async function etcdRange(a: EtcdAccess, prefix: string, member?: number): Promise<EtcdKey[]> {
  const access = member === undefined ? a : { ...a, endpoints: [etcdClientUrls(a.cluster, a.members)[member]!] };
  // Not --hex here: keys and values come base64-encoded in etcdctl's JSON output.
  const r = await etcdctl(access, ['get', prefix, '--prefix'], 10_000);
  if (r.failed) throw new Error(`etcdctl get ${prefix} --prefix failed: ${r.stderr.split('\n').slice(-3).join(' ')}`);
  const parsed = rangeSchema.parse(JSON.parse(r.stdout));
  return (parsed.kvs ?? []).map((kv) => ({ key: fromBase64(kv.key, 'utf8'), modRevision: String(kv.mod_revision), value: fromBase64(kv.value ?? '', 'latin1') }));
}
