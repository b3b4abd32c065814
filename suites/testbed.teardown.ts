// Tears the testbed down after the suites (unless it was brought up by someone else).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { test, expect } from '@playwright/test';
import { teardown } from '../testbed/down.ts';
import { haproofLeftovers } from '../testbed/network.ts';
import { NETNS_ETC, STATE_FILE, STATE_ROOT } from '../testbed/paths.ts';
import { readState } from '../testbed/state.ts';
import { targetFromEnv } from '../targets/connect.ts';

test('testbed is down with nothing left behind', async () => {
  test.skip(targetFromEnv() === 'dcos', 'HAPROOF_TARGET=dcos: no testbed was brought up');
  if (process.env['HAPROOF_REUSE_TESTBED'] === '1') return;
  const state = readState();
  const tasksFile = state ? `${state.workDir}/tasks.json` : undefined;
  const pids = tasksFile && existsSync(tasksFile) ? (JSON.parse(readFileSync(tasksFile, 'utf8')) as { tasks: Array<{ pid?: number }> }).tasks.flatMap((t) => (t.pid ? [t.pid] : [])) : [];
  await teardown((line) => console.log(line));
  const left = await haproofLeftovers();
  expect(left).toEqual({ namespaces: [], links: [], nftTables: [] });
  expect(existsSync(STATE_FILE), 'state file').toBe(false);
  expect(existsSync(STATE_ROOT), `state root ${STATE_ROOT}`).toBe(false);
  expect(state && existsSync(state.workDir), 'work dir').toBeFalsy();
  expect(existsSync(NETNS_ETC) ? readdirSync(NETNS_ETC).filter((d) => d.startsWith('hpf-')) : []).toEqual([]);
  expect(readFileSync('/proc/mounts', 'utf8').split('\n').filter((l) => l.includes(STATE_ROOT))).toEqual([]);
  expect(existsSync('/sys/fs/cgroup/freezer') ? readdirSync('/sys/fs/cgroup/freezer').filter((d) => d.startsWith('haproof-')) : []).toEqual([]);
  expect(pids.filter((p) => existsSync(`/proc/${p}`)), 'task processes still alive').toEqual([]);
});
