// SSH onto the testbed's agents, as on a DC/OS cluster: a real OpenSSH sshd per agent (a supervised task listening on the
// agent's address inside its namespace), a host key, a client key, authorized_keys and known_hosts; and the DC/OS target
// file that points `HAPROOF_TARGET=dcos` at the testbed's DC/OS surface.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MASTER_IP } from '../config/addresses.ts';
import { runOrThrow } from '../core/run.ts';
import { SANDBOX_PATH, type TestbedPaths } from './paths.ts';

export const SSHD = '/usr/sbin/sshd';
/** sshd's compiled-in privilege separation directory; created (and later removed) by haproof when missing. */
export const SSHD_PRIVSEP_DIR = '/run/sshd';

export interface SshFiles {
  hostKey: string;
  clientKey: string;
  authorizedKeys: string;
  knownHosts: string;
  config: string;
}

export function sshFiles(paths: TestbedPaths): SshFiles {
  return {
    hostKey: join(paths.pki, 'ssh_host_ed25519_key'),
    clientKey: join(paths.pki, 'ssh-client'),
    authorizedKeys: join(paths.pki, 'ssh_authorized_keys'),
    knownHosts: join(paths.pki, 'ssh_known_hosts'),
    config: join(paths.work, 'sshd_config'),
  };
}

/** The agents' sshd configuration: keys only, root by key, nothing forwarded. Pure. */
export function renderSshdConfig(f: SshFiles): string {
  return [
    `HostKey ${f.hostKey}`,
    `AuthorizedKeysFile ${f.authorizedKeys}`,
    'PermitRootLogin prohibit-password',
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    // The key files live in haproof's work dir under /run, not in a home directory.
    'StrictModes no',
    'AllowTcpForwarding no',
    'X11Forwarding no',
    'PermitTunnel no',
    'PrintMotd no',
    'PidFile none',
    'LogLevel ERROR',
    '',
  ].join('\n');
}

/** Keys, authorized_keys, known_hosts and the sshd config for the agents. */
export async function createSshAccess(paths: TestbedPaths, agents: ReadonlyArray<{ host: string; ip: string }>): Promise<void> {
  const f = sshFiles(paths);
  await runOrThrow('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'haproof-testbed-host', '-f', f.hostKey]);
  await runOrThrow('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'haproof-runner', '-f', f.clientKey]);
  await writeFile(f.authorizedKeys, await readFile(`${f.clientKey}.pub`, 'utf8'));
  const [type, blob] = (await readFile(`${f.hostKey}.pub`, 'utf8')).trim().split(/\s+/);
  await writeFile(f.knownHosts, agents.map((a) => `${a.ip} ${type} ${blob}\n`).join(''));
  await writeFile(f.config, renderSshdConfig(f));
}

/** The target file and credentials that make the testbed a `HAPROOF_TARGET=dcos` cluster. */
export async function writeTestbedDcosTarget(paths: TestbedPaths, cluster: string, login: { uid: string; password: string }, etcdctl: string): Promise<string> {
  const f = sshFiles(paths);
  const credentials = join(paths.work, 'dcos-credentials.json');
  await writeFile(credentials, JSON.stringify(login) + '\n', { mode: 0o600 });
  const target = {
    url: `https://${MASTER_IP}`,
    ca: join(paths.pki, 'ca.crt'),
    credentials,
    ssh: { user: 'root', keyPath: f.clientKey, port: 22, knownHosts: f.knownHosts },
    service: { name: cluster },
    kubernetes: {
      kubeconfig: paths.adminKubeconfig,
      caFile: join(paths.pki, 'ca.crt'),
      clientCert: join(paths.pki, 'admin.crt'),
      clientKey: join(paths.pki, 'admin.key'),
    },
    // etcdctl runs inside a member's task (`in: task`, the default), with the certificates of that task's sandbox: paths
    // that exist only in the task's own mount namespace (testbed/tasks.ts etcdTask), as on DC/OS.
    etcd: {
      etcdctl,
      caFile: `${SANDBOX_PATH}/ca.crt`,
      certFile: `${SANDBOX_PATH}/client.crt`,
      keyFile: `${SANDBOX_PATH}/client.key`,
      in: 'task',
    },
  };
  const file = join(paths.work, 'dcos-target.json');
  await writeFile(file, JSON.stringify(target, null, 2) + '\n');
  return file;
}
