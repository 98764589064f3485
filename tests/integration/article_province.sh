# The article's province from a district after a level word (defence_vi's
# locations.lua), when the longest district name there lies in several
# provinces and a shorter one at the same place in one: the shorter one
# names it. The pack's own lexicon has no such pair, so a user's
# dictionary (the `lexicons` option) adds the longer name.
. "$TM_SOURCE_DIR/tests/integration/lib.bash"

printf 'Mường Lát Hạ\tDISTRICT\tMường Lát Hạ\tkind=huyện\tprovince=Nghệ An|Hà Tĩnh\tprovince_2025=Nghệ An|Hà Tĩnh\n' \
  >"$WORK/districts.tsv"
config pack <<EOF2
stages:
  - type: lua
    script: $TM_SOURCE_DIR/scripts/entities/defence_vi.lua
    options: {lexicons: [districts.tsv]}
outputs: []
EOF2
run_tm 0 try "$WORK/pack.yaml" --json --text "Lãnh đạo huyện Mường Lát Hạ dự họp; UBND tỉnh chỉ đạo."
python3 - "$WORK/out" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
orgs = [e for e in doc["entities"] if e["type"] == "ORG"]
assert [e["value"] for e in orgs] == ["Ủy ban nhân dân tỉnh Thanh Hóa"], orgs
assert orgs[0]["attrs"]["province_from"] == "article", orgs
PY
