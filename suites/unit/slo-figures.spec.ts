// The per-scenario figures table over repeated runs, from stored verdicts (pure).
import { test, expect } from '@playwright/test';
import { figuresOf, renderSloTable } from '../../chaos/bench/slo-figures.ts';

const stored = (name: string, verdict: string, reads: number, writes: number, recoveryMs: number, failing: string[] = []) => ({
  name, verdict,
  verdicts: [
    { checker: 'availability', verdict: failing.includes('availability') ? 'fail' : 'pass', figures: { byClass: { reads: { fault: { availabilityPct: reads, longestDowntimeMs: 0, total: 40, msToLastFailure: 2100 } }, writes: { fault: { availabilityPct: writes, longestDowntimeMs: 1000, total: 40, msToLastFailure: 5400 }, recovery: { availabilityPct: 100, longestDowntimeMs: 0, total: 20, msToLastFailure: null } } }, witness: { reads: { fault: { availabilityPct: reads - 1, longestDowntimeMs: 0, total: 16 } } } } },
    { checker: 'recovery', verdict: 'pass', figures: { recoveryMs } },
    { checker: 'load-validity', verdict: 'pass', figures: { lagP99Ms: 3.2 } },
    ...failing.filter((f) => f !== 'availability').map((checker) => ({ checker, verdict: 'fail' })),
  ],
});

test('one run\'s figures: per class and window, the longest downtime of any class, recovery, witness, lag', () => {
  expect(figuresOf('d', stored('kill-etcd-leader', 'pass', 97.5, 91, 1800))).toEqual({
    scenario: 'kill-etcd-leader', dir: 'd', verdict: 'pass', failing: [], readsFaultPct: 97.5, writesFaultPct: 91, readsRecoveryPct: null, writesRecoveryPct: 100,
    longestDowntimeMs: 1000, lastFailureFaultMs: 5400, lastFailureRecoveryMs: null, recoveryMs: 1800, witnessReadsFaultPct: 96.5, lagP99Ms: 3.2,
  });
});

test('min / median / max per scenario, passes counted, failing checkers tallied', () => {
  const runs = [
    figuresOf('a', stored('kill-etcd-leader', 'pass', 100, 90, 1500)),
    figuresOf('b', stored('kill-etcd-leader', 'fail', 80, 92, 2500, ['availability'])),
    figuresOf('c', stored('kill-etcd-leader', 'pass', 95, 94, 2000)),
  ];
  const table = renderSloTable(runs);
  expect(table).toContain('| kill-etcd-leader | 3    | 2    | 80.0 / 95.0 / 100.0');
  expect(table).toContain('1500 / 2000 / 2500');
  expect(table).toContain('5400 / 5400 / 5400');
  expect(table).toContain('availability (1)');
});
