# A plugin that crashes: the host says which stage and which document, on
# whichever thread it crashed, removes the run's temporary files, and dies
# of the same signal (or, in a sanitizer build, lets the sanitizer report).
# A run killed outright (kill -9) leaves its temporary files; the next run
# removes those it can prove are its own: this host, a process that is gone.
. "$(dirname "$0")/lib.bash"
SRC=$TM_SOURCE_DIR

config crash <<EOF2
plugin_path: [$TM_BUILD_DIR/test-plugins/faulty.so]
input: {paths: [$SRC/corpus/sample]}
stages: [{type: test.crash, match: quangnam}]
outputs:
  - {type: output.jsonl, path: o/docs.jsonl}
  - {type: output.sqlite, path: o/new.db}
rejects: o/rejects.jsonl
EOF2
mkdir "$WORK/o"
echo "earlier run" >"$WORK/o/docs.jsonl"

# crashed HOW SIGNAL-NUMBER ARGS...: the run dies of that signal (128+N),
# or exits 1 after an AddressSanitizer report.
crashed() {
  local how=$1 sig=$2 got=0; shift 2
  "$TEXTMILL" run "$WORK/crash.yaml" --set stages.0.how="$how" "$@" >/dev/null 2>"$WORK/err" || got=$?
  if [ "$got" != $((128 + sig)) ] && ! { [ "$got" = 1 ] && grep -q Sanitizer "$WORK/err"; }; then
    cat "$WORK/err" >&2
    fail "$how: exit $got, expected $((128 + sig))"
  fi
  [ "$(cat "$WORK/o/docs.jsonl")" = "earlier run" ] || fail "$how: the old output changed"
  [ "$(ls -A "$WORK/o")" = docs.jsonl ] || fail "$how: left $(ls -A "$WORK/o")"
  expect_err "nothing was committed; the run's temporary files were removed"
}
where="in stages.0 (test.crash) on document vn_quangnam_20230608 from $SRC/corpus/sample/vn_quangnam_20230608.txt"
crashed segv 11 -j 2
expect_err "textmill: crashed (SIGSEGV, a bad memory access) $where"
crashed abort 6
expect_err "textmill: crashed (SIGABRT, aborted) $where"
crashed fpe 8 -j 3
expect_err "textmill: crashed (SIGFPE, an arithmetic error) $where"
crashed stack 11   # a stack overflow: the handler has a stack of its own
expect_err "textmill: crashed (SIGSEGV, a bad memory access) $where"
# On the writer's thread, in an output.
crashed segv 11 --set 'stages=[]' \
  --set 'outputs=[{type: output.jsonl, path: o/docs.jsonl}, {type: test.fail_output, path: o/ids, when: crash}]'
expect_err "crashed (SIGSEGV, a bad memory access) in outputs.1 (test.fail_output) on document tayninh-20240305-phong-thu-dan-su from $SRC/corpus/sample/more.jsonl:1"

# kill -9: nothing can clean up; the temporary files stay...
python3 - "$TEXTMILL" "$WORK" <<'PY'
import os, signal, subprocess, sys, time
textmill, work = sys.argv[1], sys.argv[2]
p = subprocess.Popen([textmill, "run", os.path.join(work, "crash.yaml"), "-q",
                      "--set", "stages=[{type: test.hang, marker: %s/hanging}]" % work])
while not os.path.exists(os.path.join(work, "hanging")):
    time.sleep(0.02)
p.send_signal(signal.SIGKILL)
p.wait()
PY
ls -A "$WORK/o" >"$WORK/left"
grep -q '^\.docs\.jsonl\.tmp-' "$WORK/left" && grep -q '^\.new\.db\.tmp-' "$WORK/left" &&
  grep -q '^\.rejects\.jsonl\.tmp-' "$WORK/left" || fail "expected the killed run's files, got: $(cat "$WORK/left")"
# ...beside two that are not provably ours: a live process's, another host's.
dead=$(grep '^\.docs\.jsonl\.tmp-' "$WORK/left")
pid=$(echo "$dead" | sed 's/^\.docs\.jsonl\.tmp-\([0-9]*\)-.*/\1/')
live=$(echo "$dead" | sed "s/tmp-$pid-/tmp-$$-/")
other=$(echo "$dead" | sed "s/tmp-$pid-[0-9a-f]*-/tmp-$pid-00000000-/")
touch "$WORK/o/$live" "$WORK/o/$other"
# The next run removes the dead process's files and says so.
run_tm 0 run "$WORK/crash.yaml" --set 'stages=[]'
expect_err "textmill: removed $WORK/o/$dead, left by an earlier run (process $pid) that stopped"
[ "$(ls -A "$WORK/o" | grep tmp- | sort)" = "$(printf '%s\n' "$live" "$other" | sort)" ] ||
  fail "after the next run: $(ls -A "$WORK/o")"
[ "$(jsonl_count "$WORK/o/docs.jsonl")" = 14 ] || fail "the next run did not write its output"
echo ok
