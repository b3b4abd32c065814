// Shared by the upstream e2e projects: attach a phase's files to its Playwright test (JUnit per process, the phase
// record) and give Allure one result per upstream spec, under "upstream e2e <version>" › phase › where it ran.
import { join } from 'node:path';
import type { TestInfo } from '@playwright/test';
import { writeAllureResults } from '../../chaos/upstream-e2e/phases.ts';
import type { PhaseRecord } from '../../history/upstream-files.ts';

export const chaosRunDir = (): string => process.env['HAPROOF_CHAOS_RUN_DIR'] ?? 'reports/runs/chaos';

export async function attachPhase(info: TestInfo, runDir: string, record: PhaseRecord, file: string): Promise<void> {
  await info.attach(`upstream-e2e-${record.phase}.json`, { path: file });
  for (const [i, junit] of record.junit.entries()) await info.attach(`upstream-e2e-${record.phase}-junit-${i + 1}.xml`, { path: join(runDir, junit), contentType: 'application/xml' });
  writeAllureResults(record, process.env['HAPROOF_ALLURE_RESULTS'] ?? 'test-results/allure-results');
  const failed = record.results.filter((s) => s.outcome === 'failed').length;
  info.annotations.push({ type: 'upstream e2e', description: `${record.phase}: ${record.results.length - failed} passed, ${failed} failed, ${record.missing.length} not run of ${record.asked} (${record.processes} processes, ${Math.round(record.wallMs / 1000)} s)` });
}
