// The l4lb controller, with two VIP policies. `dcos-net` (the default) is DC/OS's own, emulated from its sources (see
// dcos-net-policy.ts): task state polled every 2 s, killing tasks at weight 0, backends on agents whose gossip does not
// answer left out (fail-open), no conntrack flush. `readyz` is what a health-checking L4 balancer in front of a kubeadm
// cluster does, and what the testbed did before: /readyz probed every 200 ms, dead backends' flows flushed.
//
// The readyz policy: probes each apiserver's /readyz and keeps the VIP's nftables backends equal to the ready set.
// When no backend passes, it programs ALL configured backends instead of emptying the VIP (an empty VIP can only
// refuse): dcos-net does the same — if every backend of a VIP is unreachable it keeps them all (fail-open,
// shared/reference/dcos-interfaces.md §4.3, dcos_l4lb_mgr.erl healthy_backends). A slow etcd can make every apiserver's
// /readyz miss the probe timeout at once while they still serve most requests. The status then reports no ready
// backend (`backends: []`, `failOpen: true`), so health checks do not mistake it for three good ones.
import { readFileSync } from 'node:fs';
import { run } from '../core/run.ts';
import { renderVipBackends } from './nft-rules.ts';
import { VIP_POLICY_NAMES } from '../config/options.ts';
import { DCOS_NET_POLL_MS, dcosNetVip } from './dcos-net-policy.ts';
import { probeReadyz } from '../targets/readers/readyz.ts';

export const PROBE_INTERVAL_MS = 200;
export const PROBE_TIMEOUT_MS = 500;

export interface L4lbOptions {
  key: string;
  name: string;
  ip: string;
  port: number;
  caFile: string;
  backends: Array<{ name: string; ip: string }>;
  namespaces: string[];
  log: (fields: Record<string, unknown>) => void;
  /** false only for the planted defect vip-no-health-check: every backend, always. */
  healthCheck?: boolean;
  policy?: VipPolicy;
  /** dcos-net: the apiserver tasks' states as the agents report them (from the supervisor). */
  taskStates?: () => Array<{ ip: string; host: string; hostIp: string; state: 'running' | 'killing' | 'gone'; healthy?: boolean | undefined }>;
  /** dcos-net: whether a host's gossip answers within GOSSIP_TIMEOUT_MS. */
  hostAnswers?: (host: string, hostIp: string) => Promise<boolean>;
}

export const VIP_POLICIES = VIP_POLICY_NAMES;
export type VipPolicy = (typeof VIP_POLICIES)[number];

export class L4lbController {
  private current: string[] = [];
  private running = false;
  private changes = 0;
  private lastChange: string | undefined;
  private readonly ca: Buffer;

  constructor(private readonly o: L4lbOptions) {
    this.ca = readFileSync(o.caFile);
  }

  /** `backends`: the ready backends the VIP sends to (none while failing open); `programmed`: what nft holds. */
  status(): { name: string; ip: string; port: number; policy: VipPolicy; backends: string[]; programmed: string[]; listed: string[]; failOpen: boolean; changes: number; lastChange: string | undefined } {
    const policy = this.o.policy ?? 'readyz';
    return {
      name: this.o.name, ip: this.o.ip, port: this.o.port, policy, backends: this.failOpen ? [] : [...this.current], programmed: [...this.current],
      listed: policy === 'dcos-net' ? [...this.listed] : [...this.current], failOpen: this.failOpen, changes: this.changes, lastChange: this.lastChange,
    };
  }

  start(): void {
    this.running = true;
    void this.loop();
  }

  stop(): void {
    this.running = false;
  }

  private async loop(): Promise<void> {
    if (this.o.policy === 'dcos-net' && this.o.healthCheck !== false) return this.dcosNetLoop();
    while (this.running) {
      const started = Date.now();
      const results = this.o.healthCheck === false ? this.o.backends.map((b) => b.ip) : await Promise.all(this.o.backends.map(async (b) => ((await this.probe(b.ip)) ? b.ip : undefined)));
      const ready = results.filter((ip): ip is string => ip !== undefined);
      const next = nextBackends(ready, this.current);
      this.noteFailOpen(next === 'fail-open');
      const want = next === 'fail-open' ? this.o.backends.map((b) => b.ip) : next;
      if (this.running && want !== 'unchanged' && !sameSet(want, this.current)) await this.program(want);
      await new Promise((r) => setTimeout(r, Math.max(0, PROBE_INTERVAL_MS - (Date.now() - started))));
    }
  }

