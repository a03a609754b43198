#!/usr/bin/env bash
# Build a training database and train prediction models: run → train (→ predict).
#
# Usage: scripts/build-training-db.sh [DIR…]
#   Runs `giflab run` (single mode: every installed engine's lossy curve 0…100 and colour curve 256…16) over
#   ../shared/corpus/real (when present) and every DIR given, into data/training.db, then `giflab train` into data/models.
#   Already stored runs are skipped, so the script can be rerun after adding folders.
#
# Environment: GIFLAB_DB (default data/training.db), GIFLAB_MODELS (default data/models), GIFLAB_MIN_GIFS (default 10),
#              GIFLAB_JOBS (default: number of cores).
# Then:        ./giflab predict some.gif --models data/models [--min-quality 0.9] [--format json]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
db="${GIFLAB_DB:-data/training.db}"
models="${GIFLAB_MODELS:-data/models}"
min_gifs="${GIFLAB_MIN_GIFS:-10}"
jobs="${GIFLAB_JOBS:-$(nproc 2>/dev/null || echo 2)}"

inputs=()
[ -d ../shared/corpus/real ] && inputs+=("../shared/corpus/real")
inputs+=("$@")
if [ "${#inputs[@]}" -eq 0 ]; then
  echo "build-training-db: no input: ../shared/corpus/real is absent and no DIR was given." >&2
  echo "usage: scripts/build-training-db.sh [DIR…]" >&2
  exit 2
fi

for dir in "${inputs[@]}"; do
  echo "== giflab run $dir --db $db" >&2
  set +e
  ./giflab run "$dir" --db "$db" --mode single --jobs "$jobs"
  rc=$?
  set -e
  # 0 ok, 3 = finished with some item failures (recorded; the valid runs are still training data).
  if [ "$rc" != 0 ] && [ "$rc" != 3 ]; then
    echo "build-training-db: giflab run $dir failed with exit code $rc" >&2
    exit "$rc"
  fi
done

./giflab stats --db "$db" >&2
echo "== giflab train --db $db --output $models --min-gifs $min_gifs" >&2
./giflab train --db "$db" --output "$models" --min-gifs "$min_gifs"
