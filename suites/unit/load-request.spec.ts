// What the load sends and how it reads and sorts answers: requests per op, apiserver bodies and watch lines, outcomes.
import { test, expect } from '@playwright/test';
import { classify, errorOf } from '../../chaos/load/classify.ts';
import { toRequest } from '../../chaos/load/load-request.ts';
import { toListSeen, toObjectSeen, toWatchEvent } from '../../chaos/load/response.ts';

const cm = (name: string, rv: string, v?: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'ns', resourceVersion: rv, uid: 'u' }, ...(v !== undefined ? { data: { v } } : {}) });

test('requests: readyz, consistent list of 500, get, create, CAS update, unconditional update', () => {
  const base = '/api/v1/namespaces/ns/configmaps';
  expect(toRequest({ f: 'readyz', conn: 'new', seq: 1 }, 'ns')).toEqual({ method: 'GET', path: '/readyz' });
  expect(toRequest({ f: 'list', conn: 'reused', seq: 1 }, 'ns')).toEqual({ method: 'GET', path: `${base}?limit=500`, wantBody: true });
  expect(toRequest({ f: 'get', conn: 'reused', name: 'hot-1', seq: 1 }, 'ns')).toEqual({ method: 'GET', path: `${base}/hot-1`, wantBody: true });
  expect(toRequest({ f: 'create', conn: 'reused', name: 'load-1-2', data: 'vip-0-9', seq: 1 }, 'ns')).toEqual({
    method: 'POST', path: base, wantBody: true, body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'load-1-2' }, data: { v: 'vip-0-9' } },
  });
  expect(toRequest({ f: 'update', conn: 'reused', name: 'hot-1', data: 'x', seq: 1 }, 'ns').body).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'hot-1' }, data: { v: 'x' } });
});

test('answers: a ConfigMap, a list with its version, broken bodies', () => {
  expect(toObjectSeen(JSON.stringify(cm('hot-0', '12', 'a')))).toEqual({ name: 'hot-0', rv: '12', data: 'a' });
  expect(toObjectSeen(JSON.stringify(cm('hot-0', '12')))).toEqual({ name: 'hot-0', rv: '12' });
  expect(toObjectSeen('not json')).toEqual({});
  expect(toObjectSeen(undefined)).toEqual({});
  const list = { kind: 'ConfigMapList', metadata: { resourceVersion: '99', continue: 'abc' }, items: [cm('a', '1', 'x'), cm('b', '2'), { metadata: {} }] };
  expect(toListSeen(JSON.stringify(list))).toEqual({ items: [{ name: 'a', rv: '1', data: 'x' }, { name: 'b', rv: '2' }], listRv: '99' });
  expect(toListSeen(JSON.stringify({ kind: 'ConfigMapList', metadata: { resourceVersion: '5' }, items: null }))).toEqual({ items: [], listRv: '5' });
  expect(toListSeen('[')).toBeUndefined();
});

test('watch lines: objects, bookmarks, 410 and other errors, garbage', () => {
  expect(toWatchEvent(JSON.stringify({ type: 'MODIFIED', object: cm('hot-0', '13', 'b') }))).toEqual({ kind: 'object', type: 'MODIFIED', object: { name: 'hot-0', rv: '13', data: 'b' } });
  expect(toWatchEvent(JSON.stringify({ type: 'DELETED', object: cm('load-1', '14') }))).toEqual({ kind: 'object', type: 'DELETED', object: { name: 'load-1', rv: '14' } });
  expect(toWatchEvent(JSON.stringify({ type: 'BOOKMARK', object: { kind: 'ConfigMap', metadata: { resourceVersion: '20' } } }))).toEqual({ kind: 'bookmark', rv: '20' });
  expect(toWatchEvent(JSON.stringify({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version: 5 (90)' } })))
    .toEqual({ kind: 'error', code: 410, message: '410 Expired too old resource version: 5 (90)' });
  expect(toWatchEvent(JSON.stringify({ type: 'ERROR', object: { kind: 'Status', code: 500, message: 'boom' } }))).toMatchObject({ kind: 'error', code: 500 });
  expect(toWatchEvent('{"kind":')).toEqual({ kind: 'garbage', line: '{"kind":' });
});

test('outcomes: 409/404/422 on a write fail definitely; 5xx and timeouts on writes are unknown; reads that break off fail', () => {
  for (const status of [409, 404, 422, 429]) expect(classify(true, { status })).toBe('fail');
  expect(classify(true, { status: 503 })).toBe('info');
  expect(classify(false, { status: 503 })).toBe('fail');
  expect(classify(true, { errorCode: 'ETIMEDOUT' })).toBe('info');
  expect(classify(true, { errorCode: 'ECONNRESET' })).toBe('info');
  expect(classify(true, { errorCode: 'ECONNREFUSED' })).toBe('fail');
  expect(classify(true, { errorCode: 'client-saturated' })).toBe('fail');
  expect(classify(false, { errorCode: 'ETIMEDOUT' })).toBe('fail');
  // Headers said 200, then the connection broke: a read got nothing usable; a write did happen.
  expect(classify(false, { status: 200, errorCode: 'ECONNRESET' })).toBe('fail');
  expect(classify(true, { status: 201, errorCode: 'ECONNRESET' })).toBe('ok');
  expect(classify(true, { status: 500, errorCode: 'ECONNRESET' })).toBe('info');
  expect(errorOf({ status: 409 })).toBe('http 409');
  expect(errorOf({ status: 200, errorCode: 'ETIMEDOUT' })).toBe('ETIMEDOUT');
});
