// The emulated gossip ping of dcos-net (see dcos-net-policy.ts): from master-1's namespace, a connection to the
// agent's responder must answer `ok` within Lashup's 1 s ping ceiling. A crashed, cut-off or frozen agent does not.
import { run } from '../core/run.ts';
import { GOSSIP_TIMEOUT_MS } from './dcos-net-policy.ts';

export async function gossipAnswers(netns: string, ip: string, port: number): Promise<boolean> {
  const seconds = String(GOSSIP_TIMEOUT_MS / 1000);
  const r = await run('timeout', [seconds, 'bash', '-c', `exec 3<>/dev/tcp/${ip}/${port} && read -r -t ${seconds} line <&3 && [ "$line" = ok ]`], { netns, timeoutMs: GOSSIP_TIMEOUT_MS + 2_000 });
  return !r.failed;
}