  private failOpen = false;
  /** dcos-net: the raw gossip table (what /net/v1/vips shows). */
  private listed: string[] = [];

  private async dcosNetLoop(): Promise<void> {
    while (this.running) {
      const started = Date.now();
      const tasks = this.o.taskStates!();
      const hosts = new Map(tasks.map((t) => [t.host, t.hostIp]));
      const answers = new Map(await Promise.all([...hosts].map(async ([host, ip]) => [host, await this.o.hostAnswers!(host, ip)] as const)));
      const vip = dcosNetVip(tasks.map((t) => ({ ip: t.ip, state: t.state, agentReachable: answers.get(t.host) ?? false, ...(t.healthy !== undefined ? { healthy: t.healthy } : {}) })));
      this.listed = vip.listed;
      this.noteFailOpen(vip.failOpen);
      if (this.running && !sameSet(vip.weighted, this.current)) await this.program(vip.weighted);
      await new Promise((r) => setTimeout(r, Math.max(0, DCOS_NET_POLL_MS - (Date.now() - started))));
    }
  }

  /** Logs entering and leaving the state where no backend is ready and the last set is kept. */
  private noteFailOpen(on: boolean): void {
    if (on === this.failOpen) return;
    this.failOpen = on;
    this.o.log({ event: on ? 'fail-open' : 'fail-open-end', programmed: on ? this.o.backends.map((b) => b.ip) : [...this.current] });
  }

  /** Backends whose last probe got no HTTP answer at all (dead or cut off), as opposed to a draining one's 500. */
  private readonly unreachable = new Set<string>();

  private async probe(ip: string): Promise<boolean> {
    const answer = await probeReadyz({ ip, port: this.o.port, ca: this.ca, servername: this.o.name, timeoutMs: PROBE_TIMEOUT_MS });
    if (answer === 'ready' || answer === 'not-ready') this.unreachable.delete(ip);
    else this.unreachable.add(ip);
    return answer === 'ready';
  }

  private async program(ready: string[]): Promise<void> {
    const removed = this.current.filter((ip) => !ready.includes(ip));
    // A dead or cut-off backend's flows are dropped, so clients fail fast instead of hanging on it; a draining backend
    // (it still answers, with /readyz 500) keeps its established connections until it closes them itself.
    // dcos-net never flushes: a removed destination's established flows go on by conntrack.
    const flushed = this.o.policy === 'dcos-net' ? [] : removed.filter((ip) => this.unreachable.has(ip));
    const started = Date.now();
    const ruleset = renderVipBackends([{ key: this.o.key, ip: this.o.ip, port: this.o.port, backends: ready }]);
    const results = await Promise.all(this.o.namespaces.map((ns) => run('nft', ['-f', '-'], { input: ruleset, netns: ns || undefined, timeoutMs: 5_000 })));
    const failed = results.filter((r) => r.failed);
    await Promise.all(flushed.flatMap((ip) => this.o.namespaces.map((ns) => run('conntrack', ['-D', '--reply-src', ip], { netns: ns || undefined, timeoutMs: 5_000 }))));
    if (failed.length) {
      // Not a change: `current` stays, so the next probe round tries again.
      this.o.log({ event: 'program-failed', wanted: ready, failures: failed.map((f) => f.stderr.slice(0, 200)) });
      return;
    }
    this.current = ready;
    this.changes++;
    this.lastChange = new Date().toISOString();
    this.o.log({ backends: ready, removed, flushed, programMs: Date.now() - started, failures: failed.map((f) => f.stderr.slice(0, 200)) });
  }
}

/** What to program after a probe round: the ready set, nothing new, or fail open (every backend) because none is ready. */
export function nextBackends(ready: readonly string[], current: readonly string[]): string[] | 'unchanged' | 'fail-open' {
  if (ready.length === 0 && current.length > 0) return 'fail-open';
  return sameSet(ready, current) ? 'unchanged' : [...ready];
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}
