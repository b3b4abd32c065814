// Best-effort undo of any fault on every host, for a fault whose inject failed halfway (so its heal cannot run):
// fault firewalls removed, hosts thawed, links up, held tasks started again.
import type { Cluster } from '../../targets/cluster.ts';

export async function resetAllFaults(cluster: Cluster, log: (line: string) => void): Promise<void> {
  for (const { host } of await cluster.hosts()) {
    for (const [what, undo] of [
      ['firewall', () => cluster.setHostFirewall(host, undefined)],
      ['freeze', () => cluster.thawHost(host)],
      ['crash', () => cluster.restoreHost(host)],
    ] as const) {
      await undo().catch((e: Error) => log(`reset ${what} on ${host}: ${e.message}`));
    }
  }
}
