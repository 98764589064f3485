# The entity pack's `profile: true`: the time of each phase, then what each
# rule did (rules.lua's Pack:counts): the matches it was tried at, those
# that passed its tests in C, those value() refused, the candidates kept.
# One worker prints it for the documents it saw; one that saw none, nothing.
. "$TM_SOURCE_DIR/tests/integration/lib.bash"
cat >"$WORK/in.jsonl" <<'JSON'
{"id": "a", "text": "Đại tá Nguyễn Văn An, Chỉ huy trưởng Bộ Chỉ huy Quân sự tỉnh Điện Biên, làm việc với đoàn ngày 14/12/2023."}
JSON
config pack <<EOF2
input: {paths: [in.jsonl]}
workers: 2
stages: [{type: lua, script: $TM_SOURCE_DIR/scripts/entities/defence_vi.lua, options: {profile: true}}]
outputs: [{type: output.jsonl, path: out.jsonl}]
EOF2
run_tm 0 run "$WORK/pack.yaml" -q
python3 - "$WORK/err" <<'PY'
import re, sys
lines = [l.split(": ", 1)[1] for l in open(sys.argv[1], encoding="utf-8") if l.startswith("defence_vi.lua: ")]
phases = [l for l in lines if l.startswith("profile ")]
assert any(l.startswith("profile rules ") for l in phases), lines
heads = [l for l in lines if re.match(r"rule +seen +passed +refused +kept$", l)]
assert len(heads) == 1, lines          # the idle worker prints nothing
rows = {}
for l in lines:
    m = re.match(r"rule +(\S+) +(\d+) +(\d+) +(\d+) +(\d+)$", l)
    if m:
        rows.setdefault(m.group(1), []).append(tuple(map(int, m.groups()[1:])))
# Đại tá: a rank, then the person after it; the date in full
assert rows["rank"] == [(1, 1, 0, 1)], rows
assert rows["person-rank"] == [(1, 1, 0, 1)], rows
assert rows["date-dmy"] == [(1, 1, 0, 1)], rows
for name, rs in rows.items():
    for seen, passed, refused, kept in rs:
        assert seen >= passed >= refused and passed - refused >= kept, (name, rs)
# the rules tried most come first
seen = [int(m.group(1)) for m in (re.match(r"rule +\S+ +(\d+) ", l) for l in lines) if m]
assert seen == sorted(seen, reverse=True), seen
PY
echo ok
