// The planted chaos defects' expectations: a run counts as caught only when every must-fail checker failed and no
// checker failed outside must-fail + may-fail.
import { test, expect } from '@playwright/test';
import { CHAOS_DEFECTS, caughtRightly } from '../../chaos/bench/bench-verdicts.ts';
import { DEFECTS } from '../../config/options.ts';
import { findScenario } from '../../chaos/scenarios/definitions.ts';

test('caught rightly: all must-fail checkers failed, nothing outside must + may', () => {
  const d = { fails: ['linearizable', 'final-state'], mayFail: ['recovery'] };
  expect(caughtRightly(d, ['linearizable', 'final-state'])).toBe(true);
  expect(caughtRightly(d, ['linearizable', 'final-state', 'recovery'])).toBe(true);
  expect(caughtRightly(d, ['linearizable']), 'a must-fail checker passed').toBe(false);
  expect(caughtRightly(d, ['linearizable', 'final-state', 'availability']), 'a wrong reason').toBe(false);
  expect(caughtRightly(d, []), 'nothing failed').toBe(false);
});

test('every chaos defect names a planted defect, a scenario that exists, and checkers that scenario judges', () => {
  for (const d of CHAOS_DEFECTS) {
    expect(Object.keys(DEFECTS)).toContain(d.defect);
    const s = findScenario(d.scenario);
    expect(s, d.scenario).toBeDefined();
    expect(d.fails.length).toBeGreaterThan(0);
    expect(d.fails.filter((f) => d.mayFail.includes(f))).toEqual([]);
  }
});
