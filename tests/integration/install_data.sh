# An installed textmill runs the main job on its own: install to a prefix,
# move the prefix (nothing may point back into it or into the build), then,
# with the source and build trees hidden where the system allows it, run
# the installed default config from a folder outside both with the one
# command docs/install.md gives. Its output must be the build tree's.
. "$(dirname "$0")/lib.bash"
command -v cmake >/dev/null || { echo "skipped: needs cmake"; exit 77; }
SRC=$(cd "$TM_SOURCE_DIR" && pwd -P)
BUILD=$(cd "$TM_BUILD_DIR" && pwd -P)

cmake --install "$BUILD" --prefix "$WORK/staged" >/dev/null
mv "$WORK/staged" "$WORK/prefix"
PREFIX=$WORK/prefix
DATA=$PREFIX/share/textmill
for f in config/default.yaml config/boilerplate/vi.txt config/gazetteers/lexicon.tsv \
  scripts/entities/defence_vi.lua scripts/entities/dates.test.yaml scripts/lib/rules.lua \
  corpus/sample/more.jsonl jobs/tasks.sh.in; do
  [ -f "$DATA/$f" ] || fail "not installed: share/textmill/$f"
done
[ -f "$PREFIX/share/man/man1/textmill.1" ] || fail "the man page is not installed"
[ -f "$PREFIX/share/bash-completion/completions/textmill" ] || fail "the bash completion is not installed"
[ ! -e "$DATA/scripts/check-format" ] || fail "a developer script was installed with the rule pack"

# The reference: the build tree's binary on the source tree's config.
"$TEXTMILL" run "$SRC/config/default.yaml" -o "$WORK/want.jsonl" --rejects "$WORK/want-rejects.jsonl" -q \
  || fail "the build tree's main job failed"

# The installed run, in a folder of its own; hidden: the trees, by an empty
# folder mounted over each in a private mount namespace.
mkdir "$WORK/elsewhere"
cat >"$WORK/installed.sh" <<EOF2
set -e
for tree in "\$@"; do mount -t tmpfs none "\$tree"; done
[ \$# = 0 ] || [ ! -e "$SRC/config/default.yaml" ] || { echo "the source tree is still visible" >&2; exit 9; }
cd "$WORK/elsewhere"
"$PREFIX/bin/textmill" run "$DATA/config/default.yaml" -o sample.jsonl --rejects rejects.jsonl
# A config of one's own that names the installed rule pack: its gazetteers
# lie outside the script's and the config's folders.
printf '%s\n' 'input: {paths: ["$DATA/corpus/sample/more.jsonl"]}' \
  'stages: [{type: lua, script: "$DATA/scripts/entities/defence_vi.lua"}]' \
  'outputs: [{type: output.jsonl, path: own.jsonl}]' >own.yaml
"$PREFIX/bin/textmill" run own.yaml -q
EOF2
hide=("$SRC")
case $BUILD/ in "$SRC"/*) ;; *) hide+=("$BUILD") ;; esac
case $WORK/ in "$SRC"/* | "$BUILD"/*) hide=() ;; esac  # the temporary folder is inside a tree
if [ ${#hide[@]} -gt 0 ] && command -v unshare >/dev/null &&
  unshare -rm mount -t tmpfs none "$WORK/elsewhere" 2>/dev/null; then
  status=0
  unshare -rm bash "$WORK/installed.sh" "${hide[@]}" >"$WORK/out" 2>"$WORK/err" || status=$?
  [ $status = 0 ] || { cat "$WORK/err" >&2; fail "an installed run exited $status with the trees hidden"; }
else
  echo "note: cannot hide the source and build trees here (no user namespaces); running beside them"
  bash "$WORK/installed.sh" >"$WORK/out" 2>"$WORK/err" || { cat "$WORK/err" >&2; fail "an installed run failed"; }
fi
check_accounting '*' '*' '*' 0
[ ! -e "$DATA/out" ] || fail "the installed main job wrote into share/textmill/out"
[ -f "$WORK/elsewhere/rejects.jsonl" ] || fail "no rejects file in the current folder"
python3 - "$WORK/want.jsonl" "$WORK/elsewhere/sample.jsonl" <<'PY'
import json, sys
def docs(path):
    return {d["id"]: (d["text"], len(d.get("entities", []))) for d in map(json.loads, open(path))}
want, got = docs(sys.argv[1]), docs(sys.argv[2])
assert want, "the build tree's run wrote nothing"
assert got.keys() == want.keys(), (sorted(got), sorted(want))
for i in want:
    assert got[i] == want[i], f"{i}: the installed run's text or entities differ from the build tree's"
assert sum(n for _, n in got.values()) > 0, "no entities: the rule pack did not run"
PY

python3 - "$WORK/elsewhere/own.jsonl" <<'PY'
import json, sys
docs = list(map(json.loads, open(sys.argv[1])))
assert docs and all(d.get("entities") for d in docs), "the installed rule pack found nothing from a config of one's own"
PY

# The installed rule pack passes its own tests, from its installed place.
status=0
(cd "$WORK/elsewhere" && "$PREFIX/bin/textmill" test "$DATA"/scripts/entities/*.test.yaml >"$WORK/out" 2>&1) || status=$?
[ $status = 0 ] || { cat "$WORK/out" >&2; fail "the installed rule tests failed"; }
echo ok
