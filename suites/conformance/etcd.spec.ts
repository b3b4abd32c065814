// etcd: three members, all started and healthy, one leader, on three distinct hosts, addressed by DNS name, serving
// peers and clients with mutual TLS from a cluster CA.
import { X509Certificate } from 'node:crypto';
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

  test('every member requires client certificates from peers and clients, and its own certificate names its DNS name and chains to its CA', async ({ cluster }) => {
    const procs = await cluster.processes('etcd');
    expect(procs).toHaveLength(3);
    for (const p of procs) {
      const flag = (name: string) => p.argv.find((a) => a === `--${name}` || a.startsWith(`--${name}=`));
      const value = (name: string) => flag(name)?.split('=').slice(1).join('=');
      for (const f of ['client-cert-auth', 'peer-client-cert-auth']) expect(flag(f), `${p.task}: --${f} on its command line`).toBeDefined();
      for (const f of ['trusted-ca-file', 'cert-file', 'peer-trusted-ca-file', 'peer-cert-file']) expect(value(f), `${p.task}: --${f}`).toBeTruthy();
      // The files as the member itself sees them (a nested container's sandbox on DC/OS: its own filesystem).
      const ca = new X509Certificate(await cluster.readProcessFile(p, value('trusted-ca-file')!));
      const name = new URL(String(value('initial-advertise-peer-urls'))).hostname;
      for (const f of ['cert-file', 'peer-cert-file']) {
        const cert = new X509Certificate(await cluster.readProcessFile(p, value(f)!));
        expect(cert.checkIssued(ca) && cert.verify(ca.publicKey), `${p.task}: --${f} is issued by its --trusted-ca-file`).toBe(true);
        expect(cert.checkHost(name), `${p.task}: --${f} is valid for ${name}`).toBe(name);
      }
    }
  });
});
