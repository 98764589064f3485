#!/usr/bin/env python3
"""Generate a corpus of small articles for the dedup.minhash benchmark.

    dedup_gen.py --docs 1000000 --out corpus.jsonl [--dup-rate 0.1] [--words 120] [--seed 1]

gen_corpus.py draws article bodies from the fifty paragraphs of the sample
corpus, so at a million documents any two articles often share a paragraph
and a near-duplicate detector drowns in partial matches that a real crawl
does not have. Here each body is new text: a word-bigram chain trained on
the sample corpus writes --words words (about 0.8 KB of JSON per document
at the default), framed by gen_corpus.py's title, date line, lead, byline
and portal chrome. A share of the documents (--dup-rate) are near-
duplicates of a recent one (gen_corpus.py's edits: a paragraph dropped, a
word changed, other chrome), with meta.bench_dup_of naming the original.
"""
import argparse, json, os, random, re, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_corpus  # noqa: E402


def train(paras):
    chain = {}
    for p in paras:
        words = p.split()
        for a, b in zip(words, words[1:]):
            chain.setdefault(a, []).append(b)
    return chain, [w for w in chain if w[:1].isupper()] or list(chain)


def babble(rng, chain, starts, n):
    out, w = [], rng.choice(starts)
    while len(out) < n:
        out.append(w)
        nxt = chain.get(w)
        w = rng.choice(nxt) if nxt and not re.search(r"[.!?]$", w) else rng.choice(starts)
    text = " ".join(out)
    return text if text.endswith(".") else text + "."


def article(rng, chain, starts, words, i):
    p = rng.choice(gen_corpus.PROVINCES)
    y, mo, d = rng.randint(2021, 2025), rng.randint(1, 12), rng.randint(1, 28)
    title = babble(rng, chain, starts, rng.randint(8, 14)).rstrip(".")
    lead = (f"Sáng {d}/{mo}, UBND tỉnh {p} tổ chức hội nghị. {rng.choice(gen_corpus.RANKS)} "
            f"{gen_corpus.person(rng)}, {rng.choice(gen_corpus.TITLES)} chủ trì.")
    half = words // 2
    body = [babble(rng, chain, starts, half), babble(rng, chain, starts, words - half)]
    parts = [rng.choice(gen_corpus.CHROME_TOP).format(p=p), title,
             f"{d:02d}/{mo:02d}/{y} {rng.randint(7, 20):02d}:{rng.randint(0, 59):02d}", lead] + body
    parts.append(f"Tin, ảnh: {gen_corpus.person(rng)}")
    parts.append(rng.choice(gen_corpus.CHROME_BOTTOM).format(n=rng.randint(100, 5000), m=rng.randint(10**5, 10**7)))
    return {"id": f"gen{i:08d}", "text": "\n\n".join(x for x in parts if x),
            "meta": {"source": f"{p.lower().replace(' ', '')}.gov.vn", "published": f"{y}-{mo:02d}-{d:02d}"}}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=100000)
    ap.add_argument("--out", default="-")
    ap.add_argument("--dup-rate", type=float, default=0.1)
    ap.add_argument("--words", type=int, default=120, help="body words per article")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    chain, starts = train(gen_corpus.load_paragraphs())
    out = sys.stdout if a.out == "-" else open(a.out, "w", encoding="utf-8")
    recent, total = [], 0
    for i in range(a.docs):
        if recent and rng.random() < a.dup_rate:
            doc = gen_corpus.near_duplicate(rng, rng.choice(recent), i)
        else:
            doc = article(rng, chain, starts, a.words, i)
            recent = (recent + [doc])[-1000:]
        line = json.dumps(doc, ensure_ascii=False) + "\n"
        total += len(line.encode("utf-8"))
        out.write(line)
    if out is not sys.stdout:
        out.close()
    print(f"dedup_gen.py: {a.docs} documents, {total / 1e6:.1f} MB, {total / max(a.docs, 1):.0f} bytes each",
          file=sys.stderr)


if __name__ == "__main__":
    main()
