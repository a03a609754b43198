#!/usr/bin/env python3
"""Performance report for issue #18 (see bench/perf-report.sh for usage). Standard library only.

Every step appends one JSON line to OUT/results.jsonl as soon as it ends, so a report cut short (deadline, timeout)
keeps what it measured; `perf_report.py --summarize OUT/results.jsonl` reprints the tables from such a file.
"""
import json, os, resource, shutil, sqlite3, statistics, subprocess, sys, tempfile, time

# The figures this work started from (issue #18: 16-core Xeon, whole real corpus, gifsicle only; 2-core figures for
# the process costs and overheads). Shown beside each measured figure.
STARTED_FROM = {
    "scaling": {4: "115 / 123 s, CPU 446 / 475 s", 8: "71 s, CPU 508 s", 16: "50 / 63 s, CPU 523 / 625 s", 24: "51 s, CPU 508 s"},
    "process": {"--version": "goal ≤ 0.05 s", "measure": "1.9 s CPU (480×360×60 pair; goal ≤ 0.5 s)", "features": "0.68 s CPU",
                "predict --calibrate none": "1.3 s wall (models loaded in ~1.0 s; issue #15 goal ≤ 1 s)",
                "predict": "1.3 s wall + the gifsicle calibration runs (issue #15 goal ≤ 1 s)"},
    "overhead": {"corpus": "59 % (goal ≤ 50 %)", "mid": "72 % (another five; goal ≤ 50 %)"},
}
# The scaling table the issue started from (16-core Xeon, whole real corpus, --engines gifsicle) and the 16-core rows
# measured since (docs/performance.md, "16 cores"): printed above the scaling table measured on this machine.
STARTED_FROM_16_CORES = """| 16-core figures | jobs 4 | jobs 8 | jobs 16 | jobs 24 |
|---|---|---|---|---|
| issue #18: wall s | 115 / 123 | 71 | 50 / 63 | 51 |
| issue #18: CPU s | 446 / 475 | 508 | 523 / 625 | 508 |
| round 1 baseline: wall s, CPU per run ms | 110.7, 757 | — | 50.5, 917 (+21 %) | — |
| round 2 (background GC): wall s, CPU per run ms, GC %, lock contentions | 119.9, 831, 1.1, 247 | — | 52.2, 954 (+15 %), 7.3, 655 | — |"""
QUERY = """select g.sha256||'|'||p.identifier||'|'||pp.lossy_level||'|'||pp.color_count||'|'||pp.frame_ratio,
          r.validation_status||'|'||r.output_size_bytes||'|'||r.metrics_json||'|'||r.validation_json
   from compression_runs r join gifs g on g.id=r.gif_id join pipelines p on p.id=r.pipeline_id
   join param_presets pp on pp.id=r.param_preset_id order by 1"""

T0 = time.monotonic()


def env_list(name, default):
    return [x for x in os.environ.get(name, default).split() if x]


def command_for(build):
    """A build is a GifLab.Cli.dll (run with `dotnet`) or an executable such as ./giflab."""
    return ["dotnet", build] if build.endswith(".dll") else [build]


