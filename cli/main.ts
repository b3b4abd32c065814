// The haproof CLI: dispatches commands; usage errors exit 2 before anything is created.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CONTROL_PLANE_NAMES, DEFECTS, ETCD_TIMING_NAMES, ETCD_TIMINGS, NETWORK_NAMES, parseTestbedOptions, UsageError, VIP_POLICY_NAMES } from '../config/options.ts';
import { ensureBinaries, ensureE2e } from '../upstream/build.ts';
import { teardown } from '../testbed/down.ts';
import { collectStatus, NoTestbed, renderStatus } from '../testbed/status.ts';
import { runSupervisor } from '../testbed/supervisor/daemon.ts';
import { PreflightError, up } from '../testbed/up.ts';
import { parseArgs, renderHelp, type FlagSpec } from './args.ts';
import { runMain } from './main-job.ts';
import { runBenchUp } from './bench-up.ts';
import { upstreamE2eCommand } from './upstream-e2e.ts';
import { runChaos, analyze, benchChaosCommand, benchVerdictsCommand, benchSloCommand, healCommand, benchDeadmanCommand } from './chaos-commands.ts';

interface Command {
  summary: string;
  flags: FlagSpec[];
  run: (flags: Record<string, string | boolean>, positionals: string[]) => Promise<number>;
  hidden?: boolean;
  /** How many positional arguments the command takes (default none). */
  positionals?: number;
}

const log = (line: string): void => console.log(line);
const testbedFlags: FlagSpec[] = [
  { name: 'agents', help: 'number of private agents (>= 4, default 4)' },
  { name: 'cluster', help: 'service name of the cluster (default kubernetes-cluster)' },
  { name: 'options', help: 'JSON options file (keys: cluster, agents, relaunchDelayMs, nodeMonitorGracePeriodSeconds, podEvictionSeconds, vipPolicy, controlPlane, apiserverHealthCheck, etcdTiming, network, defect)' },
  { name: 'defect', help: `plant a defect to prove the suites catch it: ${Object.keys(DEFECTS).join(', ')}` },
  { name: 'control-plane', help: `how the control plane runs: ${CONTROL_PLANE_NAMES.join(', ')} (static-pods: kubernetes-cluster 2.x, a dead apiserver's task stays RUNNING and in the VIP; default mesos-tasks: one Mesos task per process)` },
  { name: 'etcd-timing', help: `etcd's election timeout / heartbeat: ${ETCD_TIMING_NAMES.map((n) => `${n} (${ETCD_TIMINGS[n].electionMs} / ${ETCD_TIMINGS[n].heartbeatMs} ms)`).join(', ')}; default etcd-defaults` },
  { name: 'network', help: `where the service's pods live: ${NETWORK_NAMES.join(', ')} (overlay: each pod its own namespace and address on the dcos overlay, VXLAN between agents, as kubernetes-cluster runs; default host: pods on their agent's address)` },
  { name: 'vip-policy', help: `how the VIP picks apiservers: ${VIP_POLICY_NAMES.join(', ')} (default dcos-net: DC/OS's own, emulated; readyz: a health-checking L4 balancer)` },
];

function secondsFlag(flags: Record<string, string | boolean>, name: string, fallback: number): number {
  const v = flags[name];
  if (v === undefined) return fallback;
  const n = Number(v);
  if (typeof v !== 'string' || !Number.isInteger(n) || n < 1 || n > 86_400) throw new UsageError(`--${name}: must be a whole number of seconds from 1 to 86400, got ${JSON.stringify(v)}`);
  return n;
}

function optionsFrom(flags: Record<string, string | boolean>) {
  const { options: file, 'vip-policy': vipPolicy, 'control-plane': controlPlane, 'etcd-timing': etcdTiming, ...rest } = flags;
  return parseTestbedOptions({ ...rest, ...(vipPolicy !== undefined ? { vipPolicy } : {}), ...(controlPlane !== undefined ? { controlPlane } : {}), ...(etcdTiming !== undefined ? { etcdTiming } : {}) }, typeof file === 'string' ? file : undefined);
}

