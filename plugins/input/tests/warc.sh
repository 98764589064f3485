# WARC files (.warc, .warc.gz with a gzip member per record, and a file
# of another name that starts as one): each response record is a document
# with the text of its page, its record id as id and its URI as a field;
# other records are passed over; a non-text response is dropped; a damaged
# or truncated record is rejected with its line, and the next one is read.
. "$TM_SOURCE_DIR/tests/integration/lib.bash"
python3 - "$WORK" <<'PY'
import gzip, sys
w = sys.argv[1]
def record(kind, rid, uri, block, length=None):
    head = (f"WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{rid}>\r\n"
            f"WARC-Date: 2024-05-01T08:00:00Z\r\nWARC-Target-URI: {uri}\r\n"
            f"Content-Type: application/http; msgtype={kind}\r\n"
            f"Content-Length: {len(block) if length is None else length}\r\n\r\n")
    return head.encode() + block + b"\r\n\r\n"
def http(ctype, body):
    return (f"HTTP/1.1 200 OK\r\nContent-Type: {ctype}\r\nServer: x\r\n\r\n").encode() + body
page = ("<html><head><title>Tin nóng</title><style>p{color:red}</style>"
        "<script>var a = '<p>không</p>';</script></head><body>"
        "<h1>Bão số 3</h1><p>Hà Nội &amp; Hải Phòng mưa&nbsp;to.</p><!-- quảng cáo -->"
        "<p>Gió&#32;giật cấp 10 &lt;rất mạnh&gt;.<br>Người dân sơ tán.</p></body></html>").encode()
info = b"WARC/1.1\r\nWARC-Type: warcinfo\r\nWARC-Record-ID: <urn:uuid:info>\r\nContent-Length: 9\r\n\r\nsoftware:\r\n\r\n"
good = [info,
        record("request", "req1", "https://vnexpress.net/bao", b"GET /bao HTTP/1.1\r\n\r\n"),
        record("response", "r1", "https://vnexpress.net/bao", http("text/html; charset=utf-8", page)),
        record("response", "r2", "https://vnexpress.net/logo.jpg", http("image/jpeg", b"\xff\xd8\xff\xe0binary")),
        record("response", "r3", "https://dantri.com.vn/a", http("text/html", "<p>Đà Nẵng nắng đẹp.</p>".encode()))]
open(w + "/crawl.warc", "wb").write(b"".join(good))
with open(w + "/crawl.warc.gz", "wb") as f:
    for r in good:
        f.write(gzip.compress(r))
open(w + "/crawl-00001", "wb").write(b"".join(good))
bad = [good[2],
       b"garbage that is no record\r\nmore garbage\r\n\r\n",
       record("response", "r4", "https://x.vn/no-length", b"", length="abc"),
       good[4],
       record("response", "r5", "https://x.vn/cut", http("text/html", b"<p>cut short</p>"), length=5000)]
open(w + "/bad.warc", "wb").write(b"".join(bad))
PY
config crawl <<EOF2
input: {paths: [crawl.warc]}
outputs: [{type: output.jsonl, path: out.jsonl}]
rejects: rejects.jsonl
EOF2
run_tm 0 run "$WORK/crawl.yaml"
check_accounting 3 2 1 0
expect_err "dropped not text: 1"
python3 - "$WORK/out.jsonl" <<'PY'
import json, sys
out = [json.loads(l) for l in open(sys.argv[1])]
assert [d["id"] for d in out] == ["urn:uuid:r1", "urn:uuid:r3"], out
d = out[0]
assert d["meta"]["url"] == "https://vnexpress.net/bao", d
assert d["meta"]["warc_record_id"] == "<urn:uuid:r1>", d
assert d["meta"]["warc_date"] == "2024-05-01T08:00:00Z", d
assert d["meta"]["content_type"] == "text/html; charset=utf-8", d
assert d["text"] == ("Tin nóng\nBão số 3\nHà Nội & Hải Phòng mưa to.\n"
                     "Gió giật cấp 10 <rất mạnh>.\nNgười dân sơ tán."), repr(d["text"])
assert out[1]["text"] == "Đà Nẵng nắng đẹp.", out[1]
PY
# The same from .warc.gz, and from a file whose name says nothing.
run_tm 0 run "$WORK/crawl.yaml" -i "$WORK/crawl.warc.gz" -o "$WORK/gz.jsonl" -q
cmp -s "$WORK/out.jsonl" "$WORK/gz.jsonl" || fail ".warc.gz read differently"
run_tm 0 run "$WORK/crawl.yaml" -i "$WORK/crawl-00001" -o "$WORK/sniffed.jsonl" -q
cmp -s "$WORK/out.jsonl" "$WORK/sniffed.jsonl" || fail "a WARC file without .warc read differently"
# The payload as it is, and other record types.
run_tm 0 run "$WORK/crawl.yaml" --set input.warc_text=payload --set 'input.warc_types=[request]' -o "$WORK/req.jsonl"
check_accounting 1 1 0 0
grep -qF '"text":"GET /bao HTTP/1.1\r\n\r\n"' "$WORK/req.jsonl" || fail "payload: $(cat "$WORK/req.jsonl")"
# Damaged records: each rejected with its line; the good ones still read.
run_tm 3 run "$WORK/crawl.yaml" -i "$WORK/bad.warc" -o "$WORK/bad.jsonl" --rejects "$WORK/bad-rejects.jsonl"
check_accounting 5 2 0 3
expect_err "bad.warc:15 (id bad:15) at input: malformed WARC record: line 15 is not a 'WARC/1.x' version line; skipped to the next record"
expect_err "bad.warc:18 (id bad:18) at input: malformed WARC record: no valid Content-Length"
expect_err "at input: malformed WARC record: the file ends inside its block, after"
python3 - "$WORK/bad-rejects.jsonl" <<'PY'
import json, sys
rej = [json.loads(l) for l in open(sys.argv[1])]
assert len(rej) == 3, rej
assert rej[0]["raw"].startswith("garbage that is no record"), rej[0]
assert "Content-Length: abc" in rej[1]["raw"], rej[1]
assert "WARC-Target-URI: https://x.vn/cut" in rej[2]["raw"], rej[2]
PY
echo ok
