// The kubernetes-cluster 2.x service spec as the emulator plays it: the pod types the testbed runs with their tasks
// (the one its deploy step launches, and those stored unlaunched), and the deploy plan's phases in order with the
// strategy names the SDK gives them.
// source: iss-lab/dcos-kubernetes-cluster svc.yml @ 4c2d5492 (a public copy of the kubernetes-cluster 2.x service spec;
// mesosphere/dcos-kubernetes-cluster is private) — `pods:` and `plans: deploy:`

export type PodType = 'etcd' | 'kube-control-plane' | 'kube-node';

export interface PodTypeSpec {
  type: PodType;
  /** The task the deploy step launches: `etcd-0:[peer]`. */
  task: string;
  /**
   * Tasks of the pod that no deploy step launches (`recover`: goal ONCE, run only by the `replace` plan). The SDK stores
   * them with the pod's first launch, with an empty task id and no status.
   * source: mesosphere/dcos-commons sdk/scheduler/src/main/java/com/mesosphere/sdk/offer/evaluate/OfferEvaluator.java,
   * .../LaunchEvaluationStage.java @ 0.57.3 (shouldLaunch = tasksToLaunch.contains(task))
   */
  stubTasks: readonly string[];
}

/** The pod types the testbed runs, in deploy order. */
export const POD_TYPES: readonly PodTypeSpec[] = [
  { type: 'etcd', task: 'peer', stubTasks: ['recover'] },
  { type: 'kube-control-plane', task: 'instance', stubTasks: [] },
  { type: 'kube-node', task: 'kubelet', stubTasks: [] },
];

/**
 * What the emulator puts behind a deploy phase: the testbed's pods of a type; the `mandatory-addons-0:[instance]` step,
 * which the testbed does not run (a goal-FINISH task that applies add-ons through the apiserver) and shows COMPLETE once
 * the control plane is; or no steps (`public-node`: kube-node-public has `kubernetes.public_node_count` pods, 0 by
 * default and on the testbed).
 */
export type PhaseContent = { pods: PodType } | { synthetic: { pod: string; task: string } } | { none: true };

export interface DeployPhaseSpec {
  name: string;
  /**
   * The strategy as `GET /v1/plans/deploy` names it: a YAML `parallel` phase with custom steps becomes a
   * DependencyStrategy, named `dependency`.
   * source: mesosphere/dcos-commons sdk/scheduler/src/main/java/com/mesosphere/sdk/specification/PlanGenerator.java
   * (generatePhaseWithCustomParallelSteps), .../plan/strategy/DependencyStrategy.java @ 0.57.3
   */
  strategy: 'serial' | 'dependency';
  content: PhaseContent;
}

/** `plans: deploy:` (strategy serial). The metrics-exporter phase exists only with `kubernetes.metrics_exporter.enabled`. */
export const DEPLOY_STRATEGY = 'serial';
export const DEPLOY_PHASES: readonly DeployPhaseSpec[] = [
  { name: 'etcd', strategy: 'serial', content: { pods: 'etcd' } },
  { name: 'control-plane', strategy: 'dependency', content: { pods: 'kube-control-plane' } },
  { name: 'mandatory-addons', strategy: 'serial', content: { synthetic: { pod: 'mandatory-addons-0', task: 'instance' } } },
  { name: 'node', strategy: 'dependency', content: { pods: 'kube-node' } },
  { name: 'public-node', strategy: 'dependency', content: { none: true } },
];
