// The dead-man watcher, run for real (sh): it undoes its fault once the heartbeat is stale or the fault outlived its
// life, and ends without undoing anything once the fault's marker is gone (a normal heal).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
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
