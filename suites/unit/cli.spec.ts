// The CLI as a user runs it: --help, and bad input → exit code 2, a message naming the field, no side effects.
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';

const bin = join(import.meta.dirname, '..', '..', 'bin', 'haproof.mjs');
const haproof = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 30_000 });
const netns = () => execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' });

test('--help lists the commands; each command has its own --help', () => {
  const top = haproof('--help');
  expect(top.status).toBe(0);
  for (const c of ['up', 'down', 'status']) expect(top.stdout).toContain(`  ${c} `);
  const upHelp = haproof('up', '--help');
  expect(upHelp.status).toBe(0);
  expect(upHelp.stdout).toContain('--agents');
});

for (const [args, message] of [
  [['up', '--agents', '2'], /--agents: must be at least 4.*got "2"/],
  [['up', '--bogus'], /unknown flag "--bogus"/],
  [['up', '--options', '/nonexistent.json'], /--options \/nonexistent.json: cannot read the file/],
  [['frobnicate'], /unknown command "frobnicate"/],
  [['up', '--defect', 'slow-disk'], /--defect: must be one of single-etcd-endpoint, no-leader-election, vip-no-health-check.*got "slow-disk"/],
  [['dcos-teardown', '--target', '/nonexistent.json'], /target file \/nonexistent\.json: cannot read the file/],
  [['dcos-deploy', '--timeout', '0'], /--timeout|target file/],
  [['bench-deadman', '--via', 'ssh'], /--via: must be "dcos" .* or "testbed", got "ssh"/],
  [['bench-slo', '--recheck'], /--recheck: only with --from DIR/],
  [['upstream-e2e', '--processes', '0'], /--processes: must be a whole number from 1 to 8, got "0"/],
] as const) {
  test(`haproof ${args.join(' ')} → exit 2, names the problem, creates nothing`, () => {
    const before = netns();
    const r = haproof(...args);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(netns()).toBe(before);
  });
}
