// etcd: three members, all started and healthy, one leader, on three distinct hosts, addressed by DNS name.
import { test, expect } from '../fixtures.ts';

test.describe('etcd', () => {
  test('has 3 started, healthy members and exactly one leader', async ({ cluster }) => {
    const members = await cluster.etcdMembers();
    expect(members).toHaveLength(3);
    for (const m of members) {
      expect(m.name, `member ${m.id} has started (a member that never started has no name)`).not.toBe('');
      expect(m.healthy, `member ${m.name} is healthy`).toBe(true);
    }
    expect(members.filter((m) => m.isLeader)).toHaveLength(1);
  });

  test('members advertise per-member DNS names that resolve to 3 distinct hosts', async ({ cluster }) => {
    const members = await cluster.etcdMembers();
    const ips = new Set<string>();
    for (const m of members) {
      for (const url of [...m.peerUrls, ...m.clientUrls]) {
        const host = new URL(url).hostname;
        expect(host, `${m.name} advertises ${url} by name`).toMatch(new RegExp(`^etcd-\\d+-peer\\.${cluster.name}\\.autoip\\.dcos\\.thisdcos\\.directory$`));
      }
      const resolved = await cluster.resolve(new URL(m.peerUrls[0]!).hostname);
      expect(resolved).toHaveLength(1);
      ips.add(resolved[0]!);
    }
    expect(ips.size).toBe(3);
  });

  test('member processes run on 3 distinct hosts', async ({ cluster }) => {
    const procs = await cluster.processes('etcd');
    expect(procs).toHaveLength(3);
    expect(new Set(procs.map((p) => p.host)).size).toBe(3);
  });
});
