# The entity pack is insensitive to tone-mark placement (issue 16): the
# real articles respelt new-style (hoà, khoẻ, thuỷ) by clean.normalize, then
# run through the main job with tone_marks: keep (the pack sees the new
# style) and with old (it sees the old), give the same entities on every
# article: type, span in characters, text, value, attributes and rule, the
# texts compared with their tones folded to the old placement.
. "$(dirname "$0")/lib.bash"
SRC=$TM_SOURCE_DIR
need_dev

config respell <<YAML
input:
  type: files
  paths: [$DEV/baomoi_defence.jsonl, $DEV/baomoi_other.jsonl, $DEV/dantri.jsonl]
stages:
  - type: clean.normalize
    fix_case: true
    tone_marks: new
outputs:
  - type: output.jsonl
    path: $WORK/new.jsonl
YAML
run_tm 0 run "$WORK/respell.yaml" -j 2 -q
for tm in keep old; do
  run_tm 0 run "$SRC/config/default.yaml" -i "$WORK/new.jsonl" -o "$WORK/$tm.jsonl" -j 2 -q \
    --set stages.0.tone_marks=$tm
done

python3 - "$WORK/new.jsonl" "$WORK/keep.jsonl" "$WORK/old.jsonl" <<'PY'
import json, re, sys

# The old placement of a new-style syllable: o or u, then a toned a, e or y
# ending it (not after a vowel or a letter outside ASCII but đ; not qu).
TONED = {"a": "àáảãạ", "e": "èéẻẽẹ", "y": "ỳýỷỹỵ", "o": "òóỏõọ", "u": "ùúủũụ"}
TONE_OF = {c: (base, t) for base, forms in TONED.items() for t, c in enumerate(forms)}
TONE_OF.update({c.upper(): (base.upper(), t) for c, (base, t) in list(TONE_OF.items())})
SYLLABLE = re.compile(r"([^\W\d_]?)([oOuU])([àáảãạèéẻẽẹỳýỷỹỵÀÁẢÃẠÈÉẺẼẸỲÝỶỸỴ])(?![^\W\d_])")


def toned(base, t):
    c = TONED[base.lower()][t]
    return c.upper() if base.isupper() else c


def fold(s):
    def old(m):
        before, v1, v2 = m.groups()
        if before and (before.lower() in "aeiouy" or (ord(before) > 127 and before not in "đĐ")
                       or (v1 in "uU" and before in "qQ")):
            return m.group(0)
        b2, t = TONE_OF[v2]
        if (v1 in "oO") != (b2.lower() in "ae"):
            return m.group(0)
        return before + toned(v1, t) + b2
    return SYLLABLE.sub(old, s) if isinstance(s, str) else s


def deep(x):
    if isinstance(x, dict):
        return {k: deep(v) for k, v in x.items()}
    if isinstance(x, list):
        return [deep(v) for v in x]
    return fold(x)


def entities(path):
    out = {}
    for line in open(path, encoding="utf-8"):
        d = json.loads(line)
        b = d["text"].encode()
        chars = lambda o: len(b[:o].decode())
        out[d["id"]] = sorted(json.dumps([e["type"], chars(e["start"]), chars(e["end"]), deep(e.get("text")),
                                          deep(e.get("value")), deep(e.get("attrs")), e.get("rule")],
                                         ensure_ascii=False, sort_keys=True) for e in d["entities"])
    return out


respelt = sum("oà" in json.loads(l)["text"] or "uỷ" in json.loads(l)["text"] for l in open(sys.argv[1]))
keep, old = entities(sys.argv[2]), entities(sys.argv[3])
assert keep.keys() == old.keys(), f"{len(keep)} and {len(old)} articles"
assert respelt > 100, f"only {respelt} articles respelt new-style"
differ = 0
for doc in keep:
    if keep[doc] != old[doc]:
        differ += 1
        for e in sorted(set(old[doc]) - set(keep[doc])):
            print(f"{doc}: only with old: {e}", file=sys.stderr)
        for e in sorted(set(keep[doc]) - set(old[doc])):
            print(f"{doc}: only with keep: {e}", file=sys.stderr)
n = sum(len(v) for v in keep.values())
if differ:
    sys.exit(f"FAIL: {differ} of {len(keep)} articles have other entities with tone_marks: keep")
print(f"{len(keep)} articles ({respelt} with a new-style oà or uỷ), {n} entities the same with keep and old")
PY
