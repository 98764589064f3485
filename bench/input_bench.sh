#!/usr/bin/env bash
# Input readers: MB/s and peak memory of reading the real articles as
# .jsonl, .jsonl.gz, .jsonl.zst and as HTML pages in a .warc file, with no
# stages, for one or two builds. MB/s is of the JSON Lines form's size.
#
#   bench/input_bench.sh TEXTMILL_A [TEXTMILL_B] [COPIES]   (default: 20 copies)
#
# The dev corpus (../shared/corpus/dev, about 13 MB) is concatenated COPIES
# times into a scratch folder ($TMPDIR), then each binary reads each form
# into output.jsonl, A and B interleaved (A B A B ...) $RUNS times (default
# 5) on the same files, since the machine is shared; each line is the
# median. A build that cannot read a form (no .zst before zstd) says so.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
a=${1:?usage: input_bench.sh TEXTMILL_A [TEXTMILL_B] [COPIES]}
b=${2:-}
copies=${3:-20}
runs=${RUNS:-5}
dev=$here/../../shared/corpus/dev
[ -d "$dev" ] || { echo "no dev corpus at $dev" >&2; exit 1; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
for i in $(seq "$copies"); do cat "$dev"/baomoi_defence.jsonl "$dev"/baomoi_other.jsonl "$dev"/dantri.jsonl; done >"$dir/in.jsonl"
gzip -k -6 "$dir/in.jsonl"
zstd -q -k -3 "$dir/in.jsonl"
# The same articles as HTML pages in a WARC file (a paragraph a <p>).
python3 - "$dir" <<'PY'
import html, json, sys
w = sys.argv[1]
with open(w + "/in.warc", "wb") as out:
    for n, line in enumerate(open(w + "/in.jsonl", encoding="utf-8")):
        page = "".join(f"<p>{html.escape(p)}</p>\n" for p in json.loads(line)["text"].split("\n"))
        body = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + page.encode()
        out.write(f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:n:{n}>\r\n"
                  f"Content-Length: {len(body)}\r\n\r\n".encode() + body + b"\r\n\r\n")
PY
mb=$(python3 -c "import os,sys; print(os.path.getsize(sys.argv[1]) / 1e6)" "$dir/in.jsonl")
printf 'input: {paths: [in.jsonl]}\noutputs: [{type: output.jsonl, path: out.jsonl}]\n' >"$dir/job.yaml"
one() { # BINARY FILE: "seconds peak_KiB", or "- -" if it cannot read it
  /usr/bin/time -f "%e %M" -o "$dir/time" "$1" run "$dir/job.yaml" -i "$2" -o "$dir/out.jsonl" -q -j 2 \
    2>/dev/null && cat "$dir/time" || echo "- -"
}
printf '%-6s %-12s %8s %8s %9s\n' build input seconds MB/s peak_MiB
for form in in.jsonl in.jsonl.gz in.jsonl.zst in.warc; do
  : >"$dir/A"; : >"$dir/B"
  for r in $(seq "$runs"); do
    one "$a" "$dir/$form" >>"$dir/A"
    [ -z "$b" ] || one "$b" "$dir/$form" >>"$dir/B"
  done
  for which in A B; do
    [ -s "$dir/$which" ] || continue
    python3 - "$dir/$which" "$which" "$form" "$mb" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
name, form, mb = sys.argv[2], sys.argv[3], float(sys.argv[4])
if any(r[0] == "-" for r in rows):
    print(f"{name:<6} {form:<12} {'-':>8} {'-':>8} {'-':>9}  (cannot read it)")
else:
    s = statistics.median(float(r[0]) for r in rows)
    kib = statistics.median(float(r[1]) for r in rows)
    print(f"{name:<6} {form:<12} {s:8.2f} {mb / s:8.1f} {kib / 1024:9.1f}")
PY
  done
done
echo "($mb MB of JSON Lines, $copies copies of the dev corpus; median of $runs runs; A=$a${b:+ B=$b})"
