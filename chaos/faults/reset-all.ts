// Best-effort undo of any fault on every host, for a fault whose inject failed halfway (so its heal cannot run):
// fault firewalls removed, hosts thawed, links up, paused tasks continued, held tasks started — each only where the
// target has that capability.
import { can, type Cluster } from '../../targets/cluster.ts';

export async function resetAllFaults(cluster: Cluster, log: (line: string) => void): Promise<void> {
  for (const { host } of await cluster.hosts()) {
    const undos: Array<[string, () => Promise<void>]> = [
      ...(can.firewallHosts(cluster) ? [['firewall', () => cluster.setHostFirewall(host, undefined)] as [string, () => Promise<void>]] : []),
      ...(can.freezeHosts(cluster) ? [['freeze', () => cluster.thawHost(host)] as [string, () => Promise<void>]] : []),
      ...(can.powerHosts(cluster) ? [['crash', () => cluster.restoreHost(host)] as [string, () => Promise<void>]] : []),
    ];
    for (const [what, undo] of undos) await undo().catch((e: Error) => log(`reset ${what} on ${host}: ${e.message}`));
  }
  // A SIGSTOPped task (pause) is continued; SIGCONT to a running one does nothing. A task held down is started.
  for (const t of await cluster.tasks().catch(() => [])) {
    if (t.pid) await cluster.signalTask(t.task, 'SIGCONT').catch(() => undefined);
    if (t.state === 'stopped' && can.holdTaskDown(cluster)) await cluster.startTask(t.task).catch((e: Error) => log(`reset: start ${t.task}: ${e.message}`));
  }
}
