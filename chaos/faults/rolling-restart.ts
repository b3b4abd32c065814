// Graceful rolling restart of every apiserver: SIGTERM one, wait until it is back behind the VIP, then the next.
import type { Fault } from './fault.ts';
import { can, type Cluster, type TaskView } from '../../targets/cluster.ts';
import { waitFor } from '../../core/wait.ts';

const STEP_TIMEOUT_MS = 60_000;

/** The task's process id: from its listing where the target has it there, else from the process found on its host. */
async function pidOf(cluster: Cluster, t: TaskView): Promise<number | undefined> {
  return t.pid ?? (await cluster.processes('kube-apiserver')).find((p) => p.task === t.task)?.pid;
}

export const rollingRestartApiservers: Fault<Record<string, never>> = {
  name: 'rolling-restart-apiservers',
  description: 'SIGTERM each apiserver in turn (graceful shutdown, relaunch in place), waiting for it to rejoin the VIP',
  available: async () => true,
  async inject({ cluster, log, inEffect }) {
    const apiservers = (await cluster.tasks()).filter((t) => t.role === 'kube-apiserver').sort((a, b) => a.task.localeCompare(b.task));
    for (const a of apiservers) {
      log(`  restarting ${a.task}`);
      const before = (await cluster.tasks()).find((t) => t.task === a.task)!;
      const pidBefore = await pidOf(cluster, before);
      await cluster.signalTask(a.task, 'SIGTERM');
      inEffect?.();
      await waitFor(`${a.task} restarted and back behind the VIP`, async () => {
        const now = (await cluster.tasks()).find((t) => t.task === a.task);
        if (!now) return { waiting: `${a.task} not listed` };
        // Restarted: one more relaunch (every target counts them) or a new process — what a kubelet's restart of a
        // static pod is, where Mesos sees no change at all.
        const pid = await pidOf(cluster, now);
        const restarted = now.restarts > before.restarts || (pid !== undefined && pidBefore !== undefined && pid !== pidBefore);
        if (!restarted || now.state !== 'running') return { waiting: `${a.task} ${restarted ? now.state : 'not restarted yet'}` };
        if (!(await cluster.vipBackends()).includes(now.ip)) return { waiting: `${now.ip} not a VIP backend yet` };
        // Ready by its own /readyz where the target can ask (the VIP may list it before it serves: static pods).
        const own = can.probeApiservers(cluster) ? (await cluster.apiserverReadiness()).find((r) => r.task === a.task)?.answer : 'ready';
        return own === 'ready' ? true : { waiting: `${a.task} /readyz ${own ?? 'not asked'}` };
      }, STEP_TIMEOUT_MS, undefined, 100);
    }
    return { fault: 'rolling-restart-apiservers', targets: apiservers.map((a) => a.task) };
  },
  heal: async () => undefined,
};
