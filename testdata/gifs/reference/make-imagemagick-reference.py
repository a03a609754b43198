#!/usr/bin/env python3
"""Per-frame reference hashes from ImageMagick, an independent GIF decoder.

Usage (from the repository root, with the shared corpus beside it):
    python3 testdata/gifs/reference/make-imagemagick-reference.py ../shared/corpus > testdata/gifs/reference/imagemagick-frames.tsv

For every GIF under CORPUS/{real,edge,malformed} (pygif suite excluded: it ships its own expected frames) this runs
    convert FILE -coalesce rgba:-
(ImageMagick 6.9.11-60 Q16, Debian 12), splits the output into canvas-sized RGBA frames, sets R=G=B=0 wherever
alpha is 0 (decoders legitimately differ in the colour of fully transparent pixels), and prints
    path <TAB> WxH <TAB> first 16 hex digits of SHA-256 of each frame, comma-separated.
Files ImageMagick rejects (non-zero exit status, which includes its 'invalid colormap index' error) are omitted.
ImageMagickReferenceTests and CorpusDecodeTests hash GifLab's frames the same way.
"""
import hashlib, os, subprocess, sys

corpus = sys.argv[1]
for category in ("real", "edge", "malformed"):
    for root, _, files in sorted(os.walk(os.path.join(corpus, category))):
        if "pygif" in root:
            continue
        for name in sorted(files):
            if not name.endswith(".gif"):
                continue
            path = os.path.join(root, name)
            rel = os.path.relpath(path, corpus)
            ident = subprocess.run(["identify", "-format", "%W %H\n", path], capture_output=True, text=True)
            raw = subprocess.run(["convert", path, "-coalesce", "rgba:-"], capture_output=True)
            if ident.returncode != 0 or raw.returncode != 0 or not ident.stdout.strip():
                continue
            w, h = map(int, ident.stdout.split("\n")[0].split())
            n = w * h * 4
            if n == 0 or len(raw.stdout) % n != 0:
                continue
            hashes = []
            for k in range(len(raw.stdout) // n):
                frame = bytearray(raw.stdout[k * n:(k + 1) * n])
                for i in range(0, n, 4):
                    if frame[i + 3] == 0:
                        frame[i] = frame[i + 1] = frame[i + 2] = 0
                hashes.append(hashlib.sha256(frame).hexdigest()[:16])
            print(f"{rel}\t{w}x{h}\t{','.join(hashes)}")
