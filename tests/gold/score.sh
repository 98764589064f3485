#!/usr/bin/env bash
# The entity pack against both gold sets, with the floors in floors.tsv.
#   bash tests/gold/score.sh            (TEXTMILL=path/to/textmill to choose the binary)
# Exit 0: every F1 at or above its floor; 1: one below; 77: the seed articles
# (../shared/corpus/seeds beside the checkout) are absent, so only the
# held-out set was scored. Also fails when config/gazetteers/lexicon.tsv is
# stale (edit the dictionaries, then run scripts/entities/build_lexicon.py).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
textmill=${TEXTMILL:-$root/build/textmill}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 "$root/scripts/entities/build_lexicon.py" --check
status=0
python3 "$here/score.py" --set heldout --textmill "$textmill" --floors "$here/floors.tsv" | tee "$tmp/all" || status=1
# A lighter pack (--families) scores what it keeps as the whole pack does,
# and finds nothing of the types it leaves out.
python3 "$here/score.py" --set heldout --textmill "$textmill" --families dates,quantities >"$tmp/part"
rows() { awk -v t="$1" '$1 == t' "$2"; }
for t in DATE QUANTITY; do
  [ -n "$(rows $t "$tmp/all")" ] && [ "$(rows $t "$tmp/all")" = "$(rows $t "$tmp/part")" ] ||
    { echo "score.sh: --families dates,quantities scores $t otherwise than the whole pack" >&2; status=1; }
done
[ "$(rows PERSON "$tmp/part" | awk '{print $3}')" = 0 ] ||
  { echo "score.sh: --families dates,quantities found people" >&2; status=1; }
# ... and a family the pack lacks stops the scoring, naming it.
if python3 "$here/score.py" --set heldout --textmill "$textmill" --families dates,persn >/dev/null 2>"$tmp/err" ||
  ! grep -q "unknown family 'persn'" "$tmp/err"; then
  echo "score.sh: --families dates,persn did not stop with the pack's message" >&2
  status=1
fi
# ... and so does a build without the lua stage, whose pipeline score.py
# runs less the stages it lacks: there is no pack to give the families to.
# (A textmill that lists every plugin but lua.)
printf '#!/bin/sh\nif [ "$1" = plugins ]; then "%s" plugins | grep -v "^  lua "; else exec "%s" "$@"; fi\n' \
  "$textmill" "$textmill" >"$tmp/nolua"
chmod +x "$tmp/nolua"
if python3 "$here/score.py" --set heldout --textmill "$tmp/nolua" --families dates >/dev/null 2>"$tmp/err" ||
  ! grep -q "score.py: --families: no lua stage in" "$tmp/err"; then
  echo "score.sh: --families without a lua stage did not stop with its message" >&2
  status=1
fi
seeds=0
python3 "$here/score.py" --set seeds --textmill "$textmill" --floors "$here/floors.tsv" || seeds=$?
if [ "$seeds" = 1 ] || [ "$status" = 1 ]; then exit 1; fi
if [ "$seeds" = 77 ]; then exit 77; fi
[ "$seeds" = 0 ] || exit "$seeds"
