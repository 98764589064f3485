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
python3 "$root/scripts/entities/build_lexicon.py" --check
status=0
python3 "$here/score.py" --set heldout --textmill "$textmill" --floors "$here/floors.tsv" || status=1
seeds=0
python3 "$here/score.py" --set seeds --textmill "$textmill" --floors "$here/floors.tsv" || seeds=$?
if [ "$seeds" = 1 ] || [ "$status" = 1 ]; then exit 1; fi
if [ "$seeds" = 77 ]; then exit 77; fi
[ "$seeds" = 0 ] || exit "$seeds"
