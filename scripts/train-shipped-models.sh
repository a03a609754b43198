#!/usr/bin/env bash
# Build the training dataset over the training corpus and train the models shipped in models/ (with their model card).
#
# Usage: scripts/train-shipped-models.sh [CORPUS_DIR]
#   CORPUS_DIR: the training corpus (default ../shared/corpus/train, else data/train-corpus from scripts/fetch-corpus.sh).
#
# Steps (each resumable: rerun after a kill and it continues where it stopped):
#   1. `giflab run CORPUS --engines gifsicle` and `--engines ffmpeg` on every GIF (single mode) into $GIFLAB_DB, as the
#      shipped models (1,156 of the 1,157: one GIF decodes to 9.3 GB, over the decoder's 2 GiB cap, and is recorded as
#      failed). On 2 cores: gifsicle ~20 min, ffmpeg ~63 min, peak RSS 12 GB (the largest GIFs). $GIFLAB_FFMPEG_SMALLEST
#      = N limits ffmpeg to the N smallest GIFs by width × height × frames (default 0 = all);
#   2. `giflab run SUBSET --engines imagemagick,gifski` on a stratified subset of $GIFLAB_SUBSET GIFs (default 420:
#      animated/static × size band, round-robin over packages; the slow engines do not fit every GIF on 2 cores),
#      less those among the corpus's 40 largest (402 GIFs with the defaults);
#   3. `giflab train --groups testdata/train-corpus/MANIFEST.tsv --tune --output models --model-card models/README.md`: held-out
#      split by source package, accuracy tables per engine × curve × target and per content type into the card.
# Environment: GIFLAB_DB (default data/train-corpus.db), GIFLAB_MODELS (default models), GIFLAB_SUBSET (default 420),
#              GIFLAB_FFMPEG_SMALLEST (default 0 = every GIF),
#              GIFLAB_JOBS (default: giflab's), GIFLAB_TIMEOUT (default 900 s per engine call).
# Figures: each `giflab run` prints its summary; /usr/bin/time (when present) writes CPU and peak memory next to the DB.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
corpus="${1:-}"
if [ -z "$corpus" ]; then
  if [ -d ../shared/corpus/train ]; then corpus=../shared/corpus/train; else corpus=data/train-corpus; fi
fi
[ -d "$corpus" ] || { echo "train-shipped-models: corpus '$corpus' not found (run scripts/fetch-corpus.sh first)" >&2; exit 2; }
db="${GIFLAB_DB:-data/train-corpus.db}"
models="${GIFLAB_MODELS:-models}"
subset_n="${GIFLAB_SUBSET:-420}"
timeout="${GIFLAB_TIMEOUT:-900}"
manifest=testdata/train-corpus/MANIFEST.tsv
mkdir -p "$(dirname "$db")"
jobs=()
[ -n "${GIFLAB_JOBS:-}" ] && jobs=(--jobs "$GIFLAB_JOBS")

timed() { # timed NAME command… : runs it, keeps /usr/bin/time's figures in $db.NAME.time
  local name="$1"; shift
  if [ -x /usr/bin/time ]; then /usr/bin/time -v -o "$db.$name.time" "$@"; else "$@"; fi
}

run_step() { # run_step NAME DIR ENGINES
  set +e
  # --upgrade: GIFs stored with an older feature version get their features re-extracted (their runs are kept).
  timed "$1" ./giflab run "$2" --db "$db" --engines "$3" --upgrade --timeout "$timeout" "${jobs[@]}"
  local rc=$?
  set -e
  # 0 ok; 3 = finished with some GIFs or runs failing (recorded; the valid runs are training data).
  if [ "$rc" != 0 ] && [ "$rc" != 3 ]; then echo "train-shipped-models: giflab run ($1) exited $rc" >&2; exit "$rc"; fi
}

echo "== 1/3 gifsicle and ffmpeg on every GIF of $corpus (ffmpeg on the ${GIFLAB_FFMPEG_SMALLEST:-0} smallest; 0 = all)" >&2
run_step all "$corpus" gifsicle
ffmpeg_n="${GIFLAB_FFMPEG_SMALLEST:-0}"
if [ "$ffmpeg_n" = 0 ]; then
  run_step ffmpeg "$corpus" ffmpeg
else
  small="$(dirname "$db")/train-smallest"
  mkdir -p "$small"
  python3 - "$manifest" "$corpus" "$small" "$ffmpeg_n" <<'PY'
# The N smallest GIFs by width × height × frames (MANIFEST.tsv), ties by file name, copied (giflab run follows no links).
import csv, os, shutil, sys
manifest, corpus, out, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
rows = [r for r in csv.DictReader(open(manifest), delimiter='\t') if os.path.exists(os.path.join(corpus, r['file']))]
rows.sort(key=lambda r: (int(r['width']) * int(r['height']) * int(r['frames']), r['file']))
for r in rows[:n]:
    dst = os.path.join(out, r['file'])
    if not os.path.exists(dst): shutil.copyfile(os.path.join(corpus, r['file']), dst)
print(f"ffmpeg: the {min(n, len(rows))} smallest GIFs", file=sys.stderr)
PY
  run_step ffmpeg "$small" ffmpeg
fi

echo "== 2/3 imagemagick and gifski on a stratified subset of $subset_n GIFs" >&2
subset="$(dirname "$db")/train-subset"
mkdir -p "$subset"
python3 - "$manifest" "$corpus" "$subset" "$subset_n" <<'PY'
# Strata = animated × size band (max side < 64, < 256, ≥ 256), quota proportional to the corpus; within a stratum,
# round-robin over packages (stable hash order) so every package is represented before any gets a second GIF.
import collections, csv, hashlib, os, shutil, sys
manifest, corpus, out, target = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
rows = [r for r in csv.DictReader(open(manifest), delimiter='\t') if os.path.exists(os.path.join(corpus, r['file']))]
band = lambda r: (lambda m: 0 if m < 64 else 1 if m < 256 else 2)(max(int(r['width']), int(r['height'])))
strata = collections.defaultdict(list)
for r in rows: strata[(r['animated'], band(r))].append(r)
picked = []
for key, rs in sorted(strata.items()):
    quota = round(target * len(rs) / max(1, len(rows)))
    bypkg = collections.defaultdict(list)
    for r in sorted(rs, key=lambda r: r['sha256']): bypkg[r['package']].append(r)
    order = sorted(bypkg, key=lambda p: hashlib.sha256(p.encode()).hexdigest())
    take, i = [], 0
    while len(take) < quota and any(bypkg.values()):
        p = order[i % len(order)]; i += 1
        if bypkg[p]: take.append(bypkg[p].pop(0))
    picked += take
# The 40 largest GIFs by width × height × frames (92 % of the corpus's pixel work) are left out: the slow engines on
# coalesced frames of those alone would take most of a day on 2 cores. 420 picked minus those = 402 GIFs.
largest = {r['file'] for r in sorted(rows, key=lambda r: -int(r['width']) * int(r['height']) * int(r['frames']))[:40]}
picked = [r for r in picked if r['file'] not in largest]
for r in picked:
    dst = os.path.join(out, r['file'])
    if not os.path.exists(dst): shutil.copyfile(os.path.join(corpus, r['file']), dst)
print(f"subset: {len(picked)} GIFs from {len({r['package'] for r in picked})} packages", file=sys.stderr)
PY
run_step subset "$subset" imagemagick,gifski

echo "== 3/3 train (held-out split by source package)" >&2
./giflab stats --db "$db" >&2
./giflab train --db "$db" --output "$models" --groups "$manifest" --tune --model-card "$models/README.md"
