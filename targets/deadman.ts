// The dead-man switch of a host fault: a small watcher started on the host together with the fault, which undoes the
// fault by itself when the runner's heartbeat (a file on that host the runner touches) goes stale, or when the fault
// outlived its longest allowed life — so a fault outlives a dead runner (SIGKILL, OOM, a lost machine or SSH link) by
// at most HEARTBEAT_STALE_S. A heal removes the fault's marker file, and the watcher then ends without doing anything.

/** The runner touches each faulted host's heartbeat file this often… */
export const HEARTBEAT_EVERY_MS = 2_000;
/** …and a watcher undoes its fault once the heartbeat is older than this (the longest a fault outlives its runner). */
export const HEARTBEAT_STALE_S = 15;
/** No fault lives longer than this, runner alive or not. */
export const MAX_FAULT_LIFE_S = 30 * 60;

export interface DeadmanFiles {
  /** Touched by the runner while it lives. */
  heartbeat: string;
  /** Exists while the fault is in place; the heal removes it. */
  marker: string;
}

/** The watcher (pure): `sh -c` text. `undo` is the host-local command that removes the fault (idempotent). */
export function deadmanScript(f: DeadmanFiles, undo: string, nowS: number, staleS = HEARTBEAT_STALE_S, lifeS = MAX_FAULT_LIFE_S): string {
  const q = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;
  const deadline = nowS + lifeS;
  return [
    `hb=${q(f.heartbeat)}; marker=${q(f.marker)}`,
    // First a second's grace: the runner touches the heartbeat as it starts the watcher.
    'sleep 1',
    'while [ -e "$marker" ]; do',
    '  now=$(date +%s); beat=$(stat -c %Y "$hb" 2>/dev/null || echo 0)',
    `  if [ $((now - beat)) -gt ${staleS} ] || [ "$now" -gt ${deadline} ]; then`,
    `    ${undo}`,
    '    rm -f "$marker"',
    '    exit 0',
    '  fi',
    '  sleep 1',
    'done',
  ].join('\n');
}

/** The runner's side: touches the heartbeat of every host that holds a fault, every HEARTBEAT_EVERY_MS, while it lives. */
export class Heartbeats {
  private readonly hosts = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private busy = false;

  constructor(private readonly touch: (host: string) => Promise<void>) {}

  async add(host: string): Promise<void> {
    await this.touch(host);
    this.hosts.add(host);
    // unref: a heartbeat never keeps a finished runner alive (and a dead runner's heartbeat stops, which is the point).
    this.timer ??= setInterval(() => void this.beat(), HEARTBEAT_EVERY_MS).unref();
  }

  remove(host: string): void {
    this.hosts.delete(host);
    if (this.hosts.size === 0 && this.timer) { clearInterval(this.timer); this.timer = undefined; }
  }

  private async beat(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try { await Promise.all([...this.hosts].map((h) => this.touch(h).catch(() => undefined))); } finally { this.busy = false; }
  }
}
