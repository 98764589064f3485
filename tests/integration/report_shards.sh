# textmill report WORK: one page for a sharded run, from its work folder,
# without Slurm (the job scripts run with run-local.sh). Each shard's
# phases are put back together as one run's summary, so the page of the
# shards is the page of one run: every stage under the config's label (in
# phase 3 the dedup stage runs as stages.0), counts added up. textmill slurm
# writes that page into WORK/out at the end.
. "$TM_SOURCE_DIR/tests/integration/lib.bash"
. "$TM_SOURCE_DIR/tests/fixtures/outputs/lib.bash"
big_corpus "$WORK/corpus.jsonl" 3 # each article three times, under three ids
config news <<EOF2
input: {paths: [corpus.jsonl]}
stages:
  - {type: clean.normalize}
  - {type: filter.length, min_chars: 1500}
  - {type: dedup.exact}
  - {type: lua, script: $FIX/entities.lua}
  - {type: dedup.minhash}
outputs:
  - {type: output.jsonl, path: one/news.jsonl}
  - {type: output.report, path: one/news.html, top: 5}
  - {type: output.sqlite, path: one/news.db}
rejects: one/rejects.jsonl
EOF2
run_tm 0 run "$WORK/news.yaml"
w=$WORK/w
run_tm 0 slurm "$WORK/news.yaml" --shards 3 -w "$w" --dry-run
PARALLEL=2 bash "$w/jobs/run-local.sh" >"$WORK/local.out" 2>&1 || { cat "$WORK/local.out"; fail "run-local.sh"; }
run_tm 0 report -o "$WORK/all.html" --set top=5 "$w"
expect_err "textmill report: wrote $WORK/all.html from 3 run summaries"

# The same page but for the times; and the counters of dedup.minhash, which
# counts its LSH candidates in one run but leaves them to the merge when
# sharded. The old way, phase 3's summaries alone, named the dedup stage
# stages.0 and lost the stages before it.
page_check() {
  python3 - "$WORK/one/news.html" "$1" "$w/stats/phase5-00000.json" <<'PY'
import json, re, sys
def page(path):
    html = open(path, encoding="utf-8").read()
    html = re.sub(r'<p class="meta">.*?</p>', "", html, flags=re.S)
    html = re.sub(r'( · )?<span>lsh-candidates \d+</span>', "", html)
    return re.sub(r'<td class="num">\d+\.\d{3}</td>', "", html)
one, combined = page(sys.argv[1]), page(sys.argv[2])
def where(a, b):
    i = next(k for k in range(min(len(a), len(b)) + 1) if k == min(len(a), len(b)) or a[k] != b[k])
    return f"{a[max(0, i - 80):i + 120]!r}\n{b[max(0, i - 80):i + 120]!r}"
assert one == combined, "the shards' page differs from one run's:\n" + where(one, combined)
labels = re.findall(r'<tr data-stage="([^"]+)" data-type="([^"]+)"', combined)
want = [("input", "input"), ("stages.0", "clean.normalize"), ("stages.1", "filter.length"),
        ("stages.2", "dedup.exact"), ("stages.3", "lua"), ("stages.4", "dedup.minhash"),
        ("outputs.0", "output.jsonl"), ("outputs.1", "output.report"), ("outputs.2", "output.sqlite")]
assert labels == want, labels
for attr in ('data-reason="too-short"', 'data-reason="duplicate-of"'):
    assert attr in combined, attr
last = [(s["label"], s["type"]) for s in json.load(open(sys.argv[3]))["stages"]]
assert ("stages.0", "dedup.minhash") in last, last  # what the page relabels
PY
}
page_check "$WORK/all.html"
grep -q ' · 3 runs · ' "$WORK/all.html" || fail "the header does not say the page adds up 3 runs"

# textmill slurm, once the run is done, writes the page of all the shards
# to WORK/out with the config's page options (top: 5)
run_tm 0 slurm "$WORK/news.yaml" --shards 3 -w "$w"
expect_err "report: $w/out/news.html (all 3 shards in one page)"
page_check "$w/out/news.html"
# ... and the one database of all the shards: the rows of the single run
expect_err "database: $w/out/news.db (all 3 shards in one database)"
python3 - "$WORK/one/news.db" "$w/out/news.db" <<'PY'
import sqlite3, sys
def rows(db):
    c = sqlite3.connect(db)
    return (sorted(c.execute("SELECT id, title, chars, entity_count, meta FROM documents")),
            sorted(c.execute("SELECT doc_id, seq, type, start, end, text, value_json, attrs, rule FROM entities")))
one, shards = rows(sys.argv[1]), rows(sys.argv[2])
assert len(one[0]) > 1 and len(one[1]) > 0, "the single run wrote nothing"
assert one == shards, "the database of the shards differs from the single run's"
PY

# A run that is not finished, a folder that is not a run's
rm "$w/done/phase5-00001"
run_tm 1 report -o "$WORK/x.html" "$w"
expect_err "$w: shard 1 has not finished phase 5 (see $w/logs/phase5-00001.log)"
[ ! -e "$WORK/x.html" ] || fail "a page was written for an unfinished run"
mkdir -p "$WORK/fake/jobs" && touch "$WORK/fake/jobs/command"
run_tm 1 report -o "$WORK/x.html" "$WORK/fake"
expect_err "$WORK/fake is not the work folder of a textmill slurm run"
ls "${TMPDIR:-/tmp}" | grep -q "^textmill-report-" && fail "a temporary folder of the report was left behind" || true
echo ok
