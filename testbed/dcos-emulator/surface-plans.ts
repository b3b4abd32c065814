// The SDK plans of the surface (pure over pods + state): deploy (etcd → control-plane → node, serial) and recovery (one
// phase per recovering pod), statuses aggregated as the SDK does, and the interrupt/continue/restart/forceComplete commands.
import { POD_TYPES, stableUuid, type FrameworkPod } from './framework-model.ts';
import type { Plan, PlanStatus } from '../../dcos/schemas.ts';
import { alreadyReported, commandReceived, json, notFound, text, type DcosResponse } from './surface-reply.ts';
import type { Recovery, SurfaceAction, SurfaceState } from './surface-state.ts';

export const PLAN_NAMES = ['deploy', 'recovery'] as const;

interface StepModel {
  id: string;
  name: string;
  status: PlanStatus;
  message: string;
  pod: FrameworkPod | undefined;
  recovery: Recovery | undefined;
}

interface PhaseModel {
  id: string;
  name: string;
  strategy: string;
  status: PlanStatus;
  steps: StepModel[];
}

interface PlanModel {
  name: string;
  strategy: string;
  status: PlanStatus;
  errors: string[];
  phases: PhaseModel[];
}

const DEPLOY_STEP_CLASS = 'com.mesosphere.sdk.scheduler.plan.DeploymentStep';
const RECOVERY_STEP_CLASS = 'com.mesosphere.sdk.scheduler.recovery.RecoveryStep';

/** A step's status from what the pod does now. */
function liveStatus(p: FrameworkPod): PlanStatus {
  switch (p.condition) {
    case 'pending': return 'PENDING';
    case 'starting': return 'STARTING';
    case 'running': return p.ready ? 'COMPLETE' : 'STARTED';
    default: return 'PENDING';
  }
}

/** SDK `PlanUtils.getAggregateStatus`, in its order. Serial strategies offer only the first unfinished child. */
export function aggregateStatus(children: PlanStatus[], strategy: string, interrupted: boolean, errors: string[] = []): PlanStatus {
  const open = children.filter((s) => s !== 'COMPLETE');
  const candidates = strategy === 'serial' ? open.slice(0, 1) : open;
  const any = (list: PlanStatus[], ...s: PlanStatus[]) => list.some((c) => s.includes(c));
  if (errors.length > 0 || children.includes('ERROR')) return 'ERROR';
  if (open.length === 0) return 'COMPLETE';
  if (interrupted) return 'WAITING';
  if (candidates.length > 0 && candidates.every((c) => c === 'DELAYED')) return 'DELAYED';
  if (children.includes('PREPARED')) return 'IN_PROGRESS';
  if (any(candidates, 'WAITING')) return 'WAITING';
  if (any(candidates, 'IN_PROGRESS')) return 'IN_PROGRESS';
  if (children.includes('COMPLETE') && any(candidates, 'PENDING', 'STARTING', 'STARTED')) return 'IN_PROGRESS';
  if (any(candidates, 'PENDING')) return 'PENDING';
  if (children.includes('WAITING')) return 'WAITING';
  if (any(candidates, 'STARTING')) return 'STARTING';
  if (any(candidates, 'STARTED')) return 'STARTED';
  return 'ERROR';
}

function deployPlan(cluster: string, pods: FrameworkPod[], state: SurfaceState): PlanModel {
  const phases = POD_TYPES.map((t): PhaseModel => {
    const id = stableUuid('plan', cluster, 'deploy', t.phase);
    const steps = pods.filter((p) => p.type === t.type).map((p): StepModel => {
      const stepId = stableUuid('plan', cluster, 'deploy', p.step);
      const status: PlanStatus = state.forced.has(stepId) || state.deployed.has(p.name) ? 'COMPLETE'
        : state.deployStale.get(p.name) === p.launchId ? 'PENDING'
        : liveStatus(p);
      return { id: stepId, name: p.step, status, message: `${DEPLOY_STEP_CLASS}: ${p.step} [${stepId}] with status: ${status}`, pod: p, recovery: undefined };
    });
    return { id, name: t.phase, strategy: t.strategy, steps, status: aggregateStatus(steps.map((s) => s.status), t.strategy, state.interrupted.has(`deploy/${id}`)) };
  });
  // The documented 2.x deploy plan also has mandatory-addons and public-node phases; the testbed runs neither.
  return { name: 'deploy', strategy: 'serial', errors: [], phases, status: aggregateStatus(phases.map((p) => p.status), 'serial', state.interrupted.has('deploy')) };
}

function recoveryPlan(pods: FrameworkPod[], state: SurfaceState): PlanModel {
  const phases = [...state.recoveries.values()].map((rec): PhaseModel => {
    const p = pods.find((x) => x.name === rec.pod);
    const name = p?.step ?? rec.pod;
    const status: PlanStatus = rec.done ? 'COMPLETE' : !p || p.launchId === rec.fromLaunch ? 'PENDING' : liveStatus(p);
    const step: StepModel = {
      id: rec.stepId, name, status, pod: p, recovery: rec,
      message: `${RECOVERY_STEP_CLASS}: ${name} [${rec.stepId}] with status: ${status} RecoveryType: ${rec.type}`,
    };
    return { id: rec.phaseId, name, strategy: 'parallel', steps: [step], status: aggregateStatus([status], 'parallel', state.interrupted.has(`recovery/${rec.phaseId}`)) };
  });
  return { name: 'recovery', strategy: 'parallel', errors: [], phases, status: aggregateStatus(phases.map((p) => p.status), 'parallel', state.interrupted.has('recovery')) };
}

