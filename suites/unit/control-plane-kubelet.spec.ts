// A static-pod control plane's kubelet as the API sees it (testbed/control-plane-kubelet.ts): the restarts it counts in
// the mirror pods, the Node it registers, and the status it reports. Hand-written runs of the three processes.
import { test, expect } from '@playwright/test';
import {
  controlPlaneNode, controlPlaneNodeStatus, mirrorPod, nodeLease, mirrorPodStatus, restartCounts, withTransitionTimes, type ContainerRun, type KubeletMemory,
} from '../../testbed/control-plane-kubelet.ts';
import { toNodeView } from '../../targets/readers/kube.ts';
import { controlPlaneNodeName } from '../../config/naming.ts';
import { renderKubeletTokens } from '../../testbed/tasks.ts';

const T0 = Date.parse('2026-12-07T10:00:00Z');
const at = (s: number) => new Date(T0 + s * 1000).toISOString();
const run = (component: ContainerRun['component'], startedS: number, exits: number, running = true): ContainerRun => ({
  component, running, startedAt: at(startedS), exits, lastExit: exits ? { exitCode: undefined, signal: 'SIGKILL', at: at(startedS - 2) } : undefined, argv: [component],
});
const fresh: KubeletMemory = { launch: undefined, exitsAtLaunch: {} };
const launched = (s: number, exits = 0) => [run('kube-apiserver', s, exits), run('kube-controller-manager', s + 1, exits), run('kube-scheduler', s + 1, exits)];

test('a process restarted alone is one more restart of its container; the instance task relaunched starts every count again at 0', () => {
  const first = restartCounts('agent-1', launched(0), fresh);
  expect(first.counts).toEqual({ 'kube-apiserver': 0, 'kube-controller-manager': 0, 'kube-scheduler': 0 });
  // The apiserver killed at 60 s and restarted by the kubelet at 62 s: the others run on.
  const killed = [run('kube-apiserver', 62, 1), run('kube-controller-manager', 1, 0), run('kube-scheduler', 1, 0)];
  const second = restartCounts('agent-1', killed, first.memory);
  expect(second.counts).toEqual({ 'kube-apiserver': 1, 'kube-controller-manager': 0, 'kube-scheduler': 0 });
  // Killed again: counted again, not reset.
  const again = restartCounts('agent-1', [run('kube-apiserver', 90, 2), run('kube-controller-manager', 1, 0), run('kube-scheduler', 1, 0)], second.memory);
  expect(again.counts['kube-apiserver']).toBe(2);
  // `pod restart`: all three stop and start together (exits counted by the supervisor, but a new kubelet counts anew).
  const relaunched = restartCounts('agent-1', [run('kube-apiserver', 200, 3), run('kube-controller-manager', 201, 1), run('kube-scheduler', 201, 1)], again.memory);
  expect(relaunched.counts).toEqual({ 'kube-apiserver': 0, 'kube-controller-manager': 0, 'kube-scheduler': 0 });
  expect(relaunched.memory.launch).not.toBe(again.memory.launch);
  // After the relaunch, a restart of the scheduler alone counts 1 from there.
  const later = restartCounts('agent-1', [run('kube-apiserver', 200, 3), run('kube-controller-manager', 201, 1), run('kube-scheduler', 260, 2)], relaunched.memory);
  expect(later.counts).toEqual({ 'kube-apiserver': 0, 'kube-controller-manager': 0, 'kube-scheduler': 1 });
});

test('restarts of the three processes far apart never read as a relaunch of the instance', () => {
  let memory = restartCounts('agent-1', launched(0), fresh).memory;
  const steps = [
    [run('kube-apiserver', 60, 1), run('kube-controller-manager', 1, 0), run('kube-scheduler', 1, 0)],
    [run('kube-apiserver', 60, 1), run('kube-controller-manager', 120, 1), run('kube-scheduler', 1, 0)],
    [run('kube-apiserver', 60, 1), run('kube-controller-manager', 120, 1), run('kube-scheduler', 180, 1)],
  ];
  let counts = {};
  for (const s of steps) ({ counts, memory } = restartCounts('agent-1', s, memory));
  expect(counts).toEqual({ 'kube-apiserver': 1, 'kube-controller-manager': 1, 'kube-scheduler': 1 });
});

