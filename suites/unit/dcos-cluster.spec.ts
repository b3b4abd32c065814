// Pure parts of the dcos target: target selection, known_hosts, the process listing read over SSH, task naming.
import { test, expect } from '@playwright/test';
import { targetFromEnv } from '../../targets/connect.ts';
import { apiserverAddress, etcdctlInTask, parseProcessList, parseSshConnection, processesOfHostTasks, processTaskName, roleOfExe, serviceProcessesOf } from '../../targets/dcos/dcos-cluster.ts';
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

test('the process listing: pid, FRAMEWORK_NAME, TASK_NAME and argv per line; roles by executable name', () => {
  const text = [
    '4242\tkubernetes-cluster\tetcd-0-peer\t/root/.cache/haproof/etcd-v3.6.16/etcd\t--name=etcd-0\t--data-dir=/x\t',
    '17\t-\t-\t/usr/bin/kube-scheduler\t--leader-elect=true\t',
    'not-a-pid\t-\t-\tx\t',
    '',
  ].join('\n');
  expect(parseProcessList(text)).toEqual([
    { pid: 4242, framework: 'kubernetes-cluster', sdkTask: 'etcd-0-peer', argv: ['/root/.cache/haproof/etcd-v3.6.16/etcd', '--name=etcd-0', '--data-dir=/x'] },
    { pid: 17, framework: undefined, sdkTask: undefined, argv: ['/usr/bin/kube-scheduler', '--leader-elect=true'] },
  ]);
  expect(roleOfExe('/opt/mesosphere/etcd')).toBe('etcd');
  expect(roleOfExe('kube-controller-manager')).toBe('kube-controller-manager');
  expect(roleOfExe('/usr/bin/kubelet')).toBe('kwok');
  expect(roleOfExe('/usr/sbin/sshd')).toBeUndefined();
});

test('a process without the service\'s FRAMEWORK_NAME on the same agent is never touched', () => {
  // Another framework's etcd, a kubelet of no framework, and this service's apiserver (a static pod: its FRAMEWORK_NAME
  // and TASK_NAME come from the control-plane task it descends from).
  const listed = parseProcessList([
    '100\tother-k8s\tetcd-0-peer\t/opt/etcd\t--name=etcd-0\t',
    '101\t-\t-\t/usr/bin/kubelet\t',
    '102\tkubernetes-cluster\tkube-control-plane-1-instance\t/usr/bin/kube-apiserver\t--etcd-servers=x\t',
    '103\tkubernetes-cluster-2\tetcd-1-peer\t/opt/etcd\t',
  ].join('\n'));
  expect(serviceProcessesOf(listed, 'kubernetes-cluster').map((p) => p.pid)).toEqual([102]);
  expect(serviceProcessesOf(listed, 'nothing-here')).toEqual([]);
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

test('where an agent sees haproof come from: the client address of $SSH_CONNECTION, never a testbed constant', () => {
  expect(parseSshConnection('10.0.5.9 51234 10.0.7.3 22')).toEqual(['10.0.5.9']);
  expect(parseSshConnection('  198.18.0.254 40000 198.18.0.12 22\n')).toEqual(['198.18.0.254']);
  expect(parseSshConnection('')).toEqual([]);
  expect(parseSshConnection('fe80::1 40000 fe80::2 22')).toEqual([]);
});

test('a freeze stops only the processes of the tasks Mesos places on that agent, whatever else its ps lists', () => {
  const p = (pid: number, sdkTask: string | undefined) => ({ pid, framework: 'kubernetes-cluster', sdkTask, argv: ['x'] });
  const listed = [p(1, 'etcd-0-peer'), p(2, 'kube-control-plane-0-instance'), p(3, 'etcd-1-peer'), p(4, undefined)];
  const tasks = [{ task: 'etcd-0-peer', host: 'agent-1' }, { task: 'kube-control-plane-0-instance:kube-apiserver', host: 'agent-1' }, { task: 'etcd-1-peer', host: 'agent-2' }];
  expect(processesOfHostTasks(listed, tasks, 'agent-1').map((x) => x.pid)).toEqual([1, 2]);
  expect(processesOfHostTasks(listed, tasks, 'agent-3')).toEqual([]);
});

test('an apiserver is probed where it listens: its bind address when it names one, else its task address; its port, else the VIP\'s', () => {
  // The advertised address is what it publishes (maybe a balancer's), not where it listens.
  expect(apiserverAddress(['kube-apiserver', '--advertise-address=9.0.1.7', '--secure-port=6444'], '198.18.0.12', 6443)).toEqual({ ip: '198.18.0.12', port: 6444 });
  expect(apiserverAddress(['kube-apiserver', '--bind-address=9.0.1.8'], '198.18.0.12', 6443)).toEqual({ ip: '9.0.1.8', port: 6443 });
  // 0.0.0.0 and :: are every address: the task's own is asked.
  expect(apiserverAddress(['kube-apiserver', '--bind-address=0.0.0.0'], '198.18.0.12', 6443)).toEqual({ ip: '198.18.0.12', port: 6443 });
  expect(apiserverAddress(['kube-apiserver', '--bind-address=::'], '198.18.0.12', 6443)).toEqual({ ip: '198.18.0.12', port: 6443 });
  // A dead process (a static pod between restarts) has no command line.
  expect(apiserverAddress([], '198.18.0.12', 6443)).toEqual({ ip: '198.18.0.12', port: 6443 });
  expect(apiserverAddress(['kube-apiserver', '--secure-port=x'], '198.18.0.12', 6443)).toEqual({ ip: '198.18.0.12', port: 6443 });
});

test('etcdctl inside the etcd task: its mount and network namespaces, entered by the member\'s pid', () => {
  expect(etcdctlInTask(4242, "'/mnt/mesos/sandbox/etcdctl' 'member' 'list'")).toBe("nsenter -t 4242 -m -n -- '/mnt/mesos/sandbox/etcdctl' 'member' 'list'");
});
