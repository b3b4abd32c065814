// Options and CLI flag parsing: defaults, and errors that name the field and the value.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { parseArgs } from '../../cli/args.ts';
import { parseTestbedOptions, UsageError } from '../../config/options.ts';

const file = (text: string): string => {
  const p = join(mkdtempSync(join(tmpdir(), 'haproof-unit-')), 'options.json');
  writeFileSync(p, text);
  return p;
};

test('defaults: kubernetes-cluster with 4 agents', () => {
  expect(parseTestbedOptions({})).toMatchObject({ cluster: 'kubernetes-cluster', agents: 4 });
});

test('--agents 2 is refused, naming the flag and the value', () => {
  expect(() => parseTestbedOptions({ agents: '2' })).toThrow(UsageError);
  expect(() => parseTestbedOptions({ agents: '2' })).toThrow(/--agents: must be at least 4.*got "2"/);
});

test('--agents must be a whole number', () => {
  expect(() => parseTestbedOptions({ agents: 'four' })).toThrow(/--agents/);
  expect(() => parseTestbedOptions({ agents: '4.5' })).toThrow(/--agents: must be a whole number/);
});

test('a cluster name that is not a DNS label is refused', () => {
  expect(() => parseTestbedOptions({ cluster: 'Bad_Name' })).toThrow(/--cluster: must be 1-24 characters.*got "Bad_Name"/);
});

test('options file: values are read and flags override them', () => {
  expect(parseTestbedOptions({ agents: '6' }, file('{"cluster":"prod","agents":5}'))).toMatchObject({ cluster: 'prod', agents: 6 });
});

test('options file: malformed JSON, unknown keys and bad values are named', () => {
  expect(() => parseTestbedOptions({}, file('{"agents": 4,'))).toThrow(/not valid JSON/);
  expect(() => parseTestbedOptions({}, file('{"agent": 4}'))).toThrow(/Unrecognized key.*agent/);
  expect(() => parseTestbedOptions({}, file('{"agents": 3}'))).toThrow(/options file .*: agents: must be at least 4.*: got 3/);
  expect(() => parseTestbedOptions({}, '/nonexistent/options.json')).toThrow(/cannot read the file \(ENOENT\)/);
});

test('flags: values, booleans, unknown flags', () => {
  const specs = [{ name: 'agents', help: '' }, { name: 'json', boolean: true, help: '' }];
  expect(parseArgs(['--agents', '5', '--json'], specs, 'up').flags).toEqual({ agents: '5', json: true });
  expect(parseArgs(['--agents=7'], specs, 'up').flags).toEqual({ agents: '7' });
  expect(() => parseArgs(['--agnets', '5'], specs, 'up')).toThrow(/unknown flag "--agnets"/);
  expect(() => parseArgs(['--agents'], specs, 'up')).toThrow(/--agents needs a value/);
  expect(() => parseArgs(['--json=yes'], specs, 'up')).toThrow(/takes no value/);
});

test('etcd timings: etcd\'s defaults unless the package\'s are asked for; anything else is named', async () => {
  const { ETCD_TIMINGS } = await import('../../config/options.ts');
  expect(parseTestbedOptions({}).etcdTiming).toBe('etcd-defaults');
  expect(ETCD_TIMINGS[parseTestbedOptions({ etcdTiming: 'package' }).etcdTiming]).toEqual({ electionMs: 5_000, heartbeatMs: 250 });
  expect(() => parseTestbedOptions({ etcdTiming: 'fast' })).toThrow(/etcd-timing: must be one of package, etcd-defaults.*got "fast"/);
});

test('a bad flag value is named as the flag is typed', () => {
  expect(() => parseTestbedOptions({ controlPlane: 'x' })).toThrow(/^--control-plane: must be one of static-pods, mesos-tasks: got "x"/);
  expect(() => parseTestbedOptions({ vipPolicy: 'x' })).toThrow(/^--vip-policy: /);
});
