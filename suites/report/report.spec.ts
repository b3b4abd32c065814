// The HTML report in a real browser: built from a copy of the fixture run, its summary matches the stored verdicts, every chart draws, nothing is fetched.
import { chromium, expect, test, type Browser, type Page } from '@playwright/test';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildReport } from '../../reports/html/build-report.ts';

const FIXTURE_RUNS = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'runs');
const RUN = '2026-11-26T17-27-21-318Z-chaos';
const EARLIER_RUN = '2026-11-26T17-26-45-822Z-chaos';
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

interface Opened {
  page: Page;
  url: string;
  consoleErrors: string[];
  requests: string[];
}

type StoredVerdicts = { name: string; verdict: string; verdicts: Array<{ checker: string; figures: { availabilityPct?: number } }> };

let browser: Browser;

test.beforeAll(async () => {
  // Debian's Chromium, never a downloaded browser build.
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install it with \`apt-get install -y chromium\``);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
});
test.afterAll(async () => {
  await browser?.close();
});

/** Opens a report file, recording console errors, page errors and every request the page makes. */
async function open(file: string): Promise<Opened> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
  context.on('request', (r) => requests.push(r.url()));
  const url = pathToFileURL(file).href;
  await page.goto(url);
  await page.waitForFunction(() => document.documentElement.dataset['chartsDrawn'] !== undefined);
  return { page, url, consoleErrors, requests };
}

/** Every chart container holds a canvas with a nonzero size. */
async function expectChartsDrawn(page: Page, count: number): Promise<void> {
  const charts = page.getByTestId('chart');
  await expect(charts).toHaveCount(count);
  for (let i = 0; i < count; i++) {
    const canvas = charts.nth(i).locator('canvas');
    await expect(canvas).toHaveCount(1);
    const box = await canvas.boundingBox();
    expect(box?.width, `chart ${i} canvas width`).toBeGreaterThan(0);
    expect(box?.height, `chart ${i} canvas height`).toBeGreaterThan(0);
  }
}

test('fixture run: summary matches the stored verdicts, every chart draws, no errors, nothing fetched', async () => {
  const root = mkdtempSync(join(tmpdir(), 'haproof-report-'));
  cpSync(FIXTURE_RUNS, root, { recursive: true });
  const runDir = join(root, RUN);
  const out = await buildReport(runDir);
  expect(out).toBe(join(runDir, 'index.html'));
  expect(existsSync(join(FIXTURE_RUNS, RUN, 'index.html')), 'the fixture itself is never written').toBe(false);

  const { page, url, consoleErrors, requests } = await open(out);
  const scenarios = readdirSync(join(runDir, 'scenarios')).sort();
  expect(scenarios.length).toBeGreaterThanOrEqual(2);

  const rows = page.getByTestId('summary-row');
  await expect(rows).toHaveCount(scenarios.length);
  for (const name of scenarios) {
    const stored = JSON.parse(readFileSync(join(runDir, 'scenarios', name, 'verdicts.json'), 'utf8')) as StoredVerdicts;
    const row = page.locator(`[data-testid="summary-row"][data-scenario="${name}"]`);
    await expect(row).toHaveAttribute('data-verdict', stored.verdict);
    const cell = row.getByTestId('availability');
    const pct = stored.verdicts.find((v) => v.checker === 'availability')?.figures.availabilityPct;
    if (pct !== undefined) {
      await expect(cell).toHaveAttribute('data-source', 'verdict');
      expect(Number(await cell.evaluate((el) => el.firstChild?.textContent))).toBeCloseTo(pct, 2);
    } else {
      // No availability verdict: the report shows the figure as not judged (it never recomputes a checker).
      await expect(cell).toHaveText('—');
    }
  }
  const runVerdicts = JSON.parse(readFileSync(join(runDir, 'verdicts.json'), 'utf8')) as { verdict: string };
  await expect(page.getByTestId('overall-verdict')).toHaveAttribute('data-verdict', runVerdicts.verdict);
  await expect(page.getByTestId('fact-versions')).toContainText('etcd v3.6.16');
  await expect(page.getByTestId('fact-seed')).toHaveText('1');

  // Trend: the earlier chaos run and this one; the testbed-only run in between is skipped.
  await expect(page.getByTestId('trend')).toContainText('Trend over 2 runs');
  await expect(page.locator(`[data-testid="trend-cell"][data-run="${EARLIER_RUN}"]`)).toHaveCount(1);

  // Three charts per scenario, two for the trend.
  await expectChartsDrawn(page, scenarios.length * 3 + 2);
  await expect(page.locator('[data-scenario="kill-etcd-leader"] [data-testid="fault-row"]')).toContainText('kill-process → etcd-0-peer');
  // kill-2-of-3-etcd has no availability verdict: its outages are shown as not judged, not recomputed.
  await expect(page.locator('[data-testid="scenario"][data-scenario="kill-2-of-3-etcd"] [data-testid="downtime-row"]')).toHaveCount(0);
  await expect(page.locator('[data-testid="scenario"][data-scenario="kill-2-of-3-etcd"]')).toContainText('not judged');

  const screenshot = join(runDir, 'report.png');
  await page.screenshot({ path: screenshot, fullPage: true });
  expect(statSync(screenshot).size).toBeGreaterThan(10_000);
  test.info().annotations.push({ type: 'report', description: out }, { type: 'screenshot', description: screenshot });
  await test.info().attach('report.png', { path: screenshot, contentType: 'image/png' });

  expect(consoleErrors).toEqual([]);
  expect(requests).toEqual([url]);
});

