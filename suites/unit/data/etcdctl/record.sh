#!/usr/bin/env bash
# Records real etcdctl output (JSON, --hex) of the states haproof's parsers must read: a member added but not started,
# learners, a killed member (partial --cluster output), a vanished endpoint, quorum lost (no leader). A throw-away etcd
# cluster on 127.0.0.1 (ports 21379-25380, no TLS, data under a mktemp dir); every process it starts is stopped by PID.
# Usage: record.sh <etcd-bin-dir> <out-dir>   e.g. record.sh ~/.cache/haproof/etcd-v3.6.16 suites/unit/data/etcdctl
set -u
BIN=$1 OUT=$2
T=$(mktemp -d /tmp/haproof-etcd-record.XXXXXX)
declare -A PID
# SIGTERM, then SIGKILL after 10 s.
stop() { kill "$1" 2>/dev/null || return 0; for _ in $(seq 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done; kill -KILL "$1" 2>/dev/null; }
cleanup() { for n in "${!PID[@]}"; do stop "${PID[$n]}"; done; wait 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
client() { echo "http://127.0.0.1:2${1}379"; }
peer() { echo "http://127.0.0.1:2${1}380"; }
cluster() { local s=""; for n in "$@"; do s+="${s:+,}m$n=$(peer "$n")"; done; echo "$s"; }
# start <n> <new|existing> <members of the initial cluster...>
start() {
  local n=$1 state=$2; shift 2
  "$BIN/etcd" --name "m$n" --data-dir "$T/m$n" --listen-client-urls "$(client "$n")" --advertise-client-urls "$(client "$n")" \
    --listen-peer-urls "$(peer "$n")" --initial-advertise-peer-urls "$(peer "$n")" --initial-cluster "$(cluster "$@")" \
    --initial-cluster-state "$state" --initial-cluster-token haproof-record >"$T/m$n.log" 2>&1 &
  PID[$n]=$!
}
# The flags haproof's reader passes (targets/readers/etcdctl.ts), without TLS.
ctl() { local ep=$1; shift; "$BIN/etcdctl" --endpoints="$ep" --dial-timeout=2s --command-timeout=3s --hex -w json "$@"; }
# rec <file-stem> <endpoints> <etcdctl args...>: stdout → .json, stderr → .stderr (if any), exit code → .exit
rec() { local f=$1 ep=$2; shift 2; ctl "$ep" "$@" >"$OUT/$f.json" 2>"$OUT/$f.stderr"; echo $? >"$OUT/$f.exit"; [ -s "$OUT/$f.stderr" ] || rm "$OUT/$f.stderr"; }
# member list three times: with --hex (IDs as hex strings; this printer leaves out isLearner), with --hex=false (IDs
# as uint64 JSON numbers, isLearner given), and with --hex=false --consistency=s (serializable: answered from the
# member's own state, also without a quorum), which haproof's reader uses.
rec_list() {
  rec "$1.member-list" "$2" member list
  rec "$1.member-list-nohex" "$2" member list --hex=false
  rec "$1.member-list-serializable" "$2" member list --hex=false --consistency=s
}
until_up() { for _ in $(seq 60); do "$BIN/etcdctl" --endpoints="$(client "$1")" --dial-timeout=1s --command-timeout=1s endpoint status >/dev/null 2>&1 && return 0; sleep 0.3; done; echo "m$1 did not start" >&2; exit 1; }
# `member add` is refused for a few seconds after a member started (strict reconfig check): retry.
add() { for _ in $(seq 30); do ctl "$(client 1)" member add "$@" >/dev/null 2>&1 && return 0; sleep 1; done; echo "member add $* failed" >&2; exit 1; }
V3="$(client 1),$(client 2),$(client 3)"
ALL="$V3,$(client 4),$(client 5)"

start 1 new 1; until_up 1
rec_list 01-one-member "$(client 1)"
add m2 --peer-urls="$(peer 2)"; start 2 existing 1 2; until_up 2
add m3 --peer-urls="$(peer 3)"; start 3 existing 1 2 3; until_up 3
sleep 2; ctl "$(client 1)" put k v >/dev/null
rec_list 02-three-members "$V3"
rec 02-three-members.endpoint-status "$V3" endpoint status --cluster
rec 02-three-members.endpoint-health "$V3" endpoint health --cluster
rec 02-three-members.endpoint-hashkv "$V3" endpoint hashkv --cluster

# A voter added but never started (no name, no clientURLs): 4 voters, 3 up, quorum (3) holds.
add m4 --peer-urls="$(peer 4)"
rec_list 03-four-members-one-never-started "$V3"
rec 03-four-members-one-never-started.endpoint-status "$V3" endpoint status --cluster
rec 03-four-members-one-never-started.endpoint-health "$V3" endpoint health --cluster
rec 03-four-members-one-never-started.endpoint-hashkv "$V3" endpoint hashkv --cluster
start 4 existing 1 2 3 4; until_up 4

# A learner: added (not started), then started.
add m5 --learner --peer-urls="$(peer 5)"
rec_list 04-learner-not-started "$V3"
rec 04-learner-not-started.endpoint-status "$V3" endpoint status --cluster
rec 04-learner-not-started.endpoint-health "$V3" endpoint health --cluster
start 5 existing 1 2 3 4 5; until_up 5
sleep 2
rec_list 05-learner-started "$V3"
rec 05-learner-started.endpoint-status "$V3" endpoint status --cluster
rec 05-learner-started.endpoint-health "$V3" endpoint health --cluster
rec 05-learner-started.endpoint-hashkv "$V3" endpoint hashkv --cluster

# A member's process vanishes (SIGKILL): 3 of 4 voters up; --cluster calls print what answered, errors on stderr.
kill -KILL "${PID[3]}"; wait "${PID[3]}" 2>/dev/null; unset 'PID[3]'
sleep 1
rec_list 06-one-member-killed "$V3"
rec 06-one-member-killed.endpoint-status "$V3" endpoint status --cluster
rec 06-one-member-killed.endpoint-health "$V3" endpoint health --cluster
rec 06-one-member-killed.endpoint-hashkv "$V3" endpoint hashkv --cluster
rec_list 07-vanished-endpoint "$(client 3)"

# Stop m2 too (SIGTERM): 2 of 4 voters up, quorum lost, no leader. --cluster needs a (linearizable) member list and
# fails as a whole; `endpoint status` on named endpoints still answers, with leader 0.
kill -TERM "${PID[2]}"; wait "${PID[2]}" 2>/dev/null; unset 'PID[2]'
sleep 3
rec_list 08-quorum-lost "$V3"
rec 08-quorum-lost.endpoint-status "$V3" endpoint status --cluster
rec 08-quorum-lost.endpoint-health "$V3" endpoint health --cluster
rec 08-quorum-lost.endpoint-status-named "$ALL" endpoint status
rec 08-quorum-lost.endpoint-health-named "$ALL" endpoint health
echo "recorded into $OUT with $("$BIN/etcd" --version | head -1)"
