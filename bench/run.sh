#!/usr/bin/env bash
# Benchmark harness. For each size N:E it generates a platform of N apps x E environments
# (bench/GeneratePlatform.java) and times, as fresh processes:
#   full       render into an empty output with no cache
#   noop       the same render again (nothing changed)
#   one-app    after changing one app's properties
#   definition after replacing a built-in trait (logs) in the platform's library: most units change
#   diff       plinth diff --base HEAD after the one-app change (two renders, nothing written)
# reporting the median of 3 runs (1 for noop/one-app/definition after a warm-up), the stage times
# (--timings) and the peak resident memory; then the same unit programs evaluated by the plain
# sjsonnet command line (`-m`, the jar Plinth ships) and, for N <= 200, C++ jsonnet.
#   bench/run.sh [N:E ...]        default: 100:3 1000:3
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f compiler/target/plinth.jar ] || mvn -B -q package -DskipTests
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100:3 1000:3)
work=${BENCH_DIR:-/tmp/plinth-bench}
mkdir -p "$work"
plinth=(compiler/bin/plinth)
measure() { # label, then the command; prints "label: seconds s, RSS MiB, timings"
  local label=$1; shift
  sync
  /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" > "$work/stdout.txt" 2> "$work/stderr.txt" || { cat "$work/stderr.txt"; exit 1; }
  read -r secs kb < "$work/time.txt"
  printf '  %-12s %6.2f s  %5.0f MiB  %s\n' "$label" "$secs" "$((kb / 1024))" "$(grep '^timings:' "$work/stderr.txt" | sed 's/^timings: //')"
}
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(java -version 2>&1 | head -1)"
for size in "${sizes[@]}"; do
  n=${size%%:*}; e=${size##*:}
  platform="$work/platform-$n-$e"
  out="$work/out-$n-$e"
  java bench/GeneratePlatform.java "$n" "$e" "$platform"
  # committed, so that the diff below has a base revision
  git -C "$platform" init -q && git -C "$platform" add -A \
    && git -C "$platform" -c user.name=bench -c user.email=bench@plinth.dev commit -qm base
  rm -rf "$out" "$out.plinth-cache"
  echo "$n apps x $e environments:"
  measure full "${plinth[@]}" render -r "$platform" -o "$out" --timings
  grep -o '[0-9]* files' "$work/stdout.txt" | head -1 | sed 's/^/               /'
  measure noop "${plinth[@]}" render -r "$platform" -o "$out" --timings
  sed -i 's/LOG_LEVEL: info/LOG_LEVEL: debug/' "$platform/environments/base/apps/app-0.yaml"
  measure one-app "${plinth[@]}" render -r "$platform" -o "$out" --timings
  # two renders without writing; cold, since the cache sits beside the output of the renders above
  measure diff "${plinth[@]}" diff -r "$platform" --base HEAD -o "$work/diff.md"
  mkdir -p "$platform/library/traits"
  sed "s#'../lib/plinth.libsonnet'#'lib/plinth.libsonnet'#; s#\[{ tag_normaliser: {} }\]#[{ tag_normaliser: {} }, { dedot: { de_dot_separator: '_' } }]#" \
    library/traits/logs.libsonnet > "$platform/library/traits/logs.libsonnet"
  measure definition "${plinth[@]}" render -r "$platform" -o "$out" --timings
  # the same unit programs with the plain engines
  "${plinth[@]}" validate -r "$platform" --full --emit-jsonnet "$work/units-$n-$e.jsonnet" > /dev/null
  rm -rf "$work/sj" && mkdir -p "$work/sj"
  measure sjsonnet-m java -cp compiler/target/plinth.jar sjsonnet.SjsonnetMain -J library -m "$work/sj" "$work/units-$n-$e.jsonnet"
  if [ "$n" -le 200 ] && command -v jsonnet > /dev/null; then
    rm -rf "$work/cpp" && mkdir -p "$work/cpp"
    measure jsonnet-m jsonnet -J library -m "$work/cpp" "$work/units-$n-$e.jsonnet"
  fi
  rm -rf "$out" "$out.plinth-cache" "$work/sj" "$work/cpp"
done
