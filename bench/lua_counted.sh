# lua_counted.sh -- sourced by the entity pack's bench scripts (lua_ipb.sh,
# lua_lines.sh, lua_parts.sh, lua_cache.sh, lua_calls.sh): the cleaned dev
# articles to run the pack on, a copy of the pack to run as a trusted
# script, and valgrind runs whose counts repeat exactly. Lua seeds its
# string hashes from the clock and an address: a run fixes both (a time()
# that returns TM_CLOCK, preloaded; setarch -R; an empty environment).
# The caller sets root (the checkout) and sources this file, which sets
# textmill (TEXTMILL, or the build's), script (SCRIPT, or the pack's
# entry script) and work (a scratch folder, removed at exit). FAMILIES
# (e.g. "dates, quantities"; set and empty: none) runs only those families
# of the pack (its `families` option) where stage_config writes the stage.
#
#   counted_articles NAME  $work/cleaned.jsonl (../shared/corpus/dev after
#                          the cleaning stages of the main job), tenth.jsonl
#                          (every tenth of them), one.jsonl (the first)
#   counted_setup NAME     those, and $work/clock.so for counted_run
#   counted_valgrind YAML CLOCK ARGS...   textmill run YAML under valgrind
#                          ARGS (its tool and options), the clock CLOCK
#   counted_run YAML CG [CLOCK]   prints the instruction count of such a
#                          run under callgrind
#   counted_tree YAML NAME   counted_run into $work/NAME.cg, and its calls
#                          with their costs in $work/NAME.tree
#                          (callgrind_annotate's calling tree, read by
#                          callgrind_tree.py)
#   stage_config NAME INPUT [SCRIPT]   $work/NAME.yaml: $work/INPUT through
#                          the lua stage SCRIPT (none without; FAMILIES its
#                          families), one worker, into $work/NAME.out.jsonl
#   pack_copy              scripts/entities/*.lua into $work/pack/
#   pack_config YAML ENTRY OPTIONS OUT   a run over tenth.jsonl of
#                          $work/pack/ENTRY, trusted, with OPTIONS (YAML
#                          flow mappings' inside) and the gazetteers

textmill=$(realpath "${TEXTMILL:-$root/build/textmill}")
script=$(realpath "${SCRIPT:-$root/scripts/entities/defence_vi.lua}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

counted_articles() {
  local dev=$root/../shared/corpus/dev
  [ -d "$dev" ] || { echo "$1: $dev is not there: no real articles to count on" >&2; exit 1; }
  TEXTMILL=$textmill bash "$root/bench/clean_dev.sh" "$work/cleaned.jsonl"
  awk 'NR % 10 == 1' "$work/cleaned.jsonl" >"$work/tenth.jsonl"
  head -1 "$work/tenth.jsonl" >"$work/one.jsonl"
}

counted_setup() {
  command -v valgrind >/dev/null || { echo "$1: valgrind is not installed" >&2; exit 1; }
  counted_articles "$1"
  cat >"$work/clock.c" <<'C'
#include <stdlib.h>
#include <time.h>
time_t time(time_t *t)
{
	const char *c = getenv("TM_CLOCK");
	time_t now = c ? (time_t)atoll(c) : 0;
	if (t)
		*t = now;
	return now;
}
C
  "${CC:-cc}" -shared -fPIC -O2 -o "$work/clock.so" "$work/clock.c"
}

counted_valgrind() {
  local yaml=$1 clock=$2
  shift 2
  (cd "$work" && env -i PATH=/usr/bin:/bin TM_CLOCK="$clock" LD_PRELOAD="$work/clock.so" setarch "$(uname -m)" -R \
    valgrind "$@" "$textmill" run "$yaml" -q >/dev/null 2>"$work/valgrind.err") ||
    { cat "$work/valgrind.err" >&2; exit 1; }
}

counted_run() {
  local yaml=$1 cg=$2 clock=${3:-1700000000}
  counted_valgrind "$yaml" "$clock" --tool=callgrind --callgrind-out-file="$cg"
  awk '/^(summary|totals):/ {print $2; exit}' "$cg"
}

counted_tree() {
  counted_run "$1" "$work/$2.cg"
  callgrind_annotate --inclusive=yes --tree=calling --threshold=100 "$work/$2.cg" >"$work/$2.tree" 2>/dev/null
}

stage_config() {
  {
    echo "input: {type: files, paths: [$work/$2]}"
    echo "workers: 1"
    if [ -z "${3:-}" ]; then
      echo "stages: []"
    elif [ -n "${FAMILIES+set}" ]; then
      echo "stages: [{type: lua, script: $3, options: {families: [$FAMILIES]}}]"
    else
      echo "stages: [{type: lua, script: $3}]"
    fi
    echo "outputs: [{type: output.jsonl, path: $work/$1.out.jsonl}]"
  } >"$work/$1.yaml"
}

pack_copy() {
  mkdir -p "$work/pack"
  cp "$root"/scripts/entities/*.lua "$work/pack/"
}

pack_config() {
  cat >"$1" <<YAML
input: {type: files, paths: [$work/tenth.jsonl]}
workers: 1
stages:
  - type: lua
    script: $work/pack/$2
    trusted: true
    options: {$3, gazetteers: $root/config/gazetteers}
outputs: [{type: output.jsonl, path: $4}]
YAML
}
