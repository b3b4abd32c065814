// Planted defects: for each deliberately broken HA layout (`haproof up --defect <name>`), the suites must fail — and
// fail for the right reason: exactly the checks that defect breaks, nothing else. The conformance suite runs as a
// child Playwright run against the defective testbed; the VIP defect needs load, so a chaos scenario runs instead.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { parseTestbedOptions, type Defect } from '../../config/options.ts';
import { suiteOutcome } from '../../cli/main-job.ts';
import { runStreaming } from '../../core/run.ts';
import { teardown } from '../../testbed/down.ts';
import { CHAOS_DEFECTS } from '../../chaos/bench/bench-verdicts.ts';
import { REPO_ROOT, up } from '../../testbed/up.ts';
import { connectTarget } from '../../targets/connect.ts';
import { e2eBinaryPath, readVersions } from '../../upstream/versions.ts';
import { readSpecList } from '../../chaos/upstream-e2e/spec-list.ts';
import { DEFAULT_PROCESSES } from '../../chaos/upstream-e2e/phases.ts';
import { runUpstreamSet } from '../../chaos/upstream-e2e/run-set.ts';

test.describe.configure({ mode: 'serial', timeout: 420_000 });

const log = (line: string) => console.log(line);

/** Runs the conformance suite against the testbed that is up; returns the titles of the tests that failed. */
async function conformanceFailures(): Promise<{ failures: string[]; passed: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'haproof-defect-'));
  const report = join(dir, 'report.json');
  await runStreaming('npx', ['playwright', 'test', '--project=conformance', '--no-deps', '--reporter=json', `--output=${join(dir, 'out')}`], () => undefined, {
    cwd: REPO_ROOT, timeoutMs: 300_000,
    env: { ...process.env, HAPROOF_REUSE_TESTBED: '1', PLAYWRIGHT_JSON_OUTPUT_NAME: report, FORCE_COLOR: '0' } as Record<string, string>,
  });
  try {
    const outcome = suiteOutcome(JSON.parse(readFileSync(report, 'utf8')) as Parameters<typeof suiteOutcome>[0]);
    return { failures: outcome.failures.map((f) => f.split(' › ').pop()!).sort(), passed: outcome.passed };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function withDefect<T>(defect: Defect, body: () => Promise<T>): Promise<T> {
  await up(parseTestbedOptions({ defect }), log);
  try {
    return await body();
  } finally {
    await teardown(log);
  }
}

/** `fails`: the checks the defect must fail; `mayFail`: knock-on effects that may or may not show in one run. */
const CONFORMANCE_DEFECTS: Array<{ defect: Defect; fails: string[]; mayFail?: string[] }> = [
  { defect: 'single-etcd-endpoint', fails: ['every instance lists all etcd members by DNS name in --etcd-servers'] },
  {
    defect: 'no-leader-election',
    fails: ['exactly one kube-controller-manager of 3 is leader', 'exactly one kube-scheduler of 3 is leader', 'the scheduler and controller-manager Leases each have a holder'],
    // Three controller-managers and three schedulers acting at once race on the same ReplicaSet and pods (seen here).
    mayFail: ['a Deployment of 6 replicas is scheduled across all agents'],
  },
];

for (const { defect, fails, mayFail = [] } of CONFORMANCE_DEFECTS) {
  test(`defect ${defect}: the conformance suite fails on exactly what the defect breaks`, async () => {
    const r = await withDefect(defect, conformanceFailures);
    for (const f of fails) expect(r.failures, `fails: ${f}`).toContain(f);
    expect(r.failures.filter((f) => !fails.includes(f) && !mayFail.includes(f)), 'no other check fails').toEqual([]);
    expect(r.passed, 'the other conformance checks still pass').toBeGreaterThan(10);
  });
}

/** Runs one scenario with `haproof run` on the defective testbed that is up; returns the exit code and its verdicts. */
async function runScenarioOnDefect(scenario: string): Promise<{ exitCode: number | undefined; verdicts: Array<{ checker: string; verdict: string; reasons: string[] }> }> {
  const runs = mkdtempSync(join(tmpdir(), 'haproof-defect-runs-'));
  try {
    const r = await runStreaming(process.execPath, [join(REPO_ROOT, 'bin', 'haproof.mjs'), 'run', '--scenario', scenario, '--seed', '1'], log, {
      cwd: REPO_ROOT, timeoutMs: 300_000, env: { ...process.env, HAPROOF_RUNS_DIR: runs } as Record<string, string>,
    });
    const [runDir] = readdirSync(runs).filter((d) => d.endsWith('-chaos'));
    const v = JSON.parse(readFileSync(join(runs, runDir!, 'scenarios', scenario, 'verdicts.json'), 'utf8')) as { verdicts: Array<{ checker: string; verdict: string; reasons: string[] }> };
    return { exitCode: r.exitCode, verdicts: v.verdicts };
  } finally {
    rmSync(runs, { recursive: true, force: true });
  }
}

/** Chaos defects (CHAOS_DEFECTS): the run must fail, the `fails` checkers must fail, and no checker outside `fails` + `mayFail`. */

for (const { defect, scenario, fails, mayFail, why } of CHAOS_DEFECTS) {
  test(`defect ${defect}: ${scenario} fails on exactly the checkers it must (${why})`, async () => {
    const r = await withDefect(defect, () => runScenarioOnDefect(scenario));
    expect(r.exitCode, 'haproof run fails on the defect').toBe(1);
    const failing = r.verdicts.filter((x) => x.verdict === 'fail').map((x) => x.checker);
    for (const f of fails) expect(failing, `${f} fails: ${JSON.stringify(r.verdicts.filter((x) => x.verdict !== 'pass'))}`).toContain(f);
    expect(failing.filter((f) => !fails.includes(f) && !mayFail.includes(f)), 'no other checker fails').toEqual([]);
  });
}

/**
 * API defects: the upstream e2e suite must fail on the spec that tests the broken behaviour and pass the others it
 * runs; haproof's own conformance suite (an HA layout check) must not fail at all — the upstream suite is the only one
 * that can see it. `run`: the specs run — the defect's quick witness (`fails`) and controls that exercise the same API
 * and admission chain but not the broken part, so a failure is shown to be the defect's, not a broken suite or cluster
 * (the whole set on a healthy cluster is the upstream-before project's).
 */
const UPSTREAM_DEFECTS: Array<{ defect: Defect; run: RegExp; fails: RegExp; why: string }> = [
  {
    defect: 'no-quota-admission', why: 'a create over quota is no longer refused',
    // The service spec creates a LoadBalancer Service over quota and expects a refusal before any wait: it fails in
    // seconds. The other usage specs wait for usage that admission no longer charges until the quota controller's full
    // resync (--resource-quota-sync-period, 5 min), then pass or fail: 5–10 min each (README "Planted defects").
    fails: /^\[sig-api-machinery\] ResourceQuota should create a ResourceQuota and capture the life of a service\./,
    // Controls: the quota API itself (no usage charged), and the rest of the admission chain (admission policies).
    run: /^\[sig-api-machinery\] (ResourceQuota should (create a ResourceQuota and capture the life of a service|create a ResourceQuota and ensure its status is promptly calculated|manage the lifecycle|be able to update and delete)|ValidatingAdmissionPolicy |MutatingAdmissionPolicy )/,
  },
];

for (const { defect, run, fails, why } of UPSTREAM_DEFECTS) {
  test(`defect ${defect}: the upstream e2e suite fails on exactly the specs it breaks (${why}), haproof's conformance on nothing`, async () => {
    test.setTimeout(12 * 60_000);
    const specs = readSpecList().run.filter((n) => run.test(n));
    expect(specs.filter((n) => fails.test(n)).length, `the set has a spec matching ${fails}`).toBeGreaterThan(0);
    expect(specs.filter((n) => !fails.test(n)).length, 'and control specs').toBeGreaterThan(0);
    const r = await withDefect(defect, async () => {
      const conformance = await conformanceFailures();
      const cluster = await connectTarget('testbed');
      const outDir = mkdtempSync(join(tmpdir(), 'haproof-defect-e2e-'));
      try {
        const set = await runUpstreamSet({ binary: e2eBinaryPath(readVersions()), kubeconfig: cluster.kubeconfig, specs, outDir, processes: DEFAULT_PROCESSES, timeoutMs: 8 * 60_000, log });
        return { conformance, set };
      } finally {
        cluster.close();
        rmSync(outDir, { recursive: true, force: true });
      }
    });
    expect(r.conformance.failures, 'haproof\'s conformance suite does not see this defect').toEqual([]);
    expect(r.set.suiteFailures, 'the upstream suite itself ran').toEqual([]);
    expect(r.set.missing.map((m) => m.name), 'every spec ran').toEqual([]);
    const failed = r.set.results.filter((x) => x.outcome === 'failed').map((x) => x.name);
    log(`upstream e2e on ${defect}: ${failed.length} of ${specs.length} failed: ${failed.join('; ')}`);
    expect(failed.filter((n) => fails.test(n)).length, `some spec matching ${fails} fails`).toBeGreaterThan(0);
    expect(failed.filter((n) => !fails.test(n)), 'no other spec fails').toEqual([]);
  });
}
