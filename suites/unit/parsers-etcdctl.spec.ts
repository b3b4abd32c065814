// The etcdctl readers on real etcdctl 3.6.16 output (suites/unit/data/etcdctl/, made by its record.sh): every state
// parses, and the members are told in words — never a schema crash.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import {
  commonRevision, describeMembers, etcdHashes, etcdMembers, parseEndpointHealth, parseEndpointStatus, parseEtcdctlJson, parseHashKV, parseMemberList, toMemberViews,
  type EtcdMemberView,
} from '../../targets/readers/etcdctl.ts';

const DATA = join(import.meta.dirname, 'data', 'etcdctl');
const out = (name: string): string => readFileSync(join(DATA, `${name}.json`), 'utf8');
const stderr = (name: string): string => readFileSync(join(DATA, `${name}.stderr`), 'utf8');
const exit = (name: string): number => Number(readFileSync(join(DATA, `${name}.exit`), 'utf8'));

/** The member view of one recorded state, with `member list` in the form etcdMembers() asks for (no --hex). */
function viewOf(state: string, list = `${state}.member-list-nohex`, calls = state): EtcdMemberView[] {
  const members = parseMemberList(out(list));
  return toMemberViews(members, parseEndpointStatus(out(`${calls}.endpoint-status`)), parseEndpointHealth(out(`${calls}.endpoint-health`)));
}
const byName = (ms: EtcdMemberView[], name: string): EtcdMemberView => ms.find((m) => m.name === name)!;

test('3 started members: all healthy, one leader', () => {
  const ms = viewOf('02-three-members');
  expect(describeMembers(ms)).toBe('3 members, all healthy, leader m1');
  expect(ms.map((m) => m.name).sort()).toEqual(['m1', 'm2', 'm3']);
  for (const m of ms) expect(m).toMatchObject({ started: true, healthy: true, answered: true, isLearner: false, version: '3.6.16', raftTerm: 3, errors: [] });
  expect(ms.filter((m) => m.isLeader).map((m) => m.name)).toEqual(['m1']);
  expect(exit('02-three-members.endpoint-status')).toBe(0);
});

test('IDs: member list --hex, member list without --hex and endpoint status (uint64 numbers) all give the same hex IDs', () => {
  const hex = parseMemberList(out('02-three-members.member-list')).map((m) => m.ID).sort();
  const numbers = parseMemberList(out('02-three-members.member-list-nohex')).map((m) => m.ID).sort();
  expect(numbers).toEqual(hex);
  const statusIds = parseEndpointStatus(out('02-three-members.endpoint-status')).map((s) => s.Status.header?.member_id).sort();
  expect(statusIds).toEqual(hex);
  // The raw text has IDs beyond 2^53, which JSON.parse alone would round.
  const raw = out('02-three-members.endpoint-status').match(/"member_id":(\d+)/g)!.map((s) => BigInt(s.split(':')[1]!));
  expect(raw.some((n) => n > BigInt(Number.MAX_SAFE_INTEGER))).toBe(true);
  expect(parseEtcdctlJson('{"leader":18446744073709551615}')).toEqual({ leader: 'ffffffffffffffff' });
});

test('a member added but never started: name "", no client URLs; listed, not healthy, not leader', () => {
  for (const list of ['member-list', 'member-list-nohex']) {
    const ms = viewOf('03-four-members-one-never-started', `03-four-members-one-never-started.${list}`);
    expect(describeMembers(ms)).toBe('4 members, 1 never started, 3 healthy, leader m1');
    const idle = ms.filter((m) => !m.started);
    expect(idle).toHaveLength(1);
    expect(idle[0]).toMatchObject({ name: '', clientUrls: [], endpoint: undefined, healthy: false, isLeader: false, answered: false, started: false });
    expect(idle[0]!.peerUrls).toEqual(['http://127.0.0.1:24380']);
  }
  // The two printers differ: --hex prints "clientURLs":null, the plain one leaves name and clientURLs out.
  expect(out('03-four-members-one-never-started.member-list')).toContain('"name":"","peerURLs":["http://127.0.0.1:24380"],"clientURLs":null');
  expect(out('03-four-members-one-never-started.member-list-nohex')).toMatch(/\{"ID":\d+,"peerURLs":\["http:\/\/127\.0\.0\.1:24380"\]\}/);
});

