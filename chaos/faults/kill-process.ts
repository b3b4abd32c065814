// Process kill (SIGKILL) or graceful stop (SIGTERM) of selected tasks, with or without the supervisor's relaunch.
import { can, type Role } from '../../targets/cluster.ts';
import type { Fault } from './fault.ts';
import { selectTasks, type Selector } from './targets.ts';

export interface KillParams {
  role: Role;
  selector: Selector;
  signal: 'SIGKILL' | 'SIGTERM';
  /** false: the task stays down until heal (no relaunch in place). */
  relaunch: boolean;
}

export const killProcess: Fault<KillParams> = {
  name: 'kill-process',
  description: 'SIGKILL or SIGTERM selected tasks; relaunched in place unless relaunch is false (then started at heal)',
  // Holding a task down needs a target that can (DC/OS relaunches every task by itself).
  available: async (cluster, p) => p.relaunch || can.holdTaskDown(cluster),
  async inject({ cluster, random, inEffect }, p) {
    const targets = await selectTasks(cluster, p.role, p.selector, random);
    for (const t of targets) {
      if (p.relaunch) await cluster.signalTask(t.task, p.signal);
      else if (can.holdTaskDown(cluster)) await cluster.signalTaskHeld(t.task, p.signal);
      else throw new Error('this target cannot hold a task down');
      inEffect?.();
    }
    return { fault: 'kill-process', targets: targets.map((t) => t.task), undo: { relaunch: p.relaunch } };
  },
  async heal({ cluster }, injection) {
    if ((injection.undo as { relaunch: boolean }).relaunch) return;
    if (!can.holdTaskDown(cluster)) throw new Error('this target cannot hold a task down, so it cannot start one');
    for (const t of injection.targets) await cluster.startTask(t);
  },
};
