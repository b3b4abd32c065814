// Task specs (pure): the exact command line of every process of the testbed, the certificates and kubeconfigs they use.
import { shq } from '../core/shell-quote.ts';
import { join } from 'node:path';
import { FIRST_SERVICE_IP, MASTER_IP, SERVICE_CIDR } from '../config/addresses.ts';
import { controlPlaneName, etcdClientUrls, etcdInitialCluster, etcdMemberName, etcdPeerName, nodeName, VIP_PORT } from '../config/naming.ts';
import { ETCD_TIMINGS, type TestbedOptions } from '../config/options.ts';
import type { Binaries } from '../upstream/versions.ts';
import type { CertRequest } from './pki.ts';
import { netnsName, SANDBOX_PATH, type TestbedPaths } from './paths.ts';
import { SSHD, sshFiles } from './ssh-access.ts';
import { BACKUP_INTERVAL_S, backupFile, previousBackup } from './defects.ts';
import { gossipResponder } from './dcos-net-policy.ts';
import { podsOfKind, type PodPlacement, type Topology } from './topology.ts';

export type Role = 'dns' | 'dcos-api' | 'sshd' | 'dcos-net' | 'planted-defect' | 'etcd' | 'kube-apiserver' | 'kube-controller-manager' | 'kube-scheduler' | 'kwok';

export interface TaskSpec {
  /** Unique task name, e.g. `etcd-0-peer`, `kube-control-plane-1-apiserver`, `kube-node-2-kubelet`. */
  name: string;
  pod: string;
  role: Role;
  index: number;
  host: string;
  ip: string;
  netns: string;
  command: string;
  args: string[];
  /** Start order group: lower groups start first. */
  stage: number;
  /** Seconds between SIGTERM and SIGKILL when stopping. */
  stopGraceSeconds: number;
  /** An SDK task's environment: exactly this (plus PATH), nothing of the supervisor's. Absent: the supervisor's own. */
  env?: Record<string, string>;
  /**
   * A Mesos sandbox: at every launch the supervisor makes a new directory under `root` (`runs/<uuid>`, so its host path
   * changes with every relaunch, as a Mesos container's does), copies `files` into it (name in the sandbox → host file,
   * standing for what the SDK's transport encryption and the fetcher put there) and binds it at /mnt/mesos/sandbox in
   * the task's own mount namespace. Absent: the task sees the machine's filesystem as it is.
   */
  sandbox?: { root: string; files: Record<string, string> };
}

/**
 * The environment an SDK pod's task gets — source: dcos-commons 0.57.3, PodInfoBuilder.getTaskEnvironment and
 * EnvConstants (FRAMEWORK_NAME, TASK_NAME, POD_INSTANCE_INDEX, FRAMEWORK_HOST, FRAMEWORK_VIP_HOST, SCHEDULER_API_HOSTNAME).
 * No MESOS_FRAMEWORK_ID: the default executor starts nested containers with an empty environment plus these. The dcos
 * target tells this service's processes from other frameworks' on an agent by FRAMEWORK_NAME, and the task by TASK_NAME.
 */
export function sdkTaskEnv(cluster: string, sdkTask: string, podIndex: number): Record<string, string> {
  const autoip = `${cluster.replaceAll('/', '')}.autoip.dcos.thisdcos.directory`;
  return {
    FRAMEWORK_NAME: cluster, TASK_NAME: sdkTask, POD_INSTANCE_INDEX: String(podIndex), FRAMEWORK_HOST: autoip,
    FRAMEWORK_VIP_HOST: `${cluster.replaceAll('/', '')}.l4lb.thisdcos.directory`, SCHEDULER_API_HOSTNAME: `api.${cluster.replaceAll('/', '')}.marathon.l4lb.thisdcos.directory`,
  };
}

/** The SDK task a testbed task stands for: a control-plane instance's three static pods run in one task. */
export function sdkTaskName(testbedTask: string): string {
  return testbedTask.replace(/^(kube-control-plane-\d+)-(apiserver|controller-manager|scheduler)$/, '$1-instance');
}

