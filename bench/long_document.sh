#!/usr/bin/env bash
# How the entity pack's time grows with the length of one document. Not part
# of ctest: it takes a minute.
#
#   bash bench/long_document.sh [MB ...]        (default: 0.4 1.6 3.2 6.4)
#   TEXTMILL=build-x/textmill bash bench/long_document.sh 1.6
#
# The articles of ../shared/corpus/dev/ (beside the checkout) go through the
# cleaning stages of config/default.yaml once; for each size, the first
# cleaned articles, joined by blank lines, make one document of that many
# MB, and the lua stage alone (one worker) runs over it. Prints the stage's
# seconds from the run summary, MB/s, and the seconds of its two longest
# phases (the pack's `profile: true`). Where a phase compares every name
# with every other, doubling the document more than doubles its time; the
# stage stops a document at its max_seconds (10 by default) and rejects it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
textmill=${TEXTMILL:-$root/build/textmill}
dev="$root/../shared/corpus/dev"
[ $# -gt 0 ] || set -- 0.4 1.6 3.2 6.4
if ! ls "$dev"/*.jsonl >/dev/null 2>&1; then
  echo "long_document: $dev is not there: nothing to measure" >&2
  exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cat >"$work/pack.yaml" <<YAML
stages:
  - type: lua
    script: $root/scripts/entities/defence_vi.lua
    options: {profile: true}
outputs: []
YAML
TEXTMILL=$textmill bash "$root/bench/clean_dev.sh" "$work/clean.jsonl"

printf '%8s %10s %8s   %s\n' MB seconds "MB/s" "the two longest phases"
for mb in "$@"; do
  python3 - "$work/clean.jsonl" "$mb" "$work/long.jsonl" <<'PY'
import json, sys
src, mb, out = sys.argv[1], float(sys.argv[2]), sys.argv[3]
parts, n = [], 0
for line in open(src, encoding="utf-8"):
    text = json.loads(line)["text"]
    parts.append(text)
    n += len(text.encode())
    if n >= mb * 1e6:
        break
if n < mb * 1e6:
    sys.exit(f"long_document: the cleaned articles hold {n / 1e6:.1f} MB, less than {mb}")
with open(out, "w", encoding="utf-8") as f:
    f.write(json.dumps({"id": f"long-{mb}", "text": "\n\n".join(parts)}, ensure_ascii=False) + "\n")
PY
  "$textmill" run "$work/pack.yaml" -i "$work/long.jsonl" -j 1 -o "$work/out.jsonl" 2>"$work/err" || true
  python3 - "$work/err" "$work/long.jsonl" <<'PY'
import os, re, sys
err, doc = open(sys.argv[1], encoding="utf-8").read(), sys.argv[2]
mb = os.path.getsize(doc) / 1e6
lua = re.search(r"^\s+lua\s+\d+\s+(\d+)\s+\d+\s+(\d+)\s+([\d.]+)", err, re.M)
phases = re.findall(r"profile (.+?)\s+([\d.]+) s", err)
phases.sort(key=lambda p: -float(p[1]))
seconds = float(lua.group(3)) if lua else 0.0
note = "rejected: " + (re.search(r"rejected ([\w-]+)", err) or [None, "?"])[1] if lua and lua.group(2) != "0" else \
    ", ".join(f"{name} {float(s):.2f} s" for name, s in phases[:2])
print(f"{mb:8.1f} {seconds:10.2f} {mb / seconds if seconds else 0:8.2f}   {note}")
PY
done
