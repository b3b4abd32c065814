// The fault ledger's file: an entry before the inject, its injection after, gone after a confirmed heal; a ledger that
// cannot be read is an error naming the file, never an empty ledger.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { FaultLedger } from '../../chaos/faults/fault-ledger.ts';
import { describeEntry } from '../../chaos/faults/heal-ledger.ts';

const dir = mkdtempSync(join(tmpdir(), 'haproof-ledger-'));

test('begin → injected → healed; entries survive a new reader (another process)', () => {
  const file = join(dir, 'a', 'ledger.json');
  const l = new FaultLedger(file);
  expect(l.entries()).toEqual([]);
  const id = l.begin({ target: { kind: 'testbed', instance: '2026-12-01T10:00:00Z' }, cluster: 'kubernetes-cluster', fault: 'partition', params: { mode: 'isolate' }, scenario: 'isolate-agent' });
  const other = l.begin({ target: { kind: 'dcos', file: '/etc/haproof/t.json' }, cluster: 'k8s', fault: 'pause-process', params: {} });
  expect(new FaultLedger(file).entries().map((e) => e.id)).toEqual([id, other]);
  expect(describeEntry(new FaultLedger(file).entries()[0]!)).toMatch(/^partition \(the runner died inside its inject: every kind of fault is undone everywhere\) — scenario isolate-agent, kubernetes-cluster on the testbed target, left by pid \d+ at /);
  l.injected(id, { fault: 'partition-isolate', targets: ['agent-2'], undo: { touched: ['agent-2'] } });
  const e = new FaultLedger(file).entries().find((x) => x.id === id)!;
  expect(e.injection).toEqual({ fault: 'partition-isolate', targets: ['agent-2'], undo: { touched: ['agent-2'] } });
  expect(describeEntry(e)).toMatch(/^partition-isolate on agent-2 — scenario isolate-agent/);
  l.healed(id);
  expect(new FaultLedger(file).entries().map((x) => x.id)).toEqual([other]);
  l.healed(other);
  expect(l.entries()).toEqual([]);
});

test('an unreadable ledger is an error naming the file and what is wrong', () => {
  const bad = join(dir, 'bad.json');
  writeFileSync(bad, '{"version": 1, "entries": [');
  expect(() => new FaultLedger(bad).entries()).toThrow(new RegExp(`fault ledger ${bad}: not JSON`));
  const wrong = join(dir, 'wrong.json');
  writeFileSync(wrong, JSON.stringify({ version: 1, entries: [{ id: 1 }] }));
  expect(() => new FaultLedger(wrong).entries()).toThrow(/fault ledger .*wrong\.json: entries\.0\.id/);
});

test('undoing every kind of fault: each undo is tried, and a failed one makes the whole reset fail (its ledger entry stays)', async () => {
  const { resetAllFaults } = await import('../../chaos/faults/reset-all.ts');
  const done: string[] = [];
  const cluster = {
    hosts: async () => [{ host: 'agent-1', ip: '198.18.0.11' }, { host: 'agent-2', ip: '198.18.0.12' }],
    setHostFirewall: async (h: string) => { done.push(`firewall ${h}`); },
    runnerAddresses: async () => [],
    freezeHost: async () => undefined,
    thawHost: async (h: string) => { if (h === 'agent-2') throw new Error('freezer.state: permission denied'); done.push(`thaw ${h}`); },
    tasks: async () => [{ task: 'etcd-0-peer', pid: 10, state: 'running' }],
    signalTask: async (t: string) => { done.push(`CONT ${t}`); },
  } as unknown as Parameters<typeof resetAllFaults>[0];
  await expect(resetAllFaults(cluster, () => undefined)).rejects.toThrow('could not undo 1 fault kind(s): freeze on agent-2: freezer.state: permission denied');
  expect(done).toEqual(['firewall agent-1', 'thaw agent-1', 'firewall agent-2', 'CONT etcd-0-peer']);
});
