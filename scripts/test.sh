#!/usr/bin/env bash
# Runs the whole test suite (Release) and ends with one summary line: "tests: N passed, N failed, N skipped".
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
log="$(mktemp)"
dotnet build GifLab.slnx -c Release --nologo -v quiet -clp:ErrorsOnly || { echo "tests: build failed"; echo "0 passed, 1 failed"; exit 1; }
# ./giflab's own build (the CLI, and giflab-native where this machine can link it): NativeCommandTests compare the two.
./giflab --version >/dev/null || { echo "tests: ./giflab build failed"; echo "0 passed, 1 failed"; exit 1; }
dotnet test GifLab.slnx -c Release --no-build --nologo "$@" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
# The SIMD kernels take the widest vectors the CPU has; run their tests again with the wider instruction sets off so
# every width is exercised (Vector512 → Vector256 → scalar). GIFLAB_SIMD_PASS names the pass; a test checks it took
# effect. Skipped when arguments (e.g. --filter) narrow the run.
if [ $# -eq 0 ]; then
  for pass in "no-avx512 DOTNET_EnableAVX512=0" "no-avx2 DOTNET_EnableAVX2=0"; do
    read -r name knob <<<"$pass"
    echo "== SIMD pass $name ($knob): tests in Category=SimdKernel"
    env GIFLAB_SIMD_PASS="$name" "$knob" dotnet test tests/GifLab.Core.Tests -c Release --no-build --nologo \
      --filter "Category=SimdKernel" 2>&1 | tee -a "$log"
    [ "${PIPESTATUS[0]}" -eq 0 ] || rc=1
  done
fi
passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
skipped=$(grep -oE 'Skipped: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
rm -f "$log"
echo "tests: $passed passed, $failed failed, $skipped skipped"
exit $rc
