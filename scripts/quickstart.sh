#!/usr/bin/env bash
# Quick start: install what is missing, build, run GifLab on the bundled samples into data/giflab.db, print stats,
# write the HTML report to report/index.html and print its path.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/setup-deps.sh
./giflab engines || true
set +e
./giflab run samples --db data/giflab.db "$@"
rc=$?
set -e
# 3 = finished with some item failures (recorded in the database): still show the results.
[ "$rc" = 0 ] || [ "$rc" = 3 ] || exit "$rc"
./giflab stats --db data/giflab.db
./giflab report --db data/giflab.db --output report
