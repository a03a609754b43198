#!/usr/bin/env python3
"""Independent golden values for the GifLab feature tests.

Run with Debian bookworm's packages (python3-opencv 4.6.0, python3-numpy 1.24.2, python3-pil 9.4.0):
    /usr/bin/python3 testdata/features/make_golden.py
It (1) writes gif_c.gif, a noisy 3-frame GIF like the reference's GIF C (features.md Appendix A);
(2) decodes appendix A/B and C with Pillow into raw RGBA frames (<name>.f<i>.rgba) so the C# tests can check the
feature maths independently of our decoder; (3) computes every visual feature with numpy/OpenCV following the
reference algorithm described in /work/shared/reference/features.md (OpenCV does Canny, Sobel, Laplacian, grey
conversion, resize and DCT) and writes golden.json; (4) writes kernels.json: OpenCV outputs on small matrices.
"""
import base64, json, os, zlib
import numpy as np, cv2
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
A = "R0lGODlhIAAYAIIAAP8AAACA/yjIKPr6+gAAAAAAAAAAAAAAACH/C05FVFNDQVBFMi4wAwEAAAAh+QQACgAAACwAAAAAIAAYAEAImQAJABhIsKDBAAgTKlwYwCBBgQ4ZSkwooKLFixgFEBjAsaPHjwUhOiQ4cWLGjAQsflz58aRLAR43suw4UORIkiUZOrR5MOfCmzV7+qT48mLKmTOLZuQoEylHpRhXNl0JgCfQoQofAsWJtWHIrV0RjrQ6MKzXsRHDbq1a0CxUjRWdrnxbcarcAXTj2kWaFybTu30/7vUYWOrMgAA7"
B = "R0lGODlhIAAYAIEAAFpaWhQo3P///wAAACH/C05FVFNDQVBFMi4wAwEAAAAh+QQACAAAACwAAAAAIAAYAAAIYgABCBxIsKDBgwESHlzIsGDCAA0jLnwosSJBihYtYswocSPHhh4/TlQoUIDJkyIFbjyJMuVKlgJSAnjJUibNliJvmrRJUibCnj4dAg06MCTRmUOPGiW6NGhTn095Qjx6UWFAACH5BAAIAAAALAIACAALAAYAgVpaWhQo3P///wAAAAgaAAEIFCigoMGBBA0WRAhA4UKEDgUwjDjRYUAAIfkEAAwAAAAsBwAIAAsABgCBWlpaFCjc////AAAACBoAAQgUKKCgwYEEDRZECEDhQoQOBTCMONFhQAAh+QQADAAAACwMAAgACwAGAIFaWloUKNz///8AAAAIGgABCBQooKDBgQQNFkQIQOFChA4FMIw40WFAADs="

def make_gif_c(path):
    rng = np.random.default_rng(20261124)
    pal = rng.integers(0, 256, (16, 3), dtype=np.uint8)
    flat = list(pal.reshape(-1))           # 16-entry palette, as the reference GIF C
    frames = []
    for _ in range(3):
        im = Image.fromarray(rng.integers(0, 16, (24, 32), dtype=np.uint8), "P")
        im.putpalette(flat)
        frames.append(im)
    frames[0].save(path, save_all=True, append_images=frames[1:], duration=70, loop=0, optimize=False)

def frames_of(path):
    im = Image.open(path)
    out = []
    for i in range(im.n_frames):
        im.seek(i)
        out.append(np.array(im.convert("RGBA")))
    return out

def rgb(f):  # opaque rule of our port: alpha < 128 -> white
    f = f.copy(); f[f[:, :, 3] < 128, :3] = 255
    return np.ascontiguousarray(f[:, :, :3])