def timed(argv, env=None, stdout=subprocess.DEVNULL, cwd=None):
    """Runs argv to completion; returns (rc, wall s, user s, sys s) of it and its children."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    rc = subprocess.run(argv, env=env, stdout=stdout, stderr=subprocess.DEVNULL, cwd=cwd).returncode
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return rc, wall, after.ru_utime - before.ru_utime, after.ru_stime - before.ru_stime


def record(out, row):
    row["at_s"] = round(time.monotonic() - T0, 1)
    # PERF_RESULTS_COPY: a second file that gets every line too (e.g. one that survives when OUT is thrown away).
    main_file, copy = os.path.join(out, "results.jsonl"), os.environ.get("PERF_RESULTS_COPY")
    for path in [main_file] + ([copy] if copy and os.path.abspath(copy) != os.path.abspath(main_file) else []):
        if path:
            with open(path, "a") as f:
                f.write(json.dumps(row) + "\n")
    print(json.dumps(row), flush=True)


def past_deadline():
    deadline = float(os.environ.get("PERF_DEADLINE", "0") or 0)
    return deadline > 0 and time.monotonic() - T0 > deadline


def jit_methods(argv, env):
    """Methods JIT-compiled at run time (the runtime's own JitStdOutFile summary; works on any build)."""
    with tempfile.NamedTemporaryFile(suffix=".txt", delete=False) as f:
        path = f.name
    e = dict(env, DOTNET_JitDisasmSummary="1", DOTNET_JitStdOutFile=path)
    subprocess.run(argv, env=e, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        with open(path) as f:
            return sum(1 for line in f if "JIT compiled" in line)
    finally:
        os.unlink(path)


# Commands giflab-native answers (src/GifLab.Cli.Native); its column is empty for the others.
NATIVE_COMMANDS = {"--version", "measure", "measure --format json", "features", "predict --calibrate none", "predict"}


def process_costs(builds, pair, out, repeat):
    """Whole-process CPU of each command, the builds interleaved (A B A B …) so that shared load hits them alike."""
    orig, comp = pair
    env = dict(os.environ)
    for name, args in [("--version", ["--version"]), ("--help", ["--help"]),
                       ("measure", ["measure", orig, comp]), ("measure --format json", ["measure", orig, comp, "--format", "json"]),
                       ("features", ["features", orig]),
                       ("predict --calibrate none", ["predict", orig, "--calibrate", "none"]), ("predict", ["predict", orig])]:
        if past_deadline():
            return
        here = [(label, build) for label, build in builds if label != "native" or name in NATIVE_COMMANDS]
        for _, build in here:
            timed(command_for(build) + args, env)  # page cache warm-up
        samples = {label: [] for label, _ in here}
        for _ in range(repeat):
            for label, build in here:
                samples[label].append(timed(command_for(build) + args, env))
        for label, build in here:
            got = samples[label]
            cpu = [u + s for _, _, u, s in got]
            record(out, {"kind": "process", "build": label, "command": name, "rc": got[0][0], "repeat": repeat,
                         "cpu_s_median": round(statistics.median(cpu), 3), "cpu_s_min": round(min(cpu), 3),
                         "user_s_median": round(statistics.median(u for _, _, u, _ in got), 3),
                         "sys_s_median": round(statistics.median(s for _, _, _, s in got), 3),
                         "wall_s_median": round(statistics.median(w for _, w, _, _ in got), 3),
                         "jit_methods": jit_methods(command_for(build) + args, env)})


def giflab_run(label, build, corpus, jobs, out, name, extra_env=None):
    work = os.path.join(out, f"{name}")
    os.makedirs(work, exist_ok=True)
    db, profile = os.path.join(work, "run.db"), os.path.join(work, "profile.json")
    for p in (db, profile):
        if os.path.exists(p):
            os.unlink(p)
    env = dict(os.environ, **(extra_env or {}))
    argv = command_for(build) + ["run", corpus, "--engines", "gifsicle", "--jobs", str(jobs), "--db", db, "--profile", profile]
    with open(os.path.join(work, "stdout.txt"), "w") as so:
        rc, wall, user, sys_ = timed(argv, env, stdout=so)
    p = json.load(open(profile)) if os.path.exists(profile) else {}
    runs = p.get("runs_executed", 0) or 0
    cpu = user + sys_
    engine = p.get("engine_cpu_ms", 0) / 1000
    row = {"kind": "run", "build": label, "name": name, "corpus": corpus, "jobs": jobs, "env": extra_env or {}, "rc": rc,
           "wall_s": round(wall, 2), "cpu_s": round(cpu, 2), "user_s": round(user, 2), "sys_s": round(sys_, 2),
           "runs": runs, "cpu_ms_per_run": round(1000 * cpu / runs, 1) if runs else None,
           "engine_cpu_s": round(engine, 2), "giflab_cpu_s": round(cpu - engine, 2),
           "overhead": round((cpu - engine) / cpu, 4) if cpu else None, "db": db}
    for k in ["giflab_user_cpu_ms", "giflab_sys_cpu_ms", "minor_faults", "gc_server", "gc_heaps", "gc_pause_ms",
              "gc_count_gen0", "gc_count_gen1", "gc_count_gen2", "allocated_bytes", "lock_contentions", "jit_ms",
              "peak_rss_bytes", "metrics_ms", "validate_ms", "decode_ms", "features_ms", "metric_prepare_ms", "engine_wall_ms",
              "cores", "giflab_cpu_ms", "thread_pool_threads"]:
        if k in p:
            row[k] = p[k]
    if "gc_pause_ms" in p and wall:
        row["gc_pct"] = round(100 * p["gc_pause_ms"] / 1000 / wall, 1)
    record(out, row)
    return row


def rows_of(db):
    con = sqlite3.connect(db)
    try:
        return con.execute(QUERY).fetchall()
    finally:
        con.close()


def compare(out, a, b):
    try:
        ra, rb = rows_of(a["db"]), rows_of(b["db"])
        same = ra == rb
        record(out, {"kind": "compare", "a": a["name"], "b": b["name"], "identical": same, "rows": len(ra), "rows_b": len(rb)})
    except sqlite3.Error as e:
        record(out, {"kind": "compare", "a": a["name"], "b": b["name"], "identical": None, "error": str(e)})


def mid_subset(corpus, out):
    """The five GIFs in the middle of the real corpus by file size (ranks 17–21 of 36 by bytes, then path)."""
    files = sorted((os.path.getsize(os.path.join(d, f)), os.path.join(d, f))
                   for d, _, fs in os.walk(corpus) for f in fs if f.lower().endswith(".gif"))
    mid = len(files) // 2
    chosen = [p for _, p in files[mid - 2:mid + 3]]
    folder = os.path.join(out, "mid-subset")
    os.makedirs(folder, exist_ok=True)
    for i, p in enumerate(chosen):
        # Copies, not links: `giflab run` skips symbolic links inside an input folder.
        copy = os.path.join(folder, f"{i}-{os.path.basename(p)}")
        if not os.path.exists(copy):
            shutil.copyfile(p, copy)
    return folder, chosen


def median_of(rows, key):
    vals = [r[key] for r in rows if r.get(key) is not None]
    return statistics.median(vals) if vals else None


def fmt(v, digits=1):
    return "—" if v is None else (f"{v:.{digits}f}" if isinstance(v, float) else str(v))


def scaling_groups(runs):
    """Scaling rows grouped by (build, runtime settings, jobs), in first-seen order, each with the medians of its repeats."""
    groups = {}
    for r in runs:
        if r["name"].startswith("mid") or r.get("rc") not in (0, None):
            continue
        groups.setdefault((r["build"], json.dumps(r["env"], sort_keys=True), r["jobs"]), []).append(r)
    out = []
    for (build, env, jobs), rs in groups.items():
        n = median_of(rs, "runs") or 0
        g = {"build": build, "env": json.loads(env), "jobs": jobs, "n": len(rs), "corpus": rs[0]["corpus"],
             "cores": rs[0].get("cores")}
        for k in ["wall_s", "cpu_s", "cpu_ms_per_run", "giflab_cpu_s", "engine_cpu_s", "gc_pct", "lock_contentions", "sys_s",
                  "gc_count_gen0", "gc_count_gen1", "gc_count_gen2", "minor_faults", "peak_rss_bytes", "allocated_bytes"]:
            g[k] = median_of(rs, k)
        g["giflab_ms_per_run"] = 1000 * g["giflab_cpu_s"] / n if n and g["giflab_cpu_s"] is not None else None
        stages = {k: median_of(rs, k) for k in ["metrics_ms", "validate_ms", "decode_ms", "features_ms", "metric_prepare_ms"]}
        g["stages_ms_per_run"] = {k: v / n for k, v in stages.items() if v is not None and n}
        # Busy share of the machine: CPU ÷ (cores × wall); below 100 % the cores idled (or other processes had them).
        g["busy_pct"] = 100 * g["cpu_s"] / (g["cores"] * g["wall_s"]) if g.get("cores") and g["wall_s"] else None
        g["runs"] = n
        out.append(g)
    return out


def print_scaling(groups):
    cores = next((g["cores"] for g in groups if g.get("cores")), os.cpu_count())
    corpus = next((g["corpus"] for g in groups), os.environ.get("PERF_CORPUS", ""))
    print("\n## Scaling: what this work started from (16 cores, whole real corpus, --engines gifsicle)\n")
    print(STARTED_FROM_16_CORES)
    print(f"\n## Scaling on this machine: {cores} cores, {corpus}, --engines gifsicle (medians of the repeats)\n")
    print("CPU = user + sys of the whole process tree; vs first = against the same build's first jobs value; busy = CPU ÷ "
          "(cores × wall); GC % = GC pause time ÷ wall; stages = GifLab's metric and validation time per run (summed over workers).\n")
    print("| build | env | jobs | n | wall s | speed-up vs first | CPU s | CPU/run ms | vs first | GifLab CPU/run ms | busy % | GC % | "
          "gen0/1/2 | lock contentions | sys s | metrics ms/run | validate ms/run | minor faults | peak RSS GB | started from (16 cores) |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for g in groups:
        # Against the same build's smallest jobs value with default settings.
        plain = [x for x in groups if x["build"] == g["build"] and not x["env"]]
        ref = min(plain, key=lambda x: x["jobs"]) if plain else None
        speed = f"{ref['wall_s'] / g['wall_s']:.2f}×" if ref and g["wall_s"] and ref is not g else "—"
        per = (f"{100 * (g['cpu_ms_per_run'] / ref['cpu_ms_per_run'] - 1):+.0f} %"
               if ref and ref is not g and g.get("cpu_ms_per_run") and ref.get("cpu_ms_per_run") else "—")
        gens = "/".join(fmt(g.get(f"gc_count_gen{k}"), 0) for k in range(3))
        env = ",".join(f"{k}={v}" for k, v in g["env"].items()) or "default"
        st = g["stages_ms_per_run"]
        rss = g["peak_rss_bytes"] / 1e9 if g.get("peak_rss_bytes") else None
        print(f"| {g['build']} | {env} | {g['jobs']} | {g['n']} | {fmt(g['wall_s'])} | {speed} | {fmt(g['cpu_s'])} | "
              f"{fmt(g['cpu_ms_per_run'], 0)} | {per} | {fmt(g['giflab_ms_per_run'], 0)} | {fmt(g['busy_pct'], 0)} | "
              f"{fmt(g['gc_pct'])} | {gens} | {fmt(g['lock_contentions'], 0)} | {fmt(g['sys_s'])} | "
              f"{fmt(st.get('metrics_ms'), 0)} | {fmt(st.get('validate_ms'), 0)} | {fmt(g['minor_faults'], 0)} | {fmt(rss)} | "
              f"{STARTED_FROM['scaling'].get(g['jobs'], '')} |")


def summarize(path):
    rows = [json.loads(line) for line in open(path) if line.strip()]
    runs = [r for r in rows if r["kind"] == "run"]
    groups = scaling_groups(runs)
    if groups:
        print_scaling(groups)
    procs = [r for r in rows if r["kind"] == "process"]
    labels = list(dict.fromkeys(r["build"] for r in procs))
    print("\n## Per-process cost (median of interleaved repeats; CPU = user + sys of the whole process, s; wall s)\n")
    print("| command | " + " | ".join(f"{l} CPU s | {l} wall s | {l} user / sys | {l} JIT methods" for l in labels) + " | started from |")
    print("|---|" + "---|---|---|---|" * len(labels) + "---|")
    for command in dict.fromkeys(r["command"] for r in procs):
        cells = []
        for l in labels:
            r = next((x for x in procs if x["command"] == command and x["build"] == l), None)
            cells.append(f"{r['cpu_s_median']} | {r.get('wall_s_median', '—')} | {r['user_s_median']} / {r['sys_s_median']} | {r['jit_methods']}" if r else "— | — | — | —")
        print(f"| `{command}` | " + " | ".join(cells) + f" | {STARTED_FROM['process'].get(command, '')} |")
    print("\n## gifsicle-only overhead: (whole run's CPU − gifsicle's CPU) ÷ whole run's CPU\n")
    print("| set | build | jobs | runs | overhead (median) | each run | GifLab CPU s (median) | engine CPU s (median) | wall s (median) | started from |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    groups = {}
    for r in runs:
        if r["env"]:
            continue
        which = "mid" if r["name"].startswith("mid") else "corpus"
        groups.setdefault((which, r["build"], r["jobs"]), []).append(r)
    for (which, build, jobs), g in groups.items():
        med = lambda k: round(statistics.median(x[k] for x in g), 2)
        each = ", ".join(f"{100 * x['overhead']:.1f}" for x in g)
        whole = os.path.normpath(g[0]["corpus"]).endswith(os.path.join("corpus", "real"))
        label = "five mid-size GIFs" if which == "mid" else ("whole real corpus" if whole else g[0]["corpus"])
        print(f"| {label} | {build} | {jobs} | {len(g)} | "
              f"{100 * statistics.median(x['overhead'] for x in g):.1f} % | {each} | "
              f"{med('giflab_cpu_s')} | {med('engine_cpu_s')} | {med('wall_s')} | {STARTED_FROM['overhead'][which]} |")
    for r in rows:
        if r["kind"] == "compare":
            verdict = "identical" if r.get("identical") else f"DIFFERENT ({r.get('error', '')})"
            print(f"\nstored rows {r['a']} vs {r['b']}: {verdict}, {r.get('rows')} rows")


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--summarize":
        summarize(sys.argv[2])
        return
    out = os.environ.get("PERF_OUT") or tempfile.mkdtemp(prefix="perf-report-")
    os.makedirs(out, exist_ok=True)
    new, baseline = os.environ["PERF_NEW"], os.environ.get("PERF_BASELINE", "")
    corpus = os.environ["PERF_CORPUS"]
    sections = env_list("PERF_SECTIONS", "process scaling overhead variants")
    pair = (os.environ.get("PERF_PAIR_ORIGINAL", ""), os.environ.get("PERF_PAIR_COMPRESSED", ""))
    builds = [("new", new)] + ([("baseline", baseline)] if baseline else [])
    # giflab-native (PERF_NATIVE, default the one ./giflab built and kept): a third column of the per-process table.
    native = os.environ.get("PERF_NATIVE", "")
    process_builds = builds + ([("native", native)] if native and os.access(native, os.X_OK) else [])
    # The jobs on 16 cores or more; on fewer, oversubscribed multiples of the cores (contention shows there).
    cores = os.cpu_count() or 1
    default_jobs = "4 16 8 24" if cores >= 16 else f"{cores} {4 * cores} {8 * cores}"
    jobs_new = [int(j) for j in env_list("PERF_JOBS", default_jobs)]
    jobs_base = [int(j) for j in env_list("PERF_BASELINE_JOBS", "4 16" if cores >= 16 else " ".join(map(str, jobs_new)))]

    if "process" in sections:
        process_costs(process_builds, pair, out, int(os.environ.get("PERF_REPEAT", "5")))
    sections = [s for s in sections if s != "process"]
    done = {}

    repeats = int(os.environ.get("PERF_RUNS_REPEAT", "1"))

    def scaling(jobs_list):
        # Interleaved so that a deadline leaves matching pairs and load from other processes falls on both builds alike:
        # per repeat, every jobs value, the new build then the baseline (the other way round on odd repeats).
        order = []
        for rep in range(repeats):
            for j in jobs_list:
                pair = [("new", new, j)] + ([("baseline", baseline, j)] if baseline and j in jobs_base else [])
                order.extend((label, build, j, rep) for label, build, j in (pair if rep % 2 == 0 else pair[::-1]))
        for label, build, j, rep in order:
            if past_deadline():
                break
            name = f"{label}-j{j}" + (f"-r{rep}" if repeats > 1 else "")
            row = giflab_run(label, build, corpus, j, out, name)
            done.setdefault((label, j), row)   # the first repeat's database is the one compared
        for j in jobs_base:
            if ("new", j) in done and ("baseline", j) in done and j in jobs_list:
                compare(out, done[("baseline", j)], done[("new", j)])

    def overhead():
        folder, chosen = mid_subset(corpus, out)
        record(out, {"kind": "mid-subset", "gifs": chosen})
        mid_jobs = int(os.environ.get("PERF_MID_JOBS", "4"))
        mids = {}
        # Interleaved (new, baseline, new, baseline, …) PERF_MID_REPEAT times; the summary prints medians.
        for k in range(int(os.environ.get("PERF_MID_REPEAT", "3"))):
            for label, build in builds:
                if past_deadline():
                    break
                row = giflab_run(label, build, folder, mid_jobs, out, f"mid-{label}-{k}")
                mids.setdefault(label, row)
            if k == 0 and len(mids) == 2:
                compare(out, mids["baseline"], mids["new"])

    def variants():
        # PERF_VARIANTS="16:DOTNET_gcServer=1 16:DOTNET_GCgen0size=0x10000000": the new build with other runtime settings.
        for v in env_list("PERF_VARIANTS", ""):
            if past_deadline():
                break
            jobs, _, settings = v.partition(":")
            extra = dict(s.split("=", 1) for s in settings.split(",") if s)
            for rep in range(repeats):
                if past_deadline():
                    break
                giflab_run("new", new, corpus, int(jobs), out, "var-" + "-".join(f"{k}{v}" for k, v in extra.items()).replace("DOTNET_", "")
                           + f"-j{jobs}" + (f"-r{rep}" if repeats > 1 else ""), extra)
    # Sections run in the order PERF_SECTIONS lists them; "scaling-late" runs PERF_JOBS_LATE (e.g. after variants).
    for section in sections:
        if section == "scaling":
            scaling(jobs_new)
        elif section == "scaling-late":
            scaling([int(j) for j in env_list("PERF_JOBS_LATE", "")])
        elif section == "overhead":
            overhead()
        elif section == "variants":
            variants()
    if not os.environ.get("PERF_KEEP_DBS"):
        for d, _, fs in os.walk(out):
            for f in fs:
                if f == "run.db":
                    os.unlink(os.path.join(d, f))
    summarize(os.path.join(out, "results.jsonl"))
    print(f"\nresults: {os.path.join(out, 'results.jsonl')} ({time.monotonic() - T0:.0f} s)")


if __name__ == "__main__":
    main()
