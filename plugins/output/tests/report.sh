# output.report: the page shows the run's numbers, loads nothing, escapes
# what it quotes, and appears only when the run succeeds.
. "$TM_SOURCE_DIR/tests/integration/lib.bash"
. "$TM_SOURCE_DIR/tests/fixtures/outputs/lib.bash"
CHECK="python3 $FIX/report_data.py"

# The sample, with entities and a marked duplicate, and a second run where
# stages drop documents (one as a duplicate) so every section has content.
run_tm 0 run "$PIPE" --summary-json "$WORK/s1.json" \
  --set "outputs=[{type: output.jsonl, path: $WORK/a.jsonl}, {type: output.report, path: $WORK/r1.html}]"
$CHECK check "$WORK/r1.html" "$WORK/s1.json" "$WORK/a.jsonl" >"$WORK/got"
grep -q '"clusters": 1' "$WORK/got" || fail "no cluster: $(cat "$WORK/got")"
run_tm 0 run "$PIPE" --summary-json "$WORK/s2.json" -j 3 \
  --set "stages=[{type: lua, script: $FIX/entities.lua}, {type: filter.length, min_chars: 1500},
    {type: lua, script: $FIX/drop_ids.lua, options: {drop: {vn_quangngai_20241211: 'duplicate-of:vn_quangngai_20241210'}}}]" \
  --set "outputs=[{type: output.jsonl, path: $WORK/b.jsonl}, {type: output.report, path: $WORK/r2.html, top: 3, title: Drops}]"
$CHECK check "$WORK/r2.html" "$WORK/s2.json" "$WORK/b.jsonl" >"$WORK/got"
grep -q 'data-dropped-duplicates="1"' "$WORK/r2.html" || fail "dropped duplicate not shown"
grep -q 'data-reason="too-short"' "$WORK/r2.html" || fail "drop reason not shown"
[ "$(grep -o 'data-entity-type="PERSON"' "$WORK/r2.html" | wc -l)" = 3 ] || fail "top: 3 not applied"

# Self-contained: nothing to fetch, no script; a policy that forbids loading.
python3 - "$WORK/r1.html" <<'PY'
import re, sys
html = open(sys.argv[1], encoding="utf-8").read()
for pattern in (r"<script", r"<link", r"<iframe", r"<img", r"\ssrc=", r"\shref=", r"url\(", r"@import", r"@font-face"):
    assert not re.search(pattern, html, re.I), pattern
assert "default-src 'none'" in html and html.count("<svg") >= 9, html.count("<svg")
PY

# Whatever the documents say is shown as text, never as markup.
cat >"$WORK/evil.jsonl" <<'JSONL'
{"id":"x<1>","text":"<script>alert(1)</script> & 'quotes' \"here\"","meta":{"title":"<b>bold</b> & co","source":"<i>src</i>\"","published":"2024-02-30"},"entities":[{"type":"ORG<x>","start":0,"end":8,"value":"<img src=x onerror=alert(1)>","attrs":{}}]}
{"id":"y","text":"plain","meta":{"dedup":{"cluster":"c\"><script>","duplicate_of":"x<1>"},"published":"not a date"}}
JSONL
config plain <<'YAML'
outputs:
  - {type: output.report, path: evil.html, title: "Report <for> \"you\" & me"}
YAML
run_tm 0 run "$WORK/plain.yaml" -i "$WORK/evil.jsonl"
python3 - "$WORK/evil.html" <<'PY'
import sys
from html.parser import HTMLParser
html = open(sys.argv[1], encoding="utf-8").read()
tags = []
class P(HTMLParser):
    def handle_starttag(self, tag, attrs):
        tags.append(tag)
        for k, v in attrs:
            assert not k.startswith("on"), k
    def handle_data(self, data):
        pass
P().feed(html)
assert "script" not in tags and "img" not in tags, set(tags)
assert "<b>bold" not in html and "<i>src" not in html
for text in ("&lt;img src=x onerror=alert(1)&gt;", "ORG&lt;x&gt;", "&lt;i&gt;src&lt;/i&gt;&quot;",
             "Report &lt;for&gt; &quot;you&quot; &amp; me", "c&quot;&gt;&lt;script&gt;"):
    assert text in html, text
PY
grep -q 'data-undated="1"' "$WORK/evil.html" || fail "a date of month 02 is a month; 'not a date' is not"

