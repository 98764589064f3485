# Files that are not text, or not in an encoding clean.normalize reads, are
# rejected with a reason, and real Windows-1258 and TCVN3 text is not: the
# legacy reading must read as Vietnamese before it is taken.
. "$TM_SOURCE_DIR/tests/integration/lib.bash"
mkdir "$WORK/in"
head -c 61440 "$TEXTMILL" >"$WORK/in/elf.txt"
head -c 61440 "$TEXTMILL" | gzip -c >"$WORK/in/gzip.txt"
PYTHONDONTWRITEBYTECODE=1 PYTHONPATH="$TM_SOURCE_DIR/plugins/clean/tests" python3 - "$WORK/in" <<'PY'
import os, random, sys
from legacy_codec import cp1258, tcvn3
d = sys.argv[1]
r = random.Random(16)
def put(name, data):
    open(os.path.join(d, name), "wb").write(data)
def noise(n, low=0):
    return bytes(r.randrange(low, 256) for _ in range(n))
put("random.txt", noise(20000))
put("highbytes.txt", noise(20000, 0x20))  # no control character at all
put("pdf.txt", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Length 3000 /Filter /FlateDecode >>\nstream\n" + noise(3000))
put("png.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + noise(3000))
fr = ("Le conseil municipal a décidé hier soir de prolonger les travaux de la gare jusqu'à l'été prochain. "
      "Les élus ont aussi voté une aide aux écoles et aux crèches du quartier, après un débat animé.\n") * 10
put("latin1.txt", fr.encode("latin-1"))
put("koi8r.txt", ("Городской совет вчера решил продлить работы на вокзале до следующего лета.\n" * 10).encode("koi8-r"))
vi = ("Hội đồng nhân dân thành phố họp phiên bất thường sáng nay để bàn việc kéo dài công trình nhà ga.\n"
      "Các đại biểu cũng thống nhất hỗ trợ trường học và nhà trẻ trong khu phố sau một buổi thảo luận sôi nổi.\n")
put("utf16.txt", vi.encode("utf-16"))
put("vi-cp1258.txt", cp1258(vi)[0])
put("vi-tcvn3.txt", tcvn3(vi)[0])
PY
config norm <<'EOF2'
input: {paths: [in]}
stages:
  - {type: clean.normalize}
outputs: [{type: output.jsonl, path: out.jsonl}]
rejects: rejects.jsonl
EOF2
run_tm 3 run "$WORK/norm.yaml"
check_accounting 11 2 0 9
expect_err "rejected binary content: 5"
expect_err "rejected unknown encoding: 4"
expect_err "converted-cp1258: 1"
expect_err "converted-tcvn3: 1"
python3 - "$WORK/rejects.jsonl" "$WORK/out.jsonl" <<'PY'
import json, sys
why = {d["id"]: d["reason"] for d in map(json.loads, open(sys.argv[1]))}
want = {"elf": "binary content", "gzip": "binary content", "random": "binary content", "pdf": "binary content",
        "png": "binary content", "highbytes": "unknown encoding", "latin1": "unknown encoding",
        "koi8r": "unknown encoding", "utf16": "unknown encoding: UTF-16"}
for k, v in want.items():
    assert why.get(k, "").startswith(v), (k, why.get(k))
assert why["latin1"].startswith("unknown encoding: not UTF-8, and as Windows-1258 only "), why["latin1"]
out = {d["id"]: d["text"] for d in map(json.loads, open(sys.argv[2]))}
assert out["vi-cp1258"].startswith("Hội đồng nhân dân thành phố"), out["vi-cp1258"]
assert out["vi-tcvn3"].startswith("Hội đồng nhân dân thành phố"), out["vi-tcvn3"]
PY
echo ok
