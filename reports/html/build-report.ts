// Builds <runDir>/index.html, the self-contained availability report, from the run's stored files and earlier runs' verdicts.
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { overallVerdict } from '../../history/verdict.ts';
import { readRun, readStoredVerdicts, runsBefore } from '../../history/read-run.ts';
import { renderPage, type Assets, type ReportModel } from './render-page.ts';
import { scenarioReport } from './scenario-model.ts';
import { runPoint, toTrend, type RunPoint } from './trend.ts';
import { upstreamRows } from './render-upstream.ts';

export interface BuildReportOptions {
  /** Where earlier runs are looked for; default: the directory holding runDir. */
  runsRoot?: string;
}

/** At most this many runs (the current one included) in the trend. */
export const TREND_RUNS = 20;

const HERE = dirname(fileURLToPath(import.meta.url));

async function readAssets(): Promise<Assets> {
  const require = createRequire(import.meta.url);
  const [uplotJs, uplotCss, reportJs, reportCss] = await Promise.all(
    [require.resolve('uplot/dist/uPlot.iife.min.js'), require.resolve('uplot/dist/uPlot.min.css'), join(HERE, 'assets', 'report.js'), join(HERE, 'assets', 'report.css')].map((f) => readFile(f, 'utf8')),
  );
  return { uplotJs: uplotJs!, uplotCss: uplotCss!, reportJs: reportJs!, reportCss: reportCss! };
}

/** Earlier runs with stored chaos verdicts (others, such as testbed-only runs, are skipped), then the current one. */
async function trendPoints(runDir: string, runsRoot: string, current: RunPoint): Promise<RunPoint[]> {
  const earlier: RunPoint[] = [];
  for (const dir of await runsBefore(runsRoot, basename(runDir))) {
    try {
      const verdicts = await readStoredVerdicts(dir);
      if (verdicts?.length) earlier.push(runPoint(basename(dir), verdicts));
    } catch {
      // A malformed earlier run is left out of the trend; it does not stop this run's report.
    }
  }
  return [...earlier.slice(-(TREND_RUNS - 1)), current];
}

export async function buildReport(runDir: string, options: BuildReportOptions = {}): Promise<string> {
  const dir = resolve(runDir);
  const run = await readRun(dir);
  const scenarios = run.scenarios.map(scenarioReport);
  const current = runPoint(run.name, run.scenarios.flatMap((s) => (s.verdicts ? [s.verdicts] : [])));
  const points = await trendPoints(dir, resolve(options.runsRoot ?? dirname(dir)), current);
  const model: ReportModel = {
    run: {
      name: run.name,
      verdict: run.runVerdicts?.verdict ?? overallVerdict(scenarios),
      seed: run.runVerdicts?.seed ?? run.meta?.seed ?? null,
      seconds: run.runVerdicts?.seconds ?? null,
      meta: run.meta,
    },
    scenarios,
    upstream: upstreamRows(run.upstream),
    trend: points.length > 1 ? toTrend(points) : null,
  };
  const out = join(dir, 'index.html');
  await writeFile(out, renderPage(model, await readAssets()));
  return out;
}
