# What the main job writes of each entity holds on real news
# (../shared/corpus/dev): its span lies in the text on character
# boundaries, its text is the text at that span, with no space at either
# end, and no two entities of one type share a byte (the pack adds with
# disjoint = true: before, Mỹ was a place inside Chương Mỹ and TP an
# abbreviation inside PCTPMT&TP).
. "$(dirname "$0")/lib.bash"
SRC=$TM_SOURCE_DIR
need_dev

run_tm 0 run "$SRC/config/default.yaml" -i "$DEV/baomoi_defence.jsonl" -i "$DEV/baomoi_other.jsonl" \
  -i "$DEV/dantri.jsonl" -o "$WORK/out.jsonl" -j 2 -q
python3 - "$WORK/out.jsonl" <<'PY'
import collections, json, sys
docs = ents = 0
wrong = []
for line in open(sys.argv[1], encoding="utf-8"):
    d = json.loads(line)
    docs += 1
    text = d["text"].encode()
    by_type = collections.defaultdict(list)
    for e in d.get("entities", []):
        ents += 1
        s, t = e["start"], e["end"]
        where = f'{d["id"]}: {e["type"]} {s}..{t} ({e["rule"]})'
        if not 0 <= s < t <= len(text):
            wrong.append(f"{where} lies outside the text")
            continue
        try:
            at = text[s:t].decode()
        except UnicodeDecodeError:
            wrong.append(f"{where} cuts a character")
            continue
        if at != e["text"]:
            wrong.append(f"{where}: the text there is {at!r}, not {e['text']!r}")
        if at != at.strip():
            wrong.append(f"{where}: {at!r} has a space at an end")
        by_type[e["type"]].append((s, t, e["text"]))
    for type, spans in by_type.items():
        spans.sort()
        for a, b in zip(spans, spans[1:]):
            if b[0] < a[1]:
                wrong.append(f'{d["id"]}: two {type} share bytes: {a[2]!r} and {b[2]!r}')
assert docs > 3000 and ents > 100000, (docs, ents)
for w in wrong[:20]:
    print(w, file=sys.stderr)
assert not wrong, f"{len(wrong)} entities wrong"
print(f"{docs} articles, {ents} entities: every span in place, no two of one type overlap")
PY
