# Memory that runs out: pipelines over real articles with one allocation
# made to fail at a time (tests/tools/fail_alloc.c), at points spread over
# the whole run -- loading plugins, reading the config, building the stages
# and the Lua state, documents, outputs, the commit. Each run must end in
# one of the documented ways, never in a crash:
#   0 or 3  finished; every document written or rejected with a reason;
#   1 or 2  failed with a message; nothing committed;
#   134     the host's own allocation failed: "out of memory", nothing
#           committed, or, during or after the commit, a message that says
#           which files may be in place (see docs/reliability.md).
# No run may leave a temporary file, and no message may blame the input
# for what memory did. Then each thread of a run fails to start in turn.
. "$(dirname "$0")/lib.bash"
[ -n "${TM_FAIL_ALLOC:-}" ] || { echo "skip: a sanitizer build replaces malloc itself"; exit 77; }
SRC=$TM_SOURCE_DIR
DEV=$SRC/../shared/corpus/dev
POINTS=${TM_FAIL_ALLOC_POINTS:-60}

# Real text when it is there (four defence articles, one of them twice
# and three more from another site), else the seeds.
if [ -f "$DEV/baomoi_defence.jsonl" ]; then
  head -4 "$DEV/baomoi_defence.jsonl" >"$WORK/in.jsonl"
  { head -1 "$DEV/baomoi_defence.jsonl" && head -3 "$DEV/dantri.jsonl"; } | gzip >"$WORK/more.jsonl.gz"
  inputs=(-i "$WORK/in.jsonl") more=(-i "$WORK/in.jsonl" -i "$WORK/more.jsonl.gz") docs=4 more_docs=8
else
  echo "note: ../shared/corpus/dev is absent; running over the seed articles"
  [ -d "${TM_SEEDS:-}" ] || { echo "skip: neither ../shared/corpus/dev nor the seeds are here"; exit 77; }
  docs=$(find "$TM_SEEDS" -maxdepth 1 -name '*.txt' | wc -l)
  inputs=(-i "$TM_SEEDS") more=(-i "$TM_SEEDS") more_docs=$docs
fi

# The default config as shipped, in a tree of its own so that its outputs
# (../out) land in $WORK/out; and one with the other stages and outputs
# that allocate: indexes kept on disk, CSV, a regex, shared paragraphs.
mkdir -p "$WORK/config" "$WORK/out"
cp "$SRC/config/default.yaml" "$WORK/config/"
ln -s "$SRC/config/boilerplate" "$WORK/config/boilerplate"
ln -s "$SRC/scripts" "$WORK/scripts"
config other <<EOF
stages:
  - {type: clean.normalize}
  - {type: dedup.paragraph}
  - {type: extract.regex, pattern: '\b(?:Bộ|Sở) \p{Lu}\p{L}+(?: \p{Lu}\p{L}+)*', entity: ORG}
  - {type: dedup.exact, index: $WORK/out/exact.idx}
  - {type: dedup.minhash, index: $WORK/out/near.idx}
outputs:
  - {type: output.csv, path: $WORK/out/entities.csv, rows: entities}
  - {type: output.jsonl, path: $WORK/out/sample.jsonl}
  - {type: output.sqlite, path: $WORK/out/articles.db}
rejects: $WORK/out/rejects.jsonl
EOF

# run CONFIG N WORKERS [WHAT] INPUTS...: the run with the Nth allocation
# (or, WHAT=THREAD, the Nth new thread) failing; its status in $rc.
run() {
  local cfg=$1 n=$2 j=$3 what=$4
  shift 4
  rm -rf "$WORK/out" && mkdir "$WORK/out"
  rc=0
  timeout 120 env "TM_FAIL_${what}_AT=$n" LD_PRELOAD="$TM_FAIL_ALLOC" "$TEXTMILL" run "$cfg" "$@" -j "$j" \
    >/dev/null 2>"$WORK/err" || rc=$?
}

