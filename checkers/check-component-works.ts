// After its leader is killed, the leader-elected component works again — a Pod created at the kill gets scheduled, a
// ReplicaSet gets its Pod — within the takeover bound (lease duration + retry period). A new Lease holder alone does
// not show that the component does its job.
import type { History } from '../history/history.ts';
import { safeCheck } from './safe-check.ts';
import { toVerdict } from './verdict.ts';

export interface ComponentWorksOptions {
  component: 'kube-scheduler' | 'kube-controller-manager';
  /** From the probe's start (the kill) to the component's first result. */
  withinMs: number;
}

export type ComponentWorksFigures = { component: string; probe: string | null; msToWork: number | null; withinMs: number; error: string | null };

function componentWorks(history: History, options: ComponentWorksOptions) {
  const probe = history.filter((op) => op.process === 'probe');
  const invoke = probe.find((op) => op.type === 'invoke');
  const done = probe.find((op) => op.type !== 'invoke');
  const figures: ComponentWorksFigures = { component: options.component, probe: invoke?.f ?? null, msToWork: null, withinMs: options.withinMs, error: done?.error ?? null };
  if (!invoke) return toVerdict('component-works', figures, [], ['no component probe in the history']);
  if (!done) return toVerdict('component-works', figures, [], [`the ${invoke.f} probe never completed`]);
  if (done.type !== 'ok') return toVerdict('component-works', figures, [`${options.component} did not work again: ${done.error ?? 'probe failed'}`]);
  figures.msToWork = done.time - invoke.time;
  const failures = figures.msToWork > options.withinMs ? [`${options.component} worked again ${Math.round(figures.msToWork)} ms after the kill > ${options.withinMs} ms`] : [];
  return toVerdict('component-works', figures, failures);
}

export const checkComponentWorks = safeCheck('component-works', componentWorks);
