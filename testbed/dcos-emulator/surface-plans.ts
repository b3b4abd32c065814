// The SDK plans of the surface (pure over pods + state): deploy (the service spec's phases, serial) and recovery (one
// phase per recovering pod), statuses aggregated as the SDK does, and the interrupt/continue/restart/forceComplete commands.
import { stableUuid, type FrameworkPod } from './framework-model.ts';
import { DEPLOY_PHASES, DEPLOY_STRATEGY } from './service-spec.ts';
import type { Plan, PlanStatus } from '../../dcos/schemas.ts';
import { alreadyReported, commandReceived, json, notFound, text, type DcosResponse } from './surface-reply.ts';
import type { Recovery, SurfaceAction, SurfaceState } from './surface-state.ts';

/**
 * `GET /v1/plans`. [UNCONFIRMED] the SDK also lists the spec's custom plans after these (the svc.yml's `replace`;
 * SchedulerBuilder.buildPlanCoordinator @ 0.57.3), so a real service likely answers `["deploy","recovery","replace"]`.
 */
export const PLAN_NAMES = ['deploy', 'recovery'] as const;

interface StepModel {
  id: string;
  name: string;
  status: PlanStatus;
  message: string;
  pod: FrameworkPod | undefined;
  /** A deploy step with no testbed pod behind it (`mandatory-addons-0`): the pod name it stands for. */
  syntheticPod?: string | undefined;
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

/**
 * SDK `PlanUtils.getAggregateStatus`, in its order; no children is COMPLETE. Serial strategies offer only the first
 * unfinished child. source: mesosphere/dcos-commons sdk/scheduler/src/main/java/com/mesosphere/sdk/scheduler/plan/
 * PlanUtils.java, .../plan/strategy/SerialStrategy.java @ 0.57.3
 */
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

/**
 * The deploy plan: the service spec's phases in order (etcd, control-plane, mandatory-addons, node, public-node), serial,
 * step names `<pod>:[<task>]`, statuses from the pods; a step that has completed stays COMPLETE. `mandatory-addons-0`
 * has no testbed task: its step completes once the control-plane phase has. `public-node` has no steps (no public nodes).
 * source: iss-lab/dcos-kubernetes-cluster svc.yml (plans.deploy) @ 4c2d5492; mesosphere/dcos-commons
 * sdk/scheduler/src/main/java/com/mesosphere/sdk/specification/PlanGenerator.java, .../offer/TaskUtils.java
 * (getStepName) @ 0.57.3. [UNCONFIRMED] after a completed deployment a restarted scheduler deploys the spec's `update`
 * plan (all phases serial) as `deploy`; the emulator never restarts its scheduler but on reinstall.
 */
function deployPlan(cluster: string, pods: FrameworkPod[], state: SurfaceState): PlanModel {
  const phases: PhaseModel[] = [];
  for (const spec of DEPLOY_PHASES) {
    const id = stableUuid('plan', cluster, 'deploy', spec.name);
    const deployStep = (name: string, status: PlanStatus, pod: FrameworkPod | undefined, syntheticPod?: string): StepModel => {
      const stepId = stableUuid('plan', cluster, 'deploy', name);
      const shown: PlanStatus = state.forced.has(stepId) ? 'COMPLETE' : status;
      return { id: stepId, name, status: shown, message: `${DEPLOY_STEP_CLASS}: ${name} [${stepId}] with status: ${shown}`, pod, syntheticPod, recovery: undefined };
    };
    let steps: StepModel[] = [];
    if ('pods' in spec.content) {
      const type = spec.content.pods;
      steps = pods.filter((p) => p.type === type).map((p) => deployStep(p.step, state.deployed.has(p.name) ? 'COMPLETE'
        : state.deployStale.get(p.name) === p.launchId ? 'PENDING'
        : liveStatus(p), p));
    } else if ('synthetic' in spec.content) {
      const { pod, task } = spec.content.synthetic;
      const previous = phases.at(-1);
      // Serial plan: the add-ons run after the control plane; once done they stay done (a deploy step that completed).
      if (previous?.status === 'COMPLETE') state.deployed.add(pod);
      steps = [deployStep(`${pod}:[${task}]`, state.deployed.has(pod) ? 'COMPLETE' : 'PENDING', undefined, pod)];
    }
    phases.push({ id, name: spec.name, strategy: spec.strategy, steps, status: aggregateStatus(steps.map((s) => s.status), spec.strategy, state.interrupted.has(`deploy/${id}`)) });
  }
  return { name: 'deploy', strategy: DEPLOY_STRATEGY, errors: [], phases, status: aggregateStatus(phases.map((p) => p.status), DEPLOY_STRATEGY, state.interrupted.has('deploy')) };
}

/**
 * The recovery plan: one parallel phase per recovering pod, phase name = step name, step message ending in the
 * recovery type. source: mesosphere/dcos-commons sdk/scheduler/src/main/java/com/mesosphere/sdk/scheduler/recovery/
 * DefaultRecoveryPlanManager.java, RecoveryStep.java @ 0.57.3. [UNCONFIRMED] an etcd replace: the spec's `replace` plan
 * (steps [[recover],[peer]]) suggests the framework overrides the PERMANENT recovery of etcd with a recover step first;
 * the emulator shows the SDK's default one-step phase.
 */
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

/**
 * `GET /v1/plans/<name>`: 200 complete, 417 errors, else 202; 404 when unknown.
 * source: mesosphere/dcos-commons sdk/scheduler/src/main/java/com/mesosphere/sdk/http/queries/PlansQueries.java @ 0.57.3
 */
export function getPlan(name: string, cluster: string, pods: FrameworkPod[], state: SurfaceState): DcosResponse {
  const plan = buildPlan(name, cluster, pods, state);
  if (!plan) return notFound('Plan', name);
  return json(plan.status === 'COMPLETE' ? 200 : plan.status === 'ERROR' ? 417 : 202, toJson(plan));
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const byIdOrName = (idOrName: string) => (e: { id: string; name: string }) => (UUID.test(idOrName) ? e.id === idOrName.toLowerCase() : e.name === idOrName);

export type PlanCommandName = 'interrupt' | 'continue' | 'restart' | 'forceComplete';

/**
 * `POST /v1/plans/<plan>/<command>?phase=&step=`, as SDK `PlansQueries` answers it (208 for a no-op).
 * source: mesosphere/dcos-commons sdk/scheduler/src/main/java/com/mesosphere/sdk/http/queries/PlansQueries.java,
 * .../http/ResponseUtils.java @ 0.57.3
 */
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
      if (s.syntheticPod) state.deployed.delete(s.syntheticPod);
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
