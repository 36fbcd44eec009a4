#!/usr/bin/env bash
# The chaos suite's long setting: many exchanges through the real workflow while `meridian
# worker` processes are SIGKILLed at random and the PostgreSQL server (fsync on) is SIGKILLed
# and restarted. `swift test` runs the same test in its short setting (8 exchanges, 2 crashes).
#
#   scripts/chaos.sh                      # 60 exchanges, 4 workers, 6 server crashes
#   scripts/chaos.sh --exchanges 200 --workers 6 --restarts 12 --parallel 8
#
# It prints "N exchanges, K kills, R restarts: L lost, D doubled" and exits non-zero when
# anything was lost or doubled, a job died, the ledger or a history chain is broken.
set -euo pipefail
cd "$(dirname "$0")/.."

exchanges=60 workers=4 restarts=6 parallel=6 deadline=1800
while (($#)); do
  case "$1" in
    --exchanges) exchanges=$2; shift 2 ;;
    --workers) workers=$2; shift 2 ;;
    --restarts) restarts=$2; shift 2 ;;
    --parallel) parallel=$2; shift 2 ;;
    --deadline) deadline=$2; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "chaos.sh: unknown option $1 (see --help)" >&2; exit 64 ;;
  esac
done

export MERIDIAN_CHAOS_EXCHANGES=$exchanges MERIDIAN_CHAOS_WORKERS=$workers MERIDIAN_CHAOS_RESTARTS=$restarts \
  MERIDIAN_CHAOS_PARALLEL=$parallel MERIDIAN_CHAOS_DEADLINE=$deadline
exec swift test --filter MeridianChaosTests
