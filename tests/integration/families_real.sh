# The pack's `families` option on real news: a lighter pack finds exactly
# what the whole pack finds of its own types when it holds the families
# they need, as docs/rules.md ("Choosing families") says. Every third article of
# ../shared/corpus/dev through the main job; each selection's types must be
# entity for entity (span, value, attrs, rule) those of the whole pack.
. "$(dirname "$0")/lib.bash"
need_dev dantri.jsonl
SRC=$TM_SOURCE_DIR
cat "$DEV/baomoi_defence.jsonl" "$DEV/baomoi_other.jsonl" "$DEV/dantri.jsonl" |
  awk 'NR % 3 == 1' >"$WORK/dev.jsonl"

# The lua stage's label in the main job, as `textmill check --json` gives it.
lua=$("$TEXTMILL" check "$SRC/config/default.yaml" --json |
  python3 -c 'import json, sys; print(next(s["label"] for s in json.load(sys.stdin)["stages"] if s["type"] == "lua"))')
[ -n "$lua" ] || fail "no lua stage in config/default.yaml"

# run NAME [FAMILIES]: the main job, -j 2, into $WORK/NAME.jsonl
run() {
  local set=()
  [ $# -lt 2 ] || set=(--set "$lua.options.families=[$2]")
  run_tm 0 run "$SRC/config/default.yaml" -i "$WORK/dev.jsonl" -o "$WORK/$1.jsonl" -j 2 -q "${set[@]}"
}

# same NAME TYPE...: the entities of those types in NAME.jsonl and in the
# whole pack's output are the same, document by document.
same() {
  python3 - "$WORK/all.jsonl" "$WORK/$1.jsonl" "${@:2}" <<'PY' || fail "$1: its types differ from the whole pack's"
import json, sys
whole, part, types = sys.argv[1], sys.argv[2], set(sys.argv[3:])
def of(path):
    return {d["id"]: [e for e in d.get("entities", []) if e["type"] in types] for d in map(json.loads, open(path))}
a, b = of(whole), of(part)
if a.keys() != b.keys():
    sys.exit(f"{len(a)} and {len(b)} documents")
bad = [k for k in a if a[k] != b[k]]
n = sum(len(v) for v in a.values())
if bad:
    sys.exit(f"{len(bad)} documents differ, e.g. {bad[0]}")
if n == 0:
    sys.exit("no entity of those types at all")
print(f"{' '.join(sorted(types))}: {n} entities, the same")
PY
}

# Each family with the families its types need (docs/rules.md's table).
run all
run dates "dates"
same dates DATE TIME
run numbers "dates, quantities"
same numbers DATE TIME QUANTITY
run abbreviations "abbreviations"
same abbreviations ABBREVIATION
run events "events"
same events EVENT
run orgs "locations, orgs"
same orgs ORG
run titles "locations, orgs, titles"
same titles ORG TITLE
run legal "locations, orgs, titles, legal"
same legal ORG TITLE LEGAL
run people "locations, orgs, titles, persons"
same people LOCATION ORG TITLE PERSON

# A family it names that the pack lacks stops the run, naming it.
run_tm 1 run "$SRC/config/default.yaml" -i "$WORK/dev.jsonl" -o "$WORK/x.jsonl" -q \
  --set "$lua.options.families=[dates, persn]"
expect_err "unknown family 'persn'"