def features(frames):
    fr = [rgb(f) for f in frames]
    R = fr[len(fr) // 2]
    g = cv2.cvtColor(R, cv2.COLOR_RGB2GRAY)
    hist = np.bincount(g.ravel(), minlength=256) / g.size
    nz = hist[hist > 0]
    out = {}
    out["entropy"] = float(min(-np.sum(nz * np.log2(nz)), 8.0))
    out["edge_density"] = float(np.mean(cv2.Canny(g, 100, 200) > 0))
    q = (R // 32).astype(np.int32)
    out["color_complexity"] = float(min(len(np.unique(q[:, :, 0] * 64 + q[:, :, 1] * 8 + q[:, :, 2])) / 512, 1.0))
    gx = cv2.Sobel(g, cv2.CV_64F, 1, 0, ksize=3); gy = cv2.Sobel(g, cv2.CV_64F, 0, 1, ksize=3)
    out["gradient_smoothness"] = float(1 / (1 + np.std(np.sqrt(gx ** 2 + gy ** 2)) / 50))
    out["contrast_score"] = float(min(np.std(g) / 128, 1.0))
    out["text_density"] = float(min(np.mean(np.abs(cv2.Laplacian(g, cv2.CV_64F))) / 50, 1.0))
    small = cv2.resize(g.astype(np.float32), (64, 64))
    d = np.abs(cv2.dct(small)); low = d[:16, :16].sum(); high = d.sum() - low
    out["dct_energy_ratio"] = float(0.5 if low + high < 1e-10 else high / (low + high))
    P = np.concatenate([f.reshape(-1, 3) for f in fr[:5]])
    qq = (P // 32).astype(np.int64)
    codes_fixed = qq[:, 0] * 64 + qq[:, 1] * 8 + qq[:, 2]
    codes_wrap = ((qq[:, 0] * 64) % 256) + qq[:, 1] * 8 + qq[:, 2]
    def ent(c):
        p = np.bincount(c, minlength=512) / len(c); p = p[p > 0]; return float(min(-np.sum(p * np.log2(p)), 8.0))
    out["color_histogram_entropy"] = ent(codes_fixed)
    out["color_histogram_entropy_reference_wrap"] = ent(codes_wrap)
    q16 = (P // 16).astype(np.int64); c16 = q16[:, 0] * 256 + q16[:, 1] * 16 + q16[:, 2]
    counts = np.sort(np.bincount(c16))[::-1]
    out["dominant_color_ratio"] = float(counts[:10].sum() / len(P))
    if len(fr) < 2:
        out.update(motion_intensity=0.0, motion_smoothness=1.0, static_region_ratio=1.0, temporal_entropy=0.0,
                   frame_similarity=1.0, inter_frame_mse_mean=0.0, inter_frame_mse_std=0.0)
    else:
        mses, stat = [], []
        for a, b in zip(fr, fr[1:]):
            D = np.abs(a.astype(np.float64) - b.astype(np.float64))
            mses.append(np.mean(D ** 2)); stat.append(np.mean(D < 10))
        mses = np.array(mses); mean = mses.mean(); std = mses.std()
        p = mses / (mses.sum() + 1e-10)
        mi = min(10 * mean / 65025, 1.0)
        out.update(motion_intensity=float(mi), motion_smoothness=float(1 / (1 + std / 1000)),
                   static_region_ratio=float(np.mean(stat)), temporal_entropy=float(min(-np.sum(p * np.log2(p + 1e-10)), 8.0)),
                   frame_similarity=float(1 - mi), inter_frame_mse_mean=float(mean), inter_frame_mse_std=float(std))
    raw = b"".join(f.tobytes() for f in fr[:10])
    out["lossless_compression_ratio"] = float(min(len(zlib.compress(raw, 9)) / (len(raw) + 1), 2.0))
    return out

def kernels():
    rng = np.random.default_rng(7)
    k = {}
    m = rng.integers(0, 256, (5, 6), dtype=np.uint8)
    k["m5x6"] = m.ravel().tolist()
    k["sobel_x_reflect101"] = cv2.Sobel(m, cv2.CV_64F, 1, 0, ksize=3).astype(int).ravel().tolist()
    k["sobel_y_reflect101"] = cv2.Sobel(m, cv2.CV_64F, 0, 1, ksize=3).astype(int).ravel().tolist()
    k["laplacian_reflect101"] = cv2.Laplacian(m, cv2.CV_64F).astype(int).ravel().tolist()
    k["resize_5x6_to_4x3"] = cv2.resize(m.astype(np.float32), (4, 3)).ravel().tolist()      # dsize = (w, h)
    k["resize_5x6_to_9x7"] = cv2.resize(m.astype(np.float32), (9, 7)).ravel().tolist()
    d = rng.random((8, 8)).astype(np.float32) * 255
    k["dct_in_8x8"] = d.ravel().tolist(); k["dct_out_8x8"] = cv2.dct(d).ravel().tolist()
    cases = []
    for seed in range(12):
        r = np.random.default_rng(100 + seed)
        h, w = int(r.integers(3, 24)), int(r.integers(3, 24))
        if seed % 3 == 0:
            img = r.integers(0, 256, (h, w), dtype=np.uint8)
        else:   # blocky shapes, the case Canny thresholds matter for
            img = cv2.resize(r.integers(0, 256, (max(2, h // 3), max(2, w // 3)), dtype=np.uint8), (w, h), interpolation=cv2.INTER_NEAREST)
            img = cv2.GaussianBlur(img, (3, 3), 0) if seed % 3 == 2 else img
        e = cv2.Canny(img, 100, 200)
        cases.append({"w": w, "h": h, "gray": img.ravel().tolist(), "edges": (e > 0).astype(int).ravel().tolist()})
    k["canny_100_200"] = cases
    c = rng.integers(0, 256, (4, 4, 3), dtype=np.uint8)
    k["gray_rgb"] = c.ravel().tolist(); k["gray_y"] = cv2.cvtColor(c, cv2.COLOR_RGB2GRAY).ravel().tolist()
    return k

def main():
    open(os.path.join(HERE, "appendix_a.gif"), "wb").write(base64.b64decode(A))
    open(os.path.join(HERE, "appendix_b.gif"), "wb").write(base64.b64decode(B))
    make_gif_c(os.path.join(HERE, "gif_c.gif"))
    golden = {"_source": "make_golden.py: Pillow 9.4.0 decode + numpy %s / OpenCV %s, reference algorithm of features.md" % (np.__version__, cv2.__version__)}
    for name in ["appendix_a", "appendix_b", "gif_c"]:
        frames = frames_of(os.path.join(HERE, name + ".gif"))
        for i, f in enumerate(frames):
            open(os.path.join(HERE, "%s.f%d.rgba" % (name, i)), "wb").write(f.tobytes())
        golden[name] = features(frames)
        golden[name]["frames"] = len(frames)
    json.dump(golden, open(os.path.join(HERE, "golden.json"), "w"), indent=1)
    json.dump(kernels(), open(os.path.join(HERE, "kernels.json"), "w"))

if __name__ == "__main__":
    main()
