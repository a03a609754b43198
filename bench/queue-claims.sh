#!/usr/bin/env bash
# Work-queue claims/second against a local PostgreSQL with a no-op workload: 1, 2 and 4 claimer processes, each
# claiming BATCH items at a time and completing them at once, until ITEMS queued items are done. Checks that no item
# was claimed twice and that every item was claimed. Prints a table.
#
#   bench/queue-claims.sh [ITEMS=4000] [BATCH sizes="1 10"] [WORKER counts="1 2 4"]
#   GIFLAB_PG="Host=…;Database=…" bench/queue-claims.sh     # else scripts/pg-test-server.sh starts a local server
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ITEMS="${1:-4000}"
BATCHES="${2:-1 10}"
WORKERS="${3:-1 2 4}"
CS="${GIFLAB_PG:-$("$root/scripts/pg-test-server.sh")}"
SCHEMA="bench_queue_claims"
out="${TMPDIR:-/tmp}/giflab-queue-claims"
mkdir -p "$out"
echo "building bench/queue-claims.cs …" >&2
dotnet build "$root/bench/queue-claims.cs" -c Release -o "$out/bin" >"$out/build.log" 2>&1 || { cat "$out/build.log" >&2; exit 1; }
run() { dotnet "$out/bin/queue-claims.dll" "$@"; }

printf '%-8s %-6s %8s %10s %10s %14s %s\n' workers batch items wall_ms claims/s per_worker/s check
for batch in $BATCHES; do
  for w in $WORKERS; do
    run setup "$CS" "$SCHEMA" "$ITEMS" >/dev/null
    start=$(( $(date +%s%3N) + 3000 ))   # every process starts claiming at the same instant
    pids=()
    for i in $(seq 1 "$w"); do
      run claim "$CS" "$SCHEMA" "$batch" "$out/ids.$i" "$start" >"$out/res.$i" &
      pids+=($!)
    done
    for p in "${pids[@]}"; do wait "$p"; done
    total=0; wall=0
    for i in $(seq 1 "$w"); do
      read -r n ms <"$out/res.$i"
      total=$((total + n)); (( ms > wall )) && wall=$ms
    done
    dups=$(cat "$out"/ids.[0-9]* | sort | uniq -d | wc -l)
    check="ok"
    [[ $dups -ne 0 ]] && check="DUPLICATES:$dups"
    [[ $total -ne $ITEMS ]] && check="$check MISSING:$((ITEMS - total))"
    rate=$(awk -v n="$total" -v ms="$wall" 'BEGIN { printf "%.0f", n / (ms / 1000) }')
    per=$(awk -v r="$rate" -v w="$w" 'BEGIN { printf "%.0f", r / w }')
    printf '%-8s %-6s %8s %10s %10s %14s %s\n' "$w" "$batch" "$total" "$wall" "$rate" "$per" "$check"
    rm -f "$out"/ids.[0-9]* "$out"/res.[0-9]*
  done
done
# Leave no benchmark schema behind.
run drop "$CS" "$SCHEMA"
