# output.report in a real browser: headless Chromium loads the page with no
# console errors and no request beyond the file itself, draws every chart,
# and its DOM shows the numbers of the run. Skips when Chromium is absent.
. "$TM_SOURCE_DIR/tests/integration/lib.bash"
. "$TM_SOURCE_DIR/tests/fixtures/outputs/lib.bash"
CHROMIUM=${TM_CHROMIUM:-$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)}
if [ -z "$CHROMIUM" ]; then
  echo "SKIP: no chromium to open the report in (Debian: apt-get install chromium; or set TM_CHROMIUM)"
  exit 77
fi
BROWSE="python3 $TM_SOURCE_DIR/plugins/output/tests/browser.py $CHROMIUM"

run_tm 0 run "$PIPE" --summary-json "$WORK/s.json" \
  --set "stages=[{type: lua, script: $FIX/entities.lua}, {type: filter.length, min_chars: 1500},
    {type: lua, script: $FIX/drop_ids.lua, options: {drop: {vn_quangngai_20241211: 'duplicate-of:vn_quangngai_20241210'}}}]" \
  --set "outputs=[{type: output.jsonl, path: $WORK/a.jsonl}, {type: output.report, path: $WORK/report.html}]"
$BROWSE "$WORK/report.html" "$WORK/report.png" "$WORK/dom.json"

python3 - "$WORK/dom.json" "$WORK/report.png" <<'PY'
import json, struct, sys
d = json.load(open(sys.argv[1]))
assert d["console"] == [], d["console"]
assert d["requests"] == [d["page"]], d["requests"]
assert d["title"] == "textmill run report", d["title"]
assert len(d["charts"]) >= 5 and all(w > 100 and h > 20 for _, w, h in d["charts"]), d["charts"]
assert not d["overflow"], "the page is wider than the window"
png = open(sys.argv[2], "rb").read()
assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 20000
width, height = struct.unpack(">II", png[16:24])
assert width == 1280 and height == d["height"] and height > 1000, (width, height)
json.dump(d["found"], open(sys.argv[1] + ".found", "w"))
PY
python3 "$FIX/report_data.py" check-dom "$WORK/dom.json.found" "$WORK/s.json" "$WORK/a.jsonl"
[ -n "${TM_BUILD_DIR:-}" ] && cp "$WORK/report.png" "$TM_BUILD_DIR/outputs-report.png"

# Bar labels are measured, not counted by characters: on the main job's
# report of the sample, whose Vietnamese names are long, none starts left of
# its chart or runs into its bar (10 of 86 started left of it).
run_tm 0 run "$TM_SOURCE_DIR/config/default.yaml" -q -o "$WORK/main.html" --set "rejects=$WORK/rejects.jsonl"
$BROWSE "$WORK/main.html" "$WORK/main.png" "$WORK/main.json"
python3 - "$WORK/main.json" <<'PY'
import json, sys
labels = json.load(open(sys.argv[1]))["labels"]
assert len(labels) > 50, len(labels)
cut = [l for l in labels if l[1] < 0 or (l[3] is not None and l[2] > l[3])]
assert not cut, f"{len(cut)} of {len(labels)} labels leave their place: {cut[:5]}"
assert any(text.endswith("\u2026") for text, *_ in labels), "no long label was shortened"
PY

# The harness does see errors and requests: a page that breaks the rules.
sed 's|<main>|<main><img src="https://example.invalid/x.png"><script>console.error(1)</script>|' \
  "$WORK/report.html" >"$WORK/bad.html"
$BROWSE "$WORK/bad.html" "$WORK/bad.png" "$WORK/bad.json"
python3 - "$WORK/bad.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert any(c["level"] == "error" for c in d["console"]), d
assert any("example.invalid" in r for r in d["requests"]), d
PY
echo ok
