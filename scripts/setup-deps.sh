#!/usr/bin/env bash
# Installs what GifLab needs on Debian 12: the compression engines (gifsicle, ImageMagick, ffmpeg, gifski) and
# PostgreSQL (optional, for the shared-store tests) and Chromium (headless, for the report's browser test). As root it
# installs; otherwise it prints the exact commands.
# Animately is proprietary with no Linux build: it is reported as unavailable and its runs are skipped.
set -euo pipefail
APT_PACKAGES=(gifsicle imagemagick ffmpeg libgomp1 postgresql chromium gcc libc6-dev)
GIFSKI_VERSION=1.7.1

missing=()
command -v gifsicle >/dev/null || missing+=(gifsicle)
{ [ -x /usr/bin/convert ] || command -v magick >/dev/null; } || missing+=(imagemagick)
command -v ffmpeg >/dev/null || missing+=(ffmpeg)
[ -e /usr/lib/x86_64-linux-gnu/libgomp.so.1 ] || missing+=(libgomp1)
{ command -v pg_ctlcluster >/dev/null && ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; } || missing+=(postgresql)
command -v chromium >/dev/null || missing+=(chromium)
# A C toolchain links giflab-native (./giflab's ahead-of-time build of --version, measure and features); without one
# those commands run in the JIT-compiled CLI.
{ command -v gcc >/dev/null || command -v clang >/dev/null; } || missing+=(gcc libc6-dev)

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "setup: installing ${missing[*]} (apt)" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: missing packages: ${missing[*]}. Install them with:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y ${APT_PACKAGES[*]}" >&2
  fi
fi

if ! command -v gifski >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v npm >/dev/null; then
    echo "setup: installing gifski $GIFSKI_VERSION (binary from the npm package)" >&2
    tmp="$(mktemp -d)"
    ( cd "$tmp" && npm pack "gifski@$GIFSKI_VERSION" --silent >/dev/null 2>&1 \
      && tar xzf "gifski-$GIFSKI_VERSION.tgz" package/bin/debian/gifski \
      && install -m755 package/bin/debian/gifski /usr/local/bin/gifski ) || echo "setup: gifski install failed; its runs will be skipped" >&2
    rm -rf "$tmp"
  else
    echo "setup: gifski missing. Install with (as root, needs npm):" >&2
    echo "  npm pack gifski@$GIFSKI_VERSION && tar xzf gifski-$GIFSKI_VERSION.tgz package/bin/debian/gifski && install -m755 package/bin/debian/gifski /usr/local/bin/gifski" >&2
  fi
fi

if ! command -v dotnet >/dev/null; then
  echo "setup: the .NET 10 SDK is required (dotnet not found). See https://learn.microsoft.com/dotnet/core/install/linux-debian" >&2
  exit 1
fi
