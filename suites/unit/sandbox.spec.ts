// A task's Mesos sandbox: its files at /mnt/mesos/sandbox in the task's own mount namespace, its working directory, a
// new host directory per launch, and nothing of it on the machine's own /mnt (real `ip netns exec` and mounts).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { spawnTask } from '../../testbed/supervisor/spawn-task.ts';
import { makeSandbox } from '../../testbed/supervisor/daemon.ts';
import { etcdTask } from '../../testbed/tasks.ts';
import { SANDBOX_PATH, testbedPaths } from '../../testbed/paths.ts';

test('a sandboxed task reads its files at /mnt/mesos/sandbox, runs there, and the machine\'s /mnt stays as it was', async () => {
  test.skip(process.getuid?.() !== 0, 'needs root (network and mount namespaces)');
  const ns = `hpf-unit-sbx-${process.pid}`;
  const tmp = mkdtempSync(join(tmpdir(), 'haproof-sandbox-'));
  const mntBefore = readdirSync('/mnt');
  execFileSync('ip', ['netns', 'add', ns]);
  try {
    writeFileSync(join(tmp, 'secret.crt'), 'the task\'s certificate\n');
    const sandbox = { root: join(tmp, 'sandboxes', 'etcd-0-peer'), files: { 'ca.crt': join(tmp, 'secret.crt'), 'peer.key': join(tmp, 'secret.crt') } };
    const first = makeSandbox(sandbox);
    const second = makeSandbox(sandbox);
    expect(second, 'each launch gets a sandbox of its own').not.toBe(first);
    const log = join(tmp, 'task.log');
    const p = spawnTask(ns, '/bin/sh', ['-c', `cat ${SANDBOX_PATH}/ca.crt; pwd; echo "env=$MESOS_SANDBOX"; stat -c %a ${SANDBOX_PATH}/peer.key`], log, { MESOS_SANDBOX: SANDBOX_PATH }, first);
    expect(await p.exited).toEqual({ exitCode: 0, signal: undefined });
    expect(readFileSync(log, 'utf8').trim().split('\n')).toEqual(['the task\'s certificate', SANDBOX_PATH, `env=${SANDBOX_PATH}`, '600']);
    expect(readdirSync('/mnt'), 'nothing mounted or made on the machine\'s /mnt').toEqual(mntBefore);
    // A task without a sandbox sees the machine's filesystem as it is.
    const plain = spawnTask(ns, '/bin/sh', ['-c', `test -e ${SANDBOX_PATH}/ca.crt && echo present || echo absent`], join(tmp, 'plain.log'));
    await plain.exited;
    expect(readFileSync(join(tmp, 'plain.log'), 'utf8').trim()).toBe(existsSync(`${SANDBOX_PATH}/ca.crt`) ? 'present' : 'absent');
  } finally {
    spawnSync('ip', ['netns', 'delete', ns]);
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('an etcd member names only its sandbox\'s certificate paths, and its sandbox holds them', () => {
  const paths = testbedPaths('kubernetes-cluster');
  const placed = { pod: 'etcd-1', host: 'agent-2', ip: '198.18.0.12', index: 1, netns: 'hpf-agent-2' };
  const t = { cluster: 'kubernetes-cluster' } as Parameters<typeof etcdTask>[4];
  const b = { etcd: '/x/etcd' } as Parameters<typeof etcdTask>[5];
  const spec = etcdTask({ ...placed, kind: 'etcd' } as Parameters<typeof etcdTask>[0], placed, 'etcd-0=https://a:2380', 'new', t, b, paths, { electionMs: 1000, heartbeatMs: 100 });
  const files = spec.args.filter((a) => /-(file)=/.test(a)).map((a) => a.split('=')[1]!);
  expect(files.length).toBe(6);
  for (const f of files) {
    expect(f.startsWith(`${SANDBOX_PATH}/`), f).toBe(true);
    expect(Object.keys(spec.sandbox!.files), `${f} is in the sandbox`).toContain(f.slice(SANDBOX_PATH.length + 1));
  }
  expect(spec.sandbox!.files['peer.crt']).toBe(join(paths.pki, 'etcd-1-peer.crt'));
  expect(spec.sandbox!.root.startsWith(paths.work)).toBe(true);
});
