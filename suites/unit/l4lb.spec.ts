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

test('an apiserver probe tells "nothing listens" (refused) from "no answer in time" (timeout)', async () => {
  const { probeReadyz } = await import('../../targets/readers/readyz.ts');
  const { createServer } = await import('node:net');
  const silent = createServer(() => undefined);
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  const port = (silent.address() as { port: number }).port;
  try {
    expect(await probeReadyz({ ip: '127.0.0.1', port, ca: Buffer.from(''), servername: 'x', timeoutMs: 300 })).toBe('timeout');
  } finally { silent.close(); }
  // The same port once closed: refused.
  expect(await probeReadyz({ ip: '127.0.0.1', port, ca: Buffer.from(''), servername: 'x', timeoutMs: 300 })).toBe('refused');
});
