// Pure parts of the dcos target: target selection, known_hosts, the process listing read over SSH, task naming.
import { test, expect } from '@playwright/test';
import { targetFromEnv } from '../../targets/connect.ts';
import { parseProcessList, processTaskName, roleOfExe } from '../../targets/dcos/dcos-cluster.ts';
import { parseKnownHosts, shq } from '../../targets/dcos/ssh.ts';
import { UsageError } from '../../config/options.ts';

test('HAPROOF_TARGET: testbed by default, dcos, and a clear error for anything else', () => {
  expect(targetFromEnv({})).toBe('testbed');
  expect(targetFromEnv({ HAPROOF_TARGET: 'dcos' })).toBe('dcos');
  expect(() => targetFromEnv({ HAPROOF_TARGET: 'DCOS' })).toThrow(UsageError);
  expect(() => targetFromEnv({ HAPROOF_TARGET: 'k8s' })).toThrow('HAPROOF_TARGET: must be "testbed" or "dcos", got "k8s"');
});

test('known_hosts: plain and [host]:22 names, several keys per host, comments and hashed entries skipped', () => {
  const k = parseKnownHosts([
    '# comment',
    '198.18.0.11,agent-1 ssh-ed25519 AAAAkey1 haproof',
    '[198.18.0.12]:22 ssh-ed25519 AAAAkey2',
    '198.18.0.11 ssh-rsa AAAAkey3',
    '|1|hashed= ssh-ed25519 AAAAhidden',
    '',
  ].join('\n'));
  expect(k.get('198.18.0.11')).toEqual(['AAAAkey1', 'AAAAkey3']);
  expect(k.get('agent-1')).toEqual(['AAAAkey1']);
  expect(k.get('198.18.0.12')).toEqual(['AAAAkey2']);
  expect(k.size).toBe(3);
});

test('the process listing: pid and argv per line; roles by executable name', () => {
  const text = '4242\tfw-1\t/root/.cache/haproof/etcd-v3.6.16/etcd\t--name=etcd-0\t--data-dir=/x\t\n17\t-\t/usr/bin/kube-scheduler\t--leader-elect=true\t\nnot-a-pid\t-\tx\t\n';
  expect(parseProcessList(text)).toEqual([
    { pid: 4242, frameworkId: 'fw-1', argv: ['/root/.cache/haproof/etcd-v3.6.16/etcd', '--name=etcd-0', '--data-dir=/x'] },
    { pid: 17, frameworkId: undefined, argv: ['/usr/bin/kube-scheduler', '--leader-elect=true'] },
  ]);
  expect(roleOfExe('/opt/mesosphere/etcd')).toBe('etcd');
  expect(roleOfExe('kube-controller-manager')).toBe('kube-controller-manager');
  expect(roleOfExe('/usr/bin/kubelet')).toBe('kwok');
  expect(roleOfExe('/usr/sbin/sshd')).toBeUndefined();
});

test('task names: one per process role inside a control-plane instance, the SDK task name otherwise', () => {
  expect(processTaskName('kube-control-plane-1-instance', 'kube-scheduler')).toBe('kube-control-plane-1-instance:kube-scheduler');
  expect(processTaskName('etcd-2-peer', 'etcd')).toBe('etcd-2-peer');
  expect(processTaskName('kube-node-0-kubelet', 'kwok')).toBe('kube-node-0-kubelet');
});

test('shell quoting keeps every word one word', () => {
  expect(shq("it's")).toBe(`'it'\\''s'`);
  expect(shq('--endpoints=https://a:2379,https://b:2379')).toBe(`'--endpoints=https://a:2379,https://b:2379'`);
});