test('a learner added but not started: only the plain member list says it is a learner', () => {
  const plain = viewOf('04-learner-not-started');
  expect(describeMembers(plain)).toBe('5 members, 1 never started, 1 learner, 4 healthy, leader m1');
  expect(plain.find((m) => !m.started)).toMatchObject({ isLearner: true, name: '', healthy: false, isLeader: false });
  // etcdctl's --hex printer of member list leaves isLearner out: the same state reads without the learner.
  expect(out('04-learner-not-started.member-list')).not.toContain('isLearner');
  expect(describeMembers(viewOf('04-learner-not-started', '04-learner-not-started.member-list'))).toBe('5 members, 1 never started, 4 healthy, leader m1');
});

test('a started learner: refused by the health probe, yet healthy (its status answers, its leader confirms)', () => {
  const ms = viewOf('05-learner-started');
  expect(describeMembers(ms)).toBe('5 members, 1 learner, all healthy, leader m1');
  const learner = byName(ms, 'm5');
  expect(learner).toMatchObject({ isLearner: true, started: true, healthy: true, isLeader: false, answered: true, errors: [] });
  // What etcdctl printed: health false with the learner's error, exit code 1, "unhealthy cluster" on stderr.
  expect(parseEndpointHealth(out('05-learner-started.endpoint-health')).find((h) => h.endpoint === learner.endpoint)).toMatchObject({ health: false, error: 'etcdserver: rpc not supported for learner' });
  expect(exit('05-learner-started.endpoint-health')).toBe(1);
  expect(stderr('05-learner-started.endpoint-health')).toContain('Error: unhealthy cluster');
  // hashkv: the learner refuses it too, the others' hashes are there.
  expect(parseHashKV(out('05-learner-started.endpoint-hashkv')).map((h) => h.Endpoint)).not.toContain(learner.endpoint);
  expect(new Set(parseHashKV(out('05-learner-started.endpoint-hashkv')).map((h) => h.HashKV.hash)).size).toBe(1);
});

test('a member killed: partial --cluster output (exit 1, the error on stderr) still names everyone else', () => {
  const ms = viewOf('06-one-member-killed');
  expect(describeMembers(ms)).toBe('5 members, 1 learner, 4 healthy, 1 unhealthy (m3: context deadline exceeded), leader m1');
  expect(byName(ms, 'm3')).toMatchObject({ started: true, healthy: false, answered: false, isLeader: false, raftTerm: undefined });
  expect(exit('06-one-member-killed.endpoint-status')).toBe(1);
  expect(stderr('06-one-member-killed.endpoint-status')).toContain('Failed to get the status of endpoint http://127.0.0.1:23379 (context deadline exceeded)');
  expect(parseEndpointStatus(out('06-one-member-killed.endpoint-status'))).toHaveLength(4);
  expect(parseHashKV(out('06-one-member-killed.endpoint-hashkv')).map((h) => h.Endpoint).sort()).toEqual(['http://127.0.0.1:21379', 'http://127.0.0.1:22379', 'http://127.0.0.1:24379']);
  expect(commonRevision(parseEndpointStatus(out('06-one-member-killed.endpoint-status')))).toBeGreaterThan(0);
});

test('a vanished endpoint: member list prints nothing, and says so in words', () => {
  expect(out('07-vanished-endpoint.member-list-nohex')).toBe('');
  expect(exit('07-vanished-endpoint.member-list-nohex')).toBe(1);
  expect(stderr('07-vanished-endpoint.member-list-nohex')).toContain('Error: context deadline exceeded');
  expect(() => parseMemberList(out('07-vanished-endpoint.member-list-nohex'))).toThrow(/^etcdctl member list: output is not JSON/);
});

