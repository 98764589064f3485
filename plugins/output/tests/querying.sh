# docs/querying.md: every ```sql block runs against a database built from
# the sample corpus, and gives what the <!-- test: ... --> line above it says.
. "$TM_SOURCE_DIR/tests/integration/lib.bash"
. "$TM_SOURCE_DIR/tests/fixtures/outputs/lib.bash"

# Two runs: the first marks the planted duplicate, the second drops it.
DB=$WORK/articles.db
run_tm 0 run "$PIPE" -o "$DB"
run_tm 0 run "$PIPE" -o "$DB" --set "stages=[{type: lua, script: $FIX/entities.lua},
  {type: lua, script: $FIX/drop_ids.lua, options: {drop: {vn_quangngai_20241211: 'duplicate-of:vn_quangngai_20241210'}}}]"

python3 - "$TM_SOURCE_DIR/docs/querying.md" "$DB" <<'PY'
import re, shlex, sqlite3, sys
doc = open(sys.argv[1], encoding="utf-8").read()
db = sqlite3.connect(sys.argv[2])
blocks = list(re.finditer(r"(?:<!-- test: (.*?) -->\n)?```sql\n(.*?)```", doc, re.S))
assert len(blocks) >= 15, f"only {len(blocks)} queries"
failures = []
for n, m in enumerate(blocks, 1):
    spec, sql = m.group(1), m.group(2)
    line = doc.count("\n", 0, m.start(2)) + 1
    where = f"querying.md:{line}"
    if spec is None:
        failures.append(f"{where}: no <!-- test: ... --> line above the query")
        continue
    try:
        rows = db.execute(sql).fetchall()
    except sqlite3.Error as e:
        failures.append(f"{where}: {e}")
        continue
    for word in shlex.split(spec):
        key, _, value = word.partition("=")
        if key == "min_rows" and len(rows) < int(value):
            failures.append(f"{where}: {len(rows)} rows, expected at least {value}")
        elif key == "contains" and not any(value in str(v) for r in rows for v in r):
            failures.append(f"{where}: no cell contains {value!r}")
        elif key == "equal_columns" and not all(len(set(r)) == 1 for r in rows):
            failures.append(f"{where}: columns differ: {rows[:3]}")
        elif key not in ("min_rows", "contains", "equal_columns", "main"):
            failures.append(f"{where}: unknown test word {key!r}")
    print(f"{where}: {len(rows)} rows")
assert not failures, "\n".join(failures)
PY
echo ok
