// The report's pure model and rendering: observer events, summary figures and their source, trend, SLO lines, safe HTML.
import { expect, test } from '@playwright/test';
import type { Op } from '../../history/history.ts';
import { escapeHtml, formatMs, toScriptJson } from '../../reports/html/format.ts';
import { namedFaults, observations } from '../../reports/html/observations.ts';
import { renderPage } from '../../reports/html/render-page.ts';
import { scenarioReport } from '../../reports/html/scenario-model.ts';
import { sloLines } from '../../reports/html/slo.ts';
import { runPoint, toTrend } from '../../reports/html/trend.ts';

const call = (process: string, f: string, start: number, end: number, type: 'ok' | 'fail' | 'info'): Op[] => [
  { type: 'invoke', process, f, value: {}, time: start },
  { type, process, f, value: {}, time: end },
];
const etcd = (time: number, leader: string, down: string[] = []): Op => ({
  type: 'info', process: 'observer', f: 'etcd', time,
  value: { members: ['etcd-0', 'etcd-1', 'etcd-2'].map((name) => ({ name, healthy: !down.includes(name), isLeader: name === leader })) },
});
const vip = (time: number, backends: string[]): Op => ({ type: 'info', process: 'observer', f: 'vip', value: { backends }, time });
const leases = (time: number, scheduler?: string): Op => ({ type: 'info', process: 'observer', f: 'leases', value: { holders: { 'kube-scheduler': scheduler ?? null } }, time });

const history: Op[] = [
  etcd(0, 'etcd-0'), vip(1, ['a', 'b', 'c']), leases(2, 'vm_1'),
  ...call('c-1', 'get', 100, 120, 'ok'),
  { type: 'invoke', process: 'nemesis', f: 'fault-start', value: { fault: 'kill-process', params: {} }, time: 500 },
  { type: 'info', process: 'nemesis', f: 'fault-start', value: { fault: 'kill-process', targets: ['etcd-0'] }, time: 600 },
  etcd(1000, '', ['etcd-0']), vip(1001, ['b', 'c']), leases(1002),
  ...call('c-2', 'get', 1100, 1500, 'fail'),
  etcd(2000, 'etcd-1', ['etcd-0']), leases(2002, 'vm_2'),
  { type: 'invoke', process: 'nemesis', f: 'fault-end', value: { fault: 'kill-process', targets: ['etcd-0'] }, time: 2500 },
  { type: 'info', process: 'nemesis', f: 'fault-end', value: { fault: 'kill-process', targets: ['etcd-0'] }, time: 2510 },
  etcd(3000, 'etcd-1'), vip(3001, ['a', 'b', 'c']),
  ...call('c-3', 'get', 3100, 3120, 'ok'),
];

test('observations: leader, health, VIP and Lease holder changes in time order; one x axis for the series', () => {
  const o = observations(history);
  expect(o.events.map((e) => [e.time, e.kind, e.label])).toEqual([
    [1000, 'etcd-leader', 'etcd leader etcd-0 → none'],
    [1000, 'etcd-health', 'etcd healthy 2/3 (down: etcd-0)'],
    [1001, 'vip-backends', 'VIP backends 3 → 2 (b, c)'],
    [1002, 'lease-holder', 'kube-scheduler holder vm_1 → none'],
    [2000, 'etcd-leader', 'etcd leader none → etcd-1'],
    [2002, 'lease-holder', 'kube-scheduler holder none → vm_2'],
    [3000, 'etcd-health', 'etcd healthy 3/3'],
    [3001, 'vip-backends', 'VIP backends 2 → 3 (a, b, c)'],
  ]);
  expect(o.initial).toEqual(['etcd leader etcd-0, 3/3 healthy', 'VIP backends 3 (a, b, c)', 'kube-scheduler holder vm_1']);
  expect(o.series.time).toEqual([0, 1, 1000, 1001, 2000, 3000, 3001]);
  expect(o.series.etcdHealthy).toEqual([3, null, 2, null, 2, 3, null]);
  expect(o.series.vipBackends).toEqual([null, 3, null, 2, null, null, 3]);
});

