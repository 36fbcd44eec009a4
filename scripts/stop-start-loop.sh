#!/usr/bin/env bash
# Runs a meridian command over and over while the private cluster is stopped and started
# beside it, and fails when any run hangs (issue 16: "never hang"). Every run must end within
# --limit seconds, with status 0 or 69 and, when it fails, one `meridian: error:` line.
#
#   scripts/stop-start-loop.sh                          # 120 cycles of `db stop` / `db start` around `kb list`
#   scripts/stop-start-loop.sh --cycles 300 --mode pg_ctl --limit 40 -- kb show 1
#   scripts/stop-start-loop.sh --mode kill              # SIGKILL the postmaster instead of stopping it
#   scripts/stop-start-loop.sh --verbose                # run the command with -v (its log in the report)
#
# A run still going after --limit is dumped (its sockets, and every thread's stack with gdb:
# all idle means a task waits for an answer that never comes) into the report folder and
# killed. The report folder (printed at the end) keeps each odd run's output and the server log.
# Uses the built binary (.build/debug/meridian, or MERIDIAN_BINARY); build first.
set -uo pipefail
cd "$(dirname "$0")/.."

cycles=120 mode=meridian limit=30 command=(kb list) verbose=()
while (($#)); do
  case "$1" in
    --cycles) cycles=$2; shift 2 ;;
    --mode) mode=$2; shift 2 ;;
    --limit) limit=$2; shift 2 ;;
    --verbose) verbose=(-v); shift ;;
    --) shift; command=("$@"); break ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "stop-start-loop.sh: unknown option $1 (see --help)" >&2; exit 64 ;;
  esac
done
case "$mode" in meridian|pg_ctl|kill) ;; *) echo "stop-start-loop.sh: --mode is meridian, pg_ctl or kill" >&2; exit 64 ;; esac

binary=${MERIDIAN_BINARY:-$PWD/.build/debug/meridian}
[[ -x $binary ]] || { echo "stop-start-loop.sh: no binary at $binary; run swift build first" >&2; exit 69; }
directory=/tmp/meridian-loop-$$
report=$directory-report
mkdir -p "$report"
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
server_user=()
if [[ $(id -u) == 0 ]]; then server_user=(runuser -u "${MERIDIAN_SERVER_USER:-postgres}" --); fi

cleanup() {
  "$binary" db stop --data-dir "$directory" >/dev/null 2>&1
  cp "$directory/server.log" "$report/" 2>/dev/null
  rm -rf "$directory"
}
trap cleanup EXIT

"$binary" db start --data-dir "$directory" >/dev/null || { echo "stop-start-loop.sh: db start failed" >&2; exit 69; }

stop_server() {
  case "$mode" in
    meridian) "$binary" db stop --data-dir "$directory" >/dev/null 2>&1 ;;
    pg_ctl) "${server_user[@]}" "$bindir/pg_ctl" stop -D "$directory/data" -m fast -w -s >/dev/null 2>&1 ;;
    kill) kill -KILL "$(head -1 "$directory/data/postmaster.pid" 2>/dev/null)" 2>/dev/null ;;
  esac
}
start_server() {
  case "$mode" in
    meridian|kill) "$binary" db start --data-dir "$directory" >/dev/null 2>&1 ;;
    pg_ctl) "${server_user[@]}" "$bindir/pg_ctl" start -D "$directory/data" -l "$directory/server.log" -w -s >/dev/null 2>&1 \
              || "$binary" db start --data-dir "$directory" >/dev/null 2>&1 ;;
  esac
}

# The loop of commands, in the background; it stops when the file `stop` appears.
run_commands() {
  local run=0
  while [[ ! -e $report/stop ]]; do
    run=$((run + 1))
    local out=$report/run-$run
    local started=$SECONDS
    "$binary" "${command[@]}" "${verbose[@]}" --data-dir "$directory" >"$out.stdout" 2>"$out.stderr" &
    local pid=$!
    local waited=0
    while kill -0 "$pid" 2>/dev/null && ((waited < limit * 10)); do sleep 0.1; waited=$((waited + 1)); done
    if kill -0 "$pid" 2>/dev/null; then
      { echo "sockets:"; ss -xpn 2>/dev/null | grep "pid=$pid,"; echo "descriptors:"; ls -l "/proc/$pid/fd"; } >"$out.sockets" 2>&1
      timeout 120 gdb -p "$pid" -batch -ex "thread apply all bt" >"$out.stacks" 2>&1
      kill -KILL "$pid" 2>/dev/null
      wait "$pid" 2>/dev/null
      echo "hung $run $((SECONDS - started))" >>"$report/results"
      continue
    fi
    wait "$pid"
    local status=$?
    local lines
    lines=$(grep -c '^meridian: error: ' "$out.stderr")
    if ((${#verbose[@]} == 0)); then lines=$(wc -l <"$out.stderr"); fi
    echo "status $status $run $((SECONDS - started)) $lines" >>"$report/results"
    if [[ $status == 0 ]] || { [[ $status == 69 ]] && [[ $lines == 1 ]]; }; then rm -f "$out.stdout" "$out.stderr"; fi
  done
}

run_commands &
runner=$!
for ((cycle = 1; cycle <= cycles; cycle++)); do
  sleep "0.$((RANDOM % 10))$((RANDOM % 10))"
  stop_server
  sleep "0.$((RANDOM % 10))$((RANDOM % 10))"
  start_server
done
touch "$report/stop"
wait "$runner"

runs=$(wc -l <"$report/results")
ok=$(grep -c '^status 0 ' "$report/results")
unavailable=$(grep -c '^status 69 ' "$report/results")
hung=$(grep -c '^hung ' "$report/results")
other=$((runs - ok - unavailable - hung))
slowest=$(awk '$1 == "status" { if ($4 > max) max = $4 } END { print max + 0 }' "$report/results")
echo "$cycles cycles ($mode), $runs runs of \`meridian ${command[*]}\`: $ok ok, $unavailable exit 69, $hung hung (> $limit s), $other other; slowest ended in $slowest s"
grep '^status 69 ' "$report/results" | awk '$5 != 1 { print "  run " $3 ": exit 69 with " $5 " lines on stderr" }'
grep -v '^status 0 \|^status 69 ' "$report/results" | sed 's/^/  /'
echo "report: $report"
((hung == 0 && other == 0))
