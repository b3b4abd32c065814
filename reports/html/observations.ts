// Observer and nemesis records → chart series (etcd health, VIP backends), change events and named fault windows (pure).
import { z } from 'zod';
import { faultWindows, type FaultWindow } from '../../history/operations.ts';
import { etcdSamples, leaders, leasesSamples } from '../../history/samples.ts';
import type { History } from '../../history/history.ts';

export type EventKind = 'etcd-leader' | 'etcd-health' | 'vip-backends' | 'lease-holder' | 'recovered' | 'upstream-failure';

export interface ClusterEvent {
  time: number;
  kind: EventKind;
  label: string;
  /** A few words for a chart marker. */
  short: string;
}

/** One x axis for all series; null where a series has no sample at that time. */
export interface ClusterSeries {
  time: number[];
  etcdHealthy: Array<number | null>;
  etcdMembers: Array<number | null>;
  vipBackends: Array<number | null>;
}

export type NamedFault = FaultWindow & { label: string };

export interface Observations {
  series: ClusterSeries;
  /** Changes only, in time order; the state at the first sample is in `initial`. */
  events: ClusterEvent[];
  initial: string[];
}

const vipSchema = z.object({ backends: z.array(z.string()) });

function vipSamples(history: History): Array<{ time: number; backends: string[] }> {
  return history
    .filter((op) => op.process === 'observer' && op.f === 'vip')
    .flatMap((op) => {
      const parsed = vipSchema.safeParse(op.value);
      return parsed.success ? [{ time: op.time, backends: parsed.data.backends }] : [];
    })
    .sort((a, b) => a.time - b.time);
}

/** Fault windows, named, with every target any nemesis op of the window gave (older runs put them on the completion only). */
export function namedFaults(history: History): NamedFault[] {
  const nemesis = history.filter((op) => op.process === 'nemesis');
  return faultWindows(history).map((w) => {
    const seen = nemesis
      .filter((op) => op.time >= w.start && op.time <= w.end)
      .flatMap((op) => {
        const v = op.value as { fault?: unknown; targets?: unknown } | undefined;
        return v?.fault === w.fault && Array.isArray(v.targets) ? v.targets.map(String) : [];
      });
    const targets = [...new Set([...w.targets, ...seen])];
    const label = `${w.fault}${targets.length ? ` → ${targets.join(', ')}` : ''}${w.healed ? '' : ' (never healed)'}`;
    return { ...w, targets, label };
  });
}

/** Emits an event each time `key` of consecutive samples differs; the first sample only sets the initial state. */
function changes<T>(samples: ReadonlyArray<{ time: number; value: T }>, key: (v: T) => string, event: (now: T, before: T) => [label: string, short: string]): {
  initial: T | undefined;
  events: Array<{ time: number; label: string; short: string }>;
} {
  const events: Array<{ time: number; label: string; short: string }> = [];
  samples.forEach((s, i) => {
    const before = samples[i - 1];
    if (!before || key(s.value) === key(before.value)) return;
    const [label, short] = event(s.value, before.value);
    events.push({ time: s.time, label, short });
  });
  return { initial: samples[0]?.value, events };
}

/** Holder identities are long (`vm_<uuid>`); a marker shows their start. */
const brief = (id: string | undefined): string => (id === undefined ? 'none' : id.length > 14 ? `${id.slice(0, 13)}…` : id);

export function observations(history: History): Observations {
  const etcd = etcdSamples(history);
  const vip = vipSamples(history).map((s) => ({ time: s.time, value: s.backends }));
  const leases = leasesSamples(history);
  const leaderOf = (s: (typeof etcd)[number]['value']): string => leaders(s).join(', ') || 'none';
  const down = (s: (typeof etcd)[number]['value']): string => s.members.filter((m) => !m.healthy).map((m) => m.name).join(', ');
  const leader = changes(etcd, (v) => leaderOf(v), (now, before) => [`etcd leader ${leaderOf(before)} → ${leaderOf(now)}`, `leader ${leaderOf(now)}`]);
  const healthy = (s: (typeof etcd)[number]['value']): string => `${s.members.filter((m) => m.healthy).length}/${s.members.length}`;
  const health = changes(etcd, down, (now) => [`etcd healthy ${healthy(now)}${down(now) ? ` (down: ${down(now)})` : ''}`, `etcd ${healthy(now)}`]);
  const backends = changes(vip, (v) => [...v].sort().join(','), (now, before) => [`VIP backends ${before.length} → ${now.length} (${now.join(', ') || 'none'})`, `VIP ${now.length}`]);
  const leaseNames = [...new Set(leases.flatMap((s) => Object.keys(s.value.holders)))].sort();
  const holderEvents = leaseNames.flatMap((name) =>
    changes(leases, (v) => v.holders[name] ?? '', (now, before) => [
      `${name} holder ${before.holders[name] ?? 'none'} → ${now.holders[name] ?? 'none'}`,
      `${name}: ${brief(now.holders[name])}`,
    ]).events.map((e) => ({ ...e, kind: 'lease-holder' as const })),
  );
  const recovered = history
    .filter((op) => op.process === 'nemesis' && op.f === 'recovered')
    .map((op) => ({ time: op.time, kind: 'recovered' as const, label: 'cluster healthy again (the runner saw every check pass)', short: 'recovered' }));
  const events: ClusterEvent[] = [
    ...leader.events.map((e) => ({ ...e, kind: 'etcd-leader' as const })),
    ...health.events.map((e) => ({ ...e, kind: 'etcd-health' as const })),
    ...backends.events.map((e) => ({ ...e, kind: 'vip-backends' as const })),
    ...holderEvents,
    ...recovered,
  ].sort((a, b) => a.time - b.time);

  const initial = [
    ...(leader.initial ? [`etcd leader ${leaderOf(leader.initial)}, ${leader.initial.members.filter((m) => m.healthy).length}/${leader.initial.members.length} healthy`] : []),
    ...(backends.initial ? [`VIP backends ${backends.initial.length} (${backends.initial.join(', ')})`] : []),
    ...leaseNames.map((name) => `${name} holder ${leases[0]?.value.holders[name] ?? 'none'}`),
  ];
  return { series: clusterSeries(etcd, vip), events, initial };
}

function clusterSeries(
  etcd: ReadonlyArray<{ time: number; value: { members: Array<{ healthy: boolean }> } }>,
  vip: ReadonlyArray<{ time: number; value: string[] }>,
): ClusterSeries {
  const time = [...new Set([...etcd.map((s) => s.time), ...vip.map((s) => s.time)])].sort((a, b) => a - b);
  const etcdAt = new Map(etcd.map((s) => [s.time, s.value]));
  const vipAt = new Map(vip.map((s) => [s.time, s.value]));
  return {
    time,
    etcdHealthy: time.map((t) => etcdAt.get(t)?.members.filter((m) => m.healthy).length ?? null),
    etcdMembers: time.map((t) => etcdAt.get(t)?.members.length ?? null),
    vipBackends: time.map((t) => vipAt.get(t)?.length ?? null),
  };
}
