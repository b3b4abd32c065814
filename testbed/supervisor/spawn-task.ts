// Starts a long-running task process inside a network namespace with its output appended to a log file.
import { execa, type Options, type ResultPromise } from 'execa';

export interface TaskProcess {
  pid: number | undefined;
  /** Resolves when the process ends, with its exit code or signal. */
  exited: Promise<{ exitCode: number | undefined; signal: string | undefined }>;
  child: ResultPromise;
}

/** A task given its own `env` gets exactly that (plus a PATH), as the Mesos default executor starts an SDK pod's task. */
const TASK_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export function spawnTask(netns: string, command: string, args: readonly string[], logFile: string, env?: Record<string, string>): TaskProcess {
  const options: Options = {
    stdin: 'ignore', stdout: { file: logFile, append: true }, stderr: { file: logFile, append: true }, reject: false, cleanup: false,
    ...(env ? { env: { PATH: TASK_PATH, ...env }, extendEnv: false } : {}),
  };
  const child: ResultPromise = execa('ip', ['netns', 'exec', netns, command, ...args], options);
  const exited = child.then((r) => ({ exitCode: r.exitCode, signal: r.signal }));
  return { pid: child.pid, exited, child };
}
