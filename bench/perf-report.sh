#!/usr/bin/env bash
# Performance report (issue #18): prints three tables, each figure beside the one this work started from:
#   1. scaling: `giflab run CORPUS --engines gifsicle --jobs J` for several J (wall, CPU, CPU per run, GC % of wall,
#      collections, lock contentions, kernel CPU), the new build and optionally a baseline build;
#   2. per-process cost of `--version`, `--help`, `measure A B` (a 480×360×60 pair), `features A`, `predict A` (with
#      and without the default gifsicle calibration run; issue #15 asks ≤ 1 s for the whole process): median CPU of
#      the whole process over repeats, and the number of methods JIT-compiled at run time;
#   3. gifsicle-only overhead, (whole run's CPU − gifsicle's CPU) ÷ whole run's CPU, on the whole corpus (each scaling
#      row) and on the five mid-size corpus GIFs (ranks 17–21 of 36 by bytes), plus whether the stored rows of the
#      new and baseline builds are identical (the query of bench/compare-runs.sh).
# Usage: bench/perf-report.sh [BASELINE]      BASELINE: a GifLab.Cli.dll (e.g. a publish of the start commit) or omitted.
#   Before/after as in docs/performance.md (baseline = main at bf13e7e, before the per-process round):
#     git worktree add --detach ../base bf13e7e && (cd ../base && ./giflab --version)
#     PERF_SECTIONS="process overhead" bench/perf-report.sh ../base/.giflab-build/cli/GifLab.Cli.dll
#   Per-process costs and the mid-size overhead runs interleave the two builds (A B A B …) and print medians, so that
#   load from other work on the machine hits both alike.
# Settings (environment): PERF_NEW (default the CLI that ./giflab builds, run as `dotnet …/GifLab.Cli.dll`; a .dll or an executable), PERF_CORPUS (../shared/corpus/real),
#   PERF_JOBS (16+ cores: "4 16 8 24"; fewer: cores, 4 × cores, 8 × cores, i.e. "2 8 16" on 2 cores, which
#   oversubscribes to expose contention), PERF_BASELINE_JOBS (16+ cores: "4 16"; fewer: as PERF_JOBS),
#   PERF_RUNS_REPEAT (1: runs per build and jobs value, interleaved; the scaling table shows medians), PERF_MID_JOBS (4), PERF_MID_REPEAT (3),
#   PERF_REPEAT (5: repeats of each per-process measurement), PERF_NATIVE (giflab-native for the per-process table's
#   "native" column; default the one ./giflab built, if it passed its parity check; empty: no such column),
#   PERF_SECTIONS ("process scaling overhead variants"), PERF_VARIANTS (e.g. "16:DOTNET_gcServer=0": extra runs of
#   the new build with other runtime settings), PERF_DEADLINE (seconds; later steps are skipped, tables still print),
#   PERF_OUT (folder for results.jsonl and profiles; default a temporary folder), PERF_KEEP_DBS=1 keeps the databases.
# `bench/perf_report.py --summarize OUT/results.jsonl` reprints the tables of an earlier report.
# Needs python3 and gifsicle (for the engine and to cut the measure pair from the corpus).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PERF_CORPUS="${PERF_CORPUS:-$root/../shared/corpus/real}"
[ -d "$PERF_CORPUS" ] || { echo "corpus not found: $PERF_CORPUS (set PERF_CORPUS)" >&2; exit 2; }
if [ -z "${PERF_NEW:-}" ]; then
  "$root/giflab" --version >/dev/null   # build outside the measurement
  # The built CLI itself, run as `dotnet GifLab.Cli.dll` like a baseline DLL: the ./giflab launcher's source check
  # (a `find` over src/) would add ~0.03 s to every per-process figure of the new build only.
  export PERF_NEW="$root/.giflab-build/cli/GifLab.Cli.dll"
fi
# giflab-native as ./giflab built it (only when it passed its parity check): the per-process table's third column.
if [ -z "${PERF_NATIVE+x}" ] && [ -f "$root/.giflab-build/native/parity-ok" ]; then
  export PERF_NATIVE="$root/.giflab-build/native/giflab-native"
fi
[ $# -ge 1 ] && export PERF_BASELINE="$1"
export PERF_OUT="${PERF_OUT:-$(mktemp -d)}"
mkdir -p "$PERF_OUT"
# The issue's measure pair: 480×360, 60 frames (the first 60 of pyxel_editor.gif) and a lossy gifsicle output of it
# (only the "process" section uses it).
if [ -z "${PERF_PAIR_ORIGINAL:-}" ] && [[ " ${PERF_SECTIONS:-process} " == *" process "* ]]; then
  src="$(find "$PERF_CORPUS" -name pyxel_editor.gif | head -1)"
  [ -n "$src" ] || { echo "pyxel_editor.gif not in $PERF_CORPUS: set PERF_PAIR_ORIGINAL and PERF_PAIR_COMPRESSED" >&2; exit 2; }
  gifsicle "$src" '#0-59' > "$PERF_OUT/pair-original.gif"
  gifsicle -O2 --lossy=80 --colors 8 "$PERF_OUT/pair-original.gif" > "$PERF_OUT/pair-compressed.gif" 2>/dev/null
  export PERF_PAIR_ORIGINAL="$PERF_OUT/pair-original.gif" PERF_PAIR_COMPRESSED="$PERF_OUT/pair-compressed.gif"
fi
exec python3 -u "$root/bench/perf_report.py"