function buildPlan(name: string, cluster: string, pods: FrameworkPod[], state: SurfaceState): PlanModel | undefined {
  if (name === 'deploy') return deployPlan(cluster, pods, state);
  if (name === 'recovery') return recoveryPlan(pods, state);
  return undefined;
}

function toJson(plan: PlanModel): Plan {
  return {
    phases: plan.phases.map((ph) => ({
      id: ph.id, name: ph.name,
      steps: ph.steps.map((s) => ({ id: s.id, status: s.status, name: s.name, message: s.message })),
      strategy: ph.strategy, status: ph.status,
    })),
    errors: plan.errors, strategy: plan.strategy, status: plan.status,
  };
}

/** `GET /v1/plans/<name>`: 200 complete, 417 errors, else 202; 404 when unknown. */
export function getPlan(name: string, cluster: string, pods: FrameworkPod[], state: SurfaceState): DcosResponse {
  const plan = buildPlan(name, cluster, pods, state);
  if (!plan) return notFound('Plan', name);
  return json(plan.status === 'COMPLETE' ? 200 : plan.status === 'ERROR' ? 417 : 202, toJson(plan));
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const byIdOrName = (idOrName: string) => (e: { id: string; name: string }) => (UUID.test(idOrName) ? e.id === idOrName.toLowerCase() : e.name === idOrName);

export type PlanCommandName = 'interrupt' | 'continue' | 'restart' | 'forceComplete';

/** `POST /v1/plans/<plan>/<command>?phase=&step=`, as SDK `PlansQueries` answers it. */
export function runPlanCommand(
  planName: string, command: PlanCommandName, query: { phase?: string | undefined; step?: string | undefined }, cluster: string, pods: FrameworkPod[], state: SurfaceState,
): DcosResponse {
  const plan = buildPlan(planName, cluster, pods, state);
  if (!plan) return notFound('Plan', planName);
  const phase = query.phase || undefined;
  const step = query.step || undefined;

  if (command === 'interrupt' || command === 'continue') {
    const keys: Array<{ key: string; status: PlanStatus }> = [];
    if (phase !== undefined) {
      const found = plan.phases.filter(byIdOrName(phase));
      if (found.length === 0) return notFound('Phase', phase);
      keys.push(...found.map((ph) => ({ key: `${planName}/${ph.id}`, status: ph.status })));
    } else {
      keys.push({ key: planName, status: plan.status });
    }
    const complete = keys.every((k) => k.status === 'COMPLETE');
    if (command === 'interrupt') {
      if (complete || keys.every((k) => state.interrupted.has(k.key))) return alreadyReported();
      for (const k of keys) state.interrupted.add(k.key);
    } else {
      if (complete || keys.every((k) => !state.interrupted.has(k.key))) return alreadyReported();
      for (const k of keys) state.interrupted.delete(k.key);
    }
    return commandReceived(command);
  }

  // forceComplete / restart act on the plan, a phase, or a step of a phase.
  if (phase === undefined && step !== undefined) return text(400, 'Missing phase');
  let element: { status: PlanStatus; steps: StepModel[]; interruptKey: string | undefined };
  if (phase === undefined) {
    element = { status: plan.status, steps: plan.phases.flatMap((ph) => ph.steps), interruptKey: planName };
  } else {
    const ph = plan.phases.find(byIdOrName(phase));
    if (!ph) return notFound('Phase', phase);
    if (step === undefined) {
      element = { status: ph.status, steps: ph.steps, interruptKey: `${planName}/${ph.id}` };
    } else {
      const matches = ph.steps.filter(byIdOrName(step));
      if (matches.length !== 1) return notFound('Step', step);
      element = { status: matches[0]!.status, steps: matches, interruptKey: undefined };
    }
  }
  const described = `for Plan: ${planName}, Phase: ${phase ?? 'null'}, Step: ${step ?? 'null'}`;

  if (command === 'forceComplete') {
    if (element.status === 'COMPLETE') return alreadyReported();
    for (const s of element.steps) {
      if (s.recovery) s.recovery.done = true;
      else state.forced.add(s.id);
    }
    return commandReceived(`forceComplete ${described}`);
  }

  // restart: back to PENDING; the pods relaunch (the testbed's supervisor does it, told through the actions).
  if (element.status === 'PENDING') return alreadyReported();
  if (element.interruptKey) state.interrupted.delete(element.interruptKey);
  const actions: SurfaceAction[] = [];
  for (const s of element.steps) {
    const p = s.pod;
    if (s.recovery) {
      s.recovery.done = false;
      if (p) s.recovery.fromLaunch = p.launchId;
    } else {
      state.forced.delete(s.id);
      if (p) {
        state.deployed.delete(p.name);
        state.deployStale.set(p.name, p.launchId);
      }
    }
    // [INFERRED] a restarted step relaunches its pod (the SDK re-runs the step); a pod never launched needs nothing.
    if (p && p.condition !== 'pending') {
      actions.push(s.recovery?.type === 'PERMANENT'
        ? { kind: 'replace-pod', pod: p.name, tasks: p.viewTasks, fromHost: p.host }
        : { kind: 'restart-pod', pod: p.name, tasks: p.viewTasks, host: p.host });
    }
  }
  return commandReceived(`restart ${described}`, actions);
}