# An empty run still gets a page.
: >"$WORK/empty.jsonl"
run_tm 4 run "$WORK/plain.yaml" -i "$WORK/empty.jsonl"  # 4: nothing was read
grep -q 'data-metric="read" data-value="0"' "$WORK/evil.html" || fail "empty run"
grep -q "No entities" "$WORK/evil.html" || fail "empty run: entities"

# The same input and config give the same page, whatever the number of
# workers (apart from the times).
run_tm 0 run "$PIPE" -j 1 -o "$WORK/j1.html"
run_tm 0 run "$PIPE" -j 4 -o "$WORK/j4.html"
python3 - "$WORK/j1.html" "$WORK/j4.html" <<'PY' || fail "the page depends on the number of workers"
import sys
a, b = (open(p, encoding="utf-8").read() for p in sys.argv[1:])
cut = lambda html: html[html.index('<section id="summary"'):html.index('<section id="stages"')] + \
    html[html.index('<section id="timeline"'):]
assert cut(a) == cut(b)
PY

# The timeline keeps to plausible publication dates, from timeline_from to
# the month the run finished, and says how many it left out and why.
python3 - "$WORK/dates.jsonl" <<'PY'
import json, sys
dates = ["1951-05-01", "2024-03-02", "2024-03-30", "2999-01-01", "1994-12-31", None]
with open(sys.argv[1], "w") as f:
    for i, d in enumerate(dates):
        f.write(json.dumps({"id": f"d{i}", "text": "x", "meta": {"published": d} if d else {}}) + "\n")
PY
run_tm 0 run "$PIPE" -i "$WORK/dates.jsonl" -o "$WORK/dates.html" --set stages=[]
grep -q 'data-dated="2" data-undated="1" data-implausible="3" data-from="1995-01"' "$WORK/dates.html" ||
  fail "timeline: $(grep -o '<section id="timeline"[^>]*>' "$WORK/dates.html")"
grep -qF "left out, as implausible publication dates: 2 before 1995-01 (<code>timeline_from</code>) and 1 after" \
  "$WORK/dates.html" || fail "the page does not say what the timeline left out"
[ "$(grep -o 'data-month="[^"]*"' "$WORK/dates.html")" = 'data-month="2024-03"' ] ||
  fail "timeline columns: $(grep -o 'data-month="[^"]*"' "$WORK/dates.html" | head -3)"
run_tm 0 run "$PIPE" -i "$WORK/dates.jsonl" --set stages=[] \
  --set "outputs=[{type: output.report, path: $WORK/dates.html, timeline_from: 1950}]"
grep -q 'data-dated="4" data-undated="1" data-implausible="1"' "$WORK/dates.html" || fail "timeline_from: 1950"
run_tm 2 run "$PIPE" --set "outputs=[{type: output.report, path: $WORK/x.html, timeline_from: 95}]"
expect_err "timeline_from must be between 1000 and 9999"

# Failures: the page appears only for a run that succeeds.
big_corpus "$WORK/big.jsonl" 40
echo earlier >"$WORK/keep.html"
run_tm 1 run "$PIPE" -i "$WORK/big.jsonl" --set on_error=fail --set "stages=[{type: lua, script: $FIX/fail_on.lua,
  options: {id: vn_hagiang_20220321-30}}]" -o "$WORK/keep.html"
[ "$(cat "$WORK/keep.html")" = earlier ] || fail "a failed run replaced the page"
no_leftovers "$WORK"
run_tm 1 run "$PIPE" -o "$WORK/out/r.html"
expect_err "cannot create $WORK/out/r.html: Not a directory"
got=0
( trap '' XFSZ; ulimit -f 16; exec "$TEXTMILL" run "$PIPE" -i "$WORK/big.jsonl" -o "$WORK/full.html" ) \
  >"$WORK/out" 2>"$WORK/err" || got=$?
[ "$got" = 1 ] || { cat "$WORK/err"; fail "file size limit: exit $got"; }
expect_err "File too large"
[ ! -e "$WORK/full.html" ] || fail "a page that could not be written was left"
no_leftovers "$WORK"
if can_test_permissions; then
  mkdir -m 555 "$WORK/ro"
  run_as_user 1 run "$PIPE" -o "$WORK/ro/r.html"
  expect_err "cannot create $WORK/ro/r.html: Permission denied"
fi
run_tm 2 run "$PIPE" --set "outputs=[{type: output.report, path: $WORK/x.html, top: 0}]"
expect_err "top must be between 1 and 1000"
echo ok
