#!/usr/bin/env bash
# Throughput benchmark: single mode over a fixed subset of ../shared/corpus/real with the installed engines.
# Usage: bench/run-throughput.sh [N_GIFS=10] [extra giflab run options, e.g. --engines gifsicle]
# Prints one table row: GIFs/hour, runs/s, wall, engine CPU, GifLab CPU, overhead, CPU busy, peak RSS.
# GIFLAB_BENCH_COPIES=K processes K byte-distinct copies of each GIF (bytes appended after the GIF trailer, which
# decoders and engines ignore, give each copy its own SHA-256): K× the GIFs with the same size distribution, to show
# that peak memory does not grow with the number of GIFs.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
corpus="${GIFLAB_CORPUS:-$root/../shared/corpus/real}"
n="${1:-10}"; shift || true
[ -d "$corpus" ] || { echo "corpus not found: $corpus (set GIFLAB_CORPUS)" >&2; exit 2; }
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
mkdir "$work/in"
# Fixed subset: the N smallest files (by bytes, then path): stable across machines and quick enough to repeat.
copies="${GIFLAB_BENCH_COPIES:-1}"
i=0
while IFS= read -r f; do
  i=$((i+1)); [ "$i" -le "$n" ] || break
  if [ "$copies" -le 1 ]; then
    cp "$f" "$work/in/$(printf '%03d' "$i")-$(basename "$f")"
  else
    for c in $(seq 1 "$copies"); do
      out="$work/in/$(printf '%03d-%02d' "$i" "$c")-$(basename "$f")"
      cp "$f" "$out"; printf 'giflab-bench-copy-%d' "$c" >> "$out"
    done
  fi
done < <(find "$corpus" -type f -iname '*.gif' -printf '%s\t%p\n' | LC_ALL=C sort -n -k1,1 -k2,2 | cut -f2-)
n=$((n * copies))
"$root/giflab" --help >/dev/null   # build outside the measurement
set +e
"$root/giflab" run "$work/in" --db "$work/bench.db" --profile "$work/profile.json" "$@" > "$work/out.txt" 2> "$work/err.txt"
rc=$?
set -e
if [ "$rc" != 0 ] && [ "$rc" != 3 ]; then cat "$work/err.txt" >&2; exit "$rc"; fi
python3 - "$work/profile.json" "$n" "$*" <<'PY'
import json, sys
p = json.load(open(sys.argv[1])); n = int(sys.argv[2]); extra = sys.argv[3] or "(all installed engines)"
wall = p["wall_ms"] / 1000; cores = p["cores"]
eng = p["engine_cpu_ms"] / 1000; own = p["giflab_cpu_ms"] / 1000
runs = p["runs_executed"]
print(f"| options | GIFs | runs | wall s | GIFs/hour | runs/s | engine CPU s | GifLab CPU s | overhead (wall×cores−engine CPU)/(wall×cores) | GifLab share of used CPU | CPU busy | peak RSS MB |")
print(f"|---|---|---|---|---|---|---|---|---|---|---|---|")
print(f"| {extra} | {n} | {runs} | {wall:.1f} | {n/wall*3600:.0f} | {runs/wall:.2f} | {eng:.1f} | {own:.1f} | {100*p['overhead_share']:.1f}% | {100*own/max(own+eng,1e-9):.1f}% | {100*(own+eng)/(wall*cores):.0f}% | {p['peak_rss_bytes']/2**20:.0f} |")
print()
print("stage breakdown (ms, summed over workers): " + ", ".join(f"{k}={p[k]:.0f}" for k in ["engine_wall_ms","read_ms","decode_ms","features_ms","metric_prepare_ms","validate_ms","metrics_ms","store_ms"]))
PY
