// The dead-man switch of a host fault: a small watcher started on the host together with the fault, which undoes the
// fault by itself when the runner's heartbeat (a file on that host the runner touches) goes stale, or when the fault
// outlived its longest allowed life — so a fault outlives a dead runner (SIGKILL, OOM, a lost machine or SSH link) by
// at most HEARTBEAT_STALE_S. A heal removes the fault's marker file, and the watcher then ends without doing anything.
import { shq } from '../core/shell-quote.ts';

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
  const deadline = nowS + lifeS;
  return [
    `hb=${shq(f.heartbeat)}; marker=${shq(f.marker)}`,
    // First a second's grace: the runner touches the heartbeat as it starts the watcher.
    'sleep 1',
    'while [ -e "$marker" ]; do',
    '  now=$(date +%s); beat=$(stat -c %Y "$hb" 2>/dev/null || echo 0)',
    `  if [ $((now - beat)) -gt ${staleS} ] || [ "$now" -gt ${deadline} ]; then`,
    `    ${undo}`,
    '    rm -f "$marker"',
    // A dead runner's heartbeat goes with it (its other watchers undo theirs anyway); a live one keeps its own.
    `    if [ $((now - beat)) -gt ${staleS} ]; then rm -f "$hb"; rmdir "$(dirname "$marker")" 2>/dev/null; fi`,
    '    exit 0',
    '  fi',
    '  sleep 1',
    'done',
  ].join('\n');
}

/** The kinds of fault a host can hold at once, each with its own marker and watcher (one heartbeat per host). */
export type DeadmanKind = 'firewall' | 'stopped' | 'frozen' | 'held';

/**
 * A runner's dead-man files for a host under `dir`: one heartbeat per runner and host, one marker per kind — named by
 * the runner's pid, so that one runner (or `haproof heal`) never removes or keeps alive another's.
 */
export function deadmanFilesIn(dir: string, host: string, kind: DeadmanKind, runner = process.pid): DeadmanFiles {
  return { heartbeat: `${dir}/${host}.${runner}.heartbeat`, marker: `${dir}/${host}.${runner}.${kind}` };
}

/**
 * The undo of stopped processes: SIGCONT to every pid the marker lists (the runner appends each pid it stops before
 * stopping it, and takes it out once it continued it). A pid that exited meanwhile is skipped by kill.
 */
export const CONTINUE_LISTED = 'kill -s CONT $(cat "$marker") 2>/dev/null';


/**
 * Lists `items` (pids, task names) in the marker before the fault touches them, and starts the watcher with `undo`
 * (which reads them back from "$marker") when the marker is new: one watcher per runner, host and kind — `sh` text to
 * run on the host, followed by the fault itself (pure).
 */
export function listScript(f: DeadmanFiles, items: readonly (string | number)[], undo: string, nowS: number, staleS = HEARTBEAT_STALE_S): string {
  const watcher = deadmanScript(f, undo, nowS, staleS);
  const words = items.map((x) => shq(String(x))).join(' ');
  return `mkdir -p ${shq(dirOf(f.marker))} && touch ${shq(f.heartbeat)} && if [ -e ${shq(f.marker)} ]; then echo ${words} >> ${shq(f.marker)}; `
    + `else echo ${words} > ${shq(f.marker)} && (nohup setsid sh -c ${shq(watcher)} >/dev/null 2>&1 &); fi`;
}

/** `listScript` for stopped processes: the watcher continues every listed pid. */
export const listStoppedScript = (f: DeadmanFiles, pids: readonly number[], nowS: number, staleS = HEARTBEAT_STALE_S): string => listScript(f, pids, CONTINUE_LISTED, nowS, staleS);

/**
 * Takes healed `items` out of the marker, and those for which `stillThere` (a `sh` test on "$p") fails; the last one
 * removes it (its watcher then ends) — `sh` text printing `stopped-left` while others stay listed, else `none-left`.
 */
export function unlistScript(f: DeadmanFiles, items: readonly (string | number)[], stillThere = 'true'): string {
  return `left=$(for p in $(cat ${shq(f.marker)} 2>/dev/null); do case ' ${items.join(' ')} ' in *" $p "*) ;; *) ${stillThere} && echo "$p" ;; esac; done | sort -u | tr '\n' ' '); `
    + `if [ -n "$(echo $left)" ]; then echo $left > ${shq(f.marker)}; echo stopped-left; else rm -f ${shq(f.marker)}; echo none-left; fi`;
}

/** `unlistScript` for continued pids; a listed pid that exited meanwhile (a relaunch while paused) goes too. */
export const unlistStoppedScript = (f: DeadmanFiles, pids: readonly number[]): string => unlistScript(f, pids, '[ -d /proc/$p ]');

/**
 * The undo of held tasks on the testbed: asks the supervisor on its socket to start every listed task (with node,
 * which the machine has: the supervisor is a node process).
 */
export function startListedScript(nodeBin: string, socket: string): string {
  const js = `const [s,t]=process.argv.slice(1);require('node:http').request({socketPath:s,method:'POST',path:'/tasks/'+encodeURIComponent(t)+'/start'}).on('error',()=>{}).end()`;
  return `for t in $(cat "$marker"); do ${shq(nodeBin)} -e ${shq(js)} ${shq(socket)} "$t"; done`;
}

/** Removes a host's heartbeat and dead-man directory once it holds no fault of any kind (pure: `sh` text). */
export function dropHeartbeatScript(f: DeadmanFiles): string {
  return `rm -f ${shq(f.heartbeat)}; rmdir ${shq(dirOf(f.marker))} 2>/dev/null; true`;
}

const dirOf = (path: string) => path.slice(0, path.lastIndexOf('/')) || '/';

/** The runner's side: touches the heartbeat of every host that holds a fault, every HEARTBEAT_EVERY_MS, while it lives. */
export class Heartbeats {
  private readonly held = new Map<string, Set<DeadmanKind>>();
  private timer: NodeJS.Timeout | undefined;
  private busy = false;

  constructor(private readonly touch: (host: string) => Promise<void>) {}

  async add(host: string, kind: DeadmanKind = 'firewall'): Promise<void> {
    await this.touch(host);
    this.held.set(host, (this.held.get(host) ?? new Set()).add(kind));
    // unref: a heartbeat never keeps a finished runner alive (and a dead runner's heartbeat stops, which is the point).
    this.timer ??= setInterval(() => void this.beat(), HEARTBEAT_EVERY_MS).unref();
  }

  /** Stops beating for this kind on the host; true when the host holds no fault of any kind any more. */
  remove(host: string, kind: DeadmanKind = 'firewall'): boolean {
    const kinds = this.held.get(host);
    kinds?.delete(kind);
    if (kinds && kinds.size === 0) this.held.delete(host);
    if (this.held.size === 0 && this.timer) { clearInterval(this.timer); this.timer = undefined; }
    return !this.held.has(host);
  }

  private async beat(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try { await Promise.all([...this.held.keys()].map((h) => this.touch(h).catch(() => undefined))); } finally { this.busy = false; }
  }
}
