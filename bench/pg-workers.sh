#!/usr/bin/env bash
# Scaling of `giflab run` workers sharing one PostgreSQL database (work queue): wall time for 1, 2 and 4 worker
# processes (--jobs 1 each) over the N smallest GIFs of ../shared/corpus/real with one engine (default gifsicle).
# Usage: bench/pg-workers.sh [N_GIFS=10] [ENGINE=gifsicle]   (GIFLAB_PG or scripts/pg-test-server.sh gives the server)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
corpus="${GIFLAB_CORPUS:-$root/../shared/corpus/real}"
n="${1:-10}"; engine="${2:-gifsicle}"
cs="${GIFLAB_PG:-$(bash "$root/scripts/pg-test-server.sh")}"
eval "$(python3 - "$cs" <<'PY'
import sys
kv = dict(p.split('=', 1) for p in sys.argv[1].split(';') if '=' in p)
get = lambda *k: next((kv[x] for x in kv if x.lower() in k), '')
print(f"PGHOST={get('host','server')}; PGPORT={get('port') or 5432}; PGUSER={get('username','user id','userid','user')}; PGDB={get('database','db')}; export PGPASSWORD='{get('password')}'")
PY
)"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
mkdir "$work/in"
i=0
while IFS= read -r f; do i=$((i+1)); [ "$i" -le "$n" ] || break; cp "$f" "$work/in/$(printf '%03d' "$i")-$(basename "$f")"; done \
  < <(find "$corpus" -type f -iname '*.gif' -printf '%s\t%p\n' | LC_ALL=C sort -n -k1,1 -k2,2 | cut -f2-)
"$root/giflab" --help >/dev/null
echo "| workers | runs | wall s | runs/s | speed-up |"
echo "|---|---|---|---|---|"
base=""
for w in 1 2 4; do
  schema="bench_$(date +%s%N | tail -c 9)_$w"
  db="postgres://$PGUSER@$PGHOST:$PGPORT/$PGDB?schema=$schema"
  start=$(date +%s.%N)
  for k in $(seq 1 "$w"); do "$root/giflab" run "$work/in" --db "$db" --engines "$engine" --jobs 1 > "$work/w$k.out" 2>&1 & done
  wait
  end=$(date +%s.%N)
  runs=$("$root/giflab" stats --db "$db" --format json 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["runs"])')
  python3 - "$w" "$runs" "$start" "$end" "${base:-}" <<'PY'
import sys
w, runs, s, e, base = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
wall = e - s
b = float(base) if base else wall
print(f"| {w} | {runs} | {wall:.1f} | {runs/wall:.2f} | {b/wall:.2f}× |")
PY
  [ -n "$base" ] || base=$(python3 -c "print($end-$start)")
  PGPASSWORD="$PGPASSWORD" psql -q -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d "$PGDB" -c "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1 || true
done
