#!/usr/bin/env bash
# Nightly chaos run for any scheduler (GitHub Actions calls this too): the main job with a random (or given) seed,
# then prunes old run directories so the report's trend keeps the last $HAPROOF_KEEP_RUNS runs.
#   HAPROOF_SEED        seed of the chaos matrix (default: random; printed so the run can be replayed)
#   HAPROOF_KEEP_RUNS   run directories to keep under reports/runs (default 14)
#   HAPROOF_TARGET      testbed (default) or dcos (then HAPROOF_DCOS_TARGET names the target file)
set -euo pipefail
cd "$(dirname "$0")/.."
export GOTOOLCHAIN=local
seed="${HAPROOF_SEED:-$(( (RANDOM << 15 | RANDOM) % 2147483647 ))}"
keep="${HAPROOF_KEEP_RUNS:-14}"
echo "haproof nightly: seed ${seed} (replay: HAPROOF_SEED=${seed} ci/nightly.sh)"
if [ -n "${GITHUB_OUTPUT:-}" ]; then echo "seed=${seed}" >> "$GITHUB_OUTPUT"; fi

status=0
npm start -- --seed "${seed}" || status=$?

run_dir="$(ls -1d reports/runs/*-main 2>/dev/null | tail -n 1 || true)"
if [ -n "${run_dir}" ]; then
  echo "run directory: ${run_dir}"
  if [ -n "${GITHUB_OUTPUT:-}" ]; then echo "run_dir=${run_dir}" >> "$GITHUB_OUTPUT"; fi
fi

# Keep the newest $keep main runs (the trend reads them); older ones go.
ls -1d reports/runs/*-main 2>/dev/null | head -n "-${keep}" | while read -r old; do rm -rf -- "${old}"; done

exit "${status}"
