#!/usr/bin/env bash
# How fast the entity pack (scripts/entities/defence_vi.lua) runs, and where
# its time goes. Not part of ctest: it takes a minute or two.
#
#   bash bench/entities_bench.sh [MB] [RUNS]      (default 50 MB, best of 3)
#   TEXTMILL=build-x/textmill bash bench/entities_bench.sh
#
# 1. MB/s of the lua stage alone (its own seconds in the run summary) and of
#    the whole run, one worker (-j 1), on a corpus from bench/gen_corpus.py;
#    best of RUNS, since the machine is shared.
# 2. Where the time goes inside the pack: its `profile: true` option times
#    each phase with os.clock (scanning the dictionaries, the rules, overlap
#    resolution, each family's post step, adding the entities).
# 3. What each family of rules adds: the pack run with that family alone,
#    less the pack run with none (scanning and bookkeeping only).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
textmill=${TEXTMILL:-$root/build/textmill}
mb=${1:-50}
runs=${2:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 "$root/bench/gen_corpus.py" --mb "$mb" --out "$work/corpus.jsonl" --seed 5 >/dev/null
pack="$root/scripts/entities/defence_vi.lua"
cat >"$work/pack.yaml" <<YAML
stages:
  - type: lua
    script: $pack
outputs: []
YAML
cat >"$work/none.yaml" <<YAML
stages: []
outputs: []
YAML

# run CONFIG [--set ...]: prints "<lua stage seconds> <wall seconds> <entities>"
run() {
  local cfg=$1; shift
  local t0 t1 err
  err="$work/err"
  t0=$(date +%s.%N)
  "$textmill" run "$cfg" -i "$work/corpus.jsonl" -j 1 -o "$work/out.jsonl" "$@" 2>"$err"
  t1=$(date +%s.%N)
  python3 - "$err" "$t0" "$t1" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
lua = re.search(r"^\s+lua\s+\d+\s+\d+\s+\d+\s+\d+\s+([\d.]+)", text, re.M)
ents = re.search(r"entities added: (\d+)", text)
print(lua.group(1) if lua else "0", float(sys.argv[3]) - float(sys.argv[2]), ents.group(1) if ents else "0")
PY
}

best() {   # best CONFIG [--set ...] -> best "<stage s> <wall s> <entities>" of $runs
  local b="" line
  for _ in $(seq "$runs"); do
    line=$(run "$@")
    if [ -z "$b" ] || python3 -c "import sys; sys.exit(0 if float('${line%% *}') < float('${b%% *}') else 1)"; then b=$line; fi
  done
  echo "$b"
}

size=$(stat -c %s "$work/corpus.jsonl")
docs=$(wc -l <"$work/corpus.jsonl")
echo "corpus: $docs documents, $(python3 -c "print(f'{$size/1e6:.1f}')") MB (bench/gen_corpus.py --mb $mb --seed 5); one worker; best of $runs"
read -r _ io_wall _ < <(best "$work/none.yaml")
read -r stage wall ents < <(best "$work/pack.yaml")
python3 - "$size" "$stage" "$wall" "$io_wall" "$ents" "$docs" <<'PY'
import sys
size, stage, wall, io, ents, docs = map(float, sys.argv[1:])
mb = size / 1e6
print(f"\nthe pack: {mb / stage:6.1f} MB/s in the lua stage ({stage:.2f} s), "
      f"{mb / wall:.1f} MB/s for the whole run ({wall:.2f} s; reading and writing alone {io:.2f} s)")
print(f"          {ents / docs:.1f} entities per document, {stage / docs * 1e6:.0f} µs per document")
PY

echo
echo "where the time goes inside the pack (profile: true; os.clock per phase):"
"$textmill" run "$work/pack.yaml" -i "$work/corpus.jsonl" -j 1 -o "$work/out.jsonl" \
  --set 'stages.0.options={profile: true}' 2>&1 | sed -n 's/^defence_vi.lua: profile /  /p'

echo
echo "what each family adds (that family alone, less no family; one run each):"
read -r base _ < <(run "$work/pack.yaml" --set 'stages.0.options={families: []}')
printf '  %-16s %7.2f s\n' "(none: scanning)" "$base"
for fam in locations orgs titles persons dates quantities abbreviations events legal; do
  read -r t _ < <(run "$work/pack.yaml" --set "stages.0.options={families: [$fam]}")
  python3 -c "print(f'  {\"$fam\":<16} {float($t) - float($base):+7.2f} s')"
done
echo "(titles and persons build on organisations and titles, so alone they do less than in the pack)"
