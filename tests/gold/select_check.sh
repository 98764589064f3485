#!/usr/bin/env bash
# The article lists of the real-article gold sets are what select.py chooses
# (docs/entity-gold.md): rerun it as each list's docs say and compare.
# Exit 77 when ../shared/corpus/dev is absent.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
select="python3 $here/dev/select.py"
check() {   # check LIST ARGS...: the list is select.py's output with ARGS
  local list=$1; shift
  local got status=0
  got=$($select "$@") || status=$?
  [ "$status" = 0 ] || exit "$status"
  if ! diff <(printf '%s\n' "$got") "$list" >/dev/null; then
    echo "FAIL: $list is not what select.py $* chooses (rerun it, never edit the list by hand)"
    exit 1
  fi
  echo "ok: $list"
}
check "$here/dev/articles.tsv"
check "$here/dev-person/articles.tsv" --seed textmill-person-17: --per-cell 20 --tune-only \
  --exclude "$here/dev/articles.tsv"
check "$here/dev-blind/articles.tsv" --seed textmill-blind-17: --report-only \
  --exclude "$here/dev/articles.tsv" --exclude "$here/dev-person/articles.tsv"
