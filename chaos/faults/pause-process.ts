// Pause (SIGSTOP) selected tasks; heal resumes them (SIGCONT). A paused process holds its sockets but answers nothing.
import type { Role } from '../../targets/cluster.ts';
import type { Fault } from './fault.ts';
import { selectTasks, type Selector } from './targets.ts';

export const pauseProcess: Fault<{ role: Role; selector: Selector }> = {
  name: 'pause-process',
  description: 'SIGSTOP selected tasks, SIGCONT at heal',
  available: async () => true,
  async inject({ cluster, random, inEffect }, p) {
    const targets = await selectTasks(cluster, p.role, p.selector, random);
    for (const t of targets) {
      await cluster.signalTask(t.task, 'SIGSTOP');
      inEffect?.();
    }
    return { fault: 'pause-process', targets: targets.map((t) => t.task) };
  },
  async heal({ cluster }, injection) {
    for (const t of injection.targets) await cluster.signalTask(t, 'SIGCONT');
  },
};
