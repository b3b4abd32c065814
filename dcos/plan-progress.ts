// Pure helpers on SDK plans: the one-line progress text ("deploy: etcd 3/3, control-plane 1/3 …") and status checks.
import type { Plan } from './schemas.ts';

/** `deploy: etcd 3/3, control-plane 1/3, node 0/4 (IN_PROGRESS)`; an empty plan shows `(no phases)`. */
export function planProgress(name: string, plan: Plan): string {
  const phases = plan.phases.map((ph) => {
    const done = ph.steps.filter((s) => s.status === 'COMPLETE').length;
    return `${ph.name} ${done}/${ph.steps.length}`;
  });
  const errors = plan.errors.length ? `; errors: ${plan.errors.join('; ')}` : '';
  return `${name}: ${phases.length ? phases.join(', ') : 'no phases'} (${plan.status})${errors}`;
}

/** The recovery type a recovery step's message ends with (`… RecoveryType: PERMANENT`), if any. */
export function recoveryType(message: string): 'TRANSIENT' | 'PERMANENT' | 'NONE' | undefined {
  const m = / RecoveryType: (TRANSIENT|PERMANENT|NONE)$/.exec(message);
  return m ? (m[1] as 'TRANSIENT' | 'PERMANENT' | 'NONE') : undefined;
}

/** `recovery_plan_is_empty` of the SDK test helpers: no phases, no errors, COMPLETE. */
export function isEmptyCompletePlan(plan: Plan): boolean {
  return plan.phases.length === 0 && plan.errors.length === 0 && plan.status === 'COMPLETE';
}