test('quorum lost: --cluster calls print nothing; named endpoints answer with no leader (leader left out, errors set)', () => {
  // The linearizable member list fails; the serializable one answers with all five.
  expect(exit('08-quorum-lost.member-list-nohex')).toBe(1);
  expect(exit('08-quorum-lost.member-list-serializable')).toBe(0);
  const members = parseMemberList(out('08-quorum-lost.member-list-serializable'));
  expect(members).toHaveLength(5);
  // `endpoint status --cluster` needs a linearizable member list first: nothing at all, and no crash.
  expect(out('08-quorum-lost.endpoint-status')).toBe('');
  expect(stderr('08-quorum-lost.endpoint-status')).toContain('failed to fetch endpoints from etcd cluster member list');
  const none = toMemberViews(members, parseEndpointStatus(out('08-quorum-lost.endpoint-status')), parseEndpointHealth(out('08-quorum-lost.endpoint-health')));
  expect(describeMembers(none)).toMatch(/^5 members, 1 learner, 0 healthy, 5 unhealthy \((m\d: no answer(, )?){5}\), no leader$/);
  // Named endpoints: the voters that answer know no leader; the cut-off learner still names its old one.
  const statuses = parseEndpointStatus(out('08-quorum-lost.endpoint-status-named'));
  expect(statuses).toHaveLength(3);
  expect(out('08-quorum-lost.endpoint-status-named')).toContain('"errors":["etcdserver: no leader"]');
  const ms = toMemberViews(members, statuses, parseEndpointHealth(out('08-quorum-lost.endpoint-health-named')));
  expect(ms.filter((m) => m.isLeader)).toEqual([]);
  expect(ms.filter((m) => m.healthy)).toEqual([]);
  expect(byName(ms, 'm1')).toMatchObject({ answered: true, isLeader: false, errors: ['etcdserver: no leader', 'context deadline exceeded'] });
  expect(byName(ms, 'm5')).toMatchObject({ isLearner: true, answered: true, healthy: false, errors: ['follows no confirmed leader'] });
  expect(describeMembers(ms)).toMatch(/^5 members, 1 learner, 0 healthy, 5 unhealthy \(.*m1: etcdserver: no leader; context deadline exceeded.*\), no leader$/);
  expect(describeMembers(ms)).toContain('m5: follows no confirmed leader');
});

test('a single member, before its endpoint calls: listed with no answer', () => {
  const ms = toMemberViews(parseMemberList(out('01-one-member.member-list')), [], []);
  expect(describeMembers(ms)).toBe('1 member, 0 healthy, 1 unhealthy (m1: no answer), no leader');
  expect(describeMembers([])).toBe('no members');
});

test('unusable output is told in words: not JSON, or a member list that is not one', () => {
  expect(() => parseMemberList('Error: context deadline exceeded')).toThrow(/^etcdctl member list: output is not JSON/);
  expect(() => parseMemberList('{"members":[{"name":"x"}]}')).toThrow('etcdctl member list: unexpected output: members.0.ID: Invalid input');
  expect(() => parseMemberList('[]')).toThrow(/unexpected output: the output: /);
  // Endpoint calls keep what parses, entry by entry.
  expect(parseEndpointStatus('')).toEqual([]);
  expect(parseEndpointStatus('{"Endpoint":"x"}')).toEqual([]);
  expect(parseEndpointHealth('[{"endpoint":"a","health":true},{"endpoint":"b"},7,null]')).toEqual([{ endpoint: 'a', health: true }]);
});

test('describeMembers: two leaders, and unhealthy members without an error', () => {
  const m = (name: string, over: Partial<EtcdMemberView> = {}): EtcdMemberView => ({
    id: name, name, peerUrls: [], clientUrls: [`http://${name}:2379`], endpoint: `http://${name}:2379`, healthy: true, isLeader: false,
    version: '3.6.16', raftTerm: 2, answered: true, isLearner: false, started: true, errors: [], ...over,
  });
  expect(describeMembers([m('a', { isLeader: true }), m('b', { isLeader: true }), m('c', { healthy: false })])).toBe('3 members, 2 healthy, 1 unhealthy (c), 2 leaders (a, b)');
  expect(describeMembers([m('a', { isLeader: true }), m('', { id: '8e9e05c52164694d', started: false, healthy: false, clientUrls: [], endpoint: undefined, answered: false })]))
    .toBe('2 members, 1 never started, 1 healthy, leader a');
});

