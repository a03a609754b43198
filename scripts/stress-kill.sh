#!/usr/bin/env bash
# Crash-safety stress: SIGKILL `giflab run` at random moments N times (default 25), resume, compare with a clean run.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
GIFLAB_KILL_TRIALS="${1:-25}" dotnet test tests/GifLab.Cli.Tests -c Release --filter "FullyQualifiedName~CrashSafetyTests" \
  --logger "console;verbosity=detailed" 2>&1 | grep -E "trial|crash safety|Passed|Failed|SKIPPED"
