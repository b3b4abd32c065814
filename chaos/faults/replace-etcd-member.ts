// DC/OS `pod replace etcd-N`: the member moves to a free agent under the same name and DNS name; apiservers untouched.
import { can } from '../../targets/cluster.ts';
import type { Fault } from './fault.ts';

export const replaceEtcdMember: Fault<{ index: number; toHost?: string }> = {
  name: 'replace-etcd-member',
  description: 'member remove → member add (same name) → empty data dir → existing → DNS record moved, onto a free agent',
  available: async (cluster) => {
    if (!can.replaceMembers(cluster)) return false;
    const tasks = await cluster.tasks();
    const etcdHosts = new Set(tasks.filter((t) => t.role === 'etcd').map((t) => t.host));
    return (await cluster.agentHosts()).some((h) => !etcdHosts.has(h));
  },
  async inject({ cluster, log }, p) {
    const tasks = await cluster.tasks();
    const etcdHosts = new Set(tasks.filter((t) => t.role === 'etcd').map((t) => t.host));
    const to = p.toHost ?? (await cluster.agentHosts()).find((h) => !etcdHosts.has(h));
    if (!to) throw new Error('no free agent to replace the etcd member onto (placement is hostname:UNIQUE)');
    const from = tasks.find((t) => t.task === `etcd-${p.index}-peer`)?.host;
    log(`replacing etcd-${p.index} from ${from} onto ${to}`);
    if (!can.replaceMembers(cluster)) throw new Error('this target cannot replace an etcd member');
    await cluster.replaceEtcdMember(p.index, to);
    return { fault: 'replace-etcd-member', targets: [`etcd-${p.index}-peer`, `${from}→${to}`] };
  },
  heal: async () => undefined,
};
