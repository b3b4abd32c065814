// SSH to the cluster's hosts (the DC/OS target's way onto agents): one connection per host, kept and reused, commands
// with a timeout, host keys checked against a known_hosts file when one is given. The private key is never logged.
import { readFileSync } from 'node:fs';
import ssh2 from 'ssh2';

const { Client, utils } = ssh2;
type Client = InstanceType<typeof Client>;

export interface SshOptions {
  user: string;
  keyPath: string;
  port: number;
  /** OpenSSH known_hosts file (plain host names or addresses, no hashed entries); without it any host key is accepted. */
  knownHostsPath?: string | undefined;
  connectTimeoutMs?: number;
}

export interface ExecResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Parses known_hosts lines `host[,host…] type base64` into host → key blobs (base64). Pure. */
export function parseKnownHosts(text: string): Map<string, string[]> {
  const keys = new Map<string, string[]>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith('|') || line.startsWith('@')) continue;
    const [hosts, , blob] = line.split(/\s+/);
    if (!hosts || !blob) continue;
    for (const h of hosts.split(',').map((x) => x.replace(/^\[(.*)\]:22$/, '$1'))) keys.set(h, [...(keys.get(h) ?? []), blob]);
  }
  return keys;
}

export class SshPool {
  readonly #key: Buffer;
  readonly #known: Map<string, string[]> | undefined;
  readonly #clients = new Map<string, Promise<Client>>();

  constructor(private readonly o: SshOptions) {
    this.#key = readFileSync(o.keyPath);
    const parsed = utils.parseKey(this.#key);
    if (parsed instanceof Error) throw new Error(`ssh key ${o.keyPath}: ${parsed.message}`);
    this.#known = o.knownHostsPath ? parseKnownHosts(readFileSync(o.knownHostsPath, 'utf8')) : undefined;
  }

  #connect(host: string): Promise<Client> {
    return new Promise((resolve, reject) => {
      const c = new Client();
      let hostKeyError: Error | undefined;
      c.once('ready', () => resolve(c));
      c.once('error', (e) => {
        this.#clients.delete(host);
        reject(hostKeyError ?? new Error(`ssh ${this.o.user}@${host}:${this.o.port}: ${e.message}`));
      });
      c.once('close', () => this.#clients.delete(host));
      c.connect({
        host, port: this.o.port, username: this.o.user, privateKey: this.#key, readyTimeout: this.o.connectTimeoutMs ?? 5_000,
        keepaliveInterval: 5_000, keepaliveCountMax: 2,
        hostVerifier: (key: Buffer) => {
          if (!this.#known) return true;
          const ok = (this.#known.get(host) ?? []).includes(key.toString('base64'));
          if (!ok) hostKeyError = new Error(`ssh ${host}: host key not in ${this.o.knownHostsPath}`);
          return ok;
        },
      });
    });
  }

  #client(host: string): Promise<Client> {
    let c = this.#clients.get(host);
    if (!c) {
      c = this.#connect(host);
      this.#clients.set(host, c);
      c.catch(() => undefined);
    }
    return c;
  }

  /** Runs `command` with the remote user's shell; rejects only when it cannot be run or times out. */
  async exec(host: string, command: string, options: { input?: string; timeoutMs?: number } = {}): Promise<ExecResult> {
    const timeoutMs = options.timeoutMs ?? 15_000;
    const client = await this.#client(host);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        // A hung session (e.g. the host was frozen or cut off): drop the whole connection; the next call reconnects.
        this.#clients.delete(host);
        client.end();
        reject(new Error(`ssh ${host}: ${JSON.stringify(command.slice(0, 80))} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      client.exec(command, (err, stream) => {
        if (err) {
          clearTimeout(timer);
          this.#clients.delete(host);
          client.end();
          reject(new Error(`ssh ${host}: ${err.message}`));
          return;
        }
        let stdout = '';
        let stderr = '';
        stream.on('data', (d: Buffer) => (stdout += d.toString()));
        stream.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        stream.on('close', (code: number | null) => {
          clearTimeout(timer);
          resolve({ code, stdout, stderr });
        });
        stream.end(options.input ?? '');
      });
    });
  }

  /** Like exec, but a non-zero exit is an error carrying the command's stderr. */
  async execOk(host: string, command: string, options: { input?: string; timeoutMs?: number } = {}): Promise<string> {
    const r = await this.exec(host, command, options);
    if (r.code !== 0) throw new Error(`ssh ${host}: ${JSON.stringify(command.slice(0, 80))} exited ${r.code}: ${r.stderr.trim().split('\n').slice(-3).join(' ')}`);
    return r.stdout;
  }

  close(): void {
    for (const c of this.#clients.values()) void c.then((x) => x.end(), () => undefined);
    this.#clients.clear();
  }
}

/** Quotes one word for a POSIX shell. Pure. */
export function shq(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}
