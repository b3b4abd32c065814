// Pure parts of the faults: partition rulesets, selector counts, seeded target choice, eject times from the event log.
import { test, expect } from '@playwright/test';
import { installFaultFirewallScript, removeFaultFirewallScript, renderDropTable, renderIptablesDrop } from '../../targets/fault-rules.ts';
import { selectorCount, shuffled } from '../../chaos/faults/targets.ts';
import { seededRandom } from '../../core/random.ts';
import { ejectTimes } from '../../chaos/bench/eject-time.ts';
import { SCENARIOS } from '../../chaos/scenarios/definitions.ts';
import { FAULTS } from '../../chaos/faults/registry.ts';

test('isolate: drop everything from and to the peers, both directions', () => {
  const t = renderDropTable({ dropFrom: ['198.18.0.12', '198.18.0.13'], dropTo: ['198.18.0.12', '198.18.0.13'] });
  expect(t).toContain('ip saddr { 198.18.0.12, 198.18.0.13 } drop');
  expect(t).toContain('ip daddr { 198.18.0.12, 198.18.0.13 } drop');
  expect(t).toMatch(/^table inet haproof_fault \{/);
});

test('one-way: only incoming traffic is dropped', () => {
  const t = renderDropTable({ dropFrom: ['198.18.0.1'], dropTo: [] });
  expect(t).toContain('ip saddr { 198.18.0.1 } drop');
  expect(t).not.toContain('daddr');
});

test('peer-only: only etcd peer traffic (TCP 2380), either port side', () => {
  const t = renderDropTable({ dropFrom: ['198.18.0.12'], dropTo: ['198.18.0.12'], ports: [2380] });
  expect(t).toContain('ip saddr { 198.18.0.12 } tcp dport { 2380 } drop');
  expect(t).toContain('ip saddr { 198.18.0.12 } tcp sport { 2380 } drop');
  expect(t).toContain('ip daddr { 198.18.0.12 } tcp dport { 2380 } drop');
  for (const line of t.split('\n').filter((l) => l.includes(' drop'))) expect(line).toContain('2380');
});

test('selectors: minority and majority of 3 and 5', () => {
  expect([1, 3, 5].map((n) => selectorCount('minority', n))).toEqual([1, 1, 2]);
  expect([1, 3, 5].map((n) => selectorCount('majority', n))).toEqual([1, 2, 3]);
  expect(selectorCount('all', 3)).toBe(3);
  expect(selectorCount('one', 3)).toBe(1);
});

test('the same seed picks the same targets; another seed may not', () => {
  const xs = ['a', 'b', 'c', 'd', 'e'];
  expect(shuffled(xs, seededRandom(7))).toEqual(shuffled(xs, seededRandom(7)));
  expect(new Set(Array.from({ length: 10 }, (_, i) => shuffled(xs, seededRandom(i)).join(''))).size).toBeGreaterThan(1);
  expect([...shuffled(xs, seededRandom(3))].sort()).toEqual(xs);
});

test('eject time: from the signal to the first l4lb change removing that address', () => {
  const events = [
    { time: '2026-01-01T00:00:00.000Z', kind: 'signal', task: 'kube-control-plane-1-apiserver', signal: 'SIGKILL' },
    { time: '2026-01-01T00:00:00.150Z', kind: 'l4lb', backends: ['198.18.0.11', '198.18.0.13'], removed: ['198.18.0.12'] },
    { time: '2026-01-01T00:00:05.000Z', kind: 'signal', task: 'etcd-0-peer', signal: 'SIGKILL' },
  ];
  expect(ejectTimes(events, () => '198.18.0.12')).toEqual([{ task: 'kube-control-plane-1-apiserver', signal: 'SIGKILL', ejectMs: 150 }]);
});

test('every scenario names a registered fault and has expectations', () => {
  for (const s of SCENARIOS) {
    expect(Object.keys(FAULTS)).toContain(s.fault.name);
    expect(Object.keys(s.expectations).length, s.name).toBeGreaterThan(0);
  }
  expect(new Set(SCENARIOS.map((s) => s.name)).size).toBe(SCENARIOS.length);
});

test('every partition keeps SSH (TCP 22) open: the way in to heal it on a real cluster', () => {
  const t = renderDropTable({ dropFrom: ['198.18.0.254'], dropTo: ['198.18.0.254'] });
  const lines = t.split('\n').map((l) => l.trim());
  const accept = lines.indexOf('tcp dport 22 accept');
  expect(accept).toBeGreaterThan(-1);
  expect(accept).toBeLessThan(lines.indexOf('ip saddr { 198.18.0.254 } drop'));
  expect(lines.indexOf('tcp sport 22 accept')).toBeLessThan(lines.indexOf('ip daddr { 198.18.0.254 } drop'));
});

test('iptables where a host has no nft: the same drops in chains jumped to first, SSH kept open, peer-only on both port sides', () => {
  const isolate = renderIptablesDrop({ dropFrom: ['10.0.0.12'], dropTo: ['10.0.0.12'] });
  expect(isolate).toEqual([
    'iptables -w -N HAPROOF_FAULT_IN', 'iptables -w -N HAPROOF_FAULT_OUT', 'iptables -w -N HAPROOF_FAULT_FWD',
    'iptables -w -A HAPROOF_FAULT_IN -p tcp --dport 22 -j RETURN', 'iptables -w -A HAPROOF_FAULT_IN -s 10.0.0.12 -j DROP',
    'iptables -w -A HAPROOF_FAULT_OUT -p tcp --sport 22 -j RETURN', 'iptables -w -A HAPROOF_FAULT_OUT -d 10.0.0.12 -j DROP',
    'iptables -w -A HAPROOF_FAULT_FWD -p tcp --dport 22 -j RETURN', 'iptables -w -A HAPROOF_FAULT_FWD -p tcp --sport 22 -j RETURN',
    'iptables -w -A HAPROOF_FAULT_FWD -s 10.0.0.12 -j DROP', 'iptables -w -A HAPROOF_FAULT_FWD -d 10.0.0.12 -j DROP',
    'iptables -w -I INPUT 1 -j HAPROOF_FAULT_IN', 'iptables -w -I OUTPUT 1 -j HAPROOF_FAULT_OUT', 'iptables -w -I FORWARD 1 -j HAPROOF_FAULT_FWD',
  ]);
  const peer = renderIptablesDrop({ dropFrom: ['10.0.0.12'], dropTo: [], ports: [2380] });
  expect(peer).toContain('iptables -w -A HAPROOF_FAULT_IN -p tcp -s 10.0.0.12 --dport 2380 -j DROP');
  expect(peer).toContain('iptables -w -A HAPROOF_FAULT_IN -p tcp -s 10.0.0.12 --sport 2380 -j DROP');
  expect(peer.filter((l) => l.includes('DROP')).every((l) => l.includes('2380'))).toBe(true);
});

test('the remote firewall script: nft if present, else iptables, else a loud failure; removal undoes either, idempotently', () => {
  const install = installFaultFirewallScript({ dropFrom: ['10.0.0.12'], dropTo: [] });
  expect(install.split('\n')[1]).toBe('if command -v nft >/dev/null 2>&1; then nft -f -');
  expect(install).toContain('elif command -v iptables >/dev/null 2>&1; then iptables -w -N HAPROOF_FAULT_IN && ');
  expect(install).toMatch(/else echo "haproof: this host has neither nft nor iptables[^"]*" >&2; exit 3/);
  const remove = removeFaultFirewallScript();
  expect(remove).toContain('nft delete table inet haproof_fault');
  expect(remove).toContain('while iptables -w -D INPUT -j HAPROOF_FAULT_IN 2>/dev/null; do :; done');
  expect(remove).toContain('iptables -w -X HAPROOF_FAULT_OUT');
  expect(remove).toContain('while iptables -w -D FORWARD -j HAPROOF_FAULT_FWD 2>/dev/null; do :; done');
  expect(remove).toContain('iptables -w -X HAPROOF_FAULT_FWD');
});

test('overlay tasks: a peer-only drop matches the inner packets the agent routes, by the tasks\' own addresses', async () => {
  const { hostAddresses } = await import('../../chaos/faults/partition.ts');
  // DC/OS: etcd on the `dcos` overlay (9.0.x.y), each agent at its own address.
  const hosts = [{ host: '10.0.0.11', ip: '10.0.0.11' }, { host: '10.0.0.12', ip: '10.0.0.12' }];
  const tasks = [{ host: '10.0.0.11', ip: '9.0.1.2' }, { host: '10.0.0.11', ip: '9.0.1.3' }, { host: '10.0.0.12', ip: '9.0.2.2' }];
  const of = hostAddresses(hosts, tasks);
  expect(of('10.0.0.11')).toEqual(['10.0.0.11', '9.0.1.2', '9.0.1.3']);
  expect(() => of('10.0.0.99')).toThrow(/no host "10.0.0.99"/);
  // Host networking (the testbed): a task's address is its agent's, nothing added.
  expect(hostAddresses(hosts, [{ host: '10.0.0.12', ip: '10.0.0.12' }])('10.0.0.12')).toEqual(['10.0.0.12']);
  // IPv6 (the dcos6 overlay) cannot go into `ip` rules; a bridge-mode address every agent has is nobody's own.
  const mixed = hostAddresses(hosts, [{ host: '10.0.0.11', ip: 'fd01:b::2:8000:0:2' }, { host: '10.0.0.11', ip: '172.31.254.2' }, { host: '10.0.0.12', ip: '172.31.254.2' }, { host: '10.0.0.12', ip: '9.0.2.2' }]);
  expect(mixed('10.0.0.11')).toEqual(['10.0.0.11']);
  expect(mixed('10.0.0.12')).toEqual(['10.0.0.12', '9.0.2.2']);
  const t = renderDropTable({ dropFrom: of('10.0.0.11'), dropTo: of('10.0.0.11'), ports: [2380] });
  const fwd = t.slice(t.indexOf('chain routed'));
  expect(fwd).toContain('type filter hook forward priority -10; policy accept;');
  expect(fwd).toContain('ip saddr { 10.0.0.11, 9.0.1.2, 9.0.1.3 } tcp dport { 2380 } drop');
  expect(fwd).toContain('ip daddr { 10.0.0.11, 9.0.1.2, 9.0.1.3 } tcp sport { 2380 } drop');
  for (const line of t.split('\n').filter((l) => l.includes(' drop'))) expect(line).toContain('2380');
});

test('every fault table haproof renders is one the real nft accepts (nft -c, in a throwaway namespace)', async () => {
  const { execFileSync, spawnSync } = await import('node:child_process');
  test.skip(process.getuid?.() !== 0 || spawnSync('sh', ['-c', 'command -v nft']).status !== 0, 'needs root and nft');
  const ns = `hpf-unit-nft-${process.pid}`;
  execFileSync('ip', ['netns', 'add', ns]);
  try {
    for (const spec of [
      { dropFrom: ['198.18.0.12', '9.0.1.2'], dropTo: ['198.18.0.12', '9.0.1.2'] },
      { dropFrom: ['198.18.0.1'], dropTo: [] },
      { dropFrom: ['198.18.0.12'], dropTo: ['198.18.0.12'], ports: [2380] },
    ]) {
      const r = spawnSync('ip', ['netns', 'exec', ns, 'nft', '-c', '-f', '-'], { input: renderDropTable(spec), encoding: 'utf8' });
      expect(r.stderr, JSON.stringify(spec)).toBe('');
      expect(r.status).toBe(0);
    }
  } finally {
    execFileSync('ip', ['netns', 'delete', ns]);
  }
});
