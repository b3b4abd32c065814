#!/usr/bin/env bash
# Records real Kubernetes objects (Leases, Nodes) in the states haproof's readers must read: a Lease no one holds (never
# acquired: empty spec; released: holderIdentity ""), a Node just registered (no status: no conditions, no addresses)
# and one whose conditions are Unknown. A throw-away kube-apiserver + etcd on 127.0.0.1 (ports 26443, 27379-27380;
# self-signed serving cert, a static token, AlwaysAllow), data under a mktemp dir; every process is stopped by PID.
# Usage: record.sh <etcd-bin-dir> <kubernetes-bin-dir> <out-dir>
set -u
ETCD=$1 KUBE=$2 OUT=$3
T=$(mktemp -d /tmp/haproof-kube-record.XXXXXX)
PIDS=()
# Newest first (the apiserver before its etcd): SIGTERM, then SIGKILL after 10 s.
stop() { kill "$1" 2>/dev/null || return 0; for _ in $(seq 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done; kill -KILL "$1" 2>/dev/null; }
cleanup() { for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do stop "${PIDS[$i]}"; done; wait 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
"$ETCD/etcd" --name k --data-dir "$T/etcd" --listen-client-urls http://127.0.0.1:27379 --advertise-client-urls http://127.0.0.1:27379 \
  --listen-peer-urls http://127.0.0.1:27380 --initial-advertise-peer-urls http://127.0.0.1:27380 --initial-cluster k=http://127.0.0.1:27380 >"$T/etcd.log" 2>&1 &
PIDS+=($!)
openssl genrsa -out "$T/sa.key" 2048 2>/dev/null
echo "haproof-record-token,admin,admin,system:masters" >"$T/tokens.csv"
"$KUBE/kube-apiserver" --etcd-servers=http://127.0.0.1:27379 --bind-address=127.0.0.1 --secure-port=26443 --cert-dir="$T/certs" \
  --service-account-key-file="$T/sa.key" --service-account-signing-key-file="$T/sa.key" --service-account-issuer=https://kubernetes.default.svc \
  --token-auth-file="$T/tokens.csv" --authorization-mode=AlwaysAllow --service-cluster-ip-range=10.96.0.0/24 >"$T/apiserver.log" 2>&1 &
PIDS+=($!)
k() { "$KUBE/kubectl" --server=https://127.0.0.1:26443 --insecure-skip-tls-verify --token=haproof-record-token "$@"; }
for _ in $(seq 120); do k get --raw /readyz >/dev/null 2>&1 && break; sleep 0.5; done
k get --raw /readyz >/dev/null || { echo "apiserver did not start" >&2; tail -20 "$T/apiserver.log" >&2; exit 1; }
# Leases: held (as a leader writes it), released (client-go's ReleaseOnCancel: holderIdentity "", 1 s), never acquired.
now=$(date -u +%Y-%m-%dT%H:%M:%S.000000Z)
k apply -f - >/dev/null <<YAML
apiVersion: coordination.k8s.io/v1
kind: Lease
metadata: { name: held, namespace: kube-system }
spec: { holderIdentity: master-1_6f1c, leaseDurationSeconds: 15, acquireTime: "$now", renewTime: "$now", leaseTransitions: 2 }
---
apiVersion: coordination.k8s.io/v1
kind: Lease
metadata: { name: released, namespace: kube-system }
spec: { holderIdentity: "", leaseDurationSeconds: 1, acquireTime: "$now", renewTime: "$now", leaseTransitions: 3 }
---
apiVersion: coordination.k8s.io/v1
kind: Lease
metadata: { name: never-acquired, namespace: kube-system }
spec: {}
YAML
for l in held released never-acquired; do k get lease -n kube-system "$l" -o json >"$OUT/lease-$l.json"; done
# Nodes: as haproof's deployer registers one (kwok has not posted a status yet), and one whose status has addresses
# but no conditions.
k create -f - >/dev/null <<'YAML'
apiVersion: v1
kind: Node
metadata: { name: just-registered, labels: { haproof.io/host: agent-1 } }
spec: {}
YAML
k create -f - >/dev/null <<'YAML'
apiVersion: v1
kind: Node
metadata: { name: no-conditions }
spec: {}
YAML
k patch node no-conditions --subresource=status --type=merge -p '{"status":{"addresses":[{"type":"InternalIP","address":"198.18.0.12"}]}}' >/dev/null
k create -f - >/dev/null <<'YAML'
apiVersion: v1
kind: Node
metadata: { name: unknown }
spec: {}
YAML
# What the node lifecycle controller writes when the kubelet stops posting (no controller runs here: written by hand).
k patch node unknown --subresource=status --type=merge -p '{"status":{"conditions":[{"type":"Ready","status":"Unknown","reason":"NodeStatusUnknown","message":"Kubelet stopped posting node status.","lastHeartbeatTime":"2026-12-01T10:00:00Z","lastTransitionTime":"2026-12-01T10:01:00Z"}]}}' >/dev/null
for n in just-registered no-conditions unknown; do k get node "$n" -o json >"$OUT/node-$n.json"; done
echo "recorded into $OUT with $("$KUBE/kube-apiserver" --version)"
