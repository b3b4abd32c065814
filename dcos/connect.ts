// Connects to the DC/OS cluster a target file names: reads the CA and the credentials, logs in, returns the client.
import { readFileSync } from 'node:fs';
import { UsageError } from '../config/options.ts';
import { DcosClient } from './client.ts';
import { readCredentialsFile } from './credentials.ts';
import type { DcosTarget } from './target-file.ts';

export async function connectDcos(target: DcosTarget, options: { timeoutMs?: number } = {}): Promise<DcosClient> {
  let tls: { ca: Buffer } | { insecure: true };
  if ('caFile' in target.tls) {
    try {
      tls = { ca: readFileSync(target.tls.caFile) };
    } catch (e) {
      throw new UsageError(`target ca: cannot read ${JSON.stringify(target.tls.caFile)} (${(e as NodeJS.ErrnoException).code ?? e})`);
    }
  } else {
    tls = { insecure: true };
  }
  const client = new DcosClient({ url: target.url, serviceName: target.cluster, tls, ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) });
  try {
    await client.login(readCredentialsFile(target.credentialsFile));
  } catch (e) {
    client.close();
    throw e;
  }
  return client;
}
