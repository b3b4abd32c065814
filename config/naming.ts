// DC/OS names of the HA control plane: autoip task names, the l4lb VIP name, Mesos-DNS names, Node names.

export const VIP_PORT = 6443;

/** `etcd-<i>-peer.<cluster>.autoip.dcos.thisdcos.directory` — the name peers and apiservers use. */
export function etcdPeerName(cluster: string, index: number): string {
  return `etcd-${index}-peer.${dnsLabel(cluster)}.autoip.dcos.thisdcos.directory`;
}

/** `apiserver.<cluster>.l4lb.thisdcos.directory` — the client-side VIP every component reaches the API through. */
export function apiserverVipName(cluster: string): string {
  return `apiserver.${dnsLabel(cluster)}.l4lb.thisdcos.directory`;
}

/** `kube-control-plane-<i>-instance.<cluster>.autoip.dcos.thisdcos.directory`. */
export function controlPlaneName(cluster: string, index: number): string {
  return `kube-control-plane-${index}-instance.${dnsLabel(cluster)}.autoip.dcos.thisdcos.directory`;
}

/** Mesos-DNS name of a task: `<task>.<cluster>.mesos`. */
export function mesosTaskName(cluster: string, task: string): string {
  return `${task}.${dnsLabel(cluster)}.mesos`;
}

/** The Kubernetes Node name of kube-node-<i>, as DC/OS names it: its Mesos-DNS task name. */
export function nodeName(cluster: string, index: number): string {
  return mesosTaskName(cluster, `kube-node-${index}-kubelet`);
}

/**
 * The Kubernetes Node a control-plane instance's kubelet registers: its task's Mesos-DNS name, which the wrapper sets as
 * the container's hostname (iss-lab/dcos-kubernetes-cluster `files/control-plane-wrapper.sh` @ 4c2d5492:
 * `hostname ${TASK_NAME}.${SERVICE_NAME}.mesos`, no `--hostname-override`).
 */
export function controlPlaneNodeName(cluster: string, index: number): string {
  return mesosTaskName(cluster, `kube-control-plane-${index}-instance`);
}

/** DC/OS drops slashes from foldered service names when it builds DNS names. */
export function dnsLabel(cluster: string): string {
  return cluster.replaceAll('/', '');
}

export function etcdMemberName(index: number): string {
  return `etcd-${index}`;
}

/** All etcd client URLs by DNS name, as every apiserver's `--etcd-servers` lists them. */
export function etcdClientUrls(cluster: string, members: number): string[] {
  return Array.from({ length: members }, (_, i) => `https://${etcdPeerName(cluster, i)}:2379`);
}

/** The bootstrap membership of a service's etcd: `etcd-0=https://<peer name>:2380,…` (--initial-cluster). */
export function etcdInitialCluster(cluster: string, members: number): string {
  return Array.from({ length: members }, (_, i) => `${etcdMemberName(i)}=https://${etcdPeerName(cluster, i)}:2380`).join(',');
}