const COMMANDS: Record<string, Command> = {
  up: {
    summary: 'Start the embedded HA testbed (builds the pinned binaries on first use) and wait until it is all green.',
    flags: testbedFlags,
    run: async (flags) => {
      const options = optionsFrom(flags);
      let interrupted: Promise<void> | undefined;
      const onSignal = (): void => {
        if (interrupted) return;
        log('interrupted: tearing down what was made');
        interrupted = teardown(log).then(() => undefined).finally(() => process.exit(130));
      };
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        const r = await up(options, log);
        // An interrupt's teardown decides the end (and the exit code 130), not a finished up.
        if (interrupted) return await interrupted.then(() => 130);
        log(`testbed ${r.cluster} is up in ${r.seconds.toFixed(1)} s\n  kubeconfig: ${r.kubeconfig}\n  try: kubectl --kubeconfig ${r.kubeconfig} get nodes\n  logs: ${r.runDir}/logs`);
        return 0;
      } catch (e) {
        if (interrupted) return await interrupted.then(() => 130);
        if (e instanceof PreflightError) throw e;
        log(`up failed: ${(e as Error).message}\ntearing down what was made (logs stay in reports/runs/)`);
        await teardown(log);
        return 1;
      }
    },
  },
  down: {
    summary: 'Remove everything the testbed made (processes, namespaces, links, nft tables, mounts, files). Idempotent.',
    flags: [],
    run: async () => {
      const started = Date.now();
      const { removed } = await teardown(log);
      log(removed.length ? `removed: ${removed.join(', ')}` : 'nothing to remove');
      log(`down in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      return 0;
    },
  },
  status: {
    summary: 'Show hosts, tasks, etcd members and leader, VIP backends, Lease holders and Nodes of the running testbed.',
    flags: [{ name: 'json', boolean: true, help: 'machine-readable output (includes kubeconfig and CA paths)' }],
    run: async (flags) => {
      const s = await collectStatus();
      log(flags['json'] ? JSON.stringify(s, null, 2) : renderStatus(s));
      return 0;
    },
  },
  build: {
    summary: 'Build the pinned upstream binaries into ~/.cache/haproof (skips what is already built).',
    flags: [{ name: 'e2e', help: 'also the upstream Kubernetes e2e suite (e2e.test) at the control plane\'s version: about 25 min on 2 cores', boolean: true }],
    run: async (flags) => {
      await ensureBinaries(log);
      if (flags['e2e'] === true) await ensureE2e(log);
      return 0;
    },
  },
  main: {
    summary: 'The main job: up → conformance → chaos matrix → conformance → down, then a summary. Exit 1 when anything failed.',
    flags: [...testbedFlags, { name: 'seed', help: 'seed for the chaos matrix (default: random, printed)' }],
    run: async (flags) => {
      const { seed, ...rest } = flags;
      const n = seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(seed);
      if (!Number.isInteger(n) || n < 0 || n >= 2 ** 31) throw new UsageError(`--seed: must be a whole number from 0 to 2147483647, got ${JSON.stringify(seed)}`);
      return runMain(optionsFrom(rest), n, log);
    },
  },
  'bench-up': {
    summary: 'Benchmark: 5 × (up to all-green, down), median and max, peak testbed memory, leftovers.',
    flags: [...testbedFlags, { name: 'runs', help: 'number of runs (default 5)' }],
    run: async (flags) => {
      const { runs, ...rest } = flags;
      const n = runs === undefined ? 5 : Number(runs);
      if (!Number.isInteger(n) || n < 1 || n > 50) throw new UsageError(`--runs: must be a whole number from 1 to 50, got ${JSON.stringify(runs)}`);
      return runBenchUp(optionsFrom(rest), n, log);
    },
  },
  run: {
    summary: 'Run chaos scenarios under load against the running testbed: all, one (--scenario), or k seeded random ones.',
    flags: [
      { name: 'scenario', help: 'run only this scenario (see --list)' },
      { name: 'seed', help: 'seed of the random source (default: random; printed so the run can be replayed)' },
      { name: 'random', help: 'run this many scenarios picked at random with --seed' },
      { name: 'list', boolean: true, help: 'list the scenarios and exit' },
    ],
    run: async (flags) => runChaos(flags, log),
  },
  analyze: {
    summary: 'Recompute every verdict of a chaos run directory from its stored files (no cluster needed).',
    flags: [{ name: 'json', boolean: true, help: 'print the verdicts as JSON' }],
    run: async (flags, positionals) => analyze(positionals, flags['json'] === true, log),
    positionals: 1,
  },
  'bench-chaos': {
    summary: 'Benchmark: the whole scenario matrix wall time, VIP eject times, failed requests, load throughput overhead.',
    flags: [{ name: 'seed', help: 'seed (default: random)' }],
    run: async (flags) => benchChaosCommand(flags, log),
  },
  'bench-verdicts': {
    summary: 'Benchmark: every planted chaos defect (must fail, on the right checkers) and N healthy runs (false alarms).',
    flags: [{ name: 'seed', help: 'seed (default: random)' }, { name: 'healthy', help: 'healthy runs of the checked scenarios (default 10)' }],
    run: async (flags) => benchVerdictsCommand(flags, log),
  },
  'bench-deadman': {
    summary: 'Benchmark: runners SIGKILLed at random points of a fault (partition, pause, freeze); how long until the hosts heal themselves.',
    flags: [
      { name: 'kills', help: 'how many runners to kill (default 20)' }, { name: 'seed', help: 'seed (default: random)' },
      { name: 'via', help: 'dcos (default: SSH to the agents, as on a real cluster) or testbed' },
    ],
    run: async (flags) => benchDeadmanCommand(flags, log),
  },
  heal: {
    summary: 'Undo every fault an earlier run left behind (the fault ledger), idempotently, and say what was found.',
    flags: [],
    run: async () => healCommand(log),
  },
  'bench-slo': {
    summary: 'Benchmark: each scenario N times, then min / median / max of the figures floors are set from (or tabulate stored runs).',
    flags: [
      { name: 'runs', help: 'runs of each scenario (default 10)' }, { name: 'scenarios', help: 'comma-separated scenario names (default all)' },
      { name: 'seed', help: 'first seed (default: random)' }, { name: 'from', help: 'only tabulate the runs stored under this directory' },
      { name: 'recheck', boolean: true, help: 'with --from: judge each stored history again by today\'s expectations' },
    ],
    run: async (flags) => benchSloCommand(flags, log),
  },
  'upstream-e2e': {
    summary: 'The upstream Kubernetes e2e [Conformance] specs of specs.json through the VIP (--select: choose them on the healthy testbed).',
    flags: [
      { name: 'select', boolean: true, help: 'run every [sig-api-machinery] [Conformance] spec once on the healthy testbed and write chaos/upstream-e2e/specs.json' },
      { name: 'processes', help: 'e2e.test processes at once for the specs that may share the cluster; [Serial] ones then run alone (default 3)' },
    ],
    run: async (flags) => upstreamE2eCommand(flags, log),
  },
  report: {
    summary: 'Rebuild the HTML availability report (index.html) of a run directory from its stored files.',
    flags: [],
    positionals: 1,
    run: async (_flags, positionals) => {
      const [dir] = positionals;
      if (!dir) throw new UsageError('report needs a run directory: haproof report <run-dir>');
      if (!existsSync(join(dir, 'scenarios'))) throw new UsageError(`run directory ${JSON.stringify(dir)} has no scenarios/ (not a chaos run directory?)`);
      const { buildReport } = await import('../reports/html/build-report.ts');
      log(`report: ${await buildReport(dir)}`);
      return 0;
    },
  },
  'dcos-deploy': {
    summary: 'Install kubernetes-cluster (HA) on a DC/OS cluster, follow its deploy plan to COMPLETE, print the topology.',
    flags: [
      { name: 'target', help: 'DC/OS target file (default: $HAPROOF_DCOS_TARGET, else ./dcos-target.json)' },
      { name: 'options', help: 'kubernetes-cluster options JSON (default: {service.name from the target, kubernetes.high_availability: true})' },
      { name: 'package-version', help: 'package version to install (default: what the package manager picks)' },
      { name: 'timeout', help: 'seconds to wait for the deploy plan (default 1800)' },
    ],
    run: async (flags) => {
      const { readDcosTarget, dcosTargetPath } = await import('../dcos/target-file.ts');
      const { dcosDeploy, deployOptions, renderTopology } = await import('../dcos/deploy.ts');
      const target = readDcosTarget(typeof flags['target'] === 'string' ? flags['target'] : dcosTargetPath());
      const { options, layout } = deployOptions(target, typeof flags['options'] === 'string' ? flags['options'] : undefined);
      const timeout = secondsFlag(flags, 'timeout', 1800);
      const pv = flags['package-version'];
      const topology = await dcosDeploy({ target, options, layout, packageVersion: typeof pv === 'string' ? pv : undefined, timeoutMs: timeout * 1000 }, log);
      log(renderTopology(topology));
      return 0;
    },
  },
  'dcos-teardown': {
    summary: 'Uninstall the kubernetes-cluster service named by the DC/OS target file (needs --yes).',
    flags: [
      { name: 'target', help: 'DC/OS target file (default: $HAPROOF_DCOS_TARGET, else ./dcos-target.json)' },
      { name: 'yes', boolean: true, help: 'really uninstall (the service and its data are gone afterwards)' },
      { name: 'timeout', help: 'seconds to wait for its framework to go (default 600)' },
    ],
    run: async (flags) => {
      const { readDcosTarget, dcosTargetPath } = await import('../dcos/target-file.ts');
      const { dcosTeardown } = await import('../dcos/deploy.ts');
      const target = readDcosTarget(typeof flags['target'] === 'string' ? flags['target'] : dcosTargetPath());
      const timeout = secondsFlag(flags, 'timeout', 600);
      if (flags['yes'] !== true) throw new UsageError(`--yes: required to uninstall ${target.cluster} from ${target.url} (its data is deleted)`);
      await dcosTeardown(target, timeout * 1000, log);
      return 0;
    },
  },
  'dcos-surface': {
    summary: 'Internal: the testbed\'s DC/OS API surface, run by the supervisor on master-1.',
    flags: [{ name: 'spec', help: 'supervisor spec file' }],
    hidden: true,
    run: async (flags) => {
      if (typeof flags['spec'] !== 'string') throw new UsageError('haproof dcos-surface: --spec is required');
      const { runTestbedSurface } = await import('../testbed/dcos-emulator/testbed-surface.ts');
      await runTestbedSurface(flags['spec']);
      return await new Promise<number>(() => undefined);
    },
  },
  'watch-drop-proxy': {
    summary: 'Internal: the planted defect watch-drop (a proxy in front of one apiserver that leaves out watch events).',
    flags: [
      { name: 'listen', help: 'ip:port to serve on' }, { name: 'upstream', help: 'ip:port of the apiserver' },
      { name: 'pki', help: 'the testbed PKI dir' }, { name: 'cert-name', help: 'the server certificate to present' },
      { name: 'every', help: 'leave out one of every N load watch events' },
    ],
    hidden: true,
    run: async (flags) => {
      const hostPort = (name: string) => {
        const m = /^([\d.]+):(\d+)$/.exec(String(flags[name] ?? ''));
        if (!m) throw new UsageError(`haproof watch-drop-proxy: --${name} must be ip:port, got ${JSON.stringify(flags[name] ?? null)}`);
        return { host: m[1]!, port: Number(m[2]) };
      };
      for (const f of ['pki', 'cert-name']) if (typeof flags[f] !== 'string') throw new UsageError(`haproof watch-drop-proxy: --${f} is required`);
      const every = Number(flags['every']);
      if (!Number.isInteger(every) || every < 1) throw new UsageError(`haproof watch-drop-proxy: --every must be a whole number >= 1, got ${JSON.stringify(flags['every'] ?? null)}`);
      const { runWatchDropProxy } = await import('../testbed/watch-drop-proxy.ts');
      runWatchDropProxy({ listen: hostPort('listen'), upstream: hostPort('upstream'), pki: String(flags['pki']), certName: String(flags['cert-name']), every });
      return await new Promise<number>(() => undefined);
    },
  },
  supervise: {
    summary: 'Internal: the supervisor daemon that `up` starts.',
    flags: [{ name: 'spec', help: 'supervisor spec file' }],
    hidden: true,
    run: async (flags) => {
      if (typeof flags['spec'] !== 'string') throw new UsageError('haproof supervise: --spec is required');
      await runSupervisor(flags['spec']);
      return await new Promise<number>(() => undefined);
    },
  },
};

function topHelp(): string {
  const cmds = Object.entries(COMMANDS).filter(([, c]) => !c.hidden).map(([n, c]) => `  ${n.padEnd(10)} ${c.summary}`);
  return ['Usage: haproof <command> [flags]', '', 'Proves that an HA Kubernetes control plane (DC/OS layout) stays available.', '', 'Commands:', ...cmds, '', 'Run `haproof <command> --help` for its flags.'].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(topHelp());
    return name ? 0 : 2;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    console.error(`haproof: unknown command ${JSON.stringify(name)}\n\n${topHelp()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(renderHelp(name, cmd.summary, cmd.flags));
    return 0;
  }
  try {
    const { flags, positionals } = parseArgs(rest, cmd.flags, name);
    if (positionals.length > (cmd.positionals ?? 0)) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[cmd.positionals ?? 0])}`);
    return await cmd.run(flags, positionals);
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`haproof ${name}: ${e.message}`);
      return 2;
    }
    // Known failures (a refused token, a plan in ERROR, no answer from the cluster) are told in one line, no stack.
    if (e instanceof PreflightError || e instanceof NoTestbed || (e instanceof Error && /^Dcos[A-Za-z]*Error$|^DcosPlanTimeout$/.test(e.name))) {
      console.error(`haproof ${name}: ${e.message}`);
      return 1;
    }
    console.error(`haproof ${name}: ${(e as Error).stack ?? e}`);
    return 1;
  }
}
