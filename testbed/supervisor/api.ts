// The supervisor's wire types, used by both ends: the daemon's spec file and the task status it reports.
import { VIP_POLICIES } from '../l4lb.ts';
import { z } from 'zod';
import { CONTROL_PLANE_NAMES } from '../../config/options.ts';
import type { TaskSpec } from '../tasks.ts';

export const supervisorSpecSchema = z.object({
  cluster: z.string(),
  logDir: z.string(),
  socket: z.string(),
  tasksFile: z.string(),
  relaunchDelayMs: z.number().int().min(0),
  caFile: z.string(),
  vip: z.object({ key: z.string(), name: z.string(), ip: z.string(), port: z.number(), healthCheck: z.boolean().default(true), policy: z.enum(VIP_POLICIES).default('dcos-net') }),
  /** How the control plane runs (config/options.ts controlPlane): what the Mesos agent reports of an apiserver. */
  controlPlane: z.enum(CONTROL_PLANE_NAMES).default('mesos-tasks'),
  /** Static pods: the instance task's Mesos health check is emulated (config/options.ts apiserverHealthCheck). */
  apiserverHealthCheck: z.boolean().default(true),
  /** Static pods: each instance's kubelet as the API sees it (Node, Lease, mirror pods) — by instance pod name. */
  controlPlaneKubelets: z.array(z.object({ pod: z.string(), node: z.string(), kubeconfig: z.string() })).default([]),
  /** Namespaces the VIP is programmed in; '' is the runner's own namespace. */
  vipNamespaces: z.array(z.string()),
  tasks: z.array(z.custom<TaskSpec>()),
});
export type SupervisorSpec = z.infer<typeof supervisorSpecSchema>;

export type TaskState = 'running' | 'relaunching' | 'stopped' | 'exited';

export interface TaskStatus {
  name: string;
  pod: string;
  role: TaskSpec['role'];
  host: string;
  ip: string;
  /** The network namespace it runs in (its host's, or its pod's own on the overlay). */
  netns: string;
  pid: number | undefined;
  state: TaskState;
  restarts: number;
  startedAt: string | undefined;
  lastExit: { exitCode: number | undefined; signal: string | undefined; at: string } | undefined;
}

