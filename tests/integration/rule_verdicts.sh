# `textmill try` and `textmill test` say where a document left the stages:
# the input's UTF-8 check, a stage that drops it, a stage that rejects it.
# Each line once: the runner they share reports nothing of its own.
. "$(dirname "$0")/lib.bash"

config pipe <<'EOF2'
on_error: fail
stages:
  - {type: extract.regex, pattern: '\d+', entity: NUMBER}
  - {type: filter.length, min_chars: 10}
EOF2
printf 'ab\xffcd' >"$WORK/bad.txt"
run_tm 3 try "$WORK/pipe.yaml" "$WORK/bad.txt"
expect_err "textmill: rejected at input: invalid UTF-8: at byte 3"
[ "$(grep -c rejected "$WORK/err")" = 1 ] || fail "the reject is reported more than once: $(cat "$WORK/err")"

run_tm 0 try "$WORK/pipe.yaml" --text "có 16"
expect_err "textmill: dropped at stages.1: too-short"
expect_out "[16]NUMBER"

cat >"$WORK/fails.lua" <<'EOF2'
function process(doc)
  if doc.text:find("boom") then error("boom in the text") end
end
EOF2
run_tm 3 try "$WORK/fails.lua" --text "boom"
expect_err "textmill: rejected at stages.0: lua-error"
[ "$(grep -c rejected "$WORK/err")" = 1 ] || fail "the reject is reported more than once: $(cat "$WORK/err")"

# In a test file, on_error: fail stops nothing: every case runs and reports.
cat >"$WORK/pipe.test.yaml" <<'EOF2'
config: pipe.yaml
cases:
  - {name: short, text: "có 16"}
  - {name: long enough, text: "có 16 tập thể và 48 cá nhân", expect: [{type: NUMBER, text: "48"}]}
  - {name: short again, text: "có 17"}
EOF2
run_tm 1 test "$WORK/pipe.test.yaml"
expect_out "pipe.test.yaml:3:5: short"
expect_out "  dropped at stages.1: too-short"
expect_out "pipe.test.yaml:5:5: short again"
expect_out "3 cases in 1 file: 1 passed, 2 failed"

cat >"$WORK/lua.test.yaml" <<'EOF2'
script: fails.lua
cases:
  - {name: explodes, text: "boom"}
  - {name: quiet, text: "calm"}
EOF2
run_tm 1 test "$WORK/lua.test.yaml"
expect_out "  rejected at stages.0: lua-error"
expect_out "2 cases in 1 file: 1 passed, 1 failed"
[ ! -s "$WORK/err" ] || fail "test printed to stderr: $(cat "$WORK/err")"
echo ok
