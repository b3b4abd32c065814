// The Kubernetes readers on real objects (suites/unit/data/kube/: from a throw-away kube-apiserver 1.37.2, made by its
// record.sh, and two read from the testbed), deserialised by @kubernetes/client-node as the API client does.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { loadYaml, type V1Lease, type V1Node } from '@kubernetes/client-node';
import { toLeaseView, toNodeView } from '../../targets/readers/kube.ts';
import { currentHolder } from '../../chaos/observe/observer.ts';

const DATA = join(import.meta.dirname, 'data', 'kube');
const load = <T>(name: string): T => loadYaml<T>(readFileSync(join(DATA, name), 'utf8'));
const raw = (name: string): Record<string, any> => JSON.parse(readFileSync(join(DATA, name), 'utf8'));

test('a held Lease: holder, renewal time, duration and transitions', () => {
  for (const file of ['lease-held.json', 'testbed-lease-kube-scheduler.json']) {
    const l = load<V1Lease>(file);
    const v = toLeaseView('kube-scheduler', l);
    expect(v.holder).toBe(raw(file).spec.holderIdentity);
    expect(v.renewTime).toBe(new Date(raw(file).spec.renewTime).toISOString());
    expect(v.durationSeconds).toBe(15);
    expect(v.transitions).toBeGreaterThan(0);
    expect(currentHolder(v, Date.parse(v.renewTime!) + 1_000)).toBe(v.holder);
  }
});

test('a released Lease (holderIdentity "", 1 s) has no holder', () => {
  const v = toLeaseView('kube-controller-manager', load<V1Lease>('lease-released.json'));
  expect(raw('lease-released.json').spec.holderIdentity).toBe('');
  expect(v).toMatchObject({ holder: undefined, durationSeconds: 1, transitions: 3 });
  expect(v.renewTime).toBeDefined();
  expect(currentHolder(v, Date.parse(v.renewTime!))).toBeUndefined();
});

test('a Lease never acquired (empty spec), none at all, or with an unreadable time: all fields absent, no throw', () => {
  const empty = { name: 'kube-scheduler', holder: undefined, renewTime: undefined, durationSeconds: undefined, transitions: undefined };
  expect(raw('lease-never-acquired.json').spec).toEqual({});
  expect(toLeaseView('kube-scheduler', load<V1Lease>('lease-never-acquired.json'))).toEqual(empty);
  expect(toLeaseView('kube-scheduler', undefined)).toEqual(empty);
  expect(toLeaseView('kube-scheduler', { metadata: { name: 'kube-scheduler' } })).toEqual(empty);
  expect(toLeaseView('kube-scheduler', { spec: { holderIdentity: 'a', renewTime: 'not a time' as unknown as Date } })).toEqual({ ...empty, holder: 'a' });
  expect(toLeaseView('kube-scheduler', { spec: { renewTime: new Date('2026-12-01T10:00:00Z') } }).renewTime).toBe('2026-12-01T10:00:00.000Z');
});

test('a Ready kwok Node from the testbed: Ready, its host label and InternalIP', () => {
  const n = load<V1Node>('testbed-node-ready.json');
  expect(toNodeView(n)).toEqual({ name: raw('testbed-node-ready.json').metadata.name, ready: true, role: 'worker', host: 'agent-1', ip: '198.18.0.11' });
});

test('Nodes without conditions or addresses are not Ready and have no IP, never a throw', () => {
  const registered = raw('node-just-registered.json');
  expect(registered.status.conditions).toBeUndefined();
  expect(registered.status.addresses).toBeUndefined();
  expect(toNodeView(load<V1Node>('node-just-registered.json'))).toEqual({ name: 'just-registered', ready: false, role: 'worker', host: 'agent-1', ip: undefined });
  expect(toNodeView(load<V1Node>('node-no-conditions.json'))).toEqual({ name: 'no-conditions', ready: false, role: 'worker', host: undefined, ip: '198.18.0.12' });
  expect(toNodeView(load<V1Node>('node-unknown.json'))).toMatchObject({ name: 'unknown', ready: false, ip: undefined });
  expect(toNodeView({})).toEqual({ name: '', ready: false, role: 'worker', host: undefined, ip: undefined });
  expect(toNodeView({ status: { conditions: [], addresses: [{ type: 'InternalIP', address: '' }] } })).toMatchObject({ ready: false, ip: undefined });
});
