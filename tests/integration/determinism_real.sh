# The main job gives byte-identical output on every run and for every -j,
# on real news (../shared/corpus/dev, when it is there) and on generated
# articles built so that names overlap: "ông A B C" and "bà B C D" are each
# found once, then "A B C D" holds both, and which one a later mention takes
# must not depend on a Lua state's hash seed or on which worker ran it; nor
# which of two people a word names when it is one's given name and the
# other's surname; nor which of two abbreviations given in brackets, one
# holding the other (DSCA, DSCA-B), takes the longer one's occurrences.
. "$(dirname "$0")/lib.bash"
SRC=$TM_SOURCE_DIR
DEV=$SRC/../shared/corpus/dev

python3 - "$WORK/names.jsonl" <<'PY'
import json, random, sys
rng = random.Random(15)
family = ["Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"]
middle = ["Văn", "Thị", "Đức", "Minh", "Quang", "Hữu"]
given = ["Hùng", "Dũng", "Lan", "Mai", "Sơn", "Tùng", "Hải", "Nam", "Bình", "Long"]
with open(sys.argv[1], "w") as out:
    for d in range(300):
        lines, later = [f"Tin địa phương số {d}"], []
        for _ in range(6):
            a, b, c, x = (rng.choice(family), rng.choice(middle), rng.choice(given),
                          rng.choice(given))
            lines.append(f"Theo ông {a} {b} {c}, cán bộ xã đã làm tốt công tác dân vận.")
            lines.append(f"Bà {b} {c} {x} cho biết người dân rất đồng tình.")
            later.append(f"Sau đó {a} {b} {c} {x} đã tới thăm gia đình.")
        # one word both a Vietnamese given name and a foreign surname
        y = rng.choice(given)
        lines.append(f"Ông {rng.choice(family)} {rng.choice(middle)} {y} và HLV Kiatisak {y} dự lễ.")
        later.append(f"Sau đó, {y} phát biểu.")
        if d % 10 == 0:
            lines.append("Cơ quan Hợp tác An ninh Quốc phòng (DSCA) đã duyệt. Trung tâm Huấn luyện "
                         "Biên phòng (DSCA-B) tham gia.")
            later.append("Hôm qua DSCA-B cho biết DSCA sẽ duyệt.")
        rng.shuffle(later)
        text = "\n".join(lines + later)
        out.write(json.dumps({"id": f"n{d:03d}", "text": text}, ensure_ascii=False) + "\n")
PY

# same NAME INPUTS...: the main job over INPUTS in separate processes, -j 1
# twice, then 2 and 3; every output and rejects file must equal the first.
same() {
  local name=$1; shift
  local ins=() f
  for f in "$@"; do ins+=(-i "$f"); done
  local runs=(1 1 2 3) k=0
  for j in "${runs[@]}"; do
    k=$((k + 1))
    run_tm 0 run "$SRC/config/default.yaml" "${ins[@]}" -o "$WORK/$name.$k.jsonl" -j "$j" -q \
      --rejects "$WORK/$name.$k.rejects"
  done
  [ "$(jsonl_count "$WORK/$name.1.jsonl")" -gt 0 ] || fail "$name: nothing written"
  for k in 2 3 4; do
    if ! cmp -s "$WORK/$name.1.jsonl" "$WORK/$name.$k.jsonl"; then
      python3 - "$WORK/$name.1.jsonl" "$WORK/$name.$k.jsonl" <<'PY' >&2
import json, sys
a = [json.loads(l) for l in open(sys.argv[1])]
b = [json.loads(l) for l in open(sys.argv[2])]
diff = [x["id"] for x, y in zip(a, b) if x != y]
print(f"{len(a)} and {len(b)} articles; {len(diff)} differ, e.g. {diff[:5]}")
PY
      fail "$name: run $k (-j ${runs[$((k - 1))]}) differs from run 1 (-j 1)"
    fi
    [ -f "$WORK/$name.$k.rejects" ] || fail "$name: run $k wrote no rejects file"
    cmp -s "$WORK/$name.1.rejects" "$WORK/$name.$k.rejects" || fail "$name: run $k's rejects differ"
  done
  echo "$name: 4 runs identical ($(jsonl_count "$WORK/$name.1.jsonl") articles)"
}

same names "$WORK/names.jsonl"
if [ -d "$DEV" ]; then
  same dev "$DEV/baomoi_defence.jsonl" "$DEV/baomoi_other.jsonl" "$DEV/dantri.jsonl"
else
  echo "SKIP: the real articles (../shared/corpus/dev beside the checkout) are absent;" \
    "only the generated ones were run"
fi
