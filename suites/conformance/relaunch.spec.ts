// DC/OS behaviour: a task that dies is relaunched in place (same host, new process) after a short delay.
import { test, expect } from '../fixtures.ts';

test('a killed task is relaunched on the same host', async ({ cluster }) => {
  const before = (await cluster.processes('kwok')).at(-1)!;
  await cluster.signalTask(before.task, 'SIGKILL');
  await expect.poll(async () => {
    const now = (await cluster.processes('kwok')).find((p) => p.task === before.task);
    return now && now.pid !== before.pid ? { host: now.host, restarts: now.restarts } : undefined;
  }, { timeout: 30_000 }).toEqual({ host: before.host, restarts: before.restarts + 1 });
});
