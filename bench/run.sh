#!/usr/bin/env bash
# Benchmark harness. For each size N:E it generates a platform of N apps x E environments
# (bench/GeneratePlatform.java) and times, as fresh processes through compiler/bin/plinth:
#   full       render into an empty output with no cache (GC log: peak heap in use)
#   full-1g    the same with the heap capped at 1 GiB (-Xmx1g), into another empty output
#   noop       the first output again, nothing changed
#   one-app    after changing one app's properties
#   diff       plinth diff --base HEAD after the one-app change (two renders, nothing written)
#   definition after replacing a built-in trait (logs) in the platform's library: most units change
# one run each, with the stage times (--timings) and the peak resident memory; then the same unit
# programs evaluated by the plain sjsonnet command line (`-m`, the jar Plinth ships) and, for
# N <= 200, C++ jsonnet.
# With --maven, then the Maven goal as CI runs it, `mvn -q platform:render` in a copy of the
# platform with a pom that declares the plugin (install it first: mvn -q install -DskipTests;
# BENCH_MVN_ARGS adds options to every mvn, e.g. "-o -Dmaven.repo.local=..."):
#   mvn-startup  Maven's own start-up: mvn -q validate on that pom, which runs no plugin
#   mvn-goal     Maven's start-up for a plugin goal called by its prefix, as platform:render is:
#                mvn -q clean:clean on that pom (maven-clean-plugin, nothing to clean)
#   mvn-full     render into an empty output with no cache
#   mvn-noop     the same output again, nothing changed
#   mvn-one-app  after changing one app's properties
# (two goals run on the example platform first, so that the forked JVM's class-data archive,
# made by the second run for a classpath, exists).
#   bench/run.sh [--maven] [N:E ...]        default: 100:3 1000:3
# Every output goes into a directory of its own and nothing is deleted: ext4 is slow to create
# files for some minutes after many were deleted (it skips recently freed inodes), which made
# earlier figures for writing 20,000 files range from 1 to 16 s. Delete the work directory (named
# at the end) when done, and not right before the next run.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f compiler/target/plinth.jar ] || mvn -B -q package -DskipTests
maven=false
if [ "${1:-}" = --maven ]; then maven=true; shift; fi
read -r -a mvn_args <<< "${BENCH_MVN_ARGS:-}"
mvn=(mvn -B -q "${mvn_args[@]}")
version=$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' pom.xml | head -1) # the plugin's, as installed
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100:3 1000:3)
work=${BENCH_DIR:-/tmp/plinth-bench}/$(date +%s)
mkdir -p "$work"
trap 'echo "work directory (delete when done, not right before a run): $work"' EXIT
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
  if $maven; then
    cp -r "$platform" "$platform-mvn"
    cat > "$platform-mvn/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>bench</groupId>
  <artifactId>bench-platform</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <build>
    <plugins>
      <plugin>
        <groupId>dev.plinth</groupId>
        <artifactId>platform-maven-plugin</artifactId>
        <version>$version</version>
      </plugin>
    </plugins>
  </build>
</project>
POM
  fi
  # committed, so that the diff below has a base revision
  git -C "$platform" init -q && git -C "$platform" add -A \
    && git -C "$platform" -c user.name=bench -c user.email=bench@plinth.dev commit -qm base
  # let the file system settle after writing the platform and its repository: the first render
  # after it otherwise wrote its files two to three times slower on this disk
  sync; sleep 10
  echo "$n apps x $e environments:"
  PLINTH_JAVA_OPTS="-Xlog:gc:file=$work/gc.txt" measure full "${plinth[@]}" render -r "$platform" -o "$out" --timings
  grep -o '[0-9]* files' "$work/stdout.txt" | head -1 | sed 's/^/               /'
  # the largest heap occupancy before a collection, and the heap the JVM had reserved by then
  awk '/Pause/ { split($0, a, "->"); n = split(a[1], b, " "); used = b[n] + 0; if (used > peak) peak = used;
         c = a[2]; sub(/^[0-9]+M\(/, "", c); sub(/M\).*/, "", c); if (c + 0 > committed) committed = c + 0 }
       END { printf "               peak heap in use %d MiB of %d MiB committed\n", peak, committed }' "$work/gc.txt"
  PLINTH_JAVA_OPTS=-Xmx1g measure full-1g "${plinth[@]}" render -r "$platform" -o "$out-1g" --timings
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
  mkdir -p "$work/sj-$n-$e"
  measure sjsonnet-m java -cp compiler/target/plinth.jar sjsonnet.SjsonnetMain -J library -m "$work/sj-$n-$e" "$work/units-$n-$e.jsonnet"
  if [ "$n" -le 200 ] && command -v jsonnet > /dev/null; then
    mkdir -p "$work/cpp-$n-$e"
    measure jsonnet-m jsonnet -J library -m "$work/cpp-$n-$e" "$work/units-$n-$e.jsonnet"
  fi
  if $maven; then
    "${mvn[@]}" platform:validate > /dev/null && "${mvn[@]}" platform:validate > /dev/null
    measure mvn-startup "${mvn[@]}" -f "$platform-mvn/pom.xml" validate
    measure mvn-goal "${mvn[@]}" -f "$platform-mvn/pom.xml" clean:clean
    measure mvn-full "${mvn[@]}" -f "$platform-mvn/pom.xml" platform:render -Dplatform.output="$out-mvn"
    measure mvn-noop "${mvn[@]}" -f "$platform-mvn/pom.xml" platform:render -Dplatform.output="$out-mvn"
    sed -i 's/LOG_LEVEL: info/LOG_LEVEL: debug/' "$platform-mvn/environments/base/apps/app-0.yaml"
    measure mvn-one-app "${mvn[@]}" -f "$platform-mvn/pom.xml" platform:render -Dplatform.output="$out-mvn"
  fi
done