export function certRequests(t: Topology): CertRequest[] {
  const reqs: CertRequest[] = [];
  for (const p of podsOfKind(t, 'etcd')) {
    reqs.push({ name: `${p.pod}-peer`, cn: etcdPeerName(t.cluster, p.index), usage: 'peer', dns: [etcdPeerName(t.cluster, p.index), 'localhost'], ips: [p.ip, '127.0.0.1'] });
  }
  for (const p of podsOfKind(t, 'kube-control-plane')) {
    reqs.push({
      name: `${p.pod}-apiserver`,
      cn: 'kube-apiserver',
      usage: 'server',
      dns: [t.vip.name, controlPlaneName(t.cluster, p.index), 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local', 'localhost'],
      ips: [t.vip.ip, p.ip, FIRST_SERVICE_IP, '127.0.0.1'],
    });
  }
  reqs.push(
    { name: 'etcd-client', cn: 'kube-apiserver-etcd-client', usage: 'client' },
    { name: 'admin', cn: 'haproof-admin', org: 'system:masters', usage: 'client' },
    { name: 'controller-manager', cn: 'system:kube-controller-manager', usage: 'client' },
    { name: 'scheduler', cn: 'system:kube-scheduler', usage: 'client' },
    // kwok stands in for kubelets; it manages Node and Pod status cluster-wide, so it gets the admin group.
    { name: 'kwok', cn: 'haproof-kwok', org: 'system:masters', usage: 'client' },
    // The DC/OS API surface on master-1 (Admin Router's role).
    { name: 'dcos-adminrouter', cn: 'master.mesos', usage: 'server', dns: ['master.mesos', 'leader.mesos'], ips: [MASTER_IP] },
  );
  return reqs;
}

/** The kubeconfig file stem (and kubeconfig user) of a control-plane instance's kubelet. */
export const controlPlaneKubeletName = (index: number): string => `control-plane-kubelet-${index}`;

/** The apiservers' token file that names each instance's kubelet (static pods), in their sandboxes. */
export const KUBELET_TOKENS_FILE = 'kubelet-tokens.csv';

/**
 * Each instance's kubelet is the Node `system:node:<node>` in group `system:nodes`, so the apiserver's Node authorizer
 * judges what it writes, as for a real kubelet. The real task fetches a client certificate for it
 * (`control-plane-kubelet-${POD_INSTANCE_INDEX}-crt.pem`, svc.yml @ 4c2d5492); OpenSSL refuses a common name over 64
 * characters and `system:node:kube-control-plane-0-instance.kubernetes-cluster.mesos` has 66, so on the testbed the
 * same user and group come from a bearer token in a static token file (`--token-auth-file`, csv: token,user,uid,"groups").
 */
export function renderKubeletTokens(entries: ReadonlyArray<{ token: string; node: string }>): string {
  return entries.map((e) => `${e.token},system:node:${e.node},${e.node},"system:nodes"`).join('\n') + '\n';
}

/** The kubeconfig a static pod reads in its sandbox: `<component>.<this>.kubeconfig`, naming the sandbox's certificates. */
export const SANDBOX_KUBECONFIG = 'sandbox';
/** The certificates a component's sandbox kubeconfig names, as the instance task's sandbox holds them. */
export function sandboxKubeconfigFiles(component: string): { caFile: string; certFile: string; keyFile: string } {
  return { caFile: `${SANDBOX_PATH}/ca-crt.pem`, certFile: `${SANDBOX_PATH}/kube-${component}-client-crt.pem`, keyFile: `${SANDBOX_PATH}/kube-${component}-client-key.pem` };
}

/** Component kubeconfigs reach the API only through the VIP name; the user's admin kubeconfig uses the VIP IP. */
export function kubeconfigUsers(): Array<{ file: string; cert: string }> {
  return [
    { file: 'controller-manager', cert: 'controller-manager' },
    { file: 'scheduler', cert: 'scheduler' },
    { file: 'kwok', cert: 'kwok' },
  ];
}

/** The apiserver's authentication config: anonymous requests are allowed on the health endpoints only. */
export function renderAuthenticationConfig(): string {
  return JSON.stringify({
    apiVersion: 'apiserver.config.k8s.io/v1',
    kind: 'AuthenticationConfiguration',
    anonymous: { enabled: true, conditions: [{ path: '/livez' }, { path: '/readyz' }, { path: '/healthz' }] },
  }, null, 2) + '\n';
}

export interface TaskInputs {
  /** The haproof CLI (bin/haproof.mjs), for tasks that are haproof itself (the DC/OS API surface). */
  haproofBin: string;
  topology: Topology;
  options: TestbedOptions;
  binaries: Binaries;
  paths: TestbedPaths;
}

export function taskSpecs({ topology: t, options, binaries: b, paths, haproofBin }: TaskInputs): TaskSpec[] {
  const pki = (f: string) => join(paths.pki, f);
  const kc = (f: string) => join(paths.kubeconfigs, `${f}.kubeconfig`);
  const tasks: TaskSpec[] = [];
  const base = (p: PodPlacement) => ({ pod: p.pod, host: p.host, ip: p.ip, index: p.index, netns: p.netns });


  // dcos-dns answers `*.thisdcos.directory` with TTL 5 s (dcos/dcos-net `apps/dcos_dns/include/dcos_dns.hrl`
  // DCOS_DNS_TTL @ d35033b8) and caches nothing, so neither does this one (`--cache-size=0`). No client here caches
  // either (Go's resolver, glibc's getent), so the TTL is what a caching client would be told, not a delay the testbed adds.
  tasks.push({
    name: 'dcos-dns', pod: 'dcos-dns', role: 'dns', index: 0, host: 'master-1', ip: MASTER_IP, netns: netnsName('master-1'), stage: 0, stopGraceSeconds: 2,
    command: '/usr/sbin/dnsmasq',
    args: ['--keep-in-foreground', '--log-facility=-', '--no-resolv', '--no-hosts', `--addn-hosts=${paths.dnsHosts}`, `--listen-address=${MASTER_IP}`,
      '--bind-interfaces', '--local-ttl=5', '--neg-ttl=1', '--user=root', '--pid-file', '--cache-size=0', '--domain-needed'],
  });

  tasks.push({
    name: 'dcos-adminrouter', pod: 'dcos-adminrouter', role: 'dcos-api', index: 0, host: 'master-1', ip: MASTER_IP, netns: netnsName('master-1'), stage: 1, stopGraceSeconds: 2,
    command: process.execPath, args: [haproofBin, 'dcos-surface', '--spec', paths.spec],
  });

  // An OpenSSH server on every agent: the DC/OS target reaches agents the way it does on a real cluster.
  const ssh = sshFiles(paths);
  for (const h of t.hosts.filter((x) => x.host !== 'master-1')) {
    tasks.push({
      name: `sshd-${h.host}`, pod: `sshd-${h.host}`, role: 'sshd', index: 0, host: h.host, ip: h.ip, netns: netnsName(h.host), stage: 0, stopGraceSeconds: 2,
      command: SSHD, args: ['-D', '-e', '-f', ssh.config, '-o', `ListenAddress=${h.ip}`],
    });
  }

  // What dcos-net's gossip sees of each agent (the dcos-net VIP policy leaves out backends on agents that do not answer).
  for (const h of t.hosts.filter((x) => x.host !== 'master-1')) {
    tasks.push({
      name: `dcos-net-${h.host}`, pod: `dcos-net-${h.host}`, role: 'dcos-net', index: 0, host: h.host, ip: h.ip, netns: netnsName(h.host), stage: 0, stopGraceSeconds: 2,
      command: process.execPath, args: ['-e', gossipResponder(h.ip)],
    });
  }

  const etcds = podsOfKind(t, 'etcd');
  const initialCluster = etcdInitialCluster(t.cluster, etcds.length);
  for (const e of etcds) tasks.push(etcdTask(e, base(e), initialCluster, 'new', t, b, paths, ETCD_TIMINGS[options.etcdTiming]));
  if (options.defect === 'stale-restore') tasks.push(backupTask(t.cluster, etcds.length, b, paths));

  // Planted defect single-etcd-endpoint: one member only, so the API depends on it alone.
  const etcdServers = etcdClientUrls(t.cluster, etcds.length).slice(0, options.defect === 'single-etcd-endpoint' ? 1 : undefined).join(',');
  for (const p of podsOfKind(t, 'kube-control-plane')) {
    const name = (c: string) => `${p.pod}-${c}`;
    // Planted defect watch-drop: the first apiserver moves one port up, and a proxy takes its place.
    const proxied = options.defect === 'watch-drop' && p.index === 0;
    if (proxied) {
      tasks.push({
        ...base(p), name: 'watch-drop-proxy', pod: 'watch-drop-proxy', role: 'planted-defect', stage: 2, stopGraceSeconds: 2, command: process.execPath,
        args: [haproofBin, 'watch-drop-proxy', `--listen=${p.ip}:${VIP_PORT}`, `--upstream=${p.ip}:${VIP_PORT + 1}`, `--pki=${paths.pki}`, `--cert-name=${p.pod}-apiserver`, `--every=${WATCH_DROP_EVERY}`],
      });
    }
    // Static pods (kubernetes-cluster 2.x): the instance task fetches its TLS artifacts and renders its kubeconfigs into
    // its sandbox (svc.yml @ 4c2d5492, pods.kube-control-plane.tasks.instance: `curl -fsSO …/v1/tls/certificates/…`,
    // configs `controller-manager.conf`, `scheduler.conf`), and its static pods read them there: their command lines
    // name paths that exist only inside the task, none on the agent's filesystem. Real static pods see that sandbox
    // at /data (the spec's comment on audit-policy.yaml); here it is bound where the etcd task's is,
    // /mnt/mesos/sandbox, since making /data would create a directory on this machine's own root filesystem.
    const staticPod = options.controlPlane === 'static-pods';
    const file = (hostPath: string, inSandbox: string) => (staticPod ? `${SANDBOX_PATH}/${inSandbox}` : hostPath);
    const sandboxOf = (task: string, files: Record<string, string>) => (staticPod ? { sandbox: { root: join(paths.work, 'sandboxes', task), files } } : {});
    const apiserverFiles = {
      'ca-crt.pem': pki('ca.crt'), 'etcd-crt.pem': pki('etcd-client.crt'), 'etcd-key.pem': pki('etcd-client.key'),
      'kube-apiserver-crt.pem': pki(`${p.pod}-apiserver.crt`), 'kube-apiserver-key.pem': pki(`${p.pod}-apiserver.key`),
      'service-account-crt.pem': pki('sa.pub'), 'service-account-key.pem': pki('sa.key'), 'authentication-config.json': join(paths.work, 'authentication-config.json'),
      [KUBELET_TOKENS_FILE]: join(paths.work, KUBELET_TOKENS_FILE),
    };
    const inApiserver = (k: keyof typeof apiserverFiles) => file(apiserverFiles[k], k);
    tasks.push({
      ...base(p), name: name('apiserver'), role: 'kube-apiserver', stage: 2, stopGraceSeconds: 20, command: b.kubeApiserver, ...sandboxOf(name('apiserver'), apiserverFiles),
      args: [
        `--advertise-address=${p.ip}`, `--bind-address=${p.ip}`, `--secure-port=${proxied ? VIP_PORT + 1 : VIP_PORT}`,
        `--etcd-servers=${etcdServers}`, `--etcd-cafile=${inApiserver('ca-crt.pem')}`, `--etcd-certfile=${inApiserver('etcd-crt.pem')}`, `--etcd-keyfile=${inApiserver('etcd-key.pem')}`,
        `--tls-cert-file=${inApiserver('kube-apiserver-crt.pem')}`, `--tls-private-key-file=${inApiserver('kube-apiserver-key.pem')}`, `--client-ca-file=${inApiserver('ca-crt.pem')}`,
        `--service-account-key-file=${inApiserver('service-account-crt.pem')}`, `--service-account-signing-key-file=${inApiserver('service-account-key.pem')}`, '--service-account-issuer=https://kubernetes.default.svc',
        `--service-cluster-ip-range=${SERVICE_CIDR}`, '--authorization-mode=Node,RBAC', `--authentication-config=${inApiserver('authentication-config.json')}`,
        // Static pods: the instances' kubelets (renderKubeletTokens).
        ...(staticPod ? [`--token-auth-file=${inApiserver(KUBELET_TOKENS_FILE)}`] : []),
        // Graceful shutdown: /readyz fails at once, the VIP drains this backend, then the listener closes.
        '--shutdown-delay-duration=3s', '--shutdown-send-retry-after=true', '--profiling=false', '--enable-priority-and-fairness=true',
        '--endpoint-reconciler-type=lease', '--allow-privileged=false', '--v=1',
        // Planted defect no-quota-admission: an API behaviour broken where no HA check looks (only the upstream suite does).
        ...(options.defect === 'no-quota-admission' ? ['--disable-admission-plugins=ResourceQuota'] : []),
        // Shortened on the testbed (default 300 s) so pods of a crashed agent are rescheduled within a scenario.
        `--default-not-ready-toleration-seconds=${options.podEvictionSeconds}`, `--default-unreachable-toleration-seconds=${options.podEvictionSeconds}`,
      ],
    });
    // A component's files: its kubeconfig (in a sandbox, the one that names the sandbox's certificates) and the rest.
    const componentFiles = (component: 'controller-manager' | 'scheduler'): Record<string, string> => ({
      [`${component}.conf`]: kc(`${component}.${SANDBOX_KUBECONFIG}`), 'ca-crt.pem': pki('ca.crt'), [`kube-${component}-client-crt.pem`]: pki(`${component}.crt`), [`kube-${component}-client-key.pem`]: pki(`${component}.key`),
      ...(component === 'controller-manager' ? { 'service-account-key.pem': pki('sa.key') } : {}),
    });
    const common = (component: 'controller-manager' | 'scheduler') => {
      const conf = file(kc(component), `${component}.conf`);
      return [`--kubeconfig=${conf}`, `--authentication-kubeconfig=${conf}`, `--authorization-kubeconfig=${conf}`, `--bind-address=${p.ip}`, `--leader-elect=${options.defect !== 'no-leader-election'}`, '--v=1'];
    };
    tasks.push({
      ...base(p), name: name('controller-manager'), role: 'kube-controller-manager', stage: 3, stopGraceSeconds: 5, command: b.kubeControllerManager, ...sandboxOf(name('controller-manager'), componentFiles('controller-manager')),
      args: [...common('controller-manager'), `--cluster-name=${t.cluster}`, `--service-account-private-key-file=${file(pki('sa.key'), 'service-account-key.pem')}`, `--root-ca-file=${file(pki('ca.crt'), 'ca-crt.pem')}`,
        '--use-service-account-credentials=true', `--service-cluster-ip-range=${SERVICE_CIDR}`, `--node-monitor-grace-period=${options.nodeMonitorGracePeriodSeconds}s`,
        '--controllers=*'],
    });
    tasks.push({ ...base(p), name: name('scheduler'), role: 'kube-scheduler', stage: 3, stopGraceSeconds: 5, command: b.kubeScheduler, ...sandboxOf(name('scheduler'), componentFiles('scheduler')), args: common('scheduler') });
  }

  for (const n of podsOfKind(t, 'kube-node')) {
    const kwokArgs = [`--kubeconfig=${kc('kwok')}`, `--config=${b.kwokStages}`, `--manage-single-node=${nodeName(t.cluster, n.index)}`, `--node-ip=${n.ip}`,
      `--node-name=${nodeName(t.cluster, n.index)}`, `--server-address=${n.ip}:10247`, `--cidr=10.${100 + n.index}.0.0/24`, '--node-lease-duration-seconds=40'];
    // A restarted kubelet takes over its Node's existing Lease at once (component-helpers lease controller: get, create
    // only if absent, then renew). kwok v0.8.0 creates it, and on AlreadyExists waits for its next sync 30 s later
    // (seen after an agent's return: the Node went NotReady 24 s after the heal) — so the stand-in first removes the
    // Lease it is about to own, and then is kwok itself (exec: same pid, argv[0] kwok). The removal is retried: right
    // after an agent returns, one try can fail — in a bench run it ended within 0.6 s of the return, kwok found the
    // Lease still there, and the Node went NotReady 28.7 s after the heal (stored as
    // suites/unit/data/regressions/crash-agent-lease-not-removed.jsonl; DC/OS's VIP may pick an apiserver that is not
    // serving yet). Each try is a new connection, so a new pick of backend; at most 10 tries of 3 s, each failure logged.
    const kubectlDelete = `${shq(b.kubectl)} --kubeconfig=${shq(kc('kwok'))} --request-timeout=3s -n kube-node-lease delete lease ${shq(nodeName(t.cluster, n.index))} --ignore-not-found >/dev/null 2>&1`;
    const dropLease = `i=1; until ${kubectlDelete}; do echo "haproof: removing the Node's Lease failed (try $i)" >&2; [ $i -ge 10 ] && break; i=$((i + 1)); sleep 0.5; done`;
    tasks.push({
      ...base(n), name: `${n.pod}-kubelet`, role: 'kwok', stage: 3, stopGraceSeconds: 5, command: '/bin/sh',
      args: ['-c', `${dropLease}; exec ${[b.kwok, ...kwokArgs].map(shq).join(' ')}`],
    });
  }
  // The service's pods are SDK pods: their tasks get the SDK's environment, their service spec's `env` and nothing else
  // (DNS, Admin Router and sshd stand for DC/OS itself and keep the supervisor's).
  return tasks.map((x) => (SDK_POD.test(x.pod) ? { ...x, env: { ...x.env, ...sdkTaskEnv(t.cluster, sdkTaskName(x.name), x.index) } } : x));
}

/** The planted defect watch-drop leaves out one of this many load watch events. */
export const WATCH_DROP_EVERY = 10;

const SDK_POD = /^(etcd|kube-control-plane|kube-node)-\d+$/;

/** An etcd member task; `state` is `new` at bootstrap and `existing` for a replaced member. */
export function etcdTask(e: PodPlacement, placed: Pick<TaskSpec, 'pod' | 'host' | 'ip' | 'index' | 'netns'>, initialCluster: string, state: 'new' | 'existing', t: Topology, b: Binaries, paths: TestbedPaths, timing: { electionMs: number; heartbeatMs: number }): TaskSpec {
  // The member's certificates are in its sandbox, as kubernetes-cluster's etcd task has them (the TLS artifacts the SDK
  // puts in a task's sandbox; DESIGN "SDK pod tasks are nested containers"): its command line names the sandbox's paths,
  // which exist only in the task's own mount namespace. The client pair is there for an etcdctl run inside the task.
  const files = { 'ca.crt': 'ca.crt', 'peer.crt': `${e.pod}-peer.crt`, 'peer.key': `${e.pod}-peer.key`, 'client.crt': 'etcd-client.crt', 'client.key': 'etcd-client.key' };
  const pki = (f: keyof typeof files) => `${SANDBOX_PATH}/${f}`;
  const dns = etcdPeerName(t.cluster, e.index);
  return {
    ...placed, name: `${e.pod}-peer`, role: 'etcd', stage: 1, stopGraceSeconds: 5, command: b.etcd,
    // The raft timings as the service spec hands them to the etcd task: environment variables, which etcd reads for any
    // flag not given (iss-lab/dcos-kubernetes-cluster `svc.yml` @ 4c2d5492, pods.etcd.tasks.peer.env).
    env: { ...sdkTaskEnv(t.cluster, `${e.pod}-peer`, e.index), ETCD_ELECTION_TIMEOUT: String(timing.electionMs), ETCD_HEARTBEAT_INTERVAL: String(timing.heartbeatMs) },
    sandbox: { root: join(paths.work, 'sandboxes', `${e.pod}-peer`), files: Object.fromEntries(Object.entries(files).map(([k, v]) => [k, join(paths.pki, v)])) },
    args: [
      `--name=${etcdMemberName(e.index)}`, `--data-dir=${join(paths.data, e.pod)}`,
      `--listen-peer-urls=https://${placed.ip}:2380`, `--listen-client-urls=https://${placed.ip}:2379,https://127.0.0.1:2379`,
      `--listen-metrics-urls=http://${placed.ip}:2381`,
      `--advertise-client-urls=https://${dns}:2379`, `--initial-advertise-peer-urls=https://${dns}:2380`,
      `--initial-cluster=${initialCluster}`, `--initial-cluster-state=${state}`, `--initial-cluster-token=${t.cluster}`,
      '--client-cert-auth', `--trusted-ca-file=${pki('ca.crt')}`, `--cert-file=${pki('peer.crt')}`, `--key-file=${pki('peer.key')}`,
      '--peer-client-cert-auth', `--peer-trusted-ca-file=${pki('ca.crt')}`, `--peer-cert-file=${pki('peer.crt')}`, `--peer-key-file=${pki('peer.key')}`,
      '--logger=zap', '--log-level=warn',
    ],
  };
}

/**
 * stale-restore, part 1: a backup job on master-1, as operators run one — every 2 s, while the cluster has a quorum (a
 * linearizable read answers), `etcdctl snapshot save` from the first member that answers; the newest snapshot becomes
 * `backup.db` and the one before it `backup.db.prev`, which the restore uses (the copy already off the machine). The
 * newest one is not enough to plant the defect: when the quorum is lost between the read and the save, it comes from
 * the surviving member and holds every acknowledged write (seen in a CI run: nothing lost, no-lost-writes passed). The
 * one before it was taken ≥ 2 s before a read that saw a quorum, so the writes acknowledged in those 2 s are lost.
 */
export function backupTask(cluster: string, members: number, b: Binaries, paths: TestbedPaths): TaskSpec {
  const tls = `--cacert=${join(paths.pki, 'ca.crt')} --cert=${join(paths.pki, 'etcd-client.crt')} --key=${join(paths.pki, 'etcd-client.key')}`;
  const all = etcdClientUrls(cluster, members);
  const file = backupFile(paths);
  const script = [
    'while :; do',
    `  if ${b.etcdctl} ${tls} --endpoints=${all.join(',')} --command-timeout=2s get /haproof-backup-probe >/dev/null 2>&1; then`,
    `    for ep in ${all.join(' ')}; do ${b.etcdctl} ${tls} --endpoints=$ep --command-timeout=10s snapshot save ${file}.part >/dev/null 2>&1 && { [ ! -f ${file} ] || mv ${file} ${previousBackup(file)}; } && mv ${file}.part ${file} && break; done`,
    '  fi',
    `  sleep ${BACKUP_INTERVAL_S}`,
    'done',
  ].join('\n');
  return {
    name: 'etcd-backup', pod: 'etcd-backup', role: 'planted-defect', index: 0, host: 'master-1', ip: MASTER_IP, netns: netnsName('master-1'), stage: 2, stopGraceSeconds: 2,
    command: '/bin/sh', args: ['-c', `mkdir -p ${join(paths.work, 'etcd-backup')}\n${script}`],
  };
}
