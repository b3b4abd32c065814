// Running checkers together: expectations parsing, the combined verdict, and safeCheck turning a throw into unknown.
import { test, expect } from '@playwright/test';
import type { History, Op } from '../../history/history.ts';
import { checkAll, expectationsSchema, overallVerdict } from '../../checkers/index.ts';
import { safeCheck } from '../../checkers/safe-check.ts';

const call = (process: number, f: string, name: string, start: number, end: number, type: 'ok' | 'fail' | 'info'): Op[] => [
  { type: 'invoke', process, f, value: { name }, time: start },
  { type, process, f, value: { name }, time: end },
];
const finalRead = (present: string[]): Op => ({ type: 'ok', process: 'final', f: 'final-read', value: { present }, time: 100 });
const history: History = [...call(1, 'create', 'a', 0, 10, 'ok'), ...call(1, 'get', 'a', 20, 30, 'ok')];

test('expectations: a strict object of checker options; unknown keys and bad values are refused', () => {
  expect(expectationsSchema.parse({ availability: { slo: { minAvailabilityPct: 99 } }, noLostWrites: true })).toEqual({
    availability: { slo: { minAvailabilityPct: 99 } },
    noLostWrites: true,
  });
  expect(expectationsSchema.safeParse({ lostWrites: true }).success).toBe(false);
  expect(expectationsSchema.safeParse({ recovery: { from: 'later' } }).success).toBe(false);
  expect(expectationsSchema.safeParse({ availability: { windowMs: 0 } }).success).toBe(false);
});

test('checkAll runs only the named checkers: fail if any fails, else unknown if any is unknown, else pass', () => {
  const passing = checkAll([...history, finalRead(['a'])], { availability: {}, noLostWrites: true });
  expect(passing.verdicts.map((v) => [v.checker, v.verdict])).toEqual([['availability', 'pass'], ['no-lost-writes', 'pass']]);
  expect(passing.verdict).toBe('pass');
  const lost = checkAll([...history, finalRead([])], { availability: {}, noLostWrites: true, recovery: {} });
  expect(lost.verdicts.map((v) => v.verdict)).toEqual(['pass', 'unknown', 'fail']);
  expect(lost.verdict).toBe('fail');
  expect(checkAll(history, { availability: {}, noLostWrites: true }).verdict).toBe('unknown');
  expect(checkAll(history, { noLostWrites: false }).verdicts).toEqual([]);
});

test('overall verdict: nothing checked is unknown, not pass', () => {
  expect(overallVerdict([])).toBe('unknown');
  expect(overallVerdict([{ verdict: 'pass' }, { verdict: 'unknown' }])).toBe('unknown');
  expect(overallVerdict([{ verdict: 'unknown' }, { verdict: 'fail' }])).toBe('fail');
  expect(checkAll(history, {}).verdict).toBe('unknown');
});

test('safeCheck: a throwing checker yields unknown with the error as the reason; a malformed sample does too', () => {
  const boom = safeCheck('boom', (_h: History): never => {
    throw new Error('kaput');
  });
  expect(boom(history)).toEqual({ checker: 'boom', verdict: 'unknown', figures: {}, reasons: ['checker threw: kaput'] });
  const fine = safeCheck('fine', () => ({ checker: 'fine', verdict: 'pass' as const, figures: { n: 1 }, reasons: [] }));
  expect(fine().verdict).toBe('pass');
  const badSample: Op = { type: 'info', process: 'observer', f: 'etcd', value: { members: 'm1' }, time: 5 };
  const r = checkAll([...history, badSample], { quorumLoss: {} });
  expect(r.verdict).toBe('unknown');
  expect(r.verdicts[0]?.reasons[0]).toMatch(/^checker threw: observer etcd sample at 5 ms: members: /);
});
