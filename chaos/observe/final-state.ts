// After recovery, the final state of the scenario's keys read through each apiserver directly and from each etcd
// member. Recorded as `final` / `final-state` ops; check-final-state.ts judges that all agree and that each is a
// state the history allows.
import type { Cluster } from '../../targets/cluster.ts';
import type { HistoryRecorder } from '../../history/history.ts';
import { withTimeout } from '../../core/with-timeout.ts';
import type { LoadTarget } from '../load/load-config.ts';
import { configMapsPath } from '../load/load-request.ts';
import { toListSeen } from '../load/response.ts';
import { sendRequest } from '../load/send-request.ts';

/** `data.v` inside a protobuf-encoded ConfigMap: the map entry (key "v") is `0a 01 76 12 <len> <bytes>`. */
export function protobufDataV(raw: string): string | undefined {
  const at = raw.indexOf('\x0a\x01v\x12');
  if (at < 0) return undefined;
  const len = raw.charCodeAt(at + 4);
  return len < 0x80 ? raw.slice(at + 5, at + 5 + len) : undefined;
}

async function throughApiserver(target: LoadTarget, namespace: string): Promise<{ items: Array<{ name: string; rv: string; data?: string }>; listRv?: string }> {
  const items: Array<{ name: string; rv: string; data?: string }> = [];
  let listRv: string | undefined;
  let cont = '';
  for (let page = 0; page < 20; page++) {
    const r = await sendRequest(target, false, { method: 'GET', path: `${configMapsPath(namespace)}?limit=500${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`, wantBody: true }, 10_000);
    if (r.status !== 200 || !r.body) throw new Error(`list through ${target.ip}: ${r.status ?? r.errorCode ?? 'no answer'}`);
    const seen = toListSeen(r.body);
    if (!seen) throw new Error(`list through ${target.ip}: unreadable body`);
    items.push(...seen.items);
    listRv ??= seen.listRv;
    cont = (JSON.parse(r.body) as { metadata?: { continue?: string } }).metadata?.continue ?? '';
    if (!cont) break;
  }
  return { items, ...(listRv ? { listRv } : {}) };
}

/** The layout's three etcd members, by index. */
const ETCD_MEMBERS = [0, 1, 2];

export async function readFinalState(cluster: Cluster, target: LoadTarget, history: HistoryRecorder, log: (line: string) => void): Promise<void> {
  const apiservers = (await cluster.tasks()).filter((t) => t.role === 'kube-apiserver' && t.state === 'running');
  const reads: Array<{ via: string; read: () => Promise<{ items: Array<{ name: string; rv: string; data?: string }>; listRv?: string }> }> = [
    ...apiservers.map((a) => ({ via: a.task, read: () => throughApiserver({ ...target, ip: a.ip }, target.namespace) })),
    // Each member on its own (a linearizable read through it): one that serves a store of its own shows it.
    ...ETCD_MEMBERS.map((member) => ({
      via: `etcd-${member}`,
      read: async () => {
        const prefix = `/registry/configmaps/${target.namespace}/`;
        const keys = await cluster.etcdRange(prefix, member);
        return { items: keys.map((k) => { const data = protobufDataV(k.value); return { name: k.key.slice(prefix.length), rv: k.modRevision, ...(data !== undefined ? { data } : {}) }; }) };
      },
    })),
  ];
  await Promise.all(reads.map(async ({ via, read }) => {
    history.record({ type: 'invoke', process: `final-${via}`, f: 'final-state', value: { via } });
    try {
      const state = await withTimeout(read(), 30_000, `final state through ${via}`);
      history.record({ type: 'ok', process: `final-${via}`, f: 'final-state', value: { via, ...state } });
    } catch (e) {
      log(`final state through ${via}: ${(e as Error).message}`);
      history.record({ type: 'fail', process: `final-${via}`, f: 'final-state', value: { via }, error: (e as Error).message.slice(0, 200) });
    }
  }));
}
