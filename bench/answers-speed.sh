#!/usr/bin/env bash
# Speed and peak memory of `giflab leaderboard` and `giflab report` on synthetic databases shaped like a default run
# (59 runs per GIF, full metrics_json): N = 250, 1000 and 4000 GIFs by default. Prints wall seconds and peak RSS.
#   bench/answers-speed.sh [N…]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${TMPDIR:-/tmp}/giflab-answers-speed"
mkdir -p "$out"
echo "building bench/answers-synthetic.cs …" >&2
dotnet build "$root/bench/answers-synthetic.cs" -c Release -o "$out/bin" >"$out/build.log" 2>&1 || { cat "$out/build.log" >&2; exit 1; }
"$root/giflab" --help >/dev/null   # build the CLI first, so its build is not timed
sizes=("${@:-250 1000 4000}")
printf '%-7s %-8s %12s %14s %12s %14s\n' gifs runs lb_wall_s lb_peak_MB report_wall_s report_peak_MB
for n in ${sizes[@]}; do
  db="$out/synthetic-$n.db"
  [ -f "$db" ] || dotnet "$out/bin/answers-synthetic.dll" "$db" "$n" >&2
  runs=$(sqlite3 "$db" "SELECT COUNT(*) FROM compression_runs;" 2>/dev/null || echo "?")
  /usr/bin/time -f '%e %M' -o "$out/lb.time" "$root/giflab" leaderboard --db "$db" >"$out/lb.txt"
  /usr/bin/time -f '%e %M' -o "$out/rp.time" "$root/giflab" report --db "$db" --out "$out/report-$n" --no-outputs >/dev/null 2>"$out/rp.err"
  read -r lbw lbm <"$out/lb.time"; read -r rpw rpm <"$out/rp.time"
  printf '%-7s %-8s %12s %14s %12s %14s\n' "$n" "$runs" "$lbw" "$((lbm / 1024))" "$rpw" "$((rpm / 1024))"
done
