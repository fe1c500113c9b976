#!/usr/bin/env bash
# Benchmark harness: generates platforms of N apps x E environments (bench/GeneratePlatform.java)
# and times `plinth render` as a fresh process, 3 runs each, reporting the median wall time,
# the time per pipeline stage (--timings) and the peak resident memory.
#   bench/run.sh [N:E ...]        default: 200:3 1000:3
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f compiler/target/plinth.jar ] || mvn -B -q package -DskipTests
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(200:3 1000:3)
work=${BENCH_DIR:-/tmp/plinth-bench}
mkdir -p "$work"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(java -version 2>&1 | head -1)"
for size in "${sizes[@]}"; do
  n=${size%%:*}; e=${size##*:}
  platform="$work/platform-$n-$e"
  java bench/GeneratePlatform.java "$n" "$e" "$platform"
  for run in 1 2 3; do
    # a fresh output directory per run, removed only after all runs: deleting 20,000 files right
    # before a run (with the disk's discard) would be measured as write time
    sync
    /usr/bin/time -f "%e %M" -o "$work/time.txt" \
      java -jar compiler/target/plinth.jar render -r "$platform" -o "$work/out-$n-$e-$run" --timings \
      > "$work/stdout.txt" 2> "$work/stderr.txt"
    read -r secs kb < "$work/time.txt"
    echo "$secs $kb $(grep '^timings:' "$work/stderr.txt" | sed 's/^timings: //')" >> "$work/runs-$n-$e.txt"
  done
  files=$(grep -o '[0-9]* files' "$work/stdout.txt" | head -1)
  sort -n "$work/runs-$n-$e.txt" | sed -n 2p | awk -v n="$n" -v e="$e" -v f="$files" \
    '{printf "%s apps x %s envs (%s): median %.2f s, peak RSS %.0f MiB; stages:", n, e, f, $1, $2/1024;
      for (i = 3; i <= NF; i++) printf " %s", $i; printf "\n"}'
  rm -f "$work/runs-$n-$e.txt"
  rm -rf "$work"/out-"$n"-"$e"-*
done
