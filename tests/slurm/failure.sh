# On a real Slurm cluster: a shard that fails makes `textmill slurm --wait`
# exit 1 within seconds, naming the shard and its log, and cancel the rest;
# re-submitting (--resume) runs only what is not done and completes the
# run. A phase-3 failure re-runs only that shard. Skips (77) without Slurm.
. "$TM_SOURCE_DIR/tests/integration/lib.bash"
. "$(dirname "$0")/lib.bash"
need_slurm
make_corpus "$WORK/corpus.jsonl" 2000
cp "$WORK/corpus.jsonl" "$WORK/good.jsonl"
config news <<EOF2
input: {paths: [corpus.jsonl]}
on_error: fail
stages: [{type: dedup.minhash}]
outputs: [{type: output.jsonl, path: results/news.jsonl}]
EOF2
run_tm 0 run "$WORK/news.yaml" -o "$WORK/single.jsonl"
# one record of shard 2 (of 4) loses its closing brace: that shard fails
python3 - "$WORK/corpus.jsonl" <<'PY'
import sys
p = sys.argv[1]; data = open(p, "rb").read()
start = data.rfind(b"\n", 0, len(data) * 5 // 8) + 1
end = data.index(b"\n", start)
open(p, "wb").write(data[:end - 1] + b" " + data[end:])
PY
w=$WORK/run
start=$(date +%s.%N)
run_tm 1 slurm "$WORK/news.yaml" --shards 4 -w "$w" --cpus 1 --mem 400M --wait
took=$(awk "BEGIN{print $(date +%s.%N) - $start}")
echo "failure reported after $took s"
awk "BEGIN{exit !($took < 30)}" || fail "the failure took $took s to report"
expect_err "phase 1, shard 2"
expect_err "FAILED"
expect_err "log: $w/logs/phase1-00002.log"
expect_err "malformed JSON"
expect_err "textmill slurm --resume $w --wait"
sleep 1
[ -z "$(squeue -h -j "$(grep -v '^#' "$w/jobs/submitted" | awk '{print $2}' | paste -sd,)" 2>/dev/null)" ] ||
  fail "jobs of the failed run are still queued"
# fixed: re-submitting runs shard 2 (and what was cancelled), the merge, phase 3
cp "$WORK/good.jsonl" "$WORK/corpus.jsonl"
todo=$(for i in 0 1 2 3; do [ -e "$w/done/phase1-0000$i" ] || echo "$i"; done | paste -sd' ')
run_tm 0 slurm --resume "$w" --wait
expect_err "textmill slurm: done: 4 shards"
# the latest submission's phase-1 shards are exactly those that were not done
got=$(python3 - "$w/jobs/submitted" <<'PY'
import sys
block = open(sys.argv[1]).read().split("# ")[-1].splitlines()[1:]
shards = []
for line in block:
    what, job, *rest = line.split()
    if what == "phase1":
        base, spec = int(rest[0]), rest[1]
        for part in spec.split(","):
            a, _, b = part.partition("-")
            shards += [base + x for x in range(int(a), int(b or a) + 1)]
print(" ".join(map(str, sorted(shards))))
PY
)
echo "phase 1 again for shard(s): $got (not done: $todo)"
[ "$got" = "$todo" ] || fail "re-submitted phase 1 for '$got', but '$todo' were not done"
cat_outputs "$w" news.jsonl | cmp - "$WORK/single.jsonl" || fail "the resumed run differs from one run"

# phase 3 of shard 1 cannot write its output: only that shard runs again
rm -f "$w/done/phase3-00001" "$w/out/shard-00001/news.jsonl"
mkdir "$w/out/shard-00001/news.jsonl"
run_tm 1 slurm --resume "$w" --wait
expect_err "phase 3, shard 1"
rmdir "$w/out/shard-00001/news.jsonl"
run_tm 0 slurm --resume "$w" --wait
expect_err "submitted phase 3 as array job"
expect_err ": shard 1"
if grep -q "submitted the merge\|submitted phase 1" "$WORK/err"; then fail "more than shard 1 ran again"; fi
cat_outputs "$w" news.jsonl | cmp - "$WORK/single.jsonl" || fail "after re-running shard 1 the output differs"
echo ok
