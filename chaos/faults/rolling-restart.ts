// Graceful rolling restart of every apiserver: SIGTERM one, wait until it is back behind the VIP, then the next.
import type { Fault } from './fault.ts';

const STEP_TIMEOUT_MS = 60_000;

export const rollingRestartApiservers: Fault<Record<string, never>> = {
  name: 'rolling-restart-apiservers',
  description: 'SIGTERM each apiserver in turn (graceful shutdown, relaunch in place), waiting for it to rejoin the VIP',
  available: async () => true,
  async inject({ cluster, log }) {
    const apiservers = (await cluster.tasks()).filter((t) => t.role === 'kube-apiserver').sort((a, b) => a.task.localeCompare(b.task));
    for (const a of apiservers) {
      log(`  restarting ${a.task}`);
      const before = (await cluster.tasks()).find((t) => t.task === a.task)!;
      await cluster.signalTask(a.task, 'SIGTERM');
      const deadline = Date.now() + STEP_TIMEOUT_MS;
      for (;;) {
        const now = (await cluster.tasks()).find((t) => t.task === a.task)!;
        // Restarted: a new process (where the target reports pids) or one more relaunch (every target counts them).
        const restarted = now.restarts > before.restarts || (now.pid !== undefined && now.pid !== before.pid);
        if (restarted && now.state === 'running' && (await cluster.vipBackends()).includes(now.ip)) break;
        if (Date.now() > deadline) throw new Error(`${a.task} did not rejoin the VIP within ${STEP_TIMEOUT_MS / 1000} s`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    return { fault: 'rolling-restart-apiservers', targets: apiservers.map((a) => a.task) };
  },
  heal: async () => undefined,
};
