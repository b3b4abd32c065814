// The load's key pool: no arrival is dropped for want of a key, hot keys come first, CAS versions follow what was seen,
// unknown outcomes never drop a key, and the seeded key choice replays. Pure, no cluster.
import { test, expect } from '@playwright/test';
import { seededRandom } from '../../core/random.ts';
import { KeyPool, type OpPlan, type Settled } from '../../chaos/load/key-pool.ts';
import type { ArrivalKind } from '../../chaos/load/load-config.ts';
import { toRequest } from '../../chaos/load/load-request.ts';

const never = (): number => { throw new Error('no key choice expected'); };
const first = (): number => 0;
const ok = (rv: string): Settled => ({ type: 'ok', status: 200, rv });
const short = (p: OpPlan) => [p.f, p.name, p.sentRv, p.data];

test('an arrival without a key to act on becomes a create: hot keys first, then unique load- keys', () => {
  const pool = new KeyPool(2, 'vip-0-');
  expect(short(pool.plan('get', '0-1', never))).toEqual(['create', 'hot-0', undefined, 'vip-0-1']);
  expect(short(pool.plan('update', '1-1', never))).toEqual(['create', 'hot-1', undefined, 'vip-0-2']);
  // Hot keys are all being created: gets and updates have nothing to act on yet, deletes never touch hot keys.
  expect(short(pool.plan('get', '0-2', never))).toEqual(['create', 'load-0-2', undefined, 'vip-0-3']);
  expect(short(pool.plan('delete', '2-1', never))).toEqual(['create', 'load-2-1', undefined, 'vip-0-4']);
  expect(short(pool.plan('create', '3-1', never))).toEqual(['create', 'load-3-1', undefined, 'vip-0-5']);
  for (const kind of ['readyz', 'readyzNew', 'list'] as ArrivalKind[]) expect(pool.plan(kind, 'x', never).f).toBe(kind === 'list' ? 'list' : 'readyz');
  expect(pool.plan('readyzNew', 'x', never).conn).toBe('new');
});

test('every kind of arrival always yields exactly one op, whatever the pool holds', () => {
  const pool = new KeyPool(3, 'p-');
  const random = seededRandom(5);
  const kinds: ArrivalKind[] = ['readyz', 'readyzNew', 'get', 'list', 'create', 'update', 'delete'];
  for (let i = 0; i < 500; i++) {
    const plan = pool.plan(kinds[i % kinds.length]!, `s-${i}`, random);
    expect(plan.f).toBeTruthy();
    // Outcomes of every sort, so the pool goes through all its states.
    const r = random();
    const settled: Settled = r < 0.6 ? ok(String(1000 + i)) : r < 0.75 ? { type: 'info' } : r < 0.85 ? { type: 'fail', status: 409 } : r < 0.95 ? { type: 'fail', status: 404 } : { type: 'fail' };
    if (plan.needsRv) pool.settle(pool.afterRead(plan, settled), settled);
    else pool.settle(plan, plan.f === 'list' ? { type: 'ok', items: [] } : settled);
  }
  // Hot keys never leave the pool.
  expect(pool.keys().filter((k) => k.hot).map((k) => k.name)).toEqual(['hot-0', 'hot-1', 'hot-2']);
});

test('updates are CAS on the last known version; gets read hot keys; values are unique', () => {
  const pool = new KeyPool(1, 'vip-0-');
  const create = pool.plan('create', '0-1', never);
  pool.settle(create, ok('10'));
  expect(short(pool.plan('get', '1-1', first))).toEqual(['get', 'hot-0', undefined, undefined]);
  const u1 = pool.plan('update', '2-1', first);
  const u2 = pool.plan('update', '2-2', first);
  // Two updates in flight on one version: the server lets one through, the other gets 409 (a definite failure).
  expect(short(u1)).toEqual(['update', 'hot-0', '10', 'vip-0-2']);
  expect(short(u2)).toEqual(['update', 'hot-0', '10', 'vip-0-3']);
  pool.settle(u1, ok('11'));
  pool.settle(u2, { type: 'fail', status: 409 });
  expect(pool.plan('update', '2-3', first).sentRv).toBe('11');
  expect(toRequest(u1, 'ns')).toEqual({
    method: 'PUT', path: '/api/v1/namespaces/ns/configmaps/hot-0', wantBody: true,
    body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'hot-0', resourceVersion: '10' }, data: { v: 'vip-0-2' } },
  });
});

test('after an unknown-outcome update the version is unknown: the next update reads the key first; the key stays', () => {
  const pool = new KeyPool(1, 'p-');
  pool.settle(pool.plan('create', '0-1', never), ok('10'));
  const lost = pool.plan('update', '1-1', first);
  pool.settle(lost, { type: 'info' });
  expect(pool.keys()[0]).toMatchObject({ name: 'hot-0', state: 'present', rv: undefined });
  const next = pool.plan('update', '1-2', first);
  expect(next).toMatchObject({ f: 'update', name: 'hot-0', needsRv: true });
  expect(next.sentRv).toBeUndefined();
  const read = pool.readPlan(next);
  expect(short(read)).toEqual(['get', 'hot-0', undefined, undefined]);
  pool.settle(read, ok('12'));
  const cas = pool.afterRead(next, ok('12'));
  expect(short(cas)).toEqual(['update', 'hot-0', '12', next.data]);
  expect(cas.needsRv).toBeUndefined();
  expect(cas.seq).toBeGreaterThan(read.seq);
});

