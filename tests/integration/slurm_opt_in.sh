# The slurm.* tests submit jobs only when asked (TEXTMILL_TEST_SLURM=1):
# a cluster that answers here may be someone else's.
. "$(dirname "$0")/lib.bash"
mkdir "$WORK/bin"
for c in sbatch squeue sinfo scontrol scancel; do
  printf '#!/bin/sh\necho "$0 $*" >>"%s/called"\necho idle\n' "$WORK" >"$WORK/bin/$c"
  chmod +x "$WORK/bin/$c"
done
# need_slurm as a cluster test calls it, with a cluster of fakes that answers.
cat >"$WORK/probe.sh" <<EOF2
export PATH="$WORK/bin:\$PATH" TEXTMILL_DEDUP=unused
WORK=\$(mktemp -d)
. "$TM_SOURCE_DIR/tests/slurm/lib.bash"
need_slurm
echo "would submit"
EOF2

status=0; env -u TEXTMILL_TEST_SLURM bash "$WORK/probe.sh" >"$WORK/probe" 2>&1 || status=$?
[ "$status" = 77 ] || { cat "$WORK/probe" >&2; fail "need_slurm without TEXTMILL_TEST_SLURM exited $status, expected 77"; }
grep -q "set TEXTMILL_TEST_SLURM=1" "$WORK/probe" || fail "no reason given: $(cat "$WORK/probe")"
[ ! -e "$WORK/called" ] || fail "asked the cluster without being asked to: $(cat "$WORK/called")"

# Asked, it goes on to the cluster.
status=0; TEXTMILL_TEST_SLURM=1 bash "$WORK/probe.sh" >"$WORK/probe" 2>&1 || status=$?
[ "$status" = 0 ] && grep -q "would submit" "$WORK/probe" || fail "TEXTMILL_TEST_SLURM=1 did not reach the cluster: $(cat "$WORK/probe")"
echo ok
