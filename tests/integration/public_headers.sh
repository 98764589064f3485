# Each public header compiles on its own (and twice over, for its guard),
# as C99 with every warning an error, and as C++ when a compiler is here:
# a plugin author may include any one of them first.
. "$(dirname "$0")/lib.bash"
CC=${TM_CC:-cc}
command -v "$CC" >/dev/null || { echo "skip: no C compiler ($CC)"; exit 77; }
CXX=${CXX:-c++}
command -v "$CXX" >/dev/null || CXX=

n=0
for h in "$TM_SOURCE_DIR"/core/include/textmill/*.h; do
  name=textmill/$(basename "$h")
  printf '#include <%s>\n#include <%s>\nint tm_header_test_(void);\n' "$name" "$name" >"$WORK/alone.c"
  "$CC" -std=c99 -Wall -Wextra -pedantic -Werror -fsyntax-only -I"$TM_SOURCE_DIR/core/include" \
    "$WORK/alone.c" 2>"$WORK/err" || { cat "$WORK/err" >&2; fail "$name does not compile on its own (C)"; }
  if [ -n "$CXX" ]; then
    "$CXX" -x c++ -Wall -Wextra -Werror -fsyntax-only -I"$TM_SOURCE_DIR/core/include" \
      "$WORK/alone.c" 2>"$WORK/err" || { cat "$WORK/err" >&2; fail "$name does not compile on its own (C++)"; }
  fi
  n=$((n + 1))
done
[ "$n" -ge 3 ] || fail "found only $n public headers"
echo "ok: $n headers${CXX:+, as C and C++}"
