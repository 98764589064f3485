# scripts/check-format: checks the C files a change touches (or all of
# them), prints a diff and fails on a badly laid-out one, and --fix
# rewrites them. Run on a scratch repository with the project's
# .clang-format, so the test does not depend on the tree's own layout.
. "$(dirname "$0")/lib.bash"
command -v clang-format-14 >/dev/null || { echo "skip: clang-format-14 is not installed"; exit 77; }
command -v git >/dev/null || { echo "skip: no git"; exit 77; }

repo=$WORK/repo
mkdir -p "$repo/scripts" "$repo/core/src" "$repo/plugins/x" "$repo/docs"
cp "$TM_SOURCE_DIR/scripts/check-format" "$repo/scripts/"
cp "$TM_SOURCE_DIR/.clang-format" "$repo/"
good='static int twice(int x)
{
	if (x > 0)
		return 2 * x;
	return 0;
}
'
printf '%s' "$good" >"$repo/core/src/good.c"
printf '%s' "$good" >"$repo/plugins/x/other.c"
printf 'static  int   ugly( int x ){return x;}\n' >"$repo/docs/not_checked.c"
git -C "$repo" init -q -b main
git -C "$repo" -c user.name=t -c user.email=t@t add -A
git -C "$repo" -c user.name=t -c user.email=t@t commit -qm base
base=$(git -C "$repo" rev-parse HEAD)

cf() { local got=0; (cd "$repo" && scripts/check-format "$@") >"$WORK/out" 2>"$WORK/err" || got=$?; echo "$got"; }

[ "$(cf)" = 0 ] || fail "nothing changed, yet: $(cat "$WORK/err")"
[ "$(cf --all)" = 0 ] || fail "--all on a formatted tree: $(cat "$WORK/err")"
expect_out "2 file(s) formatted"

# A badly laid-out change fails, with its diff; untouched files are not read.
git -C "$repo" checkout -q -b change
printf 'static int  thrice(int x) { if (x) return 3*x; return 0; }\n' >"$repo/core/src/new.c"
[ "$(cf)" = 1 ] || fail "a new badly formatted file passed"
expect_out "+++ core/src/new.c (formatted)"
expect_err "1 of 1 file(s) differ"
[ "$(cf "$base")" = 1 ] || fail "BASE as an argument"
[ "$(TM_FORMAT_BASE=$base cf)" = 1 ] || fail "BASE from TM_FORMAT_BASE"
[ "$(cf HEAD)" = 1 ] || fail "an untracked file is part of the change"
[ "$(cf nonsense-base)" = 2 ] || fail "a base that is no commit"
expect_err "nonsense-base is not a commit"

# A committed change is found against the merge base with main too.
git -C "$repo" -c user.name=t -c user.email=t@t add -A
git -C "$repo" -c user.name=t -c user.email=t@t commit -qm change
[ "$(cf)" = 1 ] || fail "a committed change against main"
[ "$(cf HEAD)" = 0 ] || fail "against HEAD nothing changed"
[ "$(cf --all)" = 1 ] || fail "--all misses new.c"

# Files outside core/, plugins/ and tests/ are not checked.
(cd "$repo" && scripts/check-format --all) >/dev/null 2>&1 || true
grep -q not_checked "$WORK/out" && fail "docs/ was checked"

# --fix rewrites the changed files only; then the check passes.
[ "$(cf --fix)" = 0 ] || fail "--fix failed: $(cat "$WORK/err")"
[ "$(cf)" = 0 ] || fail "still differs after --fix: $(cat "$WORK/out")"
grep -q "ugly( int" "$repo/docs/not_checked.c" || fail "--fix touched a file it does not check"
cmp -s "$repo/core/src/good.c" <(printf '%s' "$good") || fail "--fix touched an unchanged file"
echo ok
