#!/usr/bin/env bash
# Compares the stored rows of two GifLab SQLite databases: same GIF × pipeline × preset keys, byte-identical output
# size, metrics_json and validation_json. Use it to check that a speed-up changed no stored number:
#   ./giflab run DIR --db before.db   (old build)    ./giflab run DIR --db after.db   (new build)
#   bench/compare-runs.sh before.db after.db
# Exit 0 when identical, 1 otherwise (a unified diff of the first differences is printed).
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 A.db B.db" >&2; exit 2; }
q="select g.sha256||'|'||p.identifier||'|'||pp.lossy_level||'|'||pp.color_count||'|'||pp.frame_ratio,
          r.validation_status||'|'||r.output_size_bytes||'|'||r.metrics_json||'|'||r.validation_json
   from compression_runs r join gifs g on g.id=r.gif_id join pipelines p on p.id=r.pipeline_id
   join param_presets pp on pp.id=r.param_preset_id order by 1"
a="$(mktemp)"; b="$(mktemp)"; trap 'rm -f "$a" "$b"' EXIT
sqlite3 "$1" "$q" > "$a"; sqlite3 "$2" "$q" > "$b"
if cmp -s "$a" "$b"; then echo "identical: $(wc -l < "$a") rows"; exit 0; fi
echo "rows differ ($(wc -l < "$a") vs $(wc -l < "$b")):"; diff -u "$a" "$b" | head -20; exit 1
