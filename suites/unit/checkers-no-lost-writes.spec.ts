// No-lost-writes checker: acknowledged creates must survive, unknown ones may go either way, surely failed ones must not appear.
import { test, expect } from '@playwright/test';
import type { Op } from '../../history/history.ts';
import { checkNoLostWrites } from '../../checkers/check-no-lost-writes.ts';

const call = (process: number, f: string, name: string, start: number, end: number, type: 'ok' | 'fail' | 'info'): Op[] => [
  { type: 'invoke', process, f, value: { name }, time: start },
  { type, process, f, value: { name }, time: end },
];
const finalRead = (time: number, present: string[]): Op => ({ type: 'ok', process: 'final', f: 'final-read', value: { present }, time });

test('an acknowledged create missing from the final read is lost → fail', () => {
  const v = checkNoLostWrites([...call(1, 'create', 'a', 0, 10, 'ok'), ...call(1, 'create', 'b', 20, 30, 'ok'), finalRead(100, ['a'])]);
  expect(v.verdict).toBe('fail');
  expect(v.figures).toMatchObject({ acknowledged: 2, present: 1, lost: ['b'], unexpected: [] });
  expect(v.reasons).toEqual(['1 of 2 acknowledged creates missing from the final read: b']);
});

test('an unknown-outcome create may be absent or present → pass', () => {
  const history = [...call(1, 'create', 'a', 0, 10, 'ok'), ...call(2, 'create', 'u1', 0, 50, 'info'), ...call(3, 'create', 'u2', 0, 50, 'info')];
  const v = checkNoLostWrites([...history, finalRead(100, ['a', 'u2'])]);
  expect(v.verdict).toBe('pass');
  expect(v.figures).toMatchObject({ acknowledged: 1, lost: [], unknownPresent: 1, unknownAbsent: 1 });
});

test('a definitely failed create that is present → fail, unless a later create of the name succeeded', () => {
  const failed = call(1, 'create', 'f', 0, 10, 'fail');
  const v = checkNoLostWrites([...failed, finalRead(100, ['f'])]);
  expect(v.verdict).toBe('fail');
  expect(v.figures.unexpected).toEqual(['f']);
  expect(checkNoLostWrites([...failed, ...call(1, 'create', 'f', 20, 30, 'ok'), finalRead(100, ['f'])]).verdict).toBe('pass');
});

test('deletes: ok or unknown deletes cancel the acknowledgement; a surely deleted name that is present → fail', () => {
  const deleted = [...call(1, 'create', 'd', 0, 10, 'ok'), ...call(1, 'delete', 'd', 20, 30, 'ok')];
  const maybeDeleted = [...call(2, 'create', 'm', 0, 10, 'ok'), ...call(2, 'delete', 'm', 20, 30, 'info')];
  const v = checkNoLostWrites([...deleted, ...maybeDeleted, finalRead(100, [])]);
  expect(v.verdict).toBe('pass');
  expect(v.figures).toMatchObject({ acknowledged: 0, unknownAbsent: 1 });
  const back = checkNoLostWrites([...deleted, finalRead(100, ['d'])]);
  expect(back.verdict).toBe('fail');
  expect(back.figures.unexpected).toEqual(['d']);
});

test('the last final read is the one judged', () => {
  const created = call(1, 'create', 'a', 0, 10, 'ok');
  expect(checkNoLostWrites([...created, finalRead(100, []), finalRead(200, ['a'])]).verdict).toBe('pass');
  expect(checkNoLostWrites([...created, finalRead(200, ['a']), finalRead(100, [])]).verdict).toBe('pass');
  expect(checkNoLostWrites([...created, finalRead(100, ['a']), finalRead(200, [])]).verdict).toBe('fail');
});

test('no final read, or a malformed one → unknown', () => {
  const created = call(1, 'create', 'a', 0, 10, 'ok');
  const none = checkNoLostWrites(created);
  expect(none.verdict).toBe('unknown');
  expect(none.reasons).toEqual(['no final-read in the history']);
  const malformed = checkNoLostWrites([...created, { type: 'ok', process: 'final', f: 'final-read', value: { present: 'a' }, time: 50 }]);
  expect(malformed.verdict).toBe('unknown');
  expect(malformed.reasons[0]).toMatch(/^checker threw: final-read at 50 ms/);
});
