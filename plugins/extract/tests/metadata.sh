# extract.metadata from config: on its own (no boilerplate stage before
# it), how it treats metadata a record already has, and its options.
. "$TM_SOURCE_DIR/tests/integration/lib.bash"

# Without clean.boilerplate, seed 004's header is still the portal's and
# not the article's date, and its portal name is not the title.
if [ -d "$TM_SEEDS" ]; then
  config alone <<EOF2
input: {paths: ["$TM_SEEDS"]}
stages:
  - {type: clean.normalize}
  - {type: extract.metadata}
outputs: [{type: output.jsonl, path: alone.jsonl}]
EOF2
  run_tm 0 run "$WORK/alone.yaml"
  python3 - "$WORK/alone.jsonl" <<'PY'
import json, sys
docs = {d["id"]: d for d in map(json.loads, open(sys.argv[1]))}
m = docs["004_770e24016d145c17"]["meta"]
assert "published" not in m, m  # the lead's "Sáng 18/1" is no evidence of publication
assert m["published_guess"]["date"] == "2024-01-18", m
assert m["title"].startswith("Tổng kết công tác quốc phòng"), m
assert "views" not in docs["003_1d46b06b12aca6ad"]["meta"], "a visitor counter is not a view count"
PY
fi

cat >"$WORK/in.jsonl" <<'EOF2'
{"id": "r1", "meta": {"published": "2024-06-20", "title": "Tiêu đề có sẵn trong bản ghi"}, "text": "Tiêu đề có sẵn trong bản ghi\n\n20/06/2024 15:40\n\nSáng 19/6, UBND xã Ia Dom tổ chức diễn tập chiến đấu phòng thủ năm 2024 cho lực lượng dân quân.\n\nTin, ảnh: Rơ Mah Hlim"}
{"id": "r2", "meta": {"published": "2024-06-18", "author": "Ban Biên tập"}, "text": "Một tiêu đề khác của bài viết\n\n20/06/2024 15:40\n\nSáng 19/6, UBND xã Ia Dom tổ chức diễn tập chiến đấu phòng thủ năm 2024 cho lực lượng dân quân.\n\nTin, ảnh: Rơ Mah Hlim"}
{"id": "r3", "text": "Bài không có ngày giờ đăng riêng\n\nChiều 28/12, Ban Chỉ huy Quân sự huyện tổng kết công tác năm 2023 và triển khai nhiệm vụ năm 2024."}
{"id": "r4", "text": "Tôi chưa từng nghĩ sẽ rời xa sân khấu\n\nNghệ sĩ Minh An: \"Dù nhiều lúc mệt mỏi, tôi chưa từng nghĩ sẽ rời xa sân khấu.\"\n\nAnh chia sẻ thêm về bộ phim mới sẽ ra mắt khán giả vào cuối năm nay."}
{"id": "r5", "meta": {"title": "Tiêu đề của bản ghi"}, "text": "Tôi chưa từng nghĩ sẽ rời xa sân khấu\n\nNghệ sĩ Minh An: \"Dù nhiều lúc mệt mỏi, tôi chưa từng nghĩ sẽ rời xa sân khấu.\"\n\nAnh chia sẻ thêm về bộ phim mới sẽ ra mắt khán giả vào cuối năm nay."}
EOF2
config records <<'EOF2'
input: {paths: [in.jsonl]}
stages:
  - {type: extract.metadata}
outputs: [{type: output.jsonl, path: out.jsonl}]
EOF2
meta() { python3 -c 'import json,sys; d={r["id"]: r for r in map(json.loads, open(sys.argv[1]))}; print(json.dumps(d[sys.argv[2]]["meta"].get(sys.argv[3]), ensure_ascii=False))' "$WORK/out.jsonl" "$@"; }

