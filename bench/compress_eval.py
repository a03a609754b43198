#!/usr/bin/env python3
"""Helper of bench/compress-eval.sh: picks held-out GIFs, and reduces the grid database and `giflab compress` JSON to
the comparison table. Subcommands:
  select MANIFEST CORPUS OUT_DIR N [SKIP]   copy N held-out GIFs (package-grouped test split) into OUT_DIR, after
                                           the first SKIP of the same order (another sample than the default's)
  table  GRID_DB COMPRESS_JSON METRIC FLOOR FIXED_LEVEL   print the table (markdown) and a JSON line
"""
import csv, hashlib, json, os, shutil, sqlite3, sys


def split_of(key):
    # Same as SplitRatios.Default.Assign (0.8, 0.1) on SplitGroups.SplitKey: "group:<origin>/<package>".
    h = hashlib.sha256(("giflab-split-v1:" + key.lower()).encode()).digest()
    b = int.from_bytes(h[:8], "big") % 10000
    return "train" if b < 8000 else "val" if b < 9000 else "test"


def select(manifest, corpus, out_dir, n, skip=0):
    rows = list(csv.DictReader(open(manifest), delimiter="\t"))
    test = [r for r in rows if split_of("group:" + r["origin"] + "/" + r["package"]) == "test"]
    # Small enough for 2 cores: 2–150 KB and at most 3 M decoded pixels; animated first, then one GIF per package
    # per round (round-robin), each package's GIFs in SHA order.
    ok = [r for r in test if 2000 <= int(r["bytes"]) <= 150000
          and int(r["width"]) * int(r["height"]) * max(1, int(r["frames"])) <= 3_000_000]
    by_pkg = {}
    for r in sorted(ok, key=lambda r: (r["animated"] != "1", r["sha256"])):
        by_pkg.setdefault(r["origin"] + "/" + r["package"], []).append(r)
    pick, rnd = [], 0
    while len(pick) < n + skip and any(len(v) > rnd for v in by_pkg.values()):
        for k in sorted(by_pkg, key=lambda k: (by_pkg[k][0]["animated"] != "1", k)):
            if rnd < len(by_pkg[k]) and len(pick) < n + skip:
                pick.append(by_pkg[k][rnd])
        rnd += 1
    pick = pick[skip:]
    os.makedirs(out_dir, exist_ok=True)
    for r in pick:
        # Copies, not links: `giflab run` does not follow symbolic links inside its input folder.
        dest = os.path.join(out_dir, r["file"])
        if not os.path.exists(dest):
            shutil.copyfile(os.path.join(corpus, r["file"]), dest)
    print(f"{len(pick)} held-out GIFs from {len({r['package'] for r in pick})} packages "
          f"({sum(r['animated'] == '1' for r in pick)} animated) of {len(test)} in the test split", file=sys.stderr)


def keeps_animation(validation_json):
    checks = json.loads(validation_json or "{}")
    return all(checks.get(k) is not False for k in ("frame_count_ok", "delays_ok", "duration_ok", "loop_count_ok"))


