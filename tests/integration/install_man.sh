# The man page (packaging/textmill.1.in, as configured into the build tree)
# against the program: its commands are those `textmill --help` lists, and
# each command's options those its --help lists, no more and no fewer, so
# an option added, renamed or removed fails here until the page follows.
. "$(dirname "$0")/lib.bash"
PAGE=$TM_BUILD_DIR/textmill.1
[ -f "$PAGE" ] || fail "$PAGE was not configured (cmake/install.cmake)"
grep -q '@[A-Z_]*@' "$PAGE" && fail "textmill.1 has an unfilled @VARIABLE@"
# _textmill_options, from the completion: the options a --help lists.
. "$TM_SOURCE_DIR/packaging/textmill.bash"

run_tm 0 --help
commands=$(awk '/^commands:/ {on = 1; next} on && NF == 0 {on = 0} on {print $1}' "$WORK/out")
[ -n "$commands" ] || fail "no commands in textmill --help"

# The options in the page's section of a command ("" is .SH OPTIONS): the
# words of its .TP tags and of its .SS heading that start with a dash.
page_options() {
  python3 - "$PAGE" "$1" <<'PY'
import re, sys
want, section, tag, found = sys.argv[2], None, False, set()
for line in open(sys.argv[1]):
    line = line.rstrip("\n")
    text = re.sub(r"\\f[BIRP]", "", line).replace("\\-", "-").replace('"', " ")
    m = re.match(r"\.(SH|SS) +(\S+)", text)
    if m:
        section = (m.group(2) if m.group(1) == "SS" else "" if m.group(2) == "OPTIONS" else None)
        if section == want and m.group(1) == "SS":
            found.update(w for w in text.split()[1:] if w.startswith("-"))
        continue
    if section != want:
        continue
    if tag and not line.startswith("."):
        tag = False
    if tag:
        found.update(w.rstrip(",") for w in text.split()[1:] if re.match(r"--?[A-Za-z][A-Za-z-]*,?$", w))
        tag = False
    tag = line == ".TP"
print("\n".join(sorted(found)))
PY
}

grep -q '^\.SH OPTIONS' "$PAGE" || fail "textmill.1 has no OPTIONS section"
for cmd in "" $commands; do
  grep -q "^\.SS \"$cmd[ \"]" "$PAGE" || [ -z "$cmd" ] || fail "textmill.1 has no section for the command '$cmd'"
  help=$(_textmill_options "$TEXTMILL" "$cmd")
  page=$(page_options "$cmd")
  [ -n "$help" ] || [ "$cmd" = test ] || fail "no options found in textmill $cmd --help"
  missing=$(comm -23 <(echo "$help") <(echo "$page") | tr '\n' ' ')
  extra=$(comm -13 <(echo "$help") <(echo "$page") | tr '\n' ' ')
  [ -z "${missing// /}" ] || fail "textmill ${cmd:-(no command)} --help lists $missing, not in packaging/textmill.1.in"
  [ -z "${extra// /}" ] || fail "packaging/textmill.1.in lists $extra for ${cmd:-the program}, not in its --help"
done
# Every section of the page is a command that exists.
for s in $(sed -n 's/^\.SS "\([a-z]*\).*/\1/p' "$PAGE"); do
  grep -qx "$s" <<<"$commands" || fail "textmill.1 documents '$s', not a command of textmill --help"
done

# The page itself: roff that groff reads without a warning.
if command -v groff >/dev/null; then
  warnings=$(groff -man -ww -z "$PAGE" 2>&1) || fail "groff failed on textmill.1: $warnings"
  [ -z "$warnings" ] || fail "groff warns on textmill.1: $warnings"
else
  echo "note: groff absent; the page's roff is not checked"
fi
echo ok
