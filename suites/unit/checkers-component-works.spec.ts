// component-works: the probe started at the kill must succeed within the takeover bound.
import { expect, test } from '@playwright/test';
import type { Op } from '../../history/history.ts';
import { checkComponentWorks } from '../../checkers/check-component-works.ts';

const probe = (start: number, end: number | undefined, type: 'ok' | 'fail' = 'ok'): Op[] => [
  { type: 'invoke', process: 'probe', f: 'schedule', value: { component: 'kube-scheduler' }, time: start },
  ...(end === undefined ? [] : [{ type, process: 'probe', f: 'schedule', value: {}, time: end, ...(type === 'fail' ? { error: 'kube-scheduler did not schedule the probe Pod within 60 s' } : {}) } as Op]),
];
const opts = { component: 'kube-scheduler' as const, withinMs: 20_400 };

test('scheduled within the takeover bound → pass, with the time', () => {
  const v = checkComponentWorks(probe(1_000, 18_000), opts);
  expect(v.verdict).toBe('pass');
  expect(v.figures.msToWork).toBe(17_000);
});

test('scheduled too late, or never → fail naming the component', () => {
  expect(checkComponentWorks(probe(1_000, 30_000), opts).reasons).toEqual(['kube-scheduler worked again 29000 ms after the kill > 20400 ms']);
  const never = checkComponentWorks(probe(1_000, 61_000, 'fail'), opts);
  expect(never.verdict).toBe('fail');
  expect(never.reasons[0]).toContain('did not schedule the probe Pod');
});

test('no probe, or a probe that never completed → unknown', () => {
  expect(checkComponentWorks([], opts).verdict).toBe('unknown');
  expect(checkComponentWorks(probe(1_000, undefined), opts).verdict).toBe('unknown');
});
