// SSH to the cluster's hosts (the DC/OS target's way onto agents): one connection per host, kept and reused, commands
// with a timeout, host keys checked against a known_hosts file when one is given. The private key is never logged.
import { shq } from '../../core/shell-quote.ts';
import { KeyedLimit } from '../../core/keyed-limit.ts';
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
  /** Run every command as root through `sudo -n` (a non-root SSH user; never prompts: no password means a clear error). */
  sudo?: boolean;
}

/** The command as the remote shell gets it: through `sudo -n sh -c '…'` for a non-root user (pure). */
export function asRoot(command: string, sudo: boolean | undefined): string {
  return sudo ? `sudo -n sh -c ${shq(command)}` : command;
}

export interface ExecResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Parses known_hosts lines `host[,host…] type base64` into host → key blobs (base64); `[host]:port` counts for `port`. Pure. */
export function parseKnownHosts(text: string, port = 22): Map<string, string[]> {
  const keys = new Map<string, string[]>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith('|') || line.startsWith('@')) continue;
    const [hosts, , blob] = line.split(/\s+/);
    if (!hosts || !blob) continue;
    for (const raw of hosts.split(',')) {
      const bracketed = /^\[(.*)\]:(\d+)$/.exec(raw);
      // A plain name is port 22's entry; `[name]:port` belongs to that port only.
      const h = bracketed ? (Number(bracketed[2]) === port ? bracketed[1]! : undefined) : port === 22 ? raw : undefined;
      if (h !== undefined) keys.set(h, [...(keys.get(h) ?? []), blob]);
    }
  }
  return keys;
}

/**
 * Sessions run at once on one host's connection, the rest wait their turn: OpenSSH refuses a channel beyond its
 * MaxSessions (10 by default, sshd_config(5)) with "open failed", which a health check reading etcd, /readyz and both
 * leader gauges at once did (dcos target, session 10). Two below it, for whatever else the user runs.
 */
export const MAX_SESSIONS_PER_HOST = 8;

export class SshPool {
  readonly #key: Buffer;
  readonly #sessions = new KeyedLimit(MAX_SESSIONS_PER_HOST);
  readonly #known: Map<string, string[]> | undefined;
  readonly #clients = new Map<string, Promise<Client>>();

  constructor(private readonly o: SshOptions) {
    this.#key = readFileSync(o.keyPath);
    const parsed = utils.parseKey(this.#key);
    if (parsed instanceof Error) throw new Error(`ssh key ${o.keyPath}: ${parsed.message}`);
    this.#known = o.knownHostsPath ? parseKnownHosts(readFileSync(o.knownHostsPath, 'utf8'), o.port) : undefined;
  }

  /** Forgets `host`'s connection only if it is still this one (a late event of an old one must not drop a new one). */
  #forget(host: string, entry: Promise<Client>): void {
    if (this.#clients.get(host) === entry) this.#clients.delete(host);
  }

  #connect(host: string): Promise<Client> {
    const c = new Client();
    let hostKeyError: Error | undefined;
    const entry: Promise<Client> = new Promise((resolve, reject) => {
      c.once('ready', () => resolve(c));
      // Errors can come more than once (protocol, then socket); each just drops the connection.
      c.on('error', (e) => {
        this.#forget(host, entry);
        reject(hostKeyError ?? new Error(`ssh ${this.o.user}@${host}:${this.o.port}: ${e.message}`));
      });
      c.once('close', () => this.#forget(host, entry));
      c.connect({
        host, port: this.o.port, username: this.o.user, privateKey: this.#key, readyTimeout: this.o.connectTimeoutMs ?? 5_000,
        keepaliveInterval: 5_000, keepaliveCountMax: 2,
        hostVerifier: (key: Buffer) => {
          if (!this.#known) return true;
          const ok = (this.#known.get(host) ?? []).includes(key.toString('base64'));
          if (!ok) hostKeyError = new Error(`ssh ${host}: its host key is not in ${this.o.knownHostsPath} (hashed entries are not read)`);
          return ok;
        },
      });
    });
    return entry;
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
    return this.#sessions.run(host, () => this.#exec(host, command, options));
  }

  async #exec(host: string, command: string, options: { input?: string; timeoutMs?: number }): Promise<ExecResult> {
    const timeoutMs = options.timeoutMs ?? 15_000;
    const entry = this.#client(host);
    const client = await entry;
    return new Promise((resolve, reject) => {
      const what = `ssh ${host}: ${JSON.stringify(command.slice(0, 80))}`;
      const timer = setTimeout(() => {
        // A hung session (the host was frozen or cut off): drop the whole connection; the next call reconnects.
        this.#forget(host, entry);
        client.end();
        reject(new Error(`${what} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      const fail = (e: Error) => {
        clearTimeout(timer);
        reject(new Error(`${what}: ${e.message}`));
      };
      try {
        client.exec(asRoot(command, this.o.sudo), (err, stream) => {
          // A refused channel (e.g. too many sessions at once) fails this command only, not the connection.
          if (err) return fail(err);
          let stdout = '';
          let stderr = '';
          stream.on('data', (d: Buffer) => (stdout += d.toString()));
          stream.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
          stream.on('error', fail);
          stream.on('close', (code: number | null | undefined) => {
            clearTimeout(timer);
            resolve({ code: code ?? null, stdout, stderr });
          });
          stream.end(options.input ?? '');
        });
      } catch (e) {
        // ssh2 throws at once when the connection is already gone.
        this.#forget(host, entry);
        fail(e as Error);
      }
    });
  }

  /** Like exec, but anything but exit 0 (a dropped connection gives no exit code) is an error with the stderr. */
  async execOk(host: string, command: string, options: { input?: string; timeoutMs?: number } = {}): Promise<string> {
    const r = await this.exec(host, command, options);
    if (r.code !== 0) throw new Error(`ssh ${host}: ${JSON.stringify(command.slice(0, 80))} exited ${r.code ?? '(no exit code: connection lost)'}: ${r.stderr.trim().split('\n').slice(-3).join(' ')}`);
    return r.stdout;
  }

  close(): void {
    for (const c of this.#clients.values()) void c.then((x) => x.end(), () => undefined);
    this.#clients.clear();
  }
}

export { shq };
