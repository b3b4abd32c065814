// Several commands in one remote shell, all at once, each with its own exit code, stdout and stderr: one SSH session
// where a session per command cost a fork of sshd, a login shell and a channel each (the dcos target's etcd sample was
// seven sessions per host). Outputs travel base64-encoded between marker lines, so nothing a command prints can be
// mistaken for a marker.
import { shq } from './shell-quote.ts';

export interface BatchResult {
  /** null: the shell never reported this command (the session ended or timed out first). */
  code: number | null;
  stdout: string;
  stderr: string;
}

const MARK = '@@haproof-batch';
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * The `sh` script that runs `commands` (shell command lines, already quoted) concurrently in a temporary directory and
 * prints, after all have ended, one marker line with each one's index and exit code followed by its stdout and stderr
 * in base64, one line each; then removes the directory — also when the printing dies (the session was dropped: the
 * shell gets SIGPIPE), since only the subshell that prints dies. `timeoutS`: each command is ended after that long
 * (coreutils `timeout`, exit code 124), so one hanging command cannot hold back the others' answers. Pure.
 */
export function batchScript(commands: readonly string[], timeoutS?: number): string {
  const lines = ['d=$(mktemp -d) || exit 97'];
  const bounded = (c: string) => (timeoutS === undefined ? c : `timeout -k 1 ${Math.max(1, Math.floor(timeoutS))} sh -c ${shq(c)}`);
  commands.forEach((c, i) => lines.push(`{ ( ${bounded(c)} ) >"$d/${i}.o" 2>"$d/${i}.e" </dev/null; echo $? >"$d/${i}.c"; } &`));
  lines.push('wait');
  // A failed encoding prints '!' in place of its line, never an empty line that would read as empty output.
  const encode = (f: string) => `b=$(base64 <"$d/$i.${f}") || b='!'; printf '%s\\n' "$b" | tr -d '\\n'; echo`;
  lines.push(`( for i in ${commands.map((_c, i) => i).join(' ')}; do printf '${MARK} %s %s\\n' "$i" "$(cat "$d/$i.c" 2>/dev/null)"; ${encode('o')}; ${encode('e')}; done )`);
  lines.push('rm -rf "$d"');
  return lines.join('\n');
}

/**
 * Each command's result from the script's stdout (pure). A command the output does not report (cut short) gets code
 * null and `missing` as its stderr.
 */
export function parseBatchOutput(stdout: string, count: number, missing = 'no result: the batch ended before it reported'): BatchResult[] {
  const results: BatchResult[] = Array.from({ length: count }, () => ({ code: null, stdout: '', stderr: missing }));
  const lines = stdout.split('\n');
  for (let k = 0; k < lines.length; k++) {
    const m = new RegExp(`^${MARK} (\\d+) (\\d*)$`).exec(lines[k]!);
    if (!m) continue;
    const i = Number(m[1]);
    if (i >= count || lines[k + 2] === undefined) continue;
    const [out, err] = [lines[k + 1]!, lines[k + 2]!];
    k += 2;
    // Only whole base64 lines count: anything else is an output that could not be read back, not an empty one.
    if (![out, err].every((l) => BASE64.test(l))) continue;
    const decode = (b64: string) => Buffer.from(b64, 'base64').toString('utf8');
    results[i] = { code: m[2] === '' ? null : Number(m[2]), stdout: decode(out), stderr: decode(err) };
  }
  return results;
}