# judge WHAT DOCS: is the last run's end one of those above?
judge() {
  local what=$1 want=$2
  if grep -qE "syntax error|is invalid|no Unicode tables|not found|outside the|bad pattern" "$WORK/err"; then
    cat "$WORK/err" >&2
    fail "$what: the message blames the input"
  fi
  ! ls -A "$WORK/out" | grep -q '\.tmp-' || fail "$what: exit $rc left $(ls -A "$WORK/out")"
  case $rc in
  0 | 3)
    # The summary's sums, and the files that hold what it counts.
    local line read written dropped rejected
    line=$(grep -oE '[0-9]+ documents read: [0-9]+ written, [0-9]+ dropped, [0-9]+ rejected' "$WORK/err") ||
      fail "$what: exit $rc without a summary"
    read -r read written dropped rejected <<<"$(echo "$line" | grep -oE '[0-9]+' | tr '\n' ' ')"
    [ "$read" = "$want" ] && [ $((written + dropped + rejected)) = "$read" ] || fail "$what: $line"
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
    # Nothing but the indexes' lock files, unless the commit had begun.
    [ -z "$(ls -A "$WORK/out" | grep -v '\.lock$')" ] ||
      grep -qE "its files were all in place already|it was putting its files in place" "$WORK/err" ||
      fail "$what: exit $rc, yet it left $(ls -A "$WORK/out")"
    ;;
  *)
    cat "$WORK/err" >&2
    fail "$what: exit $rc"
    ;;
  esac
}

declare -A seen
# sweep CONFIG POINTS WORKERS DOCS INPUTS...: POINTS runs, the failing
# allocation spread over a whole run's (odd strides, so that the same few
# call sites are not hit every time).
sweep() {
  local cfg=$1 points=$2 j=$3 want=$4 total k n
  shift 4
  rm -rf "$WORK/out" && mkdir "$WORK/out"
  TM_FAIL_ALLOC_COUNT=$WORK/count LD_PRELOAD=$TM_FAIL_ALLOC "$TEXTMILL" run "$cfg" "$@" -j "$j" -q
  total=$(cat "$WORK/count")
  [ "$total" -gt 1000 ] || fail "only $total allocations counted: is the library preloaded?"
  for ((k = 0; k < points; k++)); do
    n=$((1 + k * total / points + k % 7))
    run "$cfg" "$n" "$j" ALLOC "$@"
    judge "$(basename "$cfg"): allocation $n of $total failing (-j $j)" "$want"
    seen[$rc]=$((${seen[$rc]:-0} + 1))
  done
  echo "$(basename "$cfg"), -j $j: $total allocations in a run, $points runs with one failing"
}
sweep "$WORK/config/default.yaml" "$POINTS" 1 "$docs" "${inputs[@]}"
# Two workers: the same allocation falls on whichever thread gets there.
sweep "$WORK/config/default.yaml" $((POINTS / 6)) 2 "$docs" "${inputs[@]}"
sweep "$WORK/other.yaml" $((POINTS / 2)) 1 "$more_docs" "${more[@]}"

# A thread that cannot start (a worker, the reader, the writer, the
# watchdog, a Lua state's builder, SQLite's sorter): three workers, each
# thread of the run failing in turn, the same documents every time.
CFG=$WORK/config/default.yaml
rm -rf "$WORK/out" && mkdir "$WORK/out"
TM_FAIL_THREAD_COUNT=$WORK/threads LD_PRELOAD=$TM_FAIL_ALLOC "$TEXTMILL" run "$CFG" "${inputs[@]}" -j 3 -q
threads=$(cat "$WORK/threads")
[ "$threads" -ge 4 ] || fail "only $threads threads counted with three workers"
cp "$WORK/out/sample.jsonl" "$WORK/whole.jsonl"
for ((t = 1; t <= threads; t++)); do
  run "$CFG" "$t" 3 THREAD "${inputs[@]}"
  judge "thread $t failing to start (-j 3)" "$docs"
  [ "$rc" = 0 ] || fail "thread $t failing to start (-j 3): exit $rc"
  cmp -s "$WORK/out/sample.jsonl" "$WORK/whole.jsonl" || fail "thread $t failing to start (-j 3): other documents"
done
echo "$threads threads in a run with three workers, each failing in turn: the same documents"

# The runs must have met both outcomes: some failed, some finished.
summary=""
for s in "${!seen[@]}"; do summary+=" exit $s: ${seen[$s]};"; done
echo "ends of the runs with an allocation failing:$summary"
[ -n "${seen[0]:-}${seen[3]:-}" ] || fail "no run finished"
[ -n "${seen[1]:-}${seen[2]:-}${seen[134]:-}" ] || fail "no run failed: did the allocations fail?"
