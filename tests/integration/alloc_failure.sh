# Memory that runs out: the default pipeline over real articles, with one
# allocation made to fail at a time (tests/tools/fail_alloc.c), at points
# spread over the whole run -- loading plugins, reading the config, building
# the stages and the Lua state, documents, outputs, the commit. Each run
# must end in one of the documented ways, never in a crash:
#   0 or 3  finished; every document written or rejected with a reason;
#   1 or 2  failed with a message; nothing committed;
#   134     the host's own allocation failed: "out of memory", nothing
#           committed, or, after the commit, files said to be in place
#           (the host stops there; see docs/reliability.md).
# And no message may blame the input for what memory did.
. "$(dirname "$0")/lib.bash"
[ -n "${TM_FAIL_ALLOC:-}" ] || { echo "skip: a sanitizer build replaces malloc itself"; exit 77; }
SRC=$TM_SOURCE_DIR
DEV=$SRC/../shared/corpus/dev
POINTS=${TM_FAIL_ALLOC_POINTS:-60}

# Real text when it is there (four defence articles), else the seeds.
if [ -f "$DEV/baomoi_defence.jsonl" ]; then
  head -4 "$DEV/baomoi_defence.jsonl" >"$WORK/in.jsonl"
  input=$WORK/in.jsonl docs=4
else
  echo "note: ../shared/corpus/dev is absent; running over the seed articles"
  [ -d "${TM_SEEDS:-}" ] || { echo "skip: neither ../shared/corpus/dev nor the seeds are here"; exit 77; }
  input=$TM_SEEDS docs=$(find "$TM_SEEDS" -maxdepth 1 -name '*.txt' | wc -l)
fi

# The default config as shipped, in a tree of its own so that its outputs
# (../out) land in $WORK/out.
mkdir -p "$WORK/config" "$WORK/out"
cp "$SRC/config/default.yaml" "$WORK/config/"
ln -s "$SRC/config/boilerplate" "$WORK/config/boilerplate"
ln -s "$SRC/scripts" "$WORK/scripts"
CFG=$WORK/config/default.yaml

# run N WORKERS [WHAT]: the run with the Nth allocation (or, WHAT=THREAD,
# the Nth new thread) failing; its status in $rc.
run() {
  rm -rf "$WORK/out" && mkdir "$WORK/out"
  rc=0
  timeout 120 env "TM_FAIL_${3:-ALLOC}_AT=$1" LD_PRELOAD="$TM_FAIL_ALLOC" "$TEXTMILL" run "$CFG" -i "$input" -j "$2" \
    >/dev/null 2>"$WORK/err" || rc=$?
}

# judge WHAT: is the last run's end one of those above?
judge() {
  local what=$1
  if grep -qE "syntax error|is invalid|no Unicode tables|not found|outside the|bad pattern" "$WORK/err"; then
    cat "$WORK/err" >&2
    fail "$what: the message blames the input"
  fi
  case $rc in
  0 | 3)
    # The summary's sums, and the files that hold what it counts.
    local line read written dropped rejected
    line=$(grep -oE '[0-9]+ documents read: [0-9]+ written, [0-9]+ dropped, [0-9]+ rejected' "$WORK/err") ||
      fail "$what: exit $rc without a summary"
    read -r read written dropped rejected <<<"$(echo "$line" | grep -oE '[0-9]+' | tr '\n' ' ')"
    [ "$read" = "$docs" ] && [ $((written + dropped + rejected)) = "$read" ] || fail "$what: $line"
    [ "$(wc -l <"$WORK/out/sample.jsonl")" = "$written" ] || fail "$what: sample.jsonl does not hold $written"
    if [ "$rejected" != 0 ]; then
      [ "$(grep -c '"reason"' "$WORK/out/rejects.jsonl")" = "$rejected" ] || fail "$what: rejects without reasons"
    fi
    [ "$rc" = 0 ] || [ "$rejected" != 0 ] || fail "$what: exit 3 with nothing rejected"
    ;;
  1 | 2 | 134)
    grep -q '^textmill: ' "$WORK/err" || fail "$what: exit $rc without a message"
    if [ "$rc" = 134 ]; then
      grep -q "out of memory" "$WORK/err" || { cat "$WORK/err" >&2; fail "$what: aborted, but not for memory"; }
    fi
    # After the commit, a failure says the files are in place.
    [ -z "$(ls -A "$WORK/out")" ] || grep -q "its files were all in place already" "$WORK/err" ||
      fail "$what: exit $rc, yet it left $(ls -A "$WORK/out")"
    ;;
  *)
    cat "$WORK/err" >&2
    fail "$what: exit $rc"
    ;;
  esac
}

# How many allocations a whole run makes, then points spread over them
# (odd strides, so that the same few call sites are not hit every time).
TM_FAIL_ALLOC_COUNT=$WORK/count LD_PRELOAD=$TM_FAIL_ALLOC "$TEXTMILL" run "$CFG" -i "$input" -j 1 -q
total=$(cat "$WORK/count")
[ "$total" -gt 1000 ] || fail "only $total allocations counted: is the library preloaded?"
declare -A seen
for ((k = 0; k < POINTS; k++)); do
  n=$((1 + k * total / POINTS + k % 7))
  run "$n" 1
  judge "allocation $n failing (-j 1)"
  seen[$rc]=$((${seen[$rc]:-0} + 1))
done
# Two workers: the same allocation falls on whichever thread gets there.
for ((k = 0; k < POINTS / 6; k++)); do
  n=$((1 + k * 6 * total / POINTS + 3))
  run "$n" 2
  judge "allocation $n failing (-j 2)"
  seen[$rc]=$((${seen[$rc]:-0} + 1))
done
# A thread that cannot start (a worker, the reader, the writer, the
# watchdog, a Lua state's builder, SQLite's sorter): three workers, each
# thread of the run failing in turn.
rm -rf "$WORK/out" && mkdir "$WORK/out"
TM_FAIL_THREAD_COUNT=$WORK/threads LD_PRELOAD=$TM_FAIL_ALLOC "$TEXTMILL" run "$CFG" -i "$input" -j 3 -q
threads=$(cat "$WORK/threads")
[ "$threads" -ge 4 ] || fail "only $threads threads counted with three workers"
cp "$WORK/out/sample.jsonl" "$WORK/whole.jsonl"
for ((t = 1; t <= threads; t++)); do
  run "$t" 3 THREAD
  judge "thread $t failing to start (-j 3)"
  [ "$rc" = 0 ] || fail "thread $t failing to start (-j 3): exit $rc"
  cmp -s "$WORK/out/sample.jsonl" "$WORK/whole.jsonl" || fail "thread $t failing to start (-j 3): other documents"
done
echo "$threads threads in a run with three workers, each failing in turn: passed"
# The runs must have met both outcomes: some failed, some finished.
summary=""
for s in "${!seen[@]}"; do summary+=" exit $s: ${seen[$s]};"; done
echo "$total allocations in a run; $((POINTS + POINTS / 6)) runs with one failing:$summary"
[ -n "${seen[0]:-}${seen[3]:-}" ] || fail "no run finished"
[ -n "${seen[1]:-}${seen[2]:-}${seen[134]:-}" ] || fail "no run failed: did the allocations fail?"
