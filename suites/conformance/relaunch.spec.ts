// DC/OS behaviour: a process that dies is started again in place (same host, same SDK task, new process) after a short
// delay — by Mesos relaunching its task (one task per process) or, with kubernetes-cluster 2.x's static pods, by the
// instance task's kubelet, which leaves the Mesos task as it was (so Mesos' relaunch count is not asserted: it counts
// only the first of the two).
import { test, expect } from '../fixtures.ts';

test('a killed process is started again on the same host, in the same SDK task', async ({ cluster }) => {
  // A scheduler that is not the leader: killing it changes nothing else (a kwok restart, say, leaves its Node
  // without heartbeats long enough to go NotReady, which later scenarios would then see as their own damage).
  const leader = await cluster.leaderTask('kube-scheduler');
  const before = (await cluster.processes('kube-scheduler')).find((p) => p.task !== leader)!;
  expect(before.sdkTask, `${before.task} has a TASK_NAME`).toBeTruthy();
  await cluster.signalTask(before.task, 'SIGKILL');
  await expect.poll(async () => {
    const now = (await cluster.processes('kube-scheduler')).find((p) => p.task === before.task);
    return now && now.pid !== before.pid ? { host: now.host, sdkTask: now.sdkTask } : undefined;
  }, { timeout: 30_000 }).toEqual({ host: before.host, sdkTask: before.sdkTask });
});
