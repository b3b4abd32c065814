// The one fault interface: available(cluster), inject, heal. Faults are registered in registry.ts.
import type { Cluster } from '../../targets/cluster.ts';

export interface FaultContext {
  cluster: Cluster;
  /** Seeded random source: the same seed picks the same targets. */
  random: () => number;
  log: (line: string) => void;
  /**
   * The fault is in effect from now: call it once an action that changes the cluster has returned (the first kill,
   * the first firewall in place). The fault window is judged from the first call, so an injection that first looks
   * things up (over SSH on a DC/OS agent: seconds) does not dilute it; a fault that never calls it is judged from when
   * the runner set out to inject. Later calls change nothing.
   */
  inEffect?: () => void;
}

export interface Injection {
  fault: string;
  targets: string[];
  /** Whatever heal needs to undo this injection. */
  undo?: unknown;
}

export interface Fault<P> {
  name: string;
  description: string;
  /** Whether this cluster supports the fault (a target lacking a capability says no, and the scenario is skipped). */
  available(cluster: Cluster, params: P): Promise<boolean>;
  inject(ctx: FaultContext, params: P): Promise<Injection>;
  heal(ctx: FaultContext, injection: Injection): Promise<void>;
}