def table(grid_db, compress_json, metric, floor, fixed_level):
    floor = float(floor)
    fixed_level = int(fixed_level)
    higher = metric not in ("mse", "rmse", "gmsd", "lpips", "deltae") and not metric.endswith("_artifact_score")
    meets = (lambda q: q is not None and q >= floor) if higher else (lambda q: q is not None and q <= floor)
    db = sqlite3.connect(grid_db)
    runs = db.execute("""
        select g.file_name, g.file_size_bytes, t.engine, lt.name, ct.name, p.lossy_level, p.color_count, r.output_size_bytes,
               r.metrics_json, r.validation_json
        from compression_runs r join gifs g on g.id = r.gif_id join pipelines pl on pl.id = r.pipeline_id
             join tools t on t.id = pl.lossy_tool_id join tools lt on lt.id = pl.lossy_tool_id join tools ct on ct.id = pl.color_tool_id
             join param_presets p on p.id = r.param_preset_id
        where r.validation_status = 'valid'""").fetchall()
    color_engine = {"gifsicle-color": "gifsicle", "imagemagick-color": "imagemagick", "ffmpeg-color": "ffmpeg"}
    gifs, grid = {}, {}
    for name, size, engine, lossy_tool, color_tool, level, colors, out, mj, vj in runs:
        engine = engine or color_engine.get(color_tool)
        if engine is None:
            continue
        gifs[name] = size
        q = json.loads(mj or "{}").get(metric)
        grid.setdefault(name, []).append((engine, level, colors, out, q, keeps_animation(vj)))
    comp = json.load(open(compress_json))
    files = {os.path.basename(f["file"]): f for f in comp["files"]}
    names = sorted(n for n in gifs if n in files and files[n]["status"] in ("compressed", "copied", "skipped"))
    total_in = sum(gifs[n] for n in names)

    def row(label, outs, tries, floor_ok):
        out = sum(outs.values())
        improved = sum(1 for n in names if outs[n] < gifs[n])
        return dict(method=label, gifs=len(names), improved=improved, bytes_in=total_in, bytes_out=out,
                    saved=total_in - out, tries=tries, floor_ok=floor_ok)

    rows = []
    engines = sorted({e for n in names for (e, *_rest) in grid[n]})
    for e in engines:
        outs, ok = {}, 0
        for n in names:
            hit = [r for r in grid[n] if r[0] == e and r[1] == fixed_level and r[2] == 256]
            if hit and hit[0][5] and meets(hit[0][4]) and hit[0][3] < gifs[n]:
                outs[n] = hit[0][3]; ok += 1
            else:
                outs[n] = gifs[n]  # floor missed (or larger): the user keeps the original
        rows.append(row(f"{e} lossy={fixed_level} (fixed)", outs, len(names), ok))
    outs, oracle_runs = {}, 0
    for n in names:
        oracle_runs += len(grid[n])
        feasible = [r[3] for r in grid[n] if r[5] and meets(r[4]) and r[3] < gifs[n]]
        outs[n] = min(feasible) if feasible else gifs[n]
    oracle = row("oracle: best of the single-mode grid", outs, oracle_runs, sum(1 for n in names if outs[n] < gifs[n]))
    rows.append(oracle)
    outs = {n: files[n]["output_bytes"] for n in names}
    tries = sum(files[n]["tries"] for n in names)
    starts = {}
    for n in names:
        starts[files[n].get("started_from") or "?"] = starts.get(files[n].get("started_from") or "?", 0) + 1
    rows.append(row("giflab compress (max 8 tries; start: " + ", ".join(f"{k} {v}" for k, v in sorted(starts.items())) + ")",
                    outs, tries, sum(1 for n in names if outs[n] < gifs[n])))
    cmp_row = rows[-1]

    print(f"{metric} ≥ {floor:g} on {len(names)} held-out GIFs ({total_in} bytes). 'saved' counts a GIF only where the "
          f"output meets the floor and keeps frames, delays and loop; elsewhere the original is kept.")
    print()
    print("| method | GIFs smaller | bytes out | saved | share of oracle's saving | compressions (per GIF) |")
    print("|---|---:|---:|---:|---:|---:|")
    for r in rows:
        share = r["saved"] / oracle["saved"] * 100 if oracle["saved"] else float("nan")
        print(f"| {r['method']} | {r['improved']}/{r['gifs']} | {r['bytes_out']} | {r['saved'] / total_in * 100:.1f} % | "
              f"{share:.0f} % | {r['tries']} ({r['tries'] / max(1, len(names)):.1f}) |")
    print()
    worse = [n for n in names if files[n]["output_bytes"] > outs_oracle(n, grid, gifs, meets)]
    print(f"compress reached the oracle's size or better on {len(names) - len(worse)}/{len(names)} GIFs; "
          f"mean output ÷ oracle output on the others: "
          + (f"{sum(files[n]['output_bytes'] / outs_oracle(n, grid, gifs, meets) for n in worse) / len(worse):.3f}" if worse else "-"))
    print(json.dumps({"rows": rows, "compress_vs_oracle_saved": cmp_row["saved"] / oracle["saved"] if oracle["saved"] else None}))


def outs_oracle(n, grid, gifs, meets):
    feasible = [r[3] for r in grid[n] if r[5] and meets(r[4]) and r[3] < gifs[n]]
    return min(feasible) if feasible else gifs[n]


if __name__ == "__main__":
    cmd, *a = sys.argv[1:]
    if cmd == "select":
        select(a[0], a[1], a[2], int(a[3]), int(a[4]) if len(a) > 4 else 0)
    elif cmd == "table":
        table(*a)
    else:
        sys.exit(__doc__)