/** A scenario with `requests` client ops over 60 s, a 10 s fault and 3 s of failures inside it. */
function writeBigScenario(runDir: string, requests: number): void {
  const dir = join(runDir, 'scenarios', 'big');
  mkdirSync(dir, { recursive: true });
  const step = 60_000 / requests;
  const lines: string[] = [
    JSON.stringify({ type: 'invoke', process: 'nemesis', f: 'fault-start', value: { fault: 'kill-process' }, time: 20_000 }),
    JSON.stringify({ type: 'info', process: 'nemesis', f: 'fault-start', value: { fault: 'kill-process', targets: ['etcd-0'] }, time: 20_100 }),
    JSON.stringify({ type: 'invoke', process: 'nemesis', f: 'fault-end', value: { fault: 'kill-process' }, time: 30_000 }),
    JSON.stringify({ type: 'info', process: 'nemesis', f: 'fault-end', value: { fault: 'kill-process' }, time: 30_010 }),
  ];
  for (let i = 0; i < requests; i++) {
    const start = i * step;
    const type = start > 22_000 && start < 25_000 ? 'fail' : i % 97 === 0 ? 'info' : 'ok';
    lines.push(JSON.stringify({ type: 'invoke', process: `w-${i}`, f: 'get', value: { conn: 'reused' }, time: start }));
    lines.push(JSON.stringify({ type, process: `w-${i}`, f: 'get', value: { conn: 'reused' }, time: start + 5 + (i % 50) }));
  }
  for (let t = 0; t < 60_000; t += 1000) {
    const members = [{ name: 'etcd-0', healthy: t < 20_000 || t > 30_000, isLeader: t < 20_000 }, { name: 'etcd-1', healthy: true, isLeader: t >= 20_000 }];
    lines.push(JSON.stringify({ type: 'info', process: 'observer', f: 'etcd', value: { members }, time: t }));
  }
  writeFileSync(join(dir, 'history.jsonl'), lines.join('\n') + '\n');
  const scenario = { name: 'big', description: 'synthetic load', fault: { name: 'kill-process', params: {} }, expectations: { availability: {} } };
  writeFileSync(join(dir, 'scenario.json'), JSON.stringify({ scenario }));
}

