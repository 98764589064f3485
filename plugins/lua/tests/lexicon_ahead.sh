# The lexicon searched ahead: the lua stage searches the lexicon of a
# script's first engine in every document of a batch before the batch's
# Lua work, and begin() takes those matches. They must be what begin()
# would have found itself, with any number of workers, and be taken only
# for the document's own text and by a lexicon built the same way.
. "$TM_SOURCE_DIR/tests/integration/lib.bash"

# Generated articles: names that overlap (Hà Nội, Hà, Nội), a name at the
# very start and end, and articles with none.
python3 - "$WORK/gen.jsonl" <<'PY'
import json, random, sys
random.seed(7)
words = ["Hà Nội", "Hà", "Nội", "Bộ Quốc phòng", "Nguyễn Văn An", "Đà Nẵng", "ông", "bà", "đã", "tới",
         "thăm", "làm việc", "với", "các", "đơn vị", "Quân khu", "năm 2024", "và", "tại", "hà nội"]
with open(sys.argv[1], "w") as f:
    for i in range(300):
        n = random.randint(12, 120) if i % 10 else 15
        text = " ".join(random.choice(words[6:] if i % 10 == 0 else words) for _ in range(n))
        f.write(json.dumps({"id": f"g{i}", "text": text + " Hà Nội"}, ensure_ascii=False) + "\n")
PY
sample_and_dev baomoi_other.jsonl 400

# The script checks each document itself: the matches begin() took from the
# stage, against a search of another string of the same bytes, which
# nothing searched ahead (texts of over 40 bytes: Lua keeps one copy of
# a shorter string).
cat >"$WORK/ahead.lua" <<'LUA'
local rules = require("rules")
local lexicon = textmill.config_dir .. "/lexicon.tsv"
local pack = rules.pack({}, { lexicon = lexicon, lexicon_opts = { overlaps = true } })
local function found(e)
  local out = {}
  for s, stop, v, _, _, t in e:each_scanned() do out[#out + 1] = s .. "-" .. stop .. " " .. t .. " " .. tostring(v) end
  return table.concat(out, "; ")
end
function process(doc)
  pack:begin(doc)
  local e = pack.engine
  local ahead, taken = found(e), e:searched_ahead()
  e:begin(doc.text:sub(1))
  local here = found(e)
  if here ~= ahead then error("found ahead: " .. ahead .. "\nfound here: " .. here) end
  if e:searched_ahead() and #doc.text > 40 then error("another string's matches were taken from the stage") end
  doc:set_field("found", ahead)
  doc:set_field("ahead", taken)
end
LUA

# run LEXICON WORKERS INPUTS OUT: the script over INPUTS, every document kept
run_ahead() {
  cp "$1" "$WORK/lexicon.tsv"
  config ahead <<YAML
input: {type: files, paths: [$3]}
workers: $2
stages: [{type: lua, script: $WORK/ahead.lua}]
outputs: [{type: output.jsonl, path: $WORK/$4}]
YAML
  run_tm 0 run "$WORK/ahead.yaml" -q
  python3 - "$WORK/$4" <<'PY'
import json, sys
docs = [json.loads(l) for l in open(sys.argv[1])]
assert docs, "no document written"
behind = [d["id"] for d in docs if d["meta"].get("ahead") is not True]
assert not behind, f"{len(behind)} documents searched again in the script: {behind[:5]}"
assert sum(1 for d in docs if d["meta"]["found"]) > len(docs) // 2, "the lexicon found next to nothing"
PY
}

printf 'Hà Nội\tPROVINCE\tHà Nội\nHà\tPLACE\tHà\nNội\tPLACE\tNội\nBộ Quốc phòng\tORG\tBộ Quốc phòng\nNguyễn Văn An\tPERSON\tNguyễn Văn An\nĐà Nẵng\tPROVINCE\tĐà Nẵng\n' >"$WORK/small.tsv"
run_ahead "$WORK/small.tsv" 1 "$WORK/gen.jsonl" gen1.jsonl
run_ahead "$WORK/small.tsv" 3 "$WORK/gen.jsonl" gen3.jsonl
cmp -s "$WORK/gen1.jsonl" "$WORK/gen3.jsonl" || fail "the generated articles differ between 1 and 3 workers"
# the pack's own lexicon on the sample and real articles
run_ahead "$TM_SOURCE_DIR/config/gazetteers/lexicon.tsv" 1 "$INPUTS" real1.jsonl
run_ahead "$TM_SOURCE_DIR/config/gazetteers/lexicon.tsv" 3 "$INPUTS" real3.jsonl
cmp -s "$WORK/real1.jsonl" "$WORK/real3.jsonl" || fail "the real articles differ between 1 and 3 workers"

# Which engines take the matches: the first made with a lexicon is the one
# searched; another built from the same file takes them too (each worker's
# state builds its own); one built from another file does not.
printf 'Hà Nội\tPROVINCE\tHà Nội\n' >"$WORK/other.tsv"
cat >"$WORK/which.lua" <<'LUA'
local rules = require("rules")
local dir = textmill.config_dir
local first = rules.pack({}, { lexicon = dir .. "/small.tsv" })
local same = rules.pack({}, { lexicon = dir .. "/small.tsv" })
local other = rules.pack({}, { lexicon = dir .. "/other.tsv" })
function process(doc)
  local got = {}
  for _, p in ipairs({ first, same, other }) do
    p:begin(doc)
    got[#got + 1] = tostring(p.engine:searched_ahead())
  end
  doc:set_field("taken", table.concat(got, " "))
end
LUA
config which <<YAML
input: {type: files, paths: [$WORK/gen.jsonl]}
stages: [{type: lua, script: $WORK/which.lua}]
outputs: [{type: output.jsonl, path: $WORK/which.jsonl}]
YAML
run_tm 0 run "$WORK/which.yaml" -q
python3 - "$WORK/which.jsonl" <<'PY'
import json, sys
taken = {json.loads(l)["meta"]["taken"] for l in open(sys.argv[1])}
assert taken == {"true true false"}, taken
PY

# The first engine's lexicon collected: the stage no longer searches it
# (reading what was freed: the sanitizers' run catches that), and the
# next engine made with a lexicon is searched instead.
cat >"$WORK/collected.lua" <<'LUA'
local rules = require("rules")
local dir = textmill.config_dir
local first = rules.pack({}, { lexicon = dir .. "/other.tsv" })
assert(first.engine)
first = nil
collectgarbage("collect")
collectgarbage("collect")
local pack = rules.pack({}, { lexicon = dir .. "/small.tsv" })
function process(doc)
  pack:begin(doc)
  doc:set_field("taken", pack.engine:searched_ahead())
end
LUA
sed "s#which.lua#collected.lua#; s#which.jsonl#collected.jsonl#" "$WORK/which.yaml" >"$WORK/collected.yaml"
run_tm 0 run "$WORK/collected.yaml" -q
python3 - "$WORK/collected.jsonl" <<'PY'
import json, sys
taken = {json.loads(l)["meta"]["taken"] for l in open(sys.argv[1])}
assert taken == {True}, taken
PY
