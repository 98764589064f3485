# Ids, sources and messages reach the terminal escaped: an id holding an
# escape sequence (a window title, a screen clear, a forged line) is shown
# as text in reject messages, stage messages, the failure line, the
# summary and the crash report, never sent to the terminal raw.
. "$(dirname "$0")/lib.bash"
cd "$WORK"  # --set paths are relative to the current directory
SRC=$TM_SOURCE_DIR

python3 - "$WORK" <<'PY'
import json, os, sys
work = sys.argv[1]
ids = ["title\x1b]0;owned\x07", "clear\x1b[2J", "c1\u009b31m", "line\nforged: ok"]
with open(os.path.join(work, "hostile.jsonl"), "w") as f:
    for i in ids:
        f.write(json.dumps({"id": i, "text": "Quân khu 5 tổ chức diễn tập."}) + "\n")
os.mkdir(os.path.join(work, "files"))
with open(os.path.join(work, "files", "name\x1b[31m.txt"), "w") as f:
    f.write("Quân khu 5 tổ chức diễn tập.\n")
PY
config hostile <<EOF2
plugin_path: [$TM_BUILD_DIR/test-plugins/faulty.so]
input: {paths: [hostile.jsonl, files]}
stages: [{type: test.reject_every}]
outputs: [{type: output.jsonl, path: o/docs.jsonl}]
rejects: o/rejects.jsonl
EOF2

# raw_free: stderr holds no control character but newlines, no DEL, no C1.
raw_free() {
  python3 - "$WORK/err" "$@" <<'PY'
import re, sys
text = open(sys.argv[1], "rb").read()
bad = re.findall(rb"[\x00-\x09\x0b-\x1f\x7f]|\xc2[\x80-\x9f]", text)
assert not bad, f"raw control characters on stderr: {bad}\n{text!r}"
for want in sys.argv[2:]:
    assert want.encode() in text, f"stderr lacks {want!r}:\n{text.decode(errors='replace')}"
PY
}
# Reject messages (the reason quotes the id too) and the summary.
run_tm 3 run "$WORK/hostile.yaml"
raw_free 'rejected' '(id title\x1b]0;owned\x07)' 'document clear\x1b[2J' '(id c1\u009b31m)' \
  '(id line\x0aforged: ok)' 'name\x1b[31m.txt'
# The failure line (on_error: fail quotes source and reason).
run_tm 1 run "$WORK/hostile.yaml" --set on_error=fail
raw_free 'run failed: ' 'title\x1b]0;owned\x07 (stopping: on_error is fail)'
# A crash report, written by the signal handler.
"$TEXTMILL" run "$WORK/hostile.yaml" --set 'stages=[{type: test.crash, match: clear}]' >/dev/null 2>"$WORK/err" || true
raw_free 'crashed (SIGSEGV, a bad memory access) in stages.0 (test.crash) on document clear\x1b[2J from '
# A stage's own message (tm_log), here quoting a path, and a config error
# quoting the user's text.
run_tm 0 run "$WORK/hostile.yaml" --set 'stages=[{type: dedup.minhash, index: "idx\e]0;owned\a.idx"}]'
raw_free 'dedup.minhash: index ' 'idx\x1b]0;owned\x07.idx does not exist yet'
run_tm 2 run "$WORK/hostile.yaml" --set $'stages.0.match\x1b[2J=x'
raw_free 'match\x1b[2J'
echo ok
