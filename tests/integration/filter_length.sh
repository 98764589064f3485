# filter.length counts characters, not bytes: "Điện Biên Phủ" is 13
# characters in 19 bytes, and a run of them crosses the counter's blocks of
# eight bytes (and of 31 eight-byte words) at every alignment.
. "$(dirname "$0")/lib.bash"

text="Điện Biên Phủ"
for n in 1 2 3 17 20 40; do
  long=$(python3 -c "import sys; print(' '.join([sys.argv[1]] * int(sys.argv[2])))" "$text" "$n")
  chars=$(python3 -c "import sys; print(len(sys.argv[1]))" "$long")
  for min in "$chars" "$((chars + 1))"; do
    config len <<EOF2
stages: [{type: filter.length, min_chars: $min}]
EOF2
    run_tm 0 try "$WORK/len.yaml" --text "$long"
    if [ "$min" = "$chars" ]; then
      ! grep -q too-short "$WORK/err" || fail "$chars characters dropped by min_chars $min: $(cat "$WORK/err")"
    else
      expect_err "dropped at stages.0: too-short"
    fi
  done
done
echo ok
