// The emulated gossip ping of dcos-net (see dcos-net-policy.ts): a connection to the agent's responder must answer
// `ok` within Lashup's 1 s ping ceiling. A crashed, cut-off (isolate and one-way partitions drop the runner's traffic
// too) or frozen agent does not. In-process: a probe that spawned `ip netns exec … bash` per agent every 2 s spent
// part of its 1 s on process start-up on this 2-core machine, and once stayed failing for minutes.
import { connect } from 'node:net';
import { GOSSIP_TIMEOUT_MS } from './dcos-net-policy.ts';

export function gossipAnswers(ip: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: ip, port });
    let got = '';
    const done = (ok: boolean) => { clearTimeout(timer); socket.destroy(); resolve(ok); };
    const timer = setTimeout(() => done(false), GOSSIP_TIMEOUT_MS);
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => { got += d; if (got.startsWith('ok')) done(true); });
    socket.on('error', () => done(false));
    socket.on('close', () => done(got.startsWith('ok')));
  });
}
