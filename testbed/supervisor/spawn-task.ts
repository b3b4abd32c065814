// Starts a long-running task process inside a network namespace with its output appended to a log file.
import { execa, type Options, type ResultPromise } from 'execa';
import { SANDBOX_PATH } from '../paths.ts';

export interface TaskProcess {
  pid: number | undefined;
  /** Resolves when the process ends, with its exit code or signal. */
  exited: Promise<{ exitCode: number | undefined; signal: string | undefined }>;
  child: ResultPromise;
}

/** A task given its own `env` gets exactly that (plus a PATH), as the Mesos default executor starts an SDK pod's task. */
const TASK_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * With a sandbox: the task's own mount namespace (`ip netns exec` makes one, slave to the machine's, so nothing here
 * propagates back) gets a private tmpfs on /mnt and the sandbox's host directory bound at /mnt/mesos/sandbox, as the
 * Mesos agent's filesystem isolator mounts a container's sandbox; the task then runs there, in its sandbox as its
 * working directory. `exec` keeps the task's own pid, command line and environment.
 */
const IN_SANDBOX = `mount -t tmpfs -o size=1m,mode=0755 mesos /mnt && mkdir -p ${SANDBOX_PATH} && mount --bind "$0" ${SANDBOX_PATH} && cd ${SANDBOX_PATH} && unset OLDPWD && exec "$@"`;

export function spawnTask(netns: string, command: string, args: readonly string[], logFile: string, env?: Record<string, string>, sandboxDir?: string): TaskProcess {
  const options: Options = {
    stdin: 'ignore', stdout: { file: logFile, append: true }, stderr: { file: logFile, append: true }, reject: false, cleanup: false,
    ...(env ? { env: { PATH: TASK_PATH, ...env }, extendEnv: false } : {}),
  };
  const argv = sandboxDir ? ['/bin/sh', '-c', IN_SANDBOX, sandboxDir, command, ...args] : [command, ...args];
  const child: ResultPromise = execa('ip', ['netns', 'exec', netns, ...argv], options);
  const exited = child.then((r) => ({ exitCode: r.exitCode, signal: r.signal }));
  return { pid: child.pid, exited, child };
}
