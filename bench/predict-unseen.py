#!/usr/bin/env python3
"""Unseen-GIF check of the shipped predictor (issue #15): the measured gifsicle lossy curve of every GIF in a `giflab run`
database vs `giflab predict` with the shipped models, one process per GIF, as a user would call it.

Usage: bench/predict-unseen.py RUN_DB CORPUS_DIR [--exclude TRAIN_DB] [--calibrate auto|none]
  RUN_DB:    `./giflab run CORPUS_DIR --db RUN_DB --engines gifsicle` (single mode);
  CORPUS_DIR: where the GIFs are (matched by file name and size);
  --exclude: leave out GIFs whose sha256 is in this database (e.g. the training dataset);
  --calibrate: passed to predict (default auto: gifsicle's curves are scaled to one measured run at the calibration
             point the models chose (lossy 60 for the shipped gifsicle models); that
             point is then measured, not predicted, and is left out of the errors).
Prints per GIF the mean and max error over the predicted lossy points and, at the end, the size MAPE, the share of
GIFs with every point within 15 % and how many measured sizes fall inside predict's interval (nominal 80 %). Uses ./giflab's build (.giflab-build/cli/GifLab.Cli.dll; run ./giflab --version first).
"""
import json, os, sqlite3, subprocess, sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
cli = os.path.join(root, ".giflab-build", "cli", "GifLab.Cli.dll")
args = sys.argv[1:]
calibrate = "auto"
if "--calibrate" in args:
    i = args.index("--calibrate"); calibrate = args[i + 1]; del args[i:i + 2]
if len(args) not in (2, 4) or (len(args) == 4 and args[2] != "--exclude"):
    sys.exit(__doc__)
db = sqlite3.connect(args[0])
skip = {r[0] for r in sqlite3.connect(args[3]).execute("select sha256 from gifs")} if len(args) == 4 else set()
rows = db.execute("""select g.sha256, g.file_name, g.file_size_bytes, pp.lossy_level, r.output_size_bytes
  from compression_runs r join gifs g on g.id = r.gif_id join pipelines p on p.id = r.pipeline_id
  join param_presets pp on pp.id = r.param_preset_id
  where p.identifier = 'none-frame|none-color|gifsicle-lossy' and pp.color_count = 256 and r.validation_status = 'valid'""").fetchall()
paths = {}
for d, _, files in os.walk(args[1]):
    for f in files: paths.setdefault(f, []).append(os.path.join(d, f))
curves = {}
for sha, name, size, level, out in rows: curves.setdefault((sha, name, size), {})[level] = out
errors, within, gifs, excluded, covered, intervals = [], 0, 0, 0, 0, 0
for (sha, name, size), points in sorted(curves.items(), key=lambda kv: kv[0][1]):
    if sha in skip: excluded += 1; continue
    found = [p for p in paths.get(name, []) if os.path.getsize(p) == size]
    if not found: continue
    r = subprocess.run(["dotnet", cli, "predict", found[0], "--engine", "gifsicle", "--format", "json", "--calibrate", calibrate], capture_output=True, text=True)
    if r.returncode != 0: print(f"{name}: predict exited {r.returncode}: {r.stderr.strip()[:200]}"); continue
    curve = next(c for c in json.loads(r.stdout)["curves"] if c["curve_type"] == "lossy")
    predicted = {p["lossy_level"]: p["size_bytes"] for p in curve["points"]}
    bounds = {p["lossy_level"]: p["size_bytes_interval"] for p in curve["points"] if p.get("size_bytes_interval")}
    cal = curve.get("size_calibration")
    # Every measured point (one, or a set with --calibration-points) is measured, not predicted: left out of the errors.
    measured = {m["lossy_level"] for m in cal.get("measured_points") or [cal]} if cal else set()
    measured_at = min(measured) if measured else None
    e = [abs(predicted[l] - o) / o * 100 for l, o in points.items() if l in predicted and l not in measured]
    if not e: continue
    for l, o in points.items():
        if l in bounds and l not in measured: intervals += 1; covered += bounds[l][0] <= o <= bounds[l][1]
    gifs += 1; errors += e; within += max(e) <= 15
    print(f"{name[:40]:40} {size:9}  lossy 0: measured {points.get(0)} predicted {round(predicted.get(0, 0))}"
          f"  mean {sum(e) / len(e):5.1f} %  max {max(e):5.1f} %{'  (anchor fell back)' if curve.get('size_anchor_fell_back') else ''}"
          f"{'  (calibrated)' if measured_at is not None else ''}")
if gifs == 0: sys.exit("no GIF with a measured gifsicle lossy curve was found")
print(f"--calibrate {calibrate}: {gifs} GIFs ({excluded} left out as seen in training): size MAPE {sum(errors) / len(errors):.1f} %, "
      f"every point within 15 %: {within}/{gifs}; measured sizes inside the printed interval: {covered}/{intervals} points")
