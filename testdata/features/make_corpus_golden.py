#!/usr/bin/env python3
"""Golden features for every GIF of shared/corpus/real, computed independently of GifLab.

    /usr/bin/python3 testdata/features/make_corpus_golden.py /work/shared/corpus/real > testdata/features/corpus_golden.json

Frames: Pillow 9.4.0 (seek + convert("RGBA")), alpha < 128 painted white, sampled as features.md §2. Visual
features: the numpy/OpenCV 4.6.0 transcription in make_golden.py. Metadata: the reference's Pillow rules
(duration from info['duration'] defaulting to 100, unique_colors from frame 0's palette). `frames_sha256` hashes the
RGB bytes of the sampled opaque frames, so a test can tell whether our decoder produced the same pixels before
comparing pixel features. transparency_ratio: the reference rule (0 when frame 0 declares no transparency).
"""
import hashlib, json, os, sys
import numpy as np
from PIL import Image
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_golden as mg  # noqa: E402

def sample(n):
    if n <= 50: return list(range(n))
    return [int(k * ((n - 1) / 49.0)) for k in range(49)] + [n - 1]

def reference_fps_duration(delays, n):
    avg = sum(delays) / len(delays)
    fps = 1000 / avg if avg > 0 else 10.0
    fps = round(fps, 2)
    return int(n / max(fps, 0.1) * 1000)

def main(root):
    out = {"_source": "make_corpus_golden.py (Pillow 9.4.0, numpy 1.24.2, OpenCV 4.6.0)"}
    for dirpath, _, files in os.walk(root):
        for name in sorted(files):
            if not name.lower().endswith(".gif"): continue
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, root)
            try:
                im = Image.open(path)
                n = im.n_frames
                frames, delays, alpha = [], [], []
                idx = set(sample(n))
                for i in range(n):
                    im.seek(i)
                    delays.append(im.info.get("duration", 100))
                    rgba = np.array(im.convert("RGBA"))
                    alpha.append(float(np.mean(rgba[:, :, 3] < 128)))
                    if i in idx: frames.append(rgba)
                im.seek(0)
                # Reference rule: palette triples of frame 0; non-P modes (Pillow opens identity-grey GIFs as "L")
                # are quantised to 256 colours first.
                pal = im.getpalette() if im.mode == "P" else im.quantize(256).getpalette()
                feats = mg.features(frames)
                h = hashlib.sha256()
                for f in frames: h.update(mg.rgb(f).tobytes())
                feats.update(frames=n, width=im.size[0], height=im.size[1], frames_sha256=h.hexdigest(),
                             duration_ms=reference_fps_duration(delays, n), pillow_mode0=im.mode,
                             unique_colors=(min(len({tuple(pal[i:i + 3]) for i in range(0, len(pal), 3)}), 256) ),
                             transparency_all_frames=float(np.mean(alpha)))
                out[rel] = feats
            except Exception as e:  # noqa: BLE001 — record, do not stop
                out[rel] = {"error": repr(e)}
    json.dump(out, sys.stdout, indent=1, sort_keys=True)

main(sys.argv[1])
