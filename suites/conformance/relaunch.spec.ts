// DC/OS behaviour: a task that dies is relaunched in place (same host, new process) after a short delay.
import { test, expect } from '../fixtures.ts';

test('a killed task is relaunched on the same host', async ({ cluster }) => {
  // A scheduler that is not the leader: killing it changes nothing else (a kwok restart, say, leaves its Node
  // without heartbeats long enough to go NotReady, which later scenarios would then see as their own damage).
  const leader = await cluster.leaderTask('kube-scheduler');
  const before = (await cluster.processes('kube-scheduler')).find((p) => p.task !== leader)!;
  await cluster.signalTask(before.task, 'SIGKILL');
  await expect.poll(async () => {
    const now = (await cluster.processes('kube-scheduler')).find((p) => p.task === before.task);
    return now && now.pid !== before.pid ? { host: now.host, restarts: now.restarts } : undefined;
  }, { timeout: 30_000 }).toEqual({ host: before.host, restarts: before.restarts + 1 });
});