/** An EtcdAccess whose etcdctl replays one recorded state (what `exec` is asked for is kept in `asked`). */
function replay(files: { list: string; status: string; health: string; hashkv?: string }) {
  const asked: string[][] = [];
  const result = (name: string) => ({ failed: exit(name) !== 0, stdout: out(name), stderr: (() => { try { return stderr(name); } catch { return ''; } })() });
  return {
    asked,
    access: {
      cluster: 'kubernetes-cluster', members: 3, etcdctl: 'etcdctl', files: { caFile: 'ca', certFile: 'c', keyFile: 'k' },
      exec: async (argv: string[]) => {
        asked.push(argv.slice(argv.indexOf('json') + 1));
        // etcdMembers asks each endpoint on its own, with shorter timeouts: the recorded output answers for all.
        const [a, b] = argv.slice(argv.indexOf('json') + 1).filter((x) => !x.startsWith('--'));
        if (a === 'member') return result(files.list);
        if (b === 'status') return result(files.status);
        if (b === 'health') return result(files.health);
        return result(files.hashkv!);
      },
    },
  };
}

test('etcdMembers() on recorded states: every member returned (never started, learner, quorum lost), member list without --hex', async () => {
  const never = replay({ list: '03-four-members-one-never-started.member-list-nohex', status: '03-four-members-one-never-started.endpoint-status', health: '03-four-members-one-never-started.endpoint-health' });
  const ms = await etcdMembers(never.access);
  expect(never.asked[0]).toEqual(expect.arrayContaining(['member', 'list', '--hex=false']));
  expect(describeMembers(ms)).toBe('4 members, 1 never started, 3 healthy, leader m1');
  expect(ms.find((m) => !m.started)).toMatchObject({ name: '', healthy: false, isLeader: false, started: false });
  // Status and health are asked of each endpoint on its own (all at once), with short timeouts.
  expect(never.asked.filter((a) => a.includes('status'))).toHaveLength(3);
  expect(never.asked.filter((a) => a.includes('health')).every((a) => a.includes('--command-timeout=1500ms'))).toBe(true);

  const killed = replay({ list: '06-one-member-killed.member-list-nohex', status: '06-one-member-killed.endpoint-status', health: '06-one-member-killed.endpoint-health', hashkv: '06-one-member-killed.endpoint-hashkv' });
  expect(describeMembers(await etcdMembers(killed.access))).toBe('5 members, 1 learner, 4 healthy, 1 unhealthy (m3: context deadline exceeded), leader m1');
  const hashes = await etcdHashes(killed.access);
  expect(Object.keys(hashes).sort()).toEqual(['http://127.0.0.1:21379', 'http://127.0.0.1:22379', 'http://127.0.0.1:24379']);
  expect(killed.asked.at(-1)).toEqual(['endpoint', 'hashkv', '--cluster', '--rev=2']);

  // Quorum lost: the serializable member list still answers, the endpoints (named, not --cluster) answer in part.
  const lost = replay({ list: '08-quorum-lost.member-list-serializable', status: '08-quorum-lost.endpoint-status-named', health: '08-quorum-lost.endpoint-health-named' });
  const noQuorum = await etcdMembers(lost.access);
  expect(describeMembers(noQuorum)).toMatch(/^5 members, 1 learner, 0 healthy, 5 unhealthy \(.*\), no leader$/);
  expect(noQuorum.filter((m) => m.answered).map((m) => m.name).sort()).toEqual(['m1', 'm4', 'm5']);
  const cut = replay({ list: '08-quorum-lost.member-list-serializable', status: '08-quorum-lost.endpoint-status', health: '08-quorum-lost.endpoint-health', hashkv: '08-quorum-lost.endpoint-status' });
  expect(await etcdHashes(cut.access)).toEqual({});
  // No member answers at all: the one error, in words.
  const gone = replay({ list: '07-vanished-endpoint.member-list-serializable', status: '07-vanished-endpoint.member-list-serializable', health: '07-vanished-endpoint.member-list-serializable' });
  await expect(etcdMembers(gone.access)).rejects.toThrow(/^etcdctl member list failed: .*context deadline exceeded/);
});
