// `haproof upstream-e2e`: the upstream Kubernetes e2e `[Conformance]` specs through the VIP, as a peer suite of
// haproof's own conformance checks. `--select` runs every candidate once on the healthy testbed and writes the list of
// specs that pass there (chaos/upstream-e2e/specs.json); without it, the listed specs run against the target.
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { UsageError } from '../config/options.ts';
import { connectTarget, targetFromEnv } from '../targets/connect.ts';
import { readState } from '../testbed/state.ts';
import { newRunDir } from '../testbed/up.ts';
import { e2eBinaryPath, readVersions } from '../upstream/versions.ts';
import { listConformanceSpecs } from '../chaos/upstream-e2e/run-e2e.ts';
import { runUpstreamSet } from '../chaos/upstream-e2e/run-set.ts';
import { DEFAULT_PROCESSES } from '../chaos/upstream-e2e/phases.ts';
import { readSpecList, specListFrom, writeSpecList, SPEC_LIST_FILE } from '../chaos/upstream-e2e/spec-list.ts';

const SELECT_TIMEOUT_MS = 60 * 60_000;
const RUN_TIMEOUT_MS = 30 * 60_000;

export async function upstreamE2eCommand(flags: Record<string, string | boolean>, log: (line: string) => void): Promise<number> {
  const processes = flags['processes'] === undefined ? DEFAULT_PROCESSES : Number(flags['processes']);
  if (!Number.isInteger(processes) || processes < 1 || processes > 8) throw new UsageError(`--processes: must be a whole number from 1 to 8, got ${JSON.stringify(flags['processes'])}`);
  const v = readVersions();
  const binary = e2eBinaryPath(v);
  if (!existsSync(binary)) throw new UsageError(`the upstream e2e suite is not built (${binary}): run \`haproof build --e2e\` first`);
  const target = targetFromEnv();
  if (target === 'testbed' && !readState()) throw new UsageError('no testbed is up: run `haproof up` first');
  if (flags['select'] === true && target !== 'testbed') throw new UsageError('--select: the spec list is chosen on the healthy testbed only (HAPROOF_TARGET=testbed)');
  const cluster = await connectTarget(target);
  const outDir = newRunDir('upstream-e2e');
  try {
    if (flags['select'] === true) {
      const candidates = (await listConformanceSpecs(binary)).filter((s) => s.name.startsWith('[sig-api-machinery]')).map((s) => s.name);
      log(`upstream e2e ${v.kubernetes}: choosing among ${candidates.length} [sig-api-machinery] [Conformance] specs by running each once`);
      const r = await runUpstreamSet({ binary, kubeconfig: cluster.kubeconfig, specs: candidates, outDir, processes, timeoutMs: SELECT_TIMEOUT_MS, log });
      for (const f of r.suiteFailures) log(`  SUITE ${f}`);
      if (r.suiteFailures.length) { log('the suite itself failed: no spec list written'); return 1; }
      const list = specListFrom(candidates, r.results, r.missing, {
        kubernetes: v.kubernetes, candidates: `every [sig-api-machinery] [Conformance] spec of e2e.test ${v.kubernetes} (${candidates.length})`,
        generated: { at: new Date().toISOString(), command: 'haproof upstream-e2e --select', machine: hostname(), wallSeconds: Math.round(r.wallMs / 1000), target: 'testbed (healthy, through the VIP)' },
      });
      writeSpecList(list);
      log(`${list.run.length} passed, ${list.excluded.length} excluded, in ${Math.round(r.wallMs / 1000)} s → ${SPEC_LIST_FILE} (reports: ${outDir})`);
      return 0;
    }
    const list = readSpecList();
    if (list.kubernetes !== v.kubernetes) throw new UsageError(`${SPEC_LIST_FILE} was chosen for ${list.kubernetes}, the control plane is ${v.kubernetes}: run \`haproof upstream-e2e --select\` again`);
    const r = await runUpstreamSet({ binary, kubeconfig: cluster.kubeconfig, specs: list.run, outDir, processes, timeoutMs: RUN_TIMEOUT_MS, log });
    const failed = r.results.filter((x) => x.outcome === 'failed');
    for (const f of failed) log(`  FAILED ${f.name}: ${f.message}`);
    for (const m of r.missing) log(`  NOT RUN ${m.name}: ${m.why}`);
    for (const f of r.suiteFailures) log(`  SUITE ${f}`);
    log(`upstream e2e ${v.kubernetes}: ${r.results.length - failed.length} passed, ${failed.length} failed, ${r.missing.length} not run${r.suiteFailures.length ? `, the suite itself failed` : ''}, in ${Math.round(r.wallMs / 1000)} s (${r.processes} processes; JUnit: ${r.junit.join(', ')})`);
    return failed.length || r.missing.length || r.suiteFailures.length ? 1 : 0;
  } finally {
    cluster.close();
  }
}
