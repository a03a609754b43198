#!/usr/bin/env bash
# Packs GifLab.Core and GifLab into artifacts/packages (a local package source) under a fresh version, then builds and
# runs samples/LibrarySample against those packages, as a consumer would.
# Usage: scripts/library-sample.sh [INPUT.gif [MODELS_DIR]]   (default samples/waves.gif)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
input="$(realpath "${1:-samples/waves.gif}")"
models="${2:-}"
version="0.1.0-local.$(date -u +%Y%m%d%H%M%S)"
packages="$root/artifacts/packages"
mkdir -p "$packages"
# Own build folders (artifacts/sample-build) so the repository's normal outputs keep their version.
for project in src/GifLab.Core/GifLab.Core.csproj src/GifLab/GifLab.csproj; do
  dotnet pack "$project" -c Release -o "$packages" -p:Version="$version" --artifacts-path "$root/artifacts/sample-build" \
    --nologo -v quiet -clp:ErrorsOnly >&2
done
echo "packed GifLab $version into $packages" >&2
ls -l "$packages"/GifLab*."$version".nupkg >&2
dotnet run --project samples/LibrarySample -c Release -p:GifLabVersion="$version" --artifacts-path "$root/artifacts/sample-build" \
  -- "$input" ${models:+"$models"}
