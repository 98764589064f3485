# Helpers for the sharded-run tests (sourced after tests/integration/lib.bash).
: "${TEXTMILL_DEDUP:?run through ctest}"

# A corpus of ~N small articles with planted near-duplicates that cross the
# shard boundaries of 3 and 4 shards: copies of articles from the first
# part placed in the last part, duplicates right after each cut, and ids
# that repeat (a page fetched twice keeps its id).
make_corpus() {  # make_corpus OUT DOCS
  python3 "$TM_SOURCE_DIR/bench/dedup_gen.py" --docs "$2" --dup-rate 0.2 --seed 7 --out "$WORK/gen.jsonl" 2>/dev/null
  python3 - "$WORK/gen.jsonl" "$1" <<'PY'
import json, random, sys
rng = random.Random(11)
docs = [json.loads(l) for l in open(sys.argv[1])]
n = len(docs)
def variant(d, tag):
    words = d["text"].split(" ")
    i = rng.randrange(len(words))
    words[i] = words[i] + "x"           # one word changed: still a near-duplicate
    return {"id": f"{d['id']}-{tag}", "text": " ".join(words), "meta": dict(d.get("meta", {}))}
planted = []
for k in range(40):                     # early articles reposted at the end (other shard)
    planted.append((n - 1 - k, variant(docs[k * 3], f"late{k}")))
for cut in (n // 4, n // 3, n // 2, 2 * n // 3, 3 * n // 4):
    for k in range(3):                  # just after a cut, copying just before it
        planted.append((cut + k, variant(docs[cut - 1 - k], f"cut{cut}-{k}")))
for k in range(5):                      # the same page fetched twice: same id, same text
    d = dict(docs[10 + k]); planted.append((n - 60 - k, d))
for pos, d in sorted(planted, key=lambda p: -p[0]):
    docs.insert(pos, d)
with open(sys.argv[2], "w") as out:
    for d in docs:
        out.write(json.dumps(d, ensure_ascii=False) + "\n")
PY
}

# Skip (77) unless asked (TEXTMILL_TEST_SLURM=1, which .ci/run sets after
# starting its own cluster) and a Slurm cluster answers here: a cluster
# that merely answers may be someone else's, and these tests submit jobs.
# SLURM_CONF may point at a cluster's config; slurm-local's is used if it is up.
need_slurm() {
  [ "${TEXTMILL_TEST_SLURM:-}" = 1 ] ||
    { echo "SKIP: cluster tests run only when asked: set TEXTMILL_TEST_SLURM=1 (and SLURM_CONF) to submit jobs to a Slurm cluster"; exit 77; }
  local base=${SLURM_LOCAL_DIR:-/tmp/slurm-local}
  if [ -z "${SLURM_CONF:-}" ] && [ -s "$base/etc/slurm.conf" ]; then export SLURM_CONF=$base/etc/slurm.conf; fi
  for c in sbatch squeue sinfo scontrol scancel; do
    command -v "$c" >/dev/null || { echo "SKIP: Slurm is not installed ($c not found)"; exit 77; }
  done
  timeout 10 sinfo -h -o %T 2>/dev/null | grep -qE '^(idle|mixed|allocated|completing)' ||
    { echo "SKIP: no Slurm cluster answers here (sinfo shows no usable node; start one, e.g. slurm-local's start.sh)"; exit 77; }
  trap 'cancel_jobs; rm -rf "$WORK"' EXIT
}

# Cancel the jobs any work folder of this test submitted (after a failure).
cancel_jobs() {
  local f ids
  for f in "$WORK"/*/jobs/submitted; do
    [ -e "$f" ] || continue
    ids=$(grep -v '^#' "$f" | awk '{print $2}')
    [ -z "$ids" ] || scancel $ids 2>/dev/null || true
  done
}

# Concatenate a sharded run's outputs in shard order.
cat_outputs() { cat "$1"/out/shard-*/"$2"; }

# Exact copies (new ids) of early articles just after the shard cuts and at
# the end, and a boilerplate paragraph in every third article: work for
# dedup.exact and dedup.paragraph across the shards.
add_copies() {  # add_copies FILE
  python3 - "$1" <<'PY'
import json, sys
docs = [json.loads(l) for l in open(sys.argv[1])]
n = len(docs)
for i, d in enumerate(docs):
    if i % 3 == 0:
        d["text"] += "\n\nBài viết được chia sẻ lại từ trang tin tổng hợp, mọi thắc mắc xin liên hệ ban biên tập."
copies = [(n - 1 - k, dict(docs[k * 7], id=docs[k * 7]["id"] + f"-copy{k}")) for k in range(30)]
copies += [(cut + 1, dict(docs[cut - 5], id=docs[cut - 5]["id"] + f"-cut{cut}")) for cut in (n // 4, n // 3, n // 2, 2 * n // 3, 3 * n // 4)]
for pos, d in sorted(copies, key=lambda p: -p[0]):
    docs.insert(pos, d)
with open(sys.argv[1], "w") as out:
    for d in docs:
        out.write(json.dumps(d, ensure_ascii=False) + "\n")
PY
}

# The pipeline the global tests shard: all three dedup stages, with a stage
# before and after them. ACTION is drop or mark.
global_config() {  # global_config NAME ACTION
  config "$1" <<EOF2
input: {paths: [corpus.jsonl]}
stages:
  - {type: filter.length, min_chars: 100}
  - {type: dedup.exact, action: $2}
  - {type: dedup.paragraph, min_docs: 3, mark_field: para}
  - {type: dedup.minhash, action: $2, keep: longest}
  - {type: filter.length, max_chars: 1500}
outputs: [{type: output.jsonl, path: results/news.jsonl}]
EOF2
}

# Each dedup stage of a single run did something, or comparing would prove little.
expect_dedup_work() {  # expect_dedup_work: on the summary in $WORK/err
  grep -qE 'duplicates: [1-9]' "$WORK/err" || { cat "$WORK/err"; fail "no duplicates found"; }
  grep -qE 'paragraphs-removed: [1-9]' "$WORK/err" || { cat "$WORK/err"; fail "no paragraphs removed"; }
  [ "$(grep -cE '^ +duplicates: [1-9]' "$WORK/err")" = 2 ] || { cat "$WORK/err"; fail "dedup.exact or dedup.minhash found nothing"; }
}
