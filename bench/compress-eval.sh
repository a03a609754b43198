#!/usr/bin/env bash
# Evaluates `giflab compress` on held-out GIFs of the training corpus (the package-grouped test split that
# `giflab train --groups` holds out): bytes saved and compressions used, against (a) each engine at one fixed setting
# and (b) the oracle, the best output of the exhaustive single-mode grid (`giflab run`, 11 lossy levels + 4 colour
# counts per engine) that meets the floor. Prints a markdown table.
#
# Usage: bench/compress-eval.sh [N_GIFS]        (default 20; about 1 min of 2 cores per GIF for the grid)
# Environment: CORPUS (default ../shared/corpus/train), WORK (default data/compress-eval; resumable: the grid database
#   and the GIF list are kept), METRIC (default ssimulacra2), FLOOR (default 70), FIXED_LEVEL (default 30),
#   ENGINES (default gifsicle,imagemagick,ffmpeg,gifski), MODELS (default: the shipped models, as `giflab compress`),
#   JOBS (default 2), SKIP (default 0: skip the first SKIP GIFs of the selection order, for a second sample).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
n="${1:-20}"
corpus="${CORPUS:-}"
if [ -z "$corpus" ]; then
  if [ -d ../shared/corpus/train ]; then corpus=../shared/corpus/train; else corpus=data/train-corpus; fi
fi
manifest="$corpus/MANIFEST.tsv"
[ -f "$manifest" ] || manifest=testdata/train-corpus/MANIFEST.tsv
work="${WORK:-data/compress-eval}"
metric="${METRIC:-ssimulacra2}"
floor="${FLOOR:-70}"
fixed="${FIXED_LEVEL:-30}"
engines="${ENGINES:-gifsicle,imagemagick,ffmpeg,gifski}"
jobs="${JOBS:-2}"
mkdir -p "$work"
if [ ! -d "$work/gifs" ]; then python3 bench/compress_eval.py select "$manifest" "$corpus" "$work/gifs" "$n" "${SKIP:-0}"; fi

echo "== grid (oracle and fixed settings): giflab run --mode single" >&2
set +e
/usr/bin/time -f "grid: %e s wall, %U s user" ./giflab run "$work/gifs" --db "$work/grid.db" --engines "$engines" --jobs "$jobs" >&2
rc=$?
set -e
[ "$rc" = 0 ] || [ "$rc" = 3 ] || exit "$rc"

echo "== giflab compress" >&2
rm -rf "$work/out"
models=()
[ -n "${MODELS:-}" ] && models=(--models "$MODELS")
set +e
/usr/bin/time -f "compress: %e s wall, %U s user" ./giflab compress "$work/gifs" -o "$work/out" --metric "$metric" --min-quality "$floor" \
  --engines "$engines" --jobs "$jobs" --format json "${models[@]}" > "$work/compress.json"
rc=$?
set -e
[ "$rc" = 0 ] || [ "$rc" = 3 ] || exit "$rc"
python3 bench/compress_eval.py table "$work/grid.db" "$work/compress.json" "$metric" "$floor" "$fixed" | tee "$work/table.md"
