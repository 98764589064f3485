# textmill slurm's checks and files, without a cluster: what a config must
# have, the work folder's fingerprint, the job scripts it writes, and what
# it says where there is no sbatch.
. "$TM_SOURCE_DIR/tests/integration/lib.bash"
cd "$WORK"  # --set paths are relative to the current directory
printf '{"id":"a","text":"one two three four five six"}\n' >"$WORK/in.jsonl"
config ok <<EOF2
input: {paths: [in.jsonl]}
stages: [{type: dedup.minhash}, {type: filter.length, min_chars: 5}]
outputs: [{type: output.jsonl, path: results/ok.jsonl}, {type: output.jsonl, path: other/ok.jsonl}]
EOF2
run_tm 2 slurm "$WORK/ok.yaml"
expect_err "missing --shards N"
run_tm 2 slurm --shards 2
expect_err "missing CONFIG"
run_tm 2 slurm "$WORK/ok.yaml" --shards 0
expect_err "--shards expects a number from 1 to 100000"
run_tm 2 slurm "$WORK/ok.yaml" --shards 2 --set stages.0.type=filter.length
expect_err "has no stage with a global phase"
# what a stage cannot do sharded, it refuses before anything is submitted
run_tm 2 slurm "$WORK/ok.yaml" --shards 2 --set stages.0.index=x.idx -w "$WORK/refused"
expect_err "stages.0 (dedup.minhash, $WORK/ok.yaml:2:10) cannot run sharded: --set stages.0.index: index: is not available in a sharded run: the shards cannot share one index"
[ -e "$WORK/refused/jobs/submit.sh" ] && fail "a refused config was planned"
run_tm 2 slurm "$WORK/ok.yaml" --shards 2 --set 'stages=[{type: dedup.paragraph, report: r.jsonl}]'
expect_err "report: is not available in a sharded run"
run_tm 2 slurm "$WORK/ok.yaml" --shards 2 -i -
expect_err "cannot be cut into shards"
run_tm 2 slurm "$WORK/ok.yaml" --shards 2 --set 'outputs.0.path="-"'
expect_err "outputs.0 (output.jsonl) writes to standard output"
run_tm 2 slurm "$WORK/ok.yaml" --shards 2 -w "$WORK/with space"
expect_err "has characters the job scripts cannot take"
# every stage with a global phase gets one: collect, merge, apply, in turn
run_tm 0 slurm "$WORK/ok.yaml" --shards 2 --set 'stages=[{type: dedup.exact}, {type: dedup.minhash}]' -w "$WORK/w0" --dry-run
for f in phase1 merge2 phase3 merge4 phase5; do [ -s "$WORK/w0/jobs/$f.sh" ] || fail "no $f.sh for two global stages"; done
grep -q 'apply:stages.0:$shard/$N:$W/global/stages.0' "$WORK/w0/jobs/phase3.sh" || fail "phase 3 does not apply dedup.exact"
grep -q 'collect:stages.1:$shard/$N:$W/global/stages.1' "$WORK/w0/jobs/phase3.sh" || fail "phase 3 does not collect for dedup.minhash"

# the scripts
run_tm 0 slurm "$WORK/ok.yaml" --shards 2 -w "$WORK/w" --dry-run --partition short --time 1:00:00 \
  --mem 2G --sbatch=--qos=low --cpus 4
for f in settings.sh phase1.sh merge.sh phase3.sh run-local.sh submit.sh command key; do
  [ -s "$WORK/w/jobs/$f" ] || fail "no $f"
done
for f in phase1.sh merge.sh phase3.sh run-local.sh submit.sh; do bash -n "$WORK/w/jobs/$f" || fail "$f: bad bash"; done
grep -qx '#SBATCH --partition=short' "$WORK/w/jobs/phase1.sh" || fail "no partition"
grep -qx '#SBATCH --time=1:00:00' "$WORK/w/jobs/merge.sh" || fail "no time"
grep -qx '#SBATCH --qos=low' "$WORK/w/jobs/phase3.sh" || fail "no extra sbatch option"
grep -qx '#SBATCH --cpus-per-task=4' "$WORK/w/jobs/phase1.sh" || fail "no cpus"
grep -q 'MERGE_MEMORY=1024 ' "$WORK/w/jobs/settings.sh" || fail "merge buffer is not half of --mem"
grep -q 'outputs.1.path=$W/out/shard-$s/1-ok.jsonl' "$WORK/w/jobs/phase3.sh" || fail "two outputs of one name"
grep -q "stages=\[{type: dedup.minhash}\]" "$WORK/w/jobs/phase1.sh" || fail "phase 1 runs stages after dedup.minhash"
# phase 3 runs dedup.minhash (applying the merge) and the stage after it:
# the config's whole list, so no --set stages
grep -q "stages=" "$WORK/w/jobs/phase3.sh" && fail "phase 3 does not run the config's own stages"
grep -q 'apply:stages.0:$shard/$N:$W/global/stages.0' "$WORK/w/jobs/phase3.sh" || fail "phase 3 does not apply the merge"
grep -q -- '--array=0-1 --export=ALL,TM_SHARD_BASE=0' "$WORK/w/jobs/submit.sh" || fail "submit.sh"
# another config in the same folder is refused; --restart forgets
run_tm 2 slurm "$WORK/ok.yaml" --shards 3 -w "$WORK/w" --dry-run
expect_err "holds a run of another config, input or shard count"
run_tm 0 slurm "$WORK/ok.yaml" --shards 3 -w "$WORK/w" --dry-run --restart
# --resume reads the command back, from anywhere
(cd / && "$TEXTMILL" slurm --resume "$WORK/w" --dry-run) 2>"$WORK/err" || { cat "$WORK/err"; fail "--resume"; }
grep -q '^N=3 ' "$WORK/w/jobs/settings.sh" || fail "--resume lost --shards"
run_tm 2 slurm --resume "$WORK/nowhere"
expect_err "no saved command"
# no sbatch here: a clear message, and the scripts to run by hand
if ! command -v sbatch >/dev/null; then
  run_tm 1 slurm "$WORK/ok.yaml" --shards 3 -w "$WORK/w"
  expect_err "sbatch not found"
  expect_err "run-local.sh"
fi
PATH=/nonexistent "$TEXTMILL" slurm "$WORK/ok.yaml" --shards 3 -w "$WORK/w" 2>"$WORK/err" && fail "submitted without sbatch"
expect_err "sbatch not found"
bash "$WORK/w/jobs/run-local.sh" >/dev/null || fail "run-local.sh"
[ "$(cat "$WORK"/w/out/shard-*/ok.jsonl | wc -l)" = 1 ] || fail "the document is not in the output"
run_tm 0 help
expect_out "slurm CONFIG"
run_tm 2 slurmm
expect_err "did you mean 'slurm'?"
echo ok
