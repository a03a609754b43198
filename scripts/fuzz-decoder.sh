#!/usr/bin/env bash
# Decoder fuzzing: N (default 100000) random mutations of the committed test GIFs (plus ../shared/corpus when present)
# through GifDecoder.Decode with a 2 s budget per input. Counts unhandled exceptions (anything but GifFormatException),
# slow inputs and peak memory; findings are saved under .fuzz-findings/. Extra arguments go to the fuzzer
# (--seed S, --budget-ms MS, --strict for the strict decoder mode).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
n="${1:-100000}"; shift || true
dotnet build tests/GifLab.Fuzz -c Release --nologo -v quiet -clp:ErrorsOnly
seeds=(testdata/gifs)
[ -d ../shared/corpus ] && seeds+=(../shared/corpus/malformed ../shared/corpus/edge)
exec dotnet tests/GifLab.Fuzz/bin/Release/net10.0/GifLab.Fuzz.dll "$n" --findings .fuzz-findings "$@" "${seeds[@]}"
