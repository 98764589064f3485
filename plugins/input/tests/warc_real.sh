# The real articles served as HTML pages in a WARC file come back as their
# text: each paragraph a line, every character kept (escapes decoded,
# script and title markup left out), none lost or doubled.
. "$TM_SOURCE_DIR/tests/integration/lib.bash"
dev=$TM_SOURCE_DIR/../shared/corpus/dev
[ -d "$dev" ] || { echo "no real articles at ../shared/corpus/dev"; exit 77; }
python3 - "$dev" "$WORK" <<'PY'
import html, json, sys
dev, w = sys.argv[1], sys.argv[2]
with open(w + "/dev.warc", "wb") as out, open(w + "/truth.jsonl", "w", encoding="utf-8") as truth:
    for name in ["baomoi_defence", "baomoi_other", "dantri"]:
        for n, line in enumerate(open(f"{dev}/{name}.jsonl", encoding="utf-8")):
            d = json.loads(line)
            page = ("<html><head><title>Tin</title><script>var x = '<p>';</script></head><body>"
                    + "".join(f"<p>{html.escape(p)}</p>\n" for p in d["text"].split("\n")) + "</body></html>")
            body = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + page.encode()
            rid = f"urn:uuid:{name}-{n}"
            out.write(f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <{rid}>\r\n"
                      f"WARC-Target-URI: https://example.vn/{name}/{n}\r\nContent-Length: {len(body)}\r\n\r\n".encode()
                      + body + b"\r\n\r\n")
            truth.write(json.dumps({"id": rid, "text": d["text"]}, ensure_ascii=False) + "\n")
PY
config job <<EOF2
input: {paths: [dev.warc]}
outputs: [{type: output.jsonl, path: out.jsonl}]
EOF2
run_tm 0 run "$WORK/job.yaml" -j 2
python3 - "$WORK" <<'PY'
import json, sys
w = sys.argv[1]
truth = {d["id"]: d["text"] for d in map(json.loads, open(w + "/truth.jsonl"))}
lines = lambda t: [" ".join(x.split()) for x in t.split("\n") if x.strip()]
out = [json.loads(l) for l in open(w + "/out.jsonl")]
assert sorted(d["id"] for d in out) == sorted(truth), "records lost or doubled"
bad = [d["id"] for d in out if lines(d["text"]) != ["Tin"] + lines(truth[d["id"]])]
assert not bad, f"{len(bad)} of {len(out)} texts differ, first {bad[0]}"
print(f"{len(out)} articles, every text kept")
PY
echo ok
