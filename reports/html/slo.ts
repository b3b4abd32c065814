// A scenario's expectations (its SLOs, from scenario.json) as short human-readable lines (pure).
import { expectationsSchema } from '../../checkers/expectations.ts';
import { formatMs } from './format.ts';

export function sloLines(raw: Record<string, unknown>): string[] {
  const parsed = expectationsSchema.safeParse(raw);
  // Expectations of an older or newer schema: shown as they were stored rather than guessed at.
  if (!parsed.success) return Object.entries(raw).map(([k, v]) => `${k}: ${JSON.stringify(v)}`);
  const { availability, recovery, noLostWrites, leaderUniqueness, quorumLoss } = parsed.data;
  const lines: string[] = [];
  if (availability) {
    const s = availability.slo ?? {};
    const bounds = [
      s.minAvailabilityPct !== undefined ? `≥ ${s.minAvailabilityPct}% ok` : '',
      s.maxDowntimeMs !== undefined ? `outage ≤ ${formatMs(s.maxDowntimeMs)}` : '',
      s.maxFailedDuring !== undefined ? `≤ ${s.maxFailedDuring} not ok during faults` : '',
      s.maxFailedTotal !== undefined ? `≤ ${s.maxFailedTotal} not ok in total` : '',
      s.maxDefiniteFailures !== undefined ? `≤ ${s.maxDefiniteFailures} failed` : '',
      s.maxUnknown !== undefined ? `≤ ${s.maxUnknown} unknown outcome` : '',
    ].filter(Boolean);
    const on = [availability.fs ? `of ${availability.fs.join(', ')}` : '', availability.windowMs ? `on ${formatMs(availability.windowMs)} windows` : ''].filter(Boolean).join(' ');
    lines.push(`availability ${bounds.join(', ') || '(figures only)'}${on ? ` ${on}` : ''}`);
  }
  if (recovery) {
    const max = recovery.slo?.maxRecoveryMs;
    const takeover = recovery.leaseTakeover ? `, ${recovery.leaseTakeover} taken over` : '';
    lines.push(`recovery${max !== undefined ? ` ≤ ${formatMs(max)}` : ''} from ${recovery.from ?? 'heal'}${takeover}`);
  }
  if (noLostWrites) lines.push('no lost writes');
  if (leaderUniqueness) lines.push(`one leader per role${leaderUniqueness.settleMs ? ` after ${formatMs(leaderUniqueness.settleMs)}` : ''}`);
  if (quorumLoss) lines.push(`no write without quorum${quorumLoss.graceMs ? ` (grace ${formatMs(quorumLoss.graceMs)})` : ''}`);
  return lines;
}
