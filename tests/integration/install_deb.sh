# The Debian package (cmake/package.cmake): build it with CPack from the
# build tree, then read it with dpkg-deb: its file list (the programs, the
# plugins, the main job's data, the man page and completion, all under
# /usr), its version, and Depends against the libraries the built programs
# and plugins link (ldd, then the package that owns each, dpkg -S).
. "$(dirname "$0")/lib.bash"
for tool in cpack dpkg-deb; do
  command -v $tool >/dev/null || { echo "skipped: needs $tool (Debian's dpkg)"; exit 77; }
done
BUILD=$TM_BUILD_DIR

cpack --config "$BUILD/CPackConfig.cmake" -B "$WORK/deb" >"$WORK/out" 2>&1 || { cat "$WORK/out" >&2; fail "cpack failed"; }
debs=("$WORK"/deb/textmill_*.deb)
[ ${#debs[@]} = 1 ] && [ -f "${debs[0]}" ] || fail "cpack made no textmill_*.deb: $(ls "$WORK/deb")"
DEB=${debs[0]}

version=$("$TEXTMILL" --version | awk '{print $2}')
[ "$(dpkg-deb -f "$DEB" Package)" = textmill ] || fail "the package is not named textmill"
[ "$(dpkg-deb -f "$DEB" Version)" = "$version" ] || fail "package version $(dpkg-deb -f "$DEB" Version), program $version"
[[ $DEB == */textmill_${version}_* ]] || fail "file name $DEB lacks the version"

dpkg-deb -c "$DEB" | awk '{print $NF}' | sed 's|^\./|/|' >"$WORK/files"
for f in /usr/bin/textmill /usr/bin/textmill-dedup /usr/share/man/man1/textmill.1 \
  /usr/share/bash-completion/completions/textmill /usr/include/textmill/textmill.h \
  /usr/share/textmill/config/default.yaml /usr/share/textmill/config/boilerplate/vi.txt \
  /usr/share/textmill/config/gazetteers/lexicon.tsv /usr/share/textmill/scripts/entities/defence_vi.lua \
  /usr/share/textmill/scripts/lib/rules.lua /usr/share/textmill/corpus/sample/more.jsonl \
  /usr/share/textmill/jobs/tasks.sh.in; do
  grep -qx -- "$f" "$WORK/files" || fail "the package lacks $f"
done
for plugin in "$BUILD"/plugins/*.so; do
  grep -q "^/usr/lib/.*textmill/plugins/$(basename "$plugin")\$" "$WORK/files" || fail "the package lacks $(basename "$plugin")"
done
outside=$(grep -v '^/usr/' "$WORK/files" | grep -vx '/' || true)
[ -z "$outside" ] || fail "the package installs outside /usr: $outside"
! grep -q '/out/\|\.tmp' "$WORK/files" || fail "the package holds run output or temporary files: $(grep '/out/\|\.tmp' "$WORK/files")"

# Its contents run the main job, unpacked anywhere, from a folder of their
# own (.ci/run installs it with apt-get on a fresh Debian 12 and runs it).
dpkg-deb -x "$DEB" "$WORK/unpacked"
mkdir "$WORK/run" && cd "$WORK/run"
status=0
"$WORK/unpacked/usr/bin/textmill" run "$WORK/unpacked/usr/share/textmill/config/default.yaml" -o sample.jsonl \
  --rejects "$WORK/run/rejects.jsonl" >"$WORK/out" 2>"$WORK/err" || status=$?
[ $status = 0 ] || { cat "$WORK/err" >&2; fail "the unpacked package's main job exited $status"; }
check_accounting '*' '*' '*' 0
[ "$(jsonl_count sample.jsonl)" -gt 0 ] || fail "the unpacked package's main job wrote nothing"
cd "$WORK"

# Depends: every package that owns a library the programs or plugins link.
command -v ldd >/dev/null && command -v dpkg >/dev/null || { echo "skipped: Depends not checked (needs ldd and dpkg)"; exit 77; }
depends=$(dpkg-deb -f "$DEB" Depends | tr ',' '\n' | awk '{print $1}')
if ldd "$BUILD/textmill" | grep 'libasan\|libubsan' >/dev/null; then  # not -q: pipefail
  echo "note: a sanitizer build links the sanitizers' libraries and theirs; Depends is checked in a plain build"
  echo ok
  exit 0
fi
for lib in $(ldd "$BUILD/textmill" "$BUILD/textmill-dedup" "$BUILD"/plugins/*.so | awk '$2 == "=>" && $3 ~ /^\// {print $3}' | sort -u); do
  owner=$(dpkg -S "$lib" 2>/dev/null || dpkg -S "$(realpath "$lib")" 2>/dev/null || dpkg -S "/usr$lib" 2>/dev/null) \
    || { echo "note: $lib belongs to no Debian package; not checked"; continue; }
  pkg=${owner%%:*}
  grep -qx "$pkg" <<<"$depends" || fail "the programs link $lib ($pkg), which Depends lacks: $(dpkg-deb -f "$DEB" Depends)"
done
echo ok
