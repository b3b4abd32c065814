// The settle period comes from the controller-managers' own flags: node monitor grace + leader lease duration.
import { test, expect } from '@playwright/test';
import { DEFAULT_LEASE_MS, DEFAULT_NODE_GRACE_MS, parseGoDuration, settleFromArgv } from '../../chaos/observe/settle.ts';

test('Go durations as kube-controller-manager takes them', () => {
  expect(parseGoDuration('20s')).toBe(20_000);
  expect(parseGoDuration('1m0s')).toBe(60_000);
  expect(parseGoDuration('1h2m3.5s')).toBe(3_723_500);
  expect(parseGoDuration('500ms')).toBe(500);
  for (const bad of ['', '20', 's', '-5s', '20 s', '1d']) expect(parseGoDuration(bad), bad).toBeUndefined();
});

test('from the flags (either spelling), the largest over instances; the pinned defaults where a flag is absent or unreadable', () => {
  expect(settleFromArgv([['kcm', '--node-monitor-grace-period=20s', '--leader-elect=true']])).toEqual({ settleMs: 20_000 + DEFAULT_LEASE_MS, nodeGraceMs: 20_000, leaseMs: DEFAULT_LEASE_MS });
  expect(settleFromArgv([['kcm', '--node-monitor-grace-period', '30s', '--leader-elect-lease-duration=20s'], ['kcm', '--node-monitor-grace-period=40s']]).settleMs).toBe(40_000 + 20_000);
  expect(settleFromArgv([['kcm', '--node-monitor-grace-period=soon']]).nodeGraceMs).toBe(DEFAULT_NODE_GRACE_MS);
  expect(settleFromArgv([]).settleMs).toBe(DEFAULT_NODE_GRACE_MS + DEFAULT_LEASE_MS);
});
