// Several commands in one shell session (the dcos target's etcd samples): run by the real /bin/sh here, as on an agent.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { batchScript, parseBatchOutput } from '../../core/shell-batch.ts';
import { shq } from '../../core/shell-quote.ts';

const runLocally = (script: string) => execFileSync('/bin/sh', ['-c', script], { encoding: 'utf8' });

test('each command keeps its own exit code, stdout and stderr, also output that looks like a marker or has no newline', () => {
  const commands = [
    `printf '%s\\n' ${shq('{"members":[]}')}`,
    'echo oops >&2; exit 3',
    `printf '@@haproof-batch 0 0\\nline'`,
    'sleep 0.2; echo late',
  ];
  const results = parseBatchOutput(runLocally(batchScript(commands)), commands.length);
  expect(results).toEqual([
    { code: 0, stdout: '{"members":[]}\n', stderr: '' },
    { code: 3, stdout: '', stderr: 'oops\n' },
    { code: 0, stdout: '@@haproof-batch 0 0\nline', stderr: '' },
    { code: 0, stdout: 'late\n', stderr: '' },
  ]);
});

test('the commands run at once, not one after another', () => {
  // The first waits (≤ 5 s) for a file only the second creates: one after another, the first would give up and fail.
  const waitForFlag = 'i=0; while [ ! -e "$d/flag" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done; test -e "$d/flag"';
  const results = parseBatchOutput(runLocally(batchScript([waitForFlag, 'touch "$d/flag"'])), 2);
  expect(results.map((r) => r.code)).toEqual([0, 0]);
});

test('a batch cut short reports its missing commands as such, not as empty successes', () => {
  const full = runLocally(batchScript(['echo a', 'echo b']));
  const cut = full.split('\n').slice(0, 3).join('\n');
  const results = parseBatchOutput(cut, 2, 'timed out');
  expect(results[0]).toEqual({ code: 0, stdout: 'a\n', stderr: '' });
  expect(results[1]).toEqual({ code: null, stdout: '', stderr: 'timed out' });
  expect(parseBatchOutput('', 1)[0]!.code).toBeNull();
});

test('a command that hangs is ended after timeoutS (exit 124) and the others still answer', () => {
  const results = parseBatchOutput(runLocally(batchScript(['sleep 30', 'echo quick'], 1)), 2);
  expect(results).toEqual([{ code: 124, stdout: '', stderr: '' }, { code: 0, stdout: 'quick\n', stderr: '' }]);
});

test('an output line that is not base64 (the encoding failed) is no result, not an empty success', () => {
  const results = parseBatchOutput('@@haproof-batch 0 0\n!\n\n@@haproof-batch 1 0\nYQo=\n\n', 2, 'unreadable');
  expect(results).toEqual([{ code: null, stdout: '', stderr: 'unreadable' }, { code: 0, stdout: 'a\n', stderr: '' }]);
});

test('the temporary directory is removed even when the reader went away before the results were printed', () => {
  const known = join(mkdtempSync(join(tmpdir(), 'haproof-batch-')), 'dir');
  // The script notes its directory, then its output pipe closes after one byte (as a dropped SSH session's would);
  // 200 kB of output is more than a pipe holds, so the printing certainly meets the closed pipe.
  const script = batchScript(['head -c 200000 /dev/zero', 'echo b']).replace('|| exit 97', `|| exit 97\necho "$d" >${shq(known)}`);
  execFileSync('/bin/sh', ['-c', `( ${script} ) | head -c 1 >/dev/null`]);
  const dir = readFileSync(known, 'utf8').trim();
  expect(existsSync(dir)).toBe(false);
});

test('the temporary directory is gone afterwards', () => {
  const out = runLocally(`${batchScript(['echo x'])}\necho "dir:$d"`);
  const dir = /dir:(.*)/.exec(out)![1]!;
  expect(runLocally(`test -e ${shq(dir)} && echo present || echo gone`).trim()).toBe('gone');
});
