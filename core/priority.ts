// Raises every thread of this process (Linux: nice is per thread) so that the load generator and the recorder are
// not starved by the system under test that shares the machine's cores. Threads made later inherit the nice value of
// the thread that makes them. Needs root; without it nothing changes and false is returned.
import { readdirSync } from 'node:fs';
import { setPriority } from 'node:os';

export const RUNNER_NICE = -10;

export function raiseProcessPriority(nice = RUNNER_NICE): boolean {
  let raised = false;
  let tids: string[];
  try {
    tids = readdirSync('/proc/self/task');
  } catch {
    return false;
  }
  for (const tid of tids) {
    try {
      // setpriority(PRIO_PROCESS, tid) on Linux sets that one thread's nice value — V8's GC helper threads included,
      // which a parallel scavenge of the load's thread waits for.
      setPriority(Number(tid), nice);
      raised = true;
    } catch {
      // not root, or the thread ended meanwhile
    }
  }
  return raised;
}
