// The emulated Mesos ids of the testbed's one master and one framework (a leaf: tasks and surfaces share it).
import { createHash } from 'node:crypto';

/** A name-based (v5-style) UUID from parts, so ids are the same on every run of the same testbed. */
export function stableUuid(...parts: string[]): string {
  const h = createHash('sha1').update(parts.join('\u0000')).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

/** The (single) Mesos master's id; agent ids are `<master>-S<n>`, framework ids `<master>-<nnnn>`. */
export function masterId(cluster: string): string {
  return stableUuid('haproof-mesos-master', cluster);
}

export function frameworkId(cluster: string): string {
  return `${masterId(cluster)}-0001`;
}

/**
 * The framework's Mesos role: `<svc with / → __>-role`.
 * source: mesosphere/dcos-commons sdk/scheduler/src/main/java/com/mesosphere/sdk/framework/FrameworkConfig.java,
 * .../scheduler/SchedulerUtils.java (withEscapedSlashes) @ 0.57.3. [UNCONFIRMED] kubernetes-cluster sets no `service.role`
 * (config.json has one, default "": then the SDK default applies)
 */
export function frameworkRole(cluster: string): string {
  return `${cluster.replaceAll('/', '__')}-role`;
}