test('100k requests: aggregated before embedding, so the page stays small and draws', async () => {
  const root = mkdtempSync(join(tmpdir(), 'haproof-report-big-'));
  test.info().annotations.push({ type: 'run', description: root });
  const runDir = join(root, '2026-01-01T00-00-00-000Z-chaos');
  writeBigScenario(runDir, 100_000);
  const out = await buildReport(runDir);
  // uPlot (~50 KB) plus 600 buckets per series; raw ops would be megabytes.
  expect(statSync(out).size).toBeLessThan(300_000);
  const { page, consoleErrors, requests } = await open(out);
  await expectChartsDrawn(page, 3);
  const availability = page.locator('[data-testid="summary-row"][data-scenario="big"] [data-testid="availability"]');
  await expect(availability).toHaveText('—');
  expect(consoleErrors).toEqual([]);
  expect(requests).toHaveLength(1);
  // The 17 MB history is not worth keeping.
  rmSync(root, { recursive: true, force: true });
});

test('upstream e2e in the report: per phase, each failure with its message, its scenario and its time on that timeline', async () => {
  const root = mkdtempSync(join(tmpdir(), 'haproof-report-upstream-'));
  cpSync(FIXTURE_RUNS, root, { recursive: true });
  const runDir = join(root, RUN);
  const t0 = 1_800_000_000_000;
  const spec = (name: string, outcome: 'passed' | 'failed', startMs: number, endMs: number, extra: object = {}) => ({ name, outcome, state: outcome, startMs, endMs, ...extra });
  const phase = (p: string, results: object[], scenarios: object[] = []) => ({
    phase: p, kubernetes: 'v1.37.2', asked: results.length, leftOut: [], processes: 3, startedMs: t0, wallMs: 300_000, results, missing: [], suiteFailures: [], junit: [], scenarios,
  });
  mkdirSync(join(runDir, 'upstream-e2e'), { recursive: true });
  writeFileSync(join(runDir, 'upstream-e2e', 'before.json'), JSON.stringify(phase('before', [spec('[sig-api-machinery] a [Conformance]', 'passed', t0, t0 + 5_000)])));
  writeFileSync(join(runDir, 'upstream-e2e', 'during.json'), JSON.stringify(phase('during', [
    spec('[sig-api-machinery] a [Conformance]', 'passed', t0, t0 + 5_000),
    spec('[sig-api-machinery] ResourceQuota <b>x</b> [Conformance]', 'failed', t0 + 2_000, t0 + 9_000, { failedMs: t0 + 8_000, message: 'connection reset by peer' }),
  ], [{ name: 'kill-etcd-leader', startMs: t0, endMs: t0 + 60_000, faultFromMs: t0 + 5_000, faultToMs: t0 + 40_000 }])));
  writeFileSync(join(runDir, 'scenarios', 'kill-etcd-leader', 'upstream-e2e.json'), JSON.stringify({
    kubernetes: 'v1.37.2', complete: true, problems: [],
    specs: [{ name: '[sig-api-machinery] ResourceQuota <b>x</b> [Conformance]', outcome: 'failed', start: 2_000, end: 9_000, failedAt: 8_000, message: 'connection reset by peer' }],
  }));
  const { page, consoleErrors, requests, url } = await open(await buildReport(runDir));
  const rows = page.getByTestId('upstream-phase');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText('before chaos');
  await expect(rows.nth(1)).toContainText('during kill-etcd-leader');
  await expect(rows.nth(1)).toHaveAttribute('data-failed', '1');
  const failure = page.getByTestId('upstream-failure');
  await expect(failure).toHaveCount(1);
  await expect(failure).toContainText('ResourceQuota <b>x</b>');
  await expect(failure).toContainText('kill-etcd-leader, in its fault window, at 8.00 s');
  await expect(failure).toContainText('connection reset by peer');
  await expect(failure.locator('a')).toHaveAttribute('href', '#scenario-kill-etcd-leader');
  const own = page.locator('[data-scenario="kill-etcd-leader"] [data-testid="scenario-upstream-failure"]');
  await expect(own).toContainText('8.00 s: [sig-api-machinery] ResourceQuota <b>x</b>');
  await expect(page.locator('[data-scenario="kill-etcd-leader"] [data-testid="event-row"]').filter({ hasText: 'upstream e2e failed' })).toHaveCount(1);
  expect(consoleErrors).toEqual([]);
  expect(requests).toEqual([url]);
});
