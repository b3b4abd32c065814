// The upstream e2e suite's results, read from the JSON report Ginkgo v2 writes (`--ginkgo.json-report`): one entry per
// spec that was asked for, with its outcome, its start and end on the wall clock, and its failure message (pure).
import { z } from 'zod';

export type SpecOutcome = 'passed' | 'failed' | 'skipped';

export interface SpecResult {
  /** The full spec text, as `--list-conformance-tests` names it (`codename`) and `--ginkgo.focus` matches it. */
  name: string;
  outcome: SpecOutcome;
  /** Ginkgo's own state (passed, failed, timedout, interrupted, panicked, aborted, skipped, pending). */
  state: string;
  startMs: number | undefined;
  endMs: number | undefined;
  /** First lines of the failure message (failed specs only). */
  message: string | undefined;
  /** When the failure happened (Ginkgo's `Failure.TimelineLocation.Time`), else undefined. */
  failedMs?: number | undefined;
}

// Only the fields read here (github.com/onsi/ginkgo/v2 v2.32.0 types/types.go: Report, SpecReport, Failure,
// TimelineLocation).
const specReport = z.object({
  ContainerHierarchyTexts: z.array(z.string()).nullable().optional(),
  LeafNodeType: z.string(),
  LeafNodeText: z.string(),
  State: z.string(),
  StartTime: z.string().optional(),
  EndTime: z.string().optional(),
  Failure: z.object({ Message: z.string().optional(), TimelineLocation: z.object({ Time: z.string().optional() }).optional() }).optional(),
});
const reportFile = z.array(z.object({ SpecReports: z.array(specReport).nullable().optional() }));

const FAILED = new Set(['failed', 'timedout', 'interrupted', 'panicked', 'aborted']);

/** The full text Ginkgo matches a focus against: the containers' texts and the spec's, joined by spaces. */
export function specName(containers: readonly string[], leaf: string): string {
  return [...containers, leaf].filter(Boolean).join(' ');
}

export function parseGinkgoReport(json: unknown): SpecResult[] {
  const time = (t: string | undefined) => {
    const ms = t ? Date.parse(t) : NaN;
    return Number.isFinite(ms) && ms > 0 ? ms : undefined;
  };
  return reportFile.parse(json).flatMap((r) => r.SpecReports ?? []).filter((s) => s.LeafNodeType === 'It').map((s) => ({
    name: specName(s.ContainerHierarchyTexts ?? [], s.LeafNodeText),
    outcome: s.State === 'passed' ? 'passed' : FAILED.has(s.State) ? 'failed' : 'skipped',
    state: s.State,
    startMs: time(s.StartTime),
    endMs: time(s.EndTime),
    message: FAILED.has(s.State) ? firstLines(s.Failure?.Message ?? s.State, 3) : undefined,
    ...(FAILED.has(s.State) ? { failedMs: time(s.Failure?.TimelineLocation?.Time) ?? time(s.EndTime) } : {}),
  }));
}

function firstLines(text: string, n: number): string {
  return text.split('\n').map((l) => l.trim()).filter(Boolean).slice(0, n).join(' / ').slice(0, 500);
}

/**
 * The suite's description, which Ginkgo puts before every spec's text when it matches a focus (onsi/ginkgo v2.32.0
 * internal/focus.go: description + " " + spec text; k8s.io/kubernetes v1.37.2 test/e2e/e2e.go RunSpecs).
 */
export const E2E_SUITE_DESCRIPTION = 'Kubernetes e2e suite';

/** A `--ginkgo.focus` that matches exactly these spec names (RE2: every special character escaped, anchored). */
export function focusExactly(names: readonly string[]): string {
  if (!names.length) throw new Error('focusExactly: no spec names');
  const escape = (t: string) => t.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');
  return `^(?:${escape(E2E_SUITE_DESCRIPTION)} )?(?:${names.map(escape).join('|')})$`;
}

/** Failures of the suite's own nodes (BeforeSuite, ReportAfterSuite, the suite's timeout): no spec's, the run's. */
export function suiteFailures(json: unknown): string[] {
  return reportFile.parse(json).flatMap((r) => r.SpecReports ?? []).filter((s) => s.LeafNodeType !== 'It' && FAILED.has(s.State))
    .map((s) => `${s.LeafNodeType}${s.LeafNodeText ? ` ${s.LeafNodeText}` : ''}: ${firstLines(s.Failure?.Message ?? s.State, 3)}`);
}