test('the read before an update: 404 turns it into a create of the key; a failed read leaves an unconditional update', () => {
  const pool = new KeyPool(1, 'p-');
  pool.settle(pool.plan('create', '0-1', never), { type: 'info' });
  const u = pool.plan('update', '1-1', first);
  expect(u.needsRv).toBe(true);
  const read = pool.readPlan(u);
  pool.settle(read, { type: 'fail', status: 404 });
  expect(short(pool.afterRead(u, { type: 'fail', status: 404 }))).toEqual(['create', 'hot-0', undefined, u.data]);
  const pool2 = new KeyPool(1, 'p-');
  pool2.settle(pool2.plan('create', '0-1', never), { type: 'info' });
  const u2 = pool2.plan('update', '1-1', first);
  pool2.settle(pool2.readPlan(u2), { type: 'fail' });
  expect(short(pool2.afterRead(u2, { type: 'fail' }))).toEqual(['update', 'hot-0', undefined, u2.data]);
});

test('a read issued after an unknown update gives the version back; one issued before it does not', () => {
  const pool = new KeyPool(1, 'p-');
  pool.settle(pool.plan('create', '0-1', never), ok('10'));
  const early = pool.plan('list', '2-1', never);
  const lost = pool.plan('update', '1-1', first);
  const late = pool.plan('get', '3-1', first);
  pool.settle(lost, { type: 'info' });
  pool.settle(early, { type: 'ok', items: [{ name: 'hot-0', rv: '10' }] });
  expect(pool.keys()[0]!.rv).toBeUndefined();
  pool.settle(late, ok('11'));
  expect(pool.keys()[0]!.rv).toBe('11');
});

test('creates: 409 AlreadyExists means present (version unknown); a definite failure makes the hot key absent again', () => {
  const pool = new KeyPool(2, 'p-');
  const a = pool.plan('create', '0-1', never);
  const b = pool.plan('create', '0-2', never);
  pool.settle(a, { type: 'fail', status: 409 });
  pool.settle(b, { type: 'fail' });
  expect(pool.keys().map((k) => [k.name, k.state, k.rv])).toEqual([['hot-0', 'present', undefined], ['hot-1', 'absent', undefined]]);
  expect(pool.plan('create', '0-3', never).name).toBe('hot-1');
  // A list showing an absent hot key (an unknown create that took effect) makes it present, at the listed version.
  const pool2 = new KeyPool(1, 'p-');
  const c = pool2.plan('create', '0-1', never);
  pool2.settle(c, { type: 'fail' });
  pool2.settle(pool2.plan('list', '1-1', never), { type: 'ok', items: [{ name: 'hot-0', rv: '7' }] });
  expect(pool2.keys()[0]).toMatchObject({ state: 'present', rv: '7' });
});

test('deletes: unique keys only, with a precondition when the version is known; an unknown delete keeps the key', () => {
  const pool = new KeyPool(0, 'p-');
  const c = pool.plan('create', '0-1', never);
  pool.settle(c, ok('20'));
  const d = pool.plan('delete', '1-1', first);
  expect(short(d)).toEqual(['delete', 'load-0-1', '20', undefined]);
  expect(toRequest(d, 'ns')).toEqual({ method: 'DELETE', path: '/api/v1/namespaces/ns/configmaps/load-0-1', body: { apiVersion: 'v1', kind: 'DeleteOptions', preconditions: { resourceVersion: '20' } } });
  // In flight: not chosen again (a second arrival makes a new key instead).
  expect(pool.plan('delete', '1-2', first).f).toBe('create');
  pool.settle(d, { type: 'info' });
  const again = pool.plan('delete', '1-3', first);
  expect(short(again)).toEqual(['delete', 'load-0-1', undefined, undefined]);
  expect(toRequest(again, 'ns')).toEqual({ method: 'DELETE', path: '/api/v1/namespaces/ns/configmaps/load-0-1' });
  pool.settle(again, { type: 'fail', status: 404 });
  expect(pool.keys().map((k) => k.name)).toEqual(['load-1-2']);
});

test('seeded key choice replays: the same seed and the same answers give the same ops; another seed other ones', () => {
  const run = (seed: number) => {
    const pool = new KeyPool(5, 'p-');
    const random = seededRandom(seed);
    const out: unknown[] = [];
    let rv = 100;
    const kinds: ArrivalKind[] = ['create', 'create', 'get', 'update', 'delete', 'create', 'list'];
    for (let i = 0; i < 300; i++) {
      const plan = pool.plan(kinds[i % kinds.length]!, `s-${i}`, random);
      out.push(short(plan));
      pool.settle(plan, plan.f === 'list' ? { type: 'ok', items: [] } : i % 11 === 0 ? { type: 'info' } : ok(String(++rv)));
    }
    return out;
  };
  expect(run(9)).toEqual(run(9));
  expect(run(9)).not.toEqual(run(10));
});
