// `npm start`: up → conformance → down, then a one-screen summary; exit code 1 when anything failed.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestbedOptions } from '../config/options.ts';
import { runStreaming } from '../core/run.ts';
import { teardown } from '../testbed/down.ts';
import { targetFromEnv } from '../targets/connect.ts';
import { haproofLeftovers } from '../testbed/network.ts';
import { newRunDir, REPO_ROOT, up } from '../testbed/up.ts';
import { renderResults, storedRows } from '../chaos/scenarios/run-matrix.ts';
import { readScenarioVerdictFiles } from '../history/read-run.ts';

interface SuiteOutcome {
  passed: number;
  failed: number;
  skipped: number;
  failures: string[];
  seconds: number;
  byProject: Record<string, { passed: number; failed: number; skipped: number }>;
}

/** Counts outcomes in a Playwright JSON report (pure over the parsed report). */
export function suiteOutcome(report: { suites?: unknown[]; stats?: { duration?: number } }): SuiteOutcome {
  const out: SuiteOutcome = { passed: 0, failed: 0, skipped: 0, failures: [], seconds: (report.stats?.duration ?? 0) / 1000, byProject: {} };
  const walk = (suite: { title?: string; suites?: unknown[]; specs?: Array<{ title: string; tests: Array<{ status: string; projectName?: string }> }> }, path: string[]): void => {
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests) {
        const p = (out.byProject[t.projectName ?? ''] ??= { passed: 0, failed: 0, skipped: 0 });
        if (t.status === 'expected' || t.status === 'flaky') { out.passed++; p.passed++; }
        else if (t.status === 'skipped') { out.skipped++; p.skipped++; }
        else { out.failed++; p.failed++; out.failures.push(`[${t.projectName}] ${[...path, spec.title].filter(Boolean).join(' › ')}`); }
      }
    }
    for (const s of (suite.suites ?? []) as Array<typeof suite>) walk(s, [...path, s.title ?? '']);
  };
  for (const s of (report.suites ?? []) as Array<Parameters<typeof walk>[0]>) walk(s, []);
  return out;
}

export async function runMain(options: TestbedOptions, seed: number, log: (line: string) => void): Promise<number> {
  // HAPROOF_TARGET=dcos: the cluster is already there (the target file's); no testbed is brought up or down.
  const target = targetFromEnv();
  const runDir = newRunDir('main');
  log(`haproof main job → ${runDir} (seed ${seed})`);
  let upSeconds: number | undefined;
  let suite: SuiteOutcome | undefined;
  let error: string | undefined;
  try {
    if (target === 'testbed') {
      const r = await up(options, log, runDir);
      upSeconds = r.seconds;
      log(`testbed up in ${r.seconds.toFixed(1)} s; running conformance → chaos matrix → conformance again`);
    } else log('target dcos: running conformance → chaos matrix (faults DC/OS offers) → conformance again');
    const reportFile = join(runDir, 'tests.json');
    // The last project pulls in its dependencies in order: testbed (reused) → conformance → chaos → conformance again.
    await runStreaming('npx', ['playwright', 'test', '--project=conformance-after-chaos'], log, {
      cwd: REPO_ROOT, timeoutMs: 60 * 60_000,
      env: {
        // The upstream e2e set's [Slow] spec too (npm test leaves it out of its budget).
        ...process.env, HAPROOF_UPSTREAM_SLOW: '1', HAPROOF_REUSE_TESTBED: '1', HAPROOF_CHAOS_RUN_DIR: runDir, HAPROOF_SEED: String(seed), PLAYWRIGHT_JSON_OUTPUT_NAME: reportFile, FORCE_COLOR: '0',
        HAPROOF_JUNIT_FILE: join(runDir, 'junit.xml'), HAPROOF_ALLURE_RESULTS: join(runDir, 'allure-results'),
      } as Record<string, string>,
    });
    if (existsSync(reportFile)) suite = suiteOutcome(JSON.parse(readFileSync(reportFile, 'utf8')) as Parameters<typeof suiteOutcome>[0]);
    else error = 'the conformance suite wrote no report';
  } catch (e) {
    error = (e as Error).message;
  }
  const downStarted = Date.now();
  if (target === 'testbed') await teardown(log);
  const downSeconds = (Date.now() - downStarted) / 1000;
  const left = await haproofLeftovers();
  const leftovers = [...left.namespaces, ...left.links, ...left.nftTables.map((t) => `nft${t}`)];
  // The verdicts the chaos project stored (judged once, when each scenario ran); nothing is judged again here.
  const chaos = storedRows(await readScenarioVerdictFiles(runDir));
  let report: string | undefined;
  let allure: string | undefined;
  if (existsSync(join(runDir, 'allure-results'))) {
    const r = await runStreaming('npx', ['allure', 'generate', join(runDir, 'allure-results'), '-o', join(runDir, 'allure-report'), '--clean'], () => undefined, { cwd: REPO_ROOT, timeoutMs: 5 * 60_000 });
    if (r.failed) error ??= `allure generate failed: ${r.stderr.slice(-300)}`;
    else allure = join(runDir, 'allure-report', 'index.html');
  }
  // The chaos project builds the report when the matrix ends; built here only if that did not happen.
  if (chaos.length && existsSync(join(runDir, 'index.html'))) report = join(runDir, 'index.html');
  else if (chaos.length) {
    const { buildReport } = await import('../reports/html/build-report.ts');
    report = await buildReport(runDir).catch((e: Error) => { error ??= `report: ${e.message}`; return undefined; });
  }
  const ok = !error && suite !== undefined && suite.failed === 0 && suite.passed > 0 && leftovers.length === 0 && chaos.every((c) => c.verdict === 'pass');
  const project = (name: string) => { const p = suite?.byProject[name]; return p ? `${p.passed} passed, ${p.failed} failed${p.skipped ? `, ${p.skipped} skipped` : ''}` : 'not run'; };
  log([
    '',
    '──────── haproof summary ────────',
    `testbed up     ${upSeconds !== undefined ? `${upSeconds.toFixed(1)} s (${options.cluster}, ${options.agents} agents)` : 'FAILED'}`,
    `conformance    ${project('conformance')}`,
    `chaos matrix   ${project('chaos')} (seed ${seed}; replay one: haproof run --scenario <name> --seed <seed+i>)`,
    renderResults(chaos),
    `conformance after chaos  ${project('conformance-after-chaos')}`,
    ...(suite?.failures ?? []).map((f) => `  ✗ ${f}`),
    `tests          ${suite ? `${suite.seconds.toFixed(0)} s in all` : ''}`,
    `down           ${downSeconds.toFixed(1)} s, leftovers: ${leftovers.length ? leftovers.join(', ') : 'none'}`,
    ...(error ? [`error          ${error.split('\n')[0]}`] : []),
    `run dir        ${runDir}`,
    `report         ${report ?? 'not built'}`,
    `allure, junit  ${allure ?? 'not built'}, ${existsSync(join(runDir, 'junit.xml')) ? join(runDir, 'junit.xml') : 'none'}`,
    `verdict        ${ok ? 'PASS' : 'FAIL'}`,
  ].join('\n'));
  return ok ? 0 : 1;
}