test('a mirror pod\'s status: a container killed by SIGKILL and restarted shows its restart and exit code 137; one waiting is not ready', () => {
  const now = new Date(T0 + 100_000);
  const restarted = mirrorPodStatus(run('kube-apiserver', 62, 1), 1, '198.18.32.5', now);
  const c = restarted.containerStatuses![0]!;
  expect({ restartCount: c.restartCount, ready: c.ready, running: c.state?.running?.startedAt?.toISOString(), exit: c.lastState?.terminated?.exitCode, ip: restarted.podIP })
    .toEqual({ restartCount: 1, ready: true, running: at(62), exit: 137, ip: '198.18.32.5' });
  const waiting = mirrorPodStatus({ ...run('kube-apiserver', 62, 2), running: false, lastExit: { exitCode: 1, signal: undefined, at: at(70) } }, 2, '198.18.32.5', now);
  const w = waiting.containerStatuses![0]!;
  expect({ ready: w.ready, waiting: w.state?.waiting?.reason, exit: w.lastState?.terminated?.exitCode, podReady: waiting.conditions?.find((x) => x.type === 'Ready')?.status })
    .toEqual({ ready: false, waiting: 'CrashLoopBackOff', exit: 1, podReady: 'False' });
  // Never restarted: no last state, whatever the supervisor counted before this launch.
  expect(mirrorPodStatus(run('kube-apiserver', 200, 3), 0, '198.18.32.5', now).containerStatuses![0]!.lastState).toEqual({});
});

test('the Node: named by the task\'s Mesos-DNS name, tainted NoExecute, read back as a control-plane Node; its mirror pods tolerate the taint', () => {
  const name = controlPlaneNodeName('kubernetes-cluster', 1);
  expect(name).toBe('kube-control-plane-1-instance.kubernetes-cluster.mesos');
  const node = controlPlaneNode(name);
  expect(node.spec?.taints).toEqual([{ key: 'node-role.kubernetes.io/master', value: '', effect: 'NoExecute' }]);
  const view = toNodeView({ ...node, status: controlPlaneNodeStatus(name, '198.18.32.5', new Date(T0)) });
  expect(view).toEqual({ name, ready: true, role: 'control-plane', host: undefined, ip: '198.18.32.5' });
  // The taint manager evicts a pod that does not tolerate a NoExecute taint: the kubelet's own mirror pods must.
  const pod = mirrorPod('kube-apiserver', name, 'uid-1', ['kube-apiserver', '--v=1']);
  const tolerated = (t: { key: string; effect: string }) => pod.spec!.tolerations!.some((x) => (x.key === undefined || x.key === t.key) && (x.effect === undefined || x.effect === t.effect) && x.operator === 'Exists');
  expect(node.spec!.taints!.every((t) => tolerated(t as { key: string; effect: string }))).toBe(true);
  expect({ name: pod.metadata?.name, node: pod.spec?.nodeName, owner: pod.metadata?.ownerReferences?.[0]?.kind, mirror: pod.metadata?.annotations?.['kubernetes.io/config.mirror'] !== undefined })
    .toEqual({ name: `kube-apiserver-${name}`, node: name, owner: 'Node', mirror: true });
});

test('a heartbeat keeps each condition\'s transition time while its state holds, and moves it when the state changes', () => {
  const first = controlPlaneNodeStatus('n', '198.18.32.5', new Date(T0));
  const next = withTransitionTimes(controlPlaneNodeStatus('n', '198.18.32.5', new Date(T0 + 10_000)), first);
  const ready = (s: typeof first) => s.conditions!.find((c) => c.type === 'Ready')!;
  expect({ heartbeat: ready(next).lastHeartbeatTime, transition: ready(next).lastTransitionTime }).toEqual({ heartbeat: new Date(T0 + 10_000), transition: new Date(T0) });
  // The node lifecycle controller set Ready Unknown meanwhile: the kubelet's Ready True is a transition.
  const unknown = { ...first, conditions: first.conditions!.map((c) => (c.type === 'Ready' ? { ...c, status: 'Unknown' } : c)) };
  expect(ready(withTransitionTimes(controlPlaneNodeStatus('n', '198.18.32.5', new Date(T0 + 20_000)), unknown)).lastTransitionTime).toEqual(new Date(T0 + 20_000));
});

test('each instance\'s kubelet is its own Node to the apiserver: user system:node:<node>, group system:nodes (what the Node authorizer judges)', () => {
  const nodes = [0, 1, 2].map((i) => controlPlaneNodeName('kubernetes-cluster', i));
  const csv = renderKubeletTokens(nodes.map((node, i) => ({ token: `t${i}`, node })));
  // kube-apiserver's static token file: token,user,uid,"group1,group2".
  expect(csv.trimEnd().split('\n').map((l) => /^([^,]+),([^,]+),([^,]+),"([^"]*)"$/.exec(l)?.slice(1))).toEqual(nodes.map((n, i) => [`t${i}`, `system:node:${n}`, n, 'system:nodes']));
  // Why a token: the Node's name makes a common name longer than X.509's 64 characters, which OpenSSL refuses.
  expect(`system:node:${nodes[0]}`.length).toBeGreaterThan(64);
});

test('the node Lease\'s renewal time goes out as a MicroTime (six fractional digits), which the apiserver requires', () => {
  const sent = JSON.parse(JSON.stringify(nodeLease('n', 'uid-1', new Date('2026-12-07T10:00:00.123Z')))) as { spec: { renewTime: string; holderIdentity: string; leaseDurationSeconds: number } };
  expect(sent.spec).toEqual({ holderIdentity: 'n', leaseDurationSeconds: 40, renewTime: '2026-12-07T10:00:00.123000Z' });
});
