// The dead-man watcher, run for real (sh): it undoes its fault once the heartbeat is stale or the fault outlived its
// life, and ends without undoing anything once the fault's marker is gone (a normal heal).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { deadmanScript } from '../../targets/deadman.ts';
import { waitFor } from '../../core/wait.ts';

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'haproof-deadman-'));
  const f = { heartbeat: join(dir, 'hb'), marker: join(dir, 'fault') };
  writeFileSync(f.heartbeat, '');
  writeFileSync(f.marker, '');
  return { dir, f, undone: join(dir, 'undone') };
}
const start = (script: string) => {
  const p = spawn('sh', ['-c', script], { stdio: 'ignore' });
  return new Promise<number | null>((r) => p.once('exit', (code) => r(code)));
};

test('a stale heartbeat: the watcher undoes the fault, removes its marker and ends', async () => {
  const { f, undone } = setup();
  const old = Date.now() / 1000 - 60;
  utimesSync(f.heartbeat, old, old);
  const exit = start(deadmanScript(f, `touch '${undone}'`, Math.floor(Date.now() / 1000), 2));
  expect(await exit).toBe(0);
  expect(existsSync(undone)).toBe(true);
  expect(existsSync(f.marker)).toBe(false);
});

test('a fresh heartbeat keeps the fault; a heal (marker removed) ends the watcher without undoing', async () => {
  const { f, undone } = setup();
  const exit = start(deadmanScript(f, `touch '${undone}'`, Math.floor(Date.now() / 1000), 30));
  await new Promise((r) => setTimeout(r, 1_500));
  expect(existsSync(undone)).toBe(false);
  (await import('node:fs')).rmSync(f.marker);
  expect(await exit).toBe(0);
  expect(existsSync(undone)).toBe(false);
});

test('past its longest life, the fault is undone even with a live heartbeat', async () => {
  const { f, undone } = setup();
  const exit = start(deadmanScript(f, `touch '${undone}'`, Math.floor(Date.now() / 1000) - 10, 30, 5));
  expect(await exit).toBe(0);
  await waitFor('undone', async () => (existsSync(undone) ? true : { waiting: 'no' }), 5_000);
});

/** The state letter of /proc/<pid>/stat ('T': stopped), or undefined once the process is gone. */
const procState = (pid: number): string | undefined => {
  try { return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0]; } catch { return undefined; }
};

test('stopped processes: listed before the stop, continued by the watcher once the heartbeat goes stale; marker gone', async () => {
  const { listStoppedScript } = await import('../../targets/deadman.ts');
  const { dir } = setup();
  const f = { heartbeat: join(dir, 'h.heartbeat'), marker: join(dir, 'h.stopped') };
  const sleeper = spawn('sleep', ['60'], { stdio: 'ignore' });
  try {
    const pid = sleeper.pid!;
    expect(await start(`${listStoppedScript(f, [pid], Math.floor(Date.now() / 1000), 2)} && kill -s STOP ${pid}`)).toBe(0);
    expect(readFileSync(f.marker, 'utf8').trim()).toBe(String(pid));
    await waitFor('stopped', async () => (procState(pid) === 'T' ? true : { waiting: procState(pid) ?? 'gone' }), 2_000);
    // Nobody touches the heartbeat: 2 s later the watcher continues the pid and removes its marker.
    await waitFor('continued by the watcher', async () => (procState(pid) !== 'T' && !existsSync(f.marker) ? true : { waiting: procState(pid) ?? 'gone' }), 10_000);
    expect(procState(pid)).toBe('S');
  } finally { sleeper.kill('SIGKILL'); }
});

test('stopped processes on one host: each continue takes its pids out, an exited one goes too; the last removes the marker', async () => {
  const { listStoppedScript, unlistStoppedScript } = await import('../../targets/deadman.ts');
  const { execFileSync } = await import('node:child_process');
  const { dir } = setup();
  const f = { heartbeat: join(dir, 'h.heartbeat'), marker: join(dir, 'h.stopped') };
  const sh = (script: string) => execFileSync('sh', ['-c', script], { encoding: 'utf8' }).trim();
  const sleepers = [0, 1, 2, 3].map(() => spawn('sleep', ['60'], { stdio: 'ignore' }));
  const [a, b, c, gone] = sleepers.map((p) => p.pid!);
  try {
    sh(listStoppedScript(f, [a!, b!, gone!], Math.floor(Date.now() / 1000), 30));
    sh(listStoppedScript(f, [c!], Math.floor(Date.now() / 1000), 30));
    const listed = () => readFileSync(f.marker, 'utf8').split(/\s+/).filter(Boolean).map(Number).sort((x, y) => x - y);
    expect(listed()).toEqual([a!, b!, c!, gone!].sort((x, y) => x - y));
    sleepers[3]!.kill('SIGKILL');
    await waitFor('exited', async () => (existsSync(`/proc/${gone}`) ? { waiting: 'alive' } : true), 5_000);
    expect(sh(unlistStoppedScript(f, [b!]))).toBe('stopped-left');
    expect(listed()).toEqual([a!, c!].sort((x, y) => x - y));
    expect(sh(unlistStoppedScript(f, [a!, c!]))).toBe('none-left');
    expect(existsSync(f.marker)).toBe(false);
  } finally { for (const p of sleepers) p.kill('SIGKILL'); }
});

test('procStat reads the state and the name, also of a process whose name has spaces and parentheses', async () => {
  const { procStat } = await import('../../targets/testbed/faults-left.ts');
  expect(procStat('123 (etcd) T 1 123 123 0 -1')).toEqual({ comm: 'etcd', state: 'T' });
  expect(procStat('9 (a (b) c) S 1 9')).toEqual({ comm: 'a (b) c', state: 'S' });
  expect(procStat('garbage')).toBeUndefined();
  expect(procStat(readFileSync(`/proc/${process.pid}/stat`, 'utf8'))?.state).toMatch(/^[RS]$/);
});

test('held tasks: once the heartbeat is stale, the watcher asks the supervisor on its socket to start each listed task', async () => {
  const { listScript, startListedScript } = await import('../../targets/deadman.ts');
  const { createServer } = await import('node:http');
  const { dir } = setup();
  const socket = join(dir, 'supervisor.sock');
  const started: string[] = [];
  const server = createServer((req, res) => { if (req.method === 'POST') started.push(req.url!); res.end('{}'); });
  await new Promise<void>((r) => server.listen(socket, r));
  try {
    const f = { heartbeat: join(dir, 'h.heartbeat'), marker: join(dir, 'h.held') };
    const undo = startListedScript(process.execPath, socket);
    expect(await start(listScript(f, ['etcd-0-peer'], undo, Math.floor(Date.now() / 1000), 2))).toBe(0);
    expect(await start(listScript(f, ['etcd-2-peer'], undo, Math.floor(Date.now() / 1000), 2))).toBe(0);
    await waitFor('started by the watcher', async () => (started.length === 2 && !existsSync(f.marker) ? true : { waiting: started.join() }), 10_000);
    expect(started.sort()).toEqual(['/tasks/etcd-0-peer/start', '/tasks/etcd-2-peer/start']);
  } finally { server.close(); }
});
