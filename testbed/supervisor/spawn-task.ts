// Starts a long-running task process inside a network namespace with its output appended to a log file.
import { execa, type Options, type ResultPromise } from 'execa';

export interface TaskProcess {
  pid: number | undefined;
  /** Resolves when the process ends, with its exit code or signal. */
  exited: Promise<{ exitCode: number | undefined; signal: string | undefined }>;
  child: ResultPromise;
}

export function spawnTask(netns: string, command: string, args: readonly string[], logFile: string, env?: Record<string, string>): TaskProcess {
  const options: Options = { stdin: 'ignore', stdout: { file: logFile, append: true }, stderr: { file: logFile, append: true }, reject: false, cleanup: false, ...(env ? { env } : {}) };
  const child: ResultPromise = execa('ip', ['netns', 'exec', netns, command, ...args], options);
  const exited = child.then((r) => ({ exitCode: r.exitCode, signal: r.signal }));
  return { pid: child.pid, exited, child };
}