test('fault windows are named with their targets', () => {
  expect(namedFaults(history)).toMatchObject([{ fault: 'kill-process', start: 500, end: 2510, healed: true, label: 'kill-process → etcd-0' }]);
});

const stored = {
  name: 's',
  verdict: 'fail' as const,
  verdicts: [
    { checker: 'availability', verdict: 'fail' as const, reasons: ['too low'], figures: { availabilityPct: 66.5, longestDowntimeMs: 1000, windowMs: 1000, downtime: [{ start: 1000, end: 2000, lengthMs: 1000 }] } },
    { checker: 'recovery', verdict: 'pass' as const, reasons: [], figures: { from: 'heal', recoveryMs: 1500, msToFirstOk: 600, msToEtcdHealthy: 490 } },
    { checker: 'no-lost-writes', verdict: 'pass' as const, reasons: [], figures: { acknowledged: 12, lost: ['a', 'b'] } },
  ],
};
const file = { scenario: { name: 's', description: 'd', fault: { name: 'kill-process' }, expectations: { availability: { slo: { minAvailabilityPct: 99 } }, noLostWrites: true } } };

test('summary figures come from the stored verdicts; charts get buckets, faults, outages and markers', () => {
  const r = scenarioReport({ name: 's', history, verdicts: stored, file, problems: [] });
  expect(r.verdict).toBe('fail');
  expect(r.summary).toMatchObject({
    availabilityPct: 66.5, availabilitySource: 'verdict', longestOutageMs: 1000, outageSource: 'verdict',
    recoveryMs: 1500, recoveryFrom: 'heal', quorumRecoveryMs: 490, lostWrites: 2, acknowledgedWrites: 12,
    slo: ['availability ≥ 99% ok', 'no lost writes'],
  });
  expect(r.downtime).toEqual([{ start: 1000, end: 2000, lengthMs: 1000 }]);
  expect(r.chart?.buckets.start).toHaveLength(32);
  expect(r.chart?.faults).toEqual([{ label: 'kill-process → etcd-0', start: 500, end: 2510 }]);
  expect(r.chart?.markers.map((m) => m.kind)).toEqual(['etcd-leader', 'lease-holder', 'etcd-leader', 'lease-holder']);
  expect(r.phases?.during).toMatchObject({ total: 1, fail: 1 });
});

test('without an availability verdict the report shows the figures as not judged (it never recomputes a checker); missing files are listed', () => {
  const r = scenarioReport({ name: 's', history, problems: ['no verdicts.json'] });
  expect(r.verdict).toBe('unknown');
  expect(r.summary).toMatchObject({ availabilityPct: null, availabilitySource: null, longestOutageMs: null, outageSource: null, recoveryMs: null, lostWrites: null });
  expect(r.downtimeNote).toContain('not judged');
  expect(r.problems).toEqual(['no verdicts.json']);
  const bare = scenarioReport({ name: 'x', verdicts: { ...stored, name: 'x' }, problems: ['no scenario directory'] });
  expect(bare.chart).toBeNull();
  expect(bare.summary.availabilityPct).toBe(66.5);
});

test('trend: runs oldest first, the current run’s scenarios first, null where a run lacks one', () => {
  const t = toTrend([
    runPoint('r1', [{ ...stored, name: 'old-only' }, { ...stored, name: 's' }]),
    runPoint('r2', [{ ...stored, verdict: 'pass' }]),
  ]);
  expect(t.runs).toEqual(['r1', 'r2']);
  expect(t.scenarios).toEqual(['s', 'old-only']);
  expect(t.availabilityPct).toEqual([[66.5, 66.5], [66.5, null]]);
  expect(t.recoveryMs).toEqual([[1500, 1500], [1500, null]]);
  expect(t.verdicts).toEqual([['fail', 'pass'], ['fail', null]]);
});

