#!/usr/bin/env python3
"""How far calibrating at k measured points takes a predicted size curve (issue #15): the held-out GIFs of a `giflab run`
database, split by source package as `giflab train --groups` splits them, each predicted by `giflab predict --calibrate
none` (one process per GIF, as a user calls it), then scaled to 0, 1, 2 or 3 measured points of the same curve.

Usage: bench/calibration-points.py RUN_DB CORPUS_DIR ENGINE [--models DIR] [--split test] [--best 4]
  RUN_DB:     `giflab run CORPUS_DIR --db RUN_DB --engines ENGINE` (single mode), e.g. imagemagick on the training corpus;
  CORPUS_DIR: where the GIFs are (matched by file name);
  --models:   passed to predict (default: the shipped models);
  --split:    which split of testdata/train-corpus/MANIFEST.tsv's packages to score (default test; the shipped models
              were trained on train + val, so only test is held out);
  --best:     how many point sets to print per k.
Calibration at points a < b < …: the log-size shift measured − predicted at each point, linearly interpolated (by
position index) between them and constant beyond; the measured points are left out of the errors. The point sets are
ranked *on the scored GIFs*, so the best row per k is an upper bound, not a held-out figure (train picks the single
point by cross-validation on the training GIFs instead).
Prints, per curve, the size MAPE and the share of GIFs with every point within 15 %: uncalibrated, calibrated at each
single point, and the best point sets of 2 and 3.
Uses ./giflab's build (.giflab-build/cli/GifLab.Cli.dll; run ./giflab --version first).
"""
import collections, csv, hashlib, itertools, json, math, os, sqlite3, subprocess, sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
cli = os.path.join(root, ".giflab-build", "cli", "GifLab.Cli.dll")
args = sys.argv[1:]
def option(name, default):
    if name in args:
        i = args.index(name); value = args[i + 1]; del args[i:i + 2]; return value
    return default
models, wanted, best = option("--models", None), option("--split", "test"), int(option("--best", "4"))
if len(args) != 3: sys.exit(__doc__)
db_path, corpus, engine = args

def split_of(origin, package):
    """DatasetSplit.Assign of the key SplitGroups.SplitKey gives a GIF of this package (80/10/10)."""
    key = f"group:{origin}/{package}".lower()
    bucket = int.from_bytes(hashlib.sha256(("giflab-split-v1:" + key).encode()).digest()[:8], "big") % 10_000
    return "train" if bucket < 8000 else "val" if bucket < 9000 else "test"

manifest = os.path.join(root, "testdata", "train-corpus", "MANIFEST.tsv")
split = {r["file"]: split_of(r["origin"], r["package"]) for r in csv.DictReader(open(manifest), delimiter="\t")}

measured = collections.defaultdict(dict)   # (file, curve) -> position -> bytes
for name, ident, lossy, colors, size in sqlite3.connect(db_path).execute(
        """select g.file_name, p.identifier, pp.lossy_level, pp.color_count, r.output_size_bytes
           from compression_runs r join gifs g on g.id = r.gif_id join pipelines p on p.id = r.pipeline_id
           join param_presets pp on pp.id = r.param_preset_id
           where r.validation_status = 'valid' and p.identifier like ? and p.identifier like 'none-frame|%'""",
        (f"%|{engine}-lossy",)):
    if split.get(name) != wanted: continue
    if "|none-color|" in ident and colors == 256: measured[(name, "lossy")][lossy] = size
    elif "|none-color|" not in ident and lossy == 0: measured[(name, "colors")][colors] = size
if not measured: sys.exit(f"no valid {engine} runs of {wanted}-split GIFs in {db_path}")

predicted = {}
for name in sorted({n for n, _ in measured}):
    path = os.path.join(corpus, name)
    if not os.path.exists(path): continue
    cmd = ["dotnet", cli, "predict", path, "--engine", engine, "--format", "json", "--calibrate", "none"]
    if models: cmd += ["--models", models]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0: print(f"{name}: predict exited {r.returncode}: {r.stderr.strip()[:200]}", file=sys.stderr); continue
    for c in json.loads(r.stdout)["curves"]:
        key = "lossy_level" if c["curve_type"] == "lossy" else "color_count"
        predicted[(name, c["curve_type"])] = {p[key]: p["size_bytes"] for p in c["points"]}

def calibrated(m, p, anchors, order):
    if not anchors: return dict(p)
    index = {q: i for i, q in enumerate(order)}
    shift = {a: math.log(m[a]) - math.log(p[a]) for a in anchors}
    points = sorted(anchors, key=index.get)
    out = {}
    for q in order:
        i = index[q]
        if i <= index[points[0]]: s = shift[points[0]]
        elif i >= index[points[-1]]: s = shift[points[-1]]
        else:
            a, b = next((a, b) for a, b in zip(points, points[1:]) if index[a] <= i <= index[b])
            s = shift[a] + (shift[b] - shift[a]) * (i - index[a]) / (index[b] - index[a])
        out[q] = p[q] * math.exp(s)
    return out

def score(curve, anchors):
    errors, within, gifs = [], 0, 0
    for (name, c), m in measured.items():
        if c != curve or (name, c) not in predicted: continue
        p = predicted[(name, c)]
        order = sorted(p, reverse=(curve == "colors"))
        if any(q not in m for q in order): continue
        cal = calibrated(m, p, anchors, order)
        e = [abs(cal[q] - m[q]) / m[q] * 100 for q in order if q not in anchors]
        errors += e; within += max(e) <= 15; gifs += 1
    return (sum(errors) / len(errors) if errors else float("nan")), (100 * within / gifs if gifs else float("nan")), gifs

print(f"{engine}, {wanted} split of {db_path}, models {models or 'shipped'}")
for curve in ("lossy", "colors"):
    curves = [p for (n, c), p in predicted.items() if c == curve]
    if not curves: continue
    order = sorted(curves[0], reverse=(curve == "colors"))
    mape, within, gifs = score(curve, [])
    print(f"{curve}: {gifs} GIFs; uncalibrated: size MAPE {mape:.1f} %, every point within 15 %: {within:.0f} %")
    print("  1 point, each: " + "; ".join(f"{q} {m:.1f} % / {w:.0f} %" for q in order for m, w, _ in [score(curve, [q])]))
    for k in (2, 3):
        ranked = sorted((-s[1], s[0], points) for points in itertools.combinations(order, k) for s in [score(curve, list(points))])
        print(f"  {k} point(s), best {best} on these GIFs: " + "; ".join(f"{list(pts)} {m:.1f} % / {-w:.0f} %" for w, m, pts in ranked[:best]))
