// The planted defect watch-drop's event filter (pure parts): which requests it touches, and that it leaves out exactly
// one of every N data events while passing bookmarks, errors and split lines whole.
import { test, expect } from '@playwright/test';
import { EventDropper, isLoadWatch } from '../../testbed/watch-drop-proxy.ts';

test('only watches on the load\'s ConfigMaps are touched', () => {
  expect(isLoadWatch('/api/v1/namespaces/haproof-chaos-kill-etcd-follower-abc123/configmaps?watch=1&resourceVersion=5')).toBe(true);
  expect(isLoadWatch('/api/v1/namespaces/haproof-chaos-x/configmaps?watch=true')).toBe(true);
  expect(isLoadWatch('/api/v1/namespaces/haproof-chaos-x/configmaps?limit=500')).toBe(false);
  expect(isLoadWatch('/api/v1/namespaces/haproof-chaos-x/configmaps/hot-1')).toBe(false);
  expect(isLoadWatch('/api/v1/namespaces/kube-system/configmaps?watch=1')).toBe(false);
  expect(isLoadWatch('/api/v1/pods?watch=1')).toBe(false);
});

test('one of every N data events is left out; bookmarks, errors and unparsable lines pass', () => {
  const d = new EventDropper(3);
  const ev = (type: string, rv: number) => `${JSON.stringify({ type, object: { metadata: { resourceVersion: String(rv) } } })}\n`;
  const input = [ev('ADDED', 1), ev('MODIFIED', 2), ev('BOOKMARK', 3), ev('MODIFIED', 4), ev('DELETED', 5), ev('ERROR', 6), 'not json\n', ev('MODIFIED', 7)].join('');
  const out = d.push(input);
  expect(d.dropped).toBe(1);
  expect(out).not.toContain('"resourceVersion":"4"');
  for (const rv of [1, 2, 3, 5, 6, 7]) expect(out).toContain(`"resourceVersion":"${rv}"`);
  expect(out).toContain('not json\n');
});

test('an event split across chunks is passed on whole, once', () => {
  const d = new EventDropper(100);
  const line = `${JSON.stringify({ type: 'ADDED', object: { metadata: { name: 'hot-1' } } })}\n`;
  expect(d.push(line.slice(0, 10))).toBe('');
  expect(d.push(line.slice(10, 30))).toBe('');
  expect(d.push(line.slice(30) + line.slice(0, 5))).toBe(line);
  expect(d.push(line.slice(5))).toBe(line);
});
