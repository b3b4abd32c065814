// VIP eject time from the supervisor's own event log (pure): from the signal to a task to the l4lb dropping its address.

export interface SupervisorEvent {
  time: string;
  kind: string;
  task?: string;
  signal?: string;
  backends?: string[];
  removed?: string[];
}

/** For each signal sent to an apiserver task, ms until the first l4lb change that removed that task's address. */
export function ejectTimes(events: readonly SupervisorEvent[], addressOf: (task: string) => string | undefined): Array<{ task: string; signal: string; ejectMs: number | undefined }> {
  const out: Array<{ task: string; signal: string; ejectMs: number | undefined }> = [];
  for (const e of events) {
    if (e.kind !== 'signal' || !e.task || !e.signal || !e.task.endsWith('-apiserver')) continue;
    const ip = addressOf(e.task);
    const sent = Date.parse(e.time);
    const removal = events.find((x) => x.kind === 'l4lb' && x.backends !== undefined && Date.parse(x.time) >= sent && ip !== undefined && (x.removed ?? []).includes(ip));
    out.push({ task: e.task, signal: e.signal, ejectMs: removal ? Date.parse(removal.time) - sent : undefined });
  }
  return out;
}
