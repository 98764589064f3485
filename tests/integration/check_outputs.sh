# `check` opens every output as a run would, so what only the output can
# tell is caught before a run: an unknown CSV column, a file that cannot be
# created. It leaves no file behind.
. "$(dirname "$0")/lib.bash"
printf '{"id":"a","text":"Hà Giang","meta":{"title":"T"}}\n' >"$WORK/in.jsonl"
config csv <<EOF2
input: {paths: [in.jsonl]}
outputs:
  - {type: output.csv, path: res/a.csv, fields: [id, titel]}
EOF2
run_tm 2 check "$WORK/csv.yaml"
expect_err "csv.yaml:3:49: unknown column 'titel'; did you mean 'title'? (a metadata field of that name is written meta.titel)"
run_tm 1 run "$WORK/csv.yaml"
expect_err "unknown column 'titel'"
run_tm 2 check "$WORK/csv.yaml" --set 'outputs.0.fields=[id, dedp.cluster]'
expect_err "unknown column 'dedp.cluster'; did you mean 'dedup.cluster'?"
run_tm 2 check "$WORK/csv.yaml" --set outputs.0.rows=entities --set 'outputs.0.fields=[tpye, doc.publishd]'
expect_err "--set outputs.0.fields: unknown column 'tpye'; did you mean 'type'?"
run_tm 2 check "$WORK/csv.yaml" --set outputs.0.rows=entities --set 'outputs.0.fields=[type, doc.publishd]'
expect_err "unknown column 'doc.publishd'; did you mean 'doc.published'? (a metadata field of that name is written doc.meta.publishd)"
# Other names are metadata fields, as the input keeps any key.
run_tm 0 check "$WORK/csv.yaml" --set 'outputs.0.fields=[id, meta.titel, category, dedup.cluster, entities.ORG]'
run_tm 0 run "$WORK/csv.yaml" --set 'outputs.0.fields=[id, title, meta.titel]' -q
[ "$(head -1 "$WORK/res/a.csv")" = "id,title,meta.titel" ] || fail "header: $(head -1 "$WORK/res/a.csv")"

# An output under a regular file cannot be created.
: >"$WORK/plain"
run_tm 2 check "$WORK/csv.yaml" --set 'outputs.0.fields=[id]' --set "outputs.0.path=$WORK/plain/a.csv"
expect_err "cannot create $WORK/plain/a.csv"
run_tm 2 check "$WORK/csv.yaml" -o "$WORK/plain/a.jsonl"
expect_err "cannot create $WORK/plain/a.jsonl"

# check leaves nothing behind: no output, no temporary file.
rm -rf "$WORK/res"
run_tm 0 check "$WORK/csv.yaml" --set 'outputs.0.fields=[id]'
[ -z "$(ls -A "$WORK/res" 2>/dev/null)" ] || fail "check left files: $(ls -A "$WORK/res")"
echo ok
