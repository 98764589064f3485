# Every test script sources a library that is there. A script whose `. lib`
# line names a missing file runs none of its checks and still passes (bash
# goes on after a failed `.`), which is how tests moved to another folder
# once went quiet; this test makes that a failure.
. "$(dirname "$0")/lib.bash"
cd "$TM_SOURCE_DIR"
n=0
for script in tests/*/*.sh plugins/*/tests/*.sh; do
  dir=$(dirname "$script")
  while IFS= read -r line; do
    path=${line#. }
    path=${path//\"/}
    path=${path//'$(dirname $0)'/$dir}
    path=${path//'$TM_SOURCE_DIR'/$TM_SOURCE_DIR}
    [ -f "$path" ] || fail "$script sources $path, which does not exist: none of its checks would run"
    n=$((n + 1))
  done < <(grep -E '^\. ' "$script")
done
[ "$n" -gt 50 ] || fail "found only $n library lines: the pattern no longer matches the scripts"
echo "ok: $n library lines, every file there"
