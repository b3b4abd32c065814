// Runs the checkers a scenario's expectations name and combines them: any fail → fail, else any unknown → unknown, else pass.
import type { History, Verdict } from '../history/history.ts';
import { checkAvailability } from './check-availability.ts';
import { checkLeaderUniqueness } from './check-leader-uniqueness.ts';
import { checkNoLostWrites } from './check-no-lost-writes.ts';
import { checkQuorumLoss } from './check-quorum-loss.ts';
import { checkRecovery } from './check-recovery.ts';
import { checkLinearizable } from './check-linearizable.ts';
import { checkWatch } from './check-watch.ts';
import { checkFinalState } from './check-final-state.ts';
import { checkLoadValidity } from './check-load-validity.ts';
import { checkComponentWorks } from './check-component-works.ts';
import type { Expectations } from './expectations.ts';
import { overallVerdict, type VerdictValue } from './verdict.ts';

export { checkAvailability, checkFinalState, checkLeaderUniqueness, checkLinearizable, checkLoadValidity, checkNoLostWrites, checkQuorumLoss, checkRecovery, checkWatch };
export { expectationsSchema, type Expectations } from './expectations.ts';
export { overallVerdict } from './verdict.ts';

export interface CheckResult {
  verdict: VerdictValue;
  verdicts: Verdict[];
}

/** Expectations must already be parsed with `expectationsSchema`; no expectations at all gives `unknown`. */
export function checkAll(history: History, expectations: Expectations): CheckResult {
  const { availability, recovery, noLostWrites, leaderUniqueness, quorumLoss, linearizable, watch, finalState, loadValidity, componentWorks } = expectations;
  const verdicts: Verdict[] = [
    ...(loadValidity ? [checkLoadValidity(history, loadValidity)] : []),
    ...(availability ? [checkAvailability(history, availability)] : []),
    ...(recovery ? [checkRecovery(history, recovery)] : []),
    ...(noLostWrites ? [checkNoLostWrites(history)] : []),
    ...(leaderUniqueness ? [checkLeaderUniqueness(history, leaderUniqueness)] : []),
    ...(quorumLoss ? [checkQuorumLoss(history, quorumLoss)] : []),
    ...(linearizable ? [checkLinearizable(history) as Verdict] : []),
    ...(watch ? [checkWatch(history) as Verdict] : []),
    ...(finalState ? [checkFinalState(history) as Verdict] : []),
    ...(componentWorks ? [checkComponentWorks(history, componentWorks) as Verdict] : []),
  ];
  return { verdict: overallVerdict(verdicts), verdicts };
}
