import { expect, test } from '@playwright/test';
import { nextBackends } from '../../testbed/l4lb.ts';

test('the VIP follows the ready set', () => {
  expect(nextBackends(['a', 'b'], ['a', 'b', 'c'])).toEqual(['a', 'b']);
  expect(nextBackends(['a', 'b', 'c'], ['a', 'b'])).toEqual(['a', 'b', 'c']);
  expect(nextBackends(['b', 'a'], ['a', 'b'])).toBe('unchanged');
});

test('no ready backend after some were: fail open (the controller then programs every backend, as dcos-net does)', () => {
  expect(nextBackends([], ['a', 'b'])).toBe('fail-open');
  expect(nextBackends([], [])).toBe('unchanged');
  expect(nextBackends(['c'], [])).toEqual(['c']);
});
