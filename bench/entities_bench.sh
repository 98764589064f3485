#!/usr/bin/env bash
# How fast the entity pack (scripts/entities/defence_vi.lua) runs, and where
# its time goes. Not part of ctest: it takes a minute or two.
#
#   bash bench/entities_bench.sh [MB] [RUNS]      (generated corpus: default 50 MB; median of 3)
#   TEXTMILL=build-x/textmill bash bench/entities_bench.sh
#
# 1. The lua stage alone, one worker (-j 1), on real news: the articles of
#    ../shared/corpus/dev/ (beside the checkout; left out with a message
#    when absent) after the cleaning stages of config/default.yaml, run once
#    to a temporary file; then on a corpus from bench/gen_corpus.py. For
#    each: MB/s of the stage by its own seconds in the run summary (wall
#    clock), MB/s by CPU seconds (the run's, less those of the same run with
#    no stage: reading and writing), and the run's peak memory. The median
#    of RUNS; the machine may be shared, and CPU seconds move less.
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
# run CONFIG CORPUS [--set ...]: prints "<lua stage s> <cpu s> <peak KB> <entities>"
run() {
  local cfg=$1 corpus=$2; shift 2
  python3 - "$textmill" "$cfg" "$corpus" "$work/out.jsonl" "$@" <<'PY'
import re, resource, subprocess, sys
tm, cfg, corpus, out, *extra = sys.argv[1:]
r = subprocess.run([tm, "run", cfg, "-i", corpus, "-j", "1", "-o", out, *extra],
                   stderr=subprocess.PIPE, text=True, check=True)
u = resource.getrusage(resource.RUSAGE_CHILDREN)
lua = re.search(r"^\s+lua\s+\d+\s+\d+\s+\d+\s+\d+\s+([\d.]+)", r.stderr, re.M)
ents = re.search(r"entities added: (\d+)", r.stderr)
print(lua.group(1) if lua else "0", u.ru_utime + u.ru_stime, u.ru_maxrss, ents.group(1) if ents else "0")
PY
}

median() {   # median CONFIG CORPUS [--set ...] -> the run with the median CPU seconds of $runs
  local i
  for i in $(seq "$runs"); do run "$@"; done | sort -g -k2 | sed -n "$(((runs + 1) / 2))p"
}

measure() {  # measure NAME CORPUS
  local name=$1 corpus=$2 size docs stage cpu peak ents io
  size=$(stat -c %s "$corpus")
  docs=$(wc -l <"$corpus")
  read -r _ io _ _ < <(median "$work/none.yaml" "$corpus")
  read -r stage cpu peak ents < <(median "$work/pack.yaml" "$corpus")
  python3 - "$name" "$size" "$docs" "$stage" "$cpu" "$io" "$peak" "$ents" <<'PY'
import sys
name = sys.argv[1]
size, docs, stage, cpu, io, peak, ents = map(float, sys.argv[2:])
mb, own = size / 1e6, max(cpu - io, 1e-9)
print(f"{name}: {docs:.0f} documents, {mb:.1f} MB; one worker; median of the runs")
print(f"  lua stage alone: {mb / stage:6.1f} MB/s by its seconds in the summary ({stage:.2f} s)")
print(f"                   {mb / own:6.1f} MB/s by CPU seconds ({cpu:.2f} s, less {io:.2f} s reading and writing)")
print(f"  peak memory {peak / 1024:.0f} MB; {ents / docs:.1f} entities per document, {own / docs * 1e6:.0f} µs per document")
PY
}

dev="$root/../shared/corpus/dev"
if ls "$dev"/*.jsonl >/dev/null 2>&1; then
  TEXTMILL=$textmill bash "$root/bench/clean_dev.sh" "$work/dev.jsonl"
  measure "real news (../shared/corpus/dev, cleaned)" "$work/dev.jsonl"
else
  echo "real news: left out, $dev is not there"
fi
echo
python3 "$root/bench/gen_corpus.py" --mb "$mb" --out "$work/corpus.jsonl" --seed 5 >/dev/null 2>&1
measure "generated (bench/gen_corpus.py --mb $mb --seed 5)" "$work/corpus.jsonl"

echo
sample="$work/corpus.jsonl"
[ -f "$work/dev.jsonl" ] && sample="$work/dev.jsonl"
echo "where the time goes inside the pack on $(basename "$sample") (profile: true; os.clock per phase),"
echo "then the rules tried most (pack:counts: tried at, passed the tests in C, refused by value(), kept):"
"$textmill" run "$work/pack.yaml" -i "$sample" -j 1 -o "$work/out.jsonl" \
  --set 'stages.0.options={profile: true}' >"$work/profile.txt" 2>&1
sed -n 's/^defence_vi.lua: profile /  /p' "$work/profile.txt"
sed -n 's/^defence_vi.lua: rule /  /p' "$work/profile.txt" | head -16

echo
echo "what each family adds on $(basename "$sample") (that family alone, less no family; CPU seconds, one run each):"
read -r _ base _ < <(run "$work/pack.yaml" "$sample" --set 'stages.0.options={families: []}')
printf '  %-16s %7.2f s\n' "(none: scanning)" "$base"
for fam in locations orgs titles persons dates quantities abbreviations events legal; do
  read -r _ t _ < <(run "$work/pack.yaml" "$sample" --set "stages.0.options={families: [$fam]}")
  python3 -c "print(f'  {\"$fam\":<16} {float($t) - float($base):+7.2f} s')"
done
echo "(titles and persons build on organisations and titles, so alone they do less than in the pack)"
