// Runs the upstream Kubernetes e2e suite (`e2e.test`, pinned in upstream/e2e) against a cluster through its VIP, as a
// user would: the admin kubeconfig, `--provider=skeleton`, exactly the specs asked for; Ginkgo's JUnit and JSON
// reports go into the given directory, and the results come back per spec with their times on the wall clock.
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { run, runStreaming } from '../../core/run.ts';
import { focusExactly, parseGinkgoReport, suiteFailures, type SpecResult } from './ginkgo-report.ts';

export interface E2eRunOptions {
  binary: string;
  kubeconfig: string;
  specs: readonly string[];
  outDir: string;
  /** The suite's own deadline (`--ginkgo.timeout`); the process is ended a minute after it. */
  timeoutMs: number;
  log: (line: string) => void;
}

export interface E2eRunResult {
  /** The specs asked for that ran (passed or failed). */
  results: SpecResult[];
  /** Specs asked for that did not run: not in this binary, skipped (the suite ended first, or the spec skipped itself). */
  missing: Array<{ name: string; why: string }>;
  /** Failures of the suite itself (BeforeSuite, ReportAfterSuite, its timeout), and a non-zero exit with no failed spec. */
  suiteFailures: string[];
  exitCode: number | undefined;
  wallMs: number;
  junit: string;
}

export async function runUpstreamE2e(o: E2eRunOptions): Promise<E2eRunResult> {
  const outDir = resolve(o.outDir);
  mkdirSync(outDir, { recursive: true });
  const json = join(outDir, 'ginkgo-report.json');
  const junit = join(outDir, 'junit.xml');
  // The suite's own output, whole, beside its reports.
  const out = createWriteStream(join(outDir, 'e2e.log'));
  const started = Date.now();
  let done = 0;
  let lastLog = Date.now();
  o.log(`upstream e2e: ${o.specs.length} specs through ${o.kubeconfig} (reports in ${o.outDir})`);
  const r = await runStreaming(o.binary, [
    `--kubeconfig=${o.kubeconfig}`, '--provider=skeleton', `--ginkgo.focus=${focusExactly(o.specs)}`,
    `--ginkgo.json-report=${json}`, `--ginkgo.junit-report=${junit}`, '--ginkgo.no-color', '--ginkgo.v',
    `--ginkgo.timeout=${Math.ceil(o.timeoutMs / 1000)}s`, '--ginkgo.fail-on-empty', '--disable-log-dump',
    // kubernetes-cluster 2.x's control-plane instances register Nodes tainted `node-role.kubernetes.io/master:NoExecute`
    // (control-plane-wrapper.sh @ 4c2d5492): the suite would otherwise wait for them to become schedulable before any
    // spec (its default lists only `node-role.kubernetes.io/control-plane`).
    '--non-blocking-taints=node-role.kubernetes.io/control-plane,node-role.kubernetes.io/master',
  ], (line) => {
    out.write(`${line}\n`);
    // Verbose Ginkgo ends each spec with a line that starts with its outcome mark.
    if (/^\s*(•|\[FAILED\]|\[SKIPPED\])/.test(line)) done++;
    if (Date.now() - lastLog > 30_000) {
      lastLog = Date.now();
      o.log(`  upstream e2e: ${done}/${o.specs.length} specs finished, ${Math.round((Date.now() - started) / 1000)} s`);
    }
  }, { timeoutMs: o.timeoutMs + 60_000, cwd: outDir });
  await new Promise((done) => out.end(done));
  let report: unknown;
  try {
    report = JSON.parse(readFileSync(json, 'utf8'));
  } catch (e) {
    throw new Error(`upstream e2e wrote no readable report (${(e as Error).message}); exit ${r.exitCode ?? r.signal}: ${r.stderr.slice(-1500)}`);
  }
  const all = new Map(parseGinkgoReport(report).map((x) => [x.name, x]));
  const results = o.specs.map((s) => all.get(s)).filter((x): x is SpecResult => x !== undefined && x.outcome !== 'skipped');
  const missing = o.specs.filter((s) => all.get(s)?.outcome !== 'passed' && all.get(s)?.outcome !== 'failed')
    .map((name) => ({ name, why: all.has(name) ? `skipped (${all.get(name)!.state})` : 'not in this e2e.test' }));
  const suite = suiteFailures(report);
  if (r.exitCode !== 0 && !suite.length && !results.some((x) => x.outcome === 'failed')) suite.push(`e2e.test exited ${r.exitCode ?? r.signal} with no failed spec (see ${join(outDir, 'e2e.log')})`);
  return { results, missing, suiteFailures: suite, exitCode: r.exitCode, wallMs: Date.now() - started, junit };
}

/** The `[Conformance]` specs this binary has, as `e2e.test --list-conformance-tests` prints them (codename = spec name). */
export async function listConformanceSpecs(binary: string): Promise<Array<{ name: string; file: string }>> {
  const r = await run(binary, ['--list-conformance-tests'], { timeoutMs: 60_000 });
  if (r.failed) throw new Error(`${binary} --list-conformance-tests failed (${r.exitCode ?? r.signal}): ${r.stderr.slice(-500)}`);
  const list = z.array(z.object({ codename: z.string(), file: z.string() })).parse(parseYaml(r.stdout));
  return list.map((t) => ({ name: t.codename, file: t.file }));
}
