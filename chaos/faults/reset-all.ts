// Best-effort undo of any fault on every host, for a fault whose inject failed halfway (so its heal cannot run):
// fault firewalls removed, hosts thawed, links up, paused tasks continued, held tasks started — each only where the
// target has that capability.
import { can, type Cluster } from '../../targets/cluster.ts';

/** Throws, naming every undo that failed, once all were tried: the caller keeps the fault's ledger entry then. */
export async function resetAllFaults(cluster: Cluster, log: (line: string) => void): Promise<void> {
  const failed: string[] = [];
  const note = (what: string) => (e: Error) => { failed.push(`${what}: ${e.message.split('\n')[0]}`); log(`reset ${what}: ${e.message}`); };
  for (const { host } of await cluster.hosts()) {
    const undos: Array<[string, () => Promise<void>]> = [
      ...(can.firewallHosts(cluster) ? [['firewall', () => cluster.setHostFirewall(host, undefined)] as [string, () => Promise<void>]] : []),
      ...(can.freezeHosts(cluster) ? [['freeze', () => cluster.thawHost(host)] as [string, () => Promise<void>]] : []),
      ...(can.powerHosts(cluster) ? [['crash', () => cluster.restoreHost(host)] as [string, () => Promise<void>]] : []),
    ];
    for (const [what, undo] of undos) await undo().catch(note(`${what} on ${host}`));
  }
  // A SIGSTOPped task (pause) is continued; SIGCONT to a running one does nothing. A task held down is started.
  // (A task that exited between the listing and the signal cannot be continued: not a failed undo.)
  for (const t of await cluster.tasks().catch((e: Error) => { note('listing the tasks')(e); return []; })) {
    if (t.pid) await cluster.signalTask(t.task, 'SIGCONT').catch(() => undefined);
    if (t.state === 'stopped' && can.holdTaskDown(cluster)) await cluster.startTask(t.task).catch(note(`start ${t.task}`));
  }
  if (failed.length) throw new Error(`could not undo ${failed.length} fault kind(s): ${failed.join('; ')}`);
}