# overwrite: better (the default): the record's fields stay, but a date
# without a time gains the time the text gives for the same day.
run_tm 0 run "$WORK/records.yaml"
[ "$(meta r1 published)" = '"2024-06-20T15:40:00+07:00"' ] || fail "r1 published: $(meta r1 published)"
[ "$(meta r1 title)" = '"Tiêu đề có sẵn trong bản ghi"' ] || fail "r1 title: $(meta r1 title)"
[ "$(meta r2 published)" = '"2024-06-18"' ] || fail "r2 published: $(meta r2 published)"
[ "$(meta r2 author)" = '"Ban Biên tập"' ] || fail "r2 author: $(meta r2 author)"
[ "$(meta r2 title)" = '"Một tiêu đề khác của bài viết"' ] || fail "r2 title: $(meta r2 title)"
[ "$(meta r3 published)" = null ] || fail "r3 published: $(meta r3 published)"
[ "$(meta r3 published_guess)" = '{"date": "2023-12-28", "year": "inferred", "evidence": "Chiều 28/12, Ban Chỉ huy Quân sự huyện tổng kết công tác năm"}' ] ||
  fail "r3 published_guess: $(meta r3 published_guess)"
# A pull quote at the top of a page is only a guess at its title, and
# stays in the text.
[ "$(meta r4 title)" = null ] || fail "r4 title: $(meta r4 title)"
[ "$(meta r4 title_guess)" = '{"text": "Tôi chưa từng nghĩ sẽ rời xa sân khấu", "doubt": "a quotation from the paragraph under it"}' ] ||
  fail "r4 title_guess: $(meta r4 title_guess)"
expect_err "title-guessed: 1"
expect_err "published-made-precise: 1"
expect_err "kept-from-record: 2"
python3 - "$WORK/out.jsonl" <<'PY'
import json, sys
d = {r["id"]: r for r in map(json.loads, open(sys.argv[1]))}
assert d["r1"]["text"].startswith("Sáng 19/6"), repr(d["r1"]["text"])  # the known title's line is gone
assert d["r4"]["text"].startswith("Tôi chưa từng"), repr(d["r4"]["text"])  # a guess stays in the text
PY

# overwrite: never keeps even a date-only published; always takes the text's.
run_tm 0 run "$WORK/records.yaml" --set stages.0.overwrite=never
[ "$(meta r1 published)" = '"2024-06-20"' ] || fail "never: r1 published: $(meta r1 published)"
run_tm 0 run "$WORK/records.yaml" --set stages.0.overwrite=always
[ "$(meta r2 published)" = '"2024-06-20T15:40:00+07:00"' ] || fail "always: r2 published: $(meta r2 published)"
[ "$(meta r2 author)" = '"Rơ Mah Hlim"' ] || fail "always: r2 author: $(meta r2 author)"
# A record's title, even one the text replaces, leaves no room for a guess.
[ "$(meta r5 title_guess)" = null ] || fail "always: r5 title_guess: $(meta r5 title_guess)"
[ "$(meta r4 title_guess)" != null ] || fail "always: r4 lost its title_guess"

# Other options.
run_tm 0 run "$WORK/records.yaml" --set stages.0.date_only=midnight --set stages.0.timezone=+08:00
meta r3 published_guess | grep -qF '"date": "2023-12-28T00:00:00+08:00"' || fail "midnight: $(meta r3 published_guess)"
run_tm 0 run "$WORK/records.yaml" --set 'stages.0.fields=[author]' --set stages.0.remove_lines=false
[ "$(meta r3 published_guess)" = null ] || fail "fields: published was not asked for"
[ "$(meta r4 title_guess)" = null ] || fail "fields: title was not asked for"
[ "$(meta r2 author)" = '"Ban Biên tập"' ] || fail "fields: r2 author"
run_tm 1 run "$WORK/records.yaml" --set stages.0.timezone=GMT+7
expect_err "timezone is written +HH:MM"
run_tm 1 run "$WORK/records.yaml" --set 'stages.0.fields=[title, date]'
expect_err "unknown field 'date'"
echo ok
