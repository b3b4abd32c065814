// kube-apiserver: three active instances on distinct hosts, each listing every etcd member by DNS name.
import { test, expect } from '../fixtures.ts';
import { getJson } from './http.ts';

test.describe('kube-apiserver', () => {
  test('3 instances run on distinct hosts', async ({ cluster }) => {
    const procs = await cluster.processes('kube-apiserver');
    expect(procs).toHaveLength(3);
    expect(new Set(procs.map((p) => p.host)).size).toBe(3);
  });

  test('every instance lists all etcd members by DNS name in --etcd-servers', async ({ cluster }) => {
    const members = await cluster.etcdMembers();
    const wanted = members.map((m) => m.clientUrls[0]).sort();
    for (const p of await cluster.processes('kube-apiserver')) {
      const flag = p.argv.find((a) => a.startsWith('--etcd-servers='));
      expect(flag, `${p.task} has --etcd-servers`).toBeDefined();
      const urls = flag!.slice('--etcd-servers='.length).split(',');
      for (const u of urls) expect(new URL(u).hostname, `${p.task}: ${u} is a DNS name, not an address`).toMatch(/^etcd-\d+-peer\..+\.autoip\.dcos\.thisdcos\.directory$/);
      expect(urls.sort(), `${p.task} lists every member`).toEqual(wanted);
    }
  });

  test('every instance is ready on its own address and anonymous requests get only the health endpoints', async ({ cluster }) => {
    const procs = await cluster.processes('kube-apiserver');
    for (const p of procs) {
      const addr = p.argv.find((a) => a.startsWith('--advertise-address='))!.split('=')[1]!;
      expect((await getJson(cluster, addr, '/readyz')).status, `${p.task} /readyz`).toBe(200);
      expect((await getJson(cluster, addr, '/livez')).status, `${p.task} /livez`).toBe(200);
      expect((await getJson(cluster, addr, '/api/v1/namespaces')).status, `${p.task}: anonymous list is refused`).toBe(401);
      expect((await getJson(cluster, addr, '/version')).status, `${p.task}: anonymous /version is refused`).toBe(401);
    }
  });
});
