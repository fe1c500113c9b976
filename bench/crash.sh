#!/usr/bin/env bash
# Kill-at-random harness (issue 14): `kill -9` a render at random moments and check that nothing
# ever sees a mixed output. A small golden platform (02-webservice-traits) flips between two
# versions (the app renamed: every file of it deleted and created again, kustomizations rewritten).
# Each run starts `plinth render` of the other version into one output, as a forked JVM
# (java -cp compiler/target/plinth.jar dev.plinth.cli.PlinthCli), kills it with SIGKILL after a
# random delay, then asserts:
#   - with no journal beside the output, the output is exactly the old or the new version's
#     render (every file and the ledger; never a mix, never a 0-byte file);
#   - with a journal (killed while writing), `verify` exits 1 saying a render was interrupted,
#     and `validate` (which never reads the output) still passes;
#   - no command is left stuck: the next `render` exits 0, leaves no journal or backup, and its
#     output equals a `render --full` of the same version into a fresh directory.
# Odd runs kill at a random moment after the journal appears (inside the write phase, which the
# writer stretches by pausing before each change: -Dplinth.writer.pauseMillis), even runs at a
# random moment of the whole render (start-up, render, write, cache).
#   bench/crash.sh [RUNS]      default 20 (.ci/run runs 3); needs compiler/target/plinth.jar
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-20}
jar=compiler/target/plinth.jar
[ -f "$jar" ] || { echo "bench/crash.sh: $jar is missing: mvn -B -q -pl library,compiler -am package -DskipTests" >&2; exit 1; }
jar=$(pwd)/$jar
work=$(mktemp -d)
pid=
trap 'if [ -n "$pid" ]; then kill -9 "$pid" 2> /dev/null || true; wait "$pid" 2> /dev/null || true; fi; rm -rf "$work"' EXIT
pause=${CRASH_PAUSE_MILLIS:-15}
java_cli=(java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC "-Dplinth.writer.pauseMillis=$pause" -cp "$jar" dev.plinth.cli.PlinthCli)
plinth() { "${java_cli[@]}" "$@"; }
fail() { echo "bench/crash.sh: run $run: $*" >&2; exit 1; }

root=$work/platform
mkdir -p "$root"
cp -r tests/golden/02-webservice-traits/input/. "$root/"
app=$root/environments/live/apps/shop.yaml
cp "$app" "$work/version-a.yaml"
sed 's/{name: shop, tenant: web}/{name: store, tenant: web}/; s/replicas: 3/replicas: 4/' "$app" > "$work/version-b.yaml"
cmp -s "$work/version-a.yaml" "$work/version-b.yaml" && { echo "bench/crash.sh: version b is no change" >&2; exit 1; }

# the reference renders, from scratch, and the time a whole render takes (the range of the kills)
for v in a b; do
  cp "$work/version-$v.yaml" "$app"
  plinth render -r "$root" -o "$work/ref-$v" --full > /dev/null
done
out=$work/out
cp "$work/version-a.yaml" "$app"
plinth render -r "$root" -o "$out" > /dev/null
cp "$work/version-b.yaml" "$app"
start=$(date +%s%N)
plinth render -r "$root" -o "$out" > /dev/null
span_ms=$(( ($(date +%s%N) - start) / 1000000 ))
diff -r "$out" "$work/ref-b" > /dev/null || { run=0; fail "a render of version b differs from its --full render"; }
current=b

same_tree() { diff -r "$1" "$2" > /dev/null 2>&1; }
mid=0 before=0 after=0
for run in $(seq 1 "$runs"); do
  next=$([ "$current" = a ] && echo b || echo a)
  cp "$work/version-$next.yaml" "$app"
  "${java_cli[@]}" render -r "$root" -o "$out" > "$work/killed.log" 2>&1 &  # the JVM itself, so that the kill reaches it
  pid=$!
  if [ $((run % 2)) = 1 ]; then
    # odd runs: at a random moment of the write phase (once the journal is there)
    while [ ! -e "$work/out.plinth-journal" ] && kill -0 "$pid" 2> /dev/null; do sleep 0.002; done
    delay_ms=$(( RANDOM % (pause * 30 + 50) ))
  else
    # even runs: at any moment of the whole render
    delay_ms=$(( RANDOM % (span_ms + 1) ))
  fi
  sleep "$(printf '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000)))"
  kill -9 "$pid" 2> /dev/null || true
  wait "$pid" 2> /dev/null || true

  if [ -e "$work/out.plinth-journal" ]; then
    mid=$((mid + 1))
    set +e
    plinth verify -r "$root" -o "$out" > "$work/verify.log" 2>&1
    status=$?
    set -e
    [ "$status" = 1 ] && grep -q "a render was interrupted while writing this output" "$work/verify.log" \
      || fail "verify over an interrupted write exited $status: $(cat "$work/verify.log")"
    plinth validate -r "$root" -o "$out" > "$work/validate.log" 2>&1 || fail "validate failed: $(cat "$work/validate.log")"
  elif same_tree "$out" "$work/ref-$current"; then
    before=$((before + 1))
  elif same_tree "$out" "$work/ref-$next"; then
    after=$((after + 1))
  else
    diff -r "$out" "$work/ref-$next" | head -20 >&2 || true
    fail "killed after ${delay_ms} ms: no journal, and the output is neither the old nor the new render"
  fi
  if [ ! -e "$work/out.plinth-journal" ]; then
    find "$out" -type f -empty | grep -q . && fail "a 0-byte file in the output: $(find "$out" -type f -empty)"
    set +e
    plinth verify -r "$root" -o "$out" > "$work/verify.log" 2>&1
    status=$?
    set -e
    # the output is the new version's exactly when verify (of the new version's input) passes
    if same_tree "$out" "$work/ref-$next"; then want=0; else want=1; fi
    [ "$status" = "$want" ] || fail "verify exited $status over a whole $( [ $want = 0 ] && echo new || echo old ) output: $(cat "$work/verify.log")"
  fi

  plinth render -r "$root" -o "$out" > "$work/render.log" 2>&1 || fail "the render after the kill failed: $(cat "$work/render.log")"
  [ ! -e "$work/out.plinth-journal" ] && [ ! -e "$work/out.plinth-backup" ] || fail "a journal or backup is left after a render"
  same_tree "$out" "$work/ref-$next" || { diff -r "$out" "$work/ref-$next" | head -20 >&2; fail "render after the kill differs from render --full"; }
  current=$next
done
echo "bench/crash.sh: $runs kills (a render takes ${span_ms} ms): $before before writing, $mid while writing (rolled back), $after after; never a mixed output"
