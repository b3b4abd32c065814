// The per-key limit the dcos target puts on SSH sessions per host (OpenSSH refuses channels beyond MaxSessions).
import { expect, test } from '@playwright/test';
import { KeyedLimit } from '../../core/keyed-limit.ts';

test('at most max holders per key, the rest in arrival order; other keys do not wait; a throwing holder frees its place', async () => {
  const limit = new KeyedLimit(2);
  const gates: Array<() => void> = [];
  const started: string[] = [];
  const hold = (name: string, key = 'a') => limit.run(key, () => new Promise<string>((resolve) => { started.push(name); gates.push(() => resolve(name)); }));
  const runs = [hold('1'), hold('2'), hold('3'), hold('4')];
  const other = hold('b1', 'b');
  await new Promise((r) => setTimeout(r, 10));
  expect(started).toEqual(['1', '2', 'b1']);
  expect([limit.running('a'), limit.running('b')]).toEqual([2, 1]);
  gates[0]!();
  await runs[0];
  await new Promise((r) => setTimeout(r, 10));
  expect(started).toEqual(['1', '2', 'b1', '3']);
  expect(limit.running('a')).toBe(2);
  await expect(limit.run('b', async () => { throw new Error('boom'); })).rejects.toThrow('boom');
  for (const g of gates.slice(1)) g(); // 2 and 3 end; 4 starts, with a gate of its own
  await new Promise((r) => setTimeout(r, 10));
  gates.at(-1)!();
  expect(await Promise.all([...runs, other])).toEqual(['1', '2', '3', '4', 'b1']);
  expect([limit.running('a'), limit.running('b')]).toEqual([0, 0]);
  expect(() => new KeyedLimit(0)).toThrow(/max: must be a positive integer, got 0/);
});
