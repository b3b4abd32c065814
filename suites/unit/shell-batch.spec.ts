// Several commands in one shell session (the dcos target's etcd samples): run by the real /bin/sh here, as on an agent.
import { execFileSync } from 'node:child_process';
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

test('the temporary directory is gone afterwards', () => {
  const out = runLocally(`${batchScript(['echo x'])}\necho "dir:$d"`);
  const dir = /dir:(.*)/.exec(out)![1]!;
  expect(runLocally(`test -e ${shq(dir)} && echo present || echo gone`).trim()).toBe('gone');
});