test('SLO lines name every bound; expectations of another schema are shown as stored', () => {
  expect(sloLines({
    availability: { windowMs: 500, slo: { maxDowntimeMs: 3000, minAvailabilityPct: 95 } },
    recovery: { from: 'fault-start', leaseTakeover: 'kube-scheduler', slo: { maxRecoveryMs: 17_000 } },
    leaderUniqueness: {},
    quorumLoss: { graceMs: 2000 },
  })).toEqual([
    'availability ≥ 95% ok, outage ≤ 3.00 s on 500 ms windows',
    'recovery ≤ 17.00 s from fault-start, kube-scheduler taken over',
    'one leader per role',
    'no write without quorum (grace 2.00 s)',
  ]);
  expect(sloLines({ somethingNew: { x: 1 } })).toEqual(['somethingNew: {"x":1}']);
});

test('HTML safety: escaped text, script-safe JSON, and a page that references nothing outside itself', () => {
  expect(escapeHtml('<a href="x">&\'')).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&#39;');
  expect(toScriptJson({ s: '</script><!--' })).not.toContain('<');
  expect(JSON.parse(toScriptJson({ s: '</script>' }))).toEqual({ s: '</script>' });
  expect([formatMs(null), formatMs(850.4), formatMs(2990), formatMs(125_000)]).toEqual(['—', '850 ms', '2.99 s', '2 min 5 s']);
  const scenario = scenarioReport({ name: 'evil', history, verdicts: { ...stored, name: 'evil', verdicts: [{ ...stored.verdicts[0]!, reasons: ['<img src=x onerror=alert(1)>'] }] }, problems: [] });
  const html = renderPage(
    { run: { name: '<run>', verdict: 'fail', seed: 3, seconds: 10, meta: undefined }, scenarios: [scenario], upstream: [], trend: null },
    { uplotJs: '/* uplot */', uplotCss: '/* css */', reportJs: '/* js */', reportCss: '/* css */' },
  );
  expect(html).not.toContain('<img');
  expect(html).not.toContain('<run>');
  // No attribute anywhere points outside the page (in-page anchors only).
  expect(html).not.toMatch(/\s(src|href)=["'](?!#)/i);
  expect(html).toContain('href="#scenario-evil"');
  expect(html).toContain("default-src 'none'");
  expect(html.match(/<script/g)).toHaveLength(3);
});

test('haproof load and the vegeta witness side by side, per class and window, from the stored availability figures', async () => {
  const { clientsOf, renderClients } = await import('../../reports/html/render-clients.ts');
  const w = (total: number, availabilityPct: number | null, longestDowntimeMs = 0) => ({ total, availabilityPct, longestDowntimeMs });
  const cls = (f: ReturnType<typeof w>, r: ReturnType<typeof w>) => ({ fault: f, recovery: r });
  const byClass = { reads: cls(w(10, 90), w(5, 100)), writes: cls(w(20, 80, 1000), w(8, 100)), readyz: cls(w(30, 100), w(9, 100)) };
  const verdicts = [{ checker: 'availability', verdict: 'pass' as const, reasons: [], figures: { byClass, witness: { ...byClass, reads: cls(w(4, 75), w(2, 100)) } } }];
  const html = renderClients(clientsOf(verdicts));
  expect(html.match(/data-testid="clients-row"/g)).toHaveLength(6);
  expect(html).toContain('80.00 % of 20, down 1.00 s');
  expect(html).toContain('75.00 % of 4');
  expect(html).toContain('not sent');
  expect(renderClients(clientsOf([{ ...verdicts[0]!, figures: { byClass } }]))).toContain('did not run');
  expect(clientsOf([{ ...verdicts[0]!, figures: { nothing: 1 } }])).toBeNull();
  expect(renderClients(null)).toBe('');
  // A run with a settle period: a third window per class.
  const settled = Object.fromEntries(Object.entries(byClass).map(([k, v]) => [k, { ...v, settle: w(40, 97.5) }]));
  const withSettle = renderClients(clientsOf([{ ...verdicts[0]!, figures: { byClass: settled } }]));
  expect(withSettle.match(/data-testid="clients-row"/g)).toHaveLength(9);
  expect(withSettle).toContain('<td>settle</td><td>97.50 % of 40</td>');
});
