// The upstream e2e suite's plumbing (pure): Ginkgo's JSON report read per spec, an exact focus, the spec list's rule.
import { test, expect } from '@playwright/test';
import { focusExactly, parseGinkgoReport, specName, suiteFailures } from '../../chaos/upstream-e2e/ginkgo-report.ts';
import { specListFrom } from '../../chaos/upstream-e2e/spec-list.ts';

const spec = (leaf: string, state: string, extra: object = {}) => ({
  ContainerHierarchyTexts: ['[sig-api-machinery] ResourceQuota'], LeafNodeType: 'It', LeafNodeText: leaf, State: state,
  StartTime: '2026-12-01T20:00:00.000Z', EndTime: '2026-12-01T20:00:02.500Z', ...extra,
});

test('a Ginkgo JSON report: one result per It, outcome and times, failures with their first lines; suite nodes left out', () => {
  const report = [{
    SuiteDescription: 'Kubernetes e2e suite',
    SpecReports: [
      { LeafNodeType: 'SynchronizedBeforeSuite', LeafNodeText: '', State: 'passed' },
      spec('should create a ResourceQuota [Conformance]', 'passed'),
      spec('should verify a configMap [Conformance]', 'failed', { Failure: { Message: 'context deadline exceeded\nread: connection reset by peer\nmore\nand more' } }),
      spec('should time out [Conformance]', 'timedout', { Failure: {} }),
      spec('should be skipped [Conformance]', 'skipped', { StartTime: '0001-01-01T00:00:00Z' }),
    ],
  }];
  const r = parseGinkgoReport(report);
  expect(r.map((x) => [x.name, x.outcome])).toEqual([
    ['[sig-api-machinery] ResourceQuota should create a ResourceQuota [Conformance]', 'passed'],
    ['[sig-api-machinery] ResourceQuota should verify a configMap [Conformance]', 'failed'],
    ['[sig-api-machinery] ResourceQuota should time out [Conformance]', 'failed'],
    ['[sig-api-machinery] ResourceQuota should be skipped [Conformance]', 'skipped'],
  ]);
  expect(r[0]).toMatchObject({ startMs: Date.parse('2026-12-01T20:00:00.000Z'), endMs: Date.parse('2026-12-01T20:00:02.500Z'), message: undefined });
  expect(r[1]!.message).toBe('context deadline exceeded / read: connection reset by peer / more');
  expect(r[2]!.message).toBe('timedout');
  // Go's zero time is no time.
  expect(r[3]!.startMs).toBeUndefined();
  expect(() => parseGinkgoReport({ not: 'an array' })).toThrow();
  // The suite's own nodes fail the run, not a spec.
  expect(suiteFailures(report)).toEqual([]);
  expect(suiteFailures([{ SpecReports: [{ LeafNodeType: 'ReportAfterSuite', LeafNodeText: 'Invariant Metrics', State: 'failed', Failure: { Message: 'metric x grew' } }, spec('ok', 'passed')] }])).toEqual(['ReportAfterSuite Invariant Metrics: metric x grew']);
});

test('the focus matches exactly the named specs: every regex character escaped, anchored', () => {
  const names = ['[sig-api-machinery] Watchers should be able to restart watching from the last resource version observed by the previous watch [Conformance]', '[sig-api-machinery] a (b) c.d+e? [Conformance]'];
  const re = new RegExp(focusExactly(names));
  // Ginkgo matches the focus against the suite's description, a space, then the spec's text.
  for (const n of names) expect(re.test(`Kubernetes e2e suite ${n}`)).toBe(true);
  for (const n of names) expect(re.test(n)).toBe(true);
  expect(re.test(`Other suite ${names[0]}`)).toBe(false);
  expect(re.test(`${names[0]} and more`)).toBe(false);
  expect(re.test('[sig-api-machinery] a (b) cXd+e? [Conformance]')).toBe(false);
  expect(re.test('s')).toBe(false);
  expect(() => focusExactly([])).toThrow(/no spec names/);
  expect(specName(['a', 'b'], 'c')).toBe('a b c');
});

test('the spec list: what passed on the healthy testbed is run; every other candidate is excluded with why', () => {
  const meta = { kubernetes: 'v1.37.2', candidates: 'x', generated: { at: 't', command: 'c', machine: 'm', wallSeconds: 1, target: 'testbed' } };
  const results = [
    { name: 'b', outcome: 'passed' as const, state: 'passed', startMs: 1, endMs: 2, message: undefined },
    { name: 'a', outcome: 'failed' as const, state: 'failed', startMs: 1, endMs: 2, message: 'webhook service not ready' },
    { name: 'c', outcome: 'skipped' as const, state: 'skipped', startMs: undefined, endMs: undefined, message: undefined },
  ];
  const list = specListFrom(['c', 'b', 'a', 'd'], results, [{ name: 'c', why: 'skipped (skipped)' }], meta);
  expect(list.run).toEqual(['b']);
  expect(list.excluded).toEqual([
    { name: 'a', reason: 'failed on a healthy testbed: webhook service not ready' },
    { name: 'c', reason: 'did not run on a healthy testbed: skipped (skipped)' },
    { name: 'd', reason: 'did not run on a healthy testbed: not reported' },
  ]);
});

test('the e2e build compiles what upstream/e2e/tools.go lists: the packages e2e_test.go imports', async () => {
  const { readFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { toolsImports } = await import('../../upstream/build.ts');
  const { UPSTREAM_DIR } = await import('../../upstream/versions.ts');
  const pkgs = toolsImports(readFileSync(join(UPSTREAM_DIR, 'e2e', 'tools.go'), 'utf8'));
  expect(pkgs).toContain('k8s.io/kubernetes/test/e2e');
  expect(pkgs).toContain('k8s.io/kubernetes/test/e2e/apimachinery');
  expect(pkgs.every((p) => p.startsWith('k8s.io/kubernetes/'))).toBe(true);
  expect(toolsImports('import (\n\t_ "github.com/onsi/ginkgo/v2"\n\t_ "k8s.io/kubernetes/test/e2e/apps"\n)')).toEqual(['k8s.io/kubernetes/test/e2e/apps']);
});
