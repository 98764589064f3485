#!/usr/bin/env python3
"""A labelled near-duplicate benchmark for dedup.minhash.

    neardup.py generate --out DIR [--copies 40] [--seed 1] INPUT...
    neardup.py score DIR OUTPUT.jsonl [--min-recall 0.95] [--min-precision 0.99]

generate reads articles (.txt files, .jsonl records, or directories of
them) and writes DIR/corpus.jsonl: every article, then --copies edited
copies of each, shuffled. Each copy gets a random mix of controlled edits
(sentences dropped, inserted from other articles, or reordered; words
substituted; the portal chrome at the top and bottom swapped; the end cut
off), at a random strength, so the copies spread over the whole range of
similarity. DIR/labels.jsonl records, for each copy, its original, the
edits, and the true Jaccard similarity of the two texts' shingle sets,
computed the way dedup.minhash's defaults shingle (case folded, canonical
decomposition, words are runs of letters, digits and marks, 5-word shingles).

score reads a run's output over DIR/corpus.jsonl made with `action: mark`
(meta.dedup.duplicate_of) and reports, by band of true similarity, how many
copies were reported as duplicates. A reported pair is judged on its own
true similarity, whichever document it names. It fails (exit 1) when the
recall on copies at 0.9 or above is under --min-recall, or when the
precision (reported pairs whose true similarity is above 0.5, over all
reported pairs) is under --min-precision.
"""
import argparse, json, os, random, re, sys, unicodedata

CHROME = ["Đăng nhập | Đăng ký", "Trang chủ | Tin tức | Quốc phòng - An ninh", "Cổng thông tin điện tử",
          "Bình luận\nBack To Top", "Gửi ý kiến phản hồi", "Thống kê truy cập\nHôm nay: 1234",
          "Chia sẻ: Facebook | Zalo | In bài", "Tin liên quan", "Email của bạn sẽ không được hiển thị công khai."]
WORDS = ["huyện", "tỉnh", "xã", "lực lượng", "dân quân", "hội nghị", "công tác", "năm", "đồng chí", "diễn tập",
         "tuyển quân", "huấn luyện", "an ninh", "quốc phòng", "chỉ huy", "đơn vị", "kế hoạch", "nhiệm vụ"]


def tokens(text):
    text = unicodedata.normalize("NFD", text.casefold())
    out, cur = [], []
    for ch in text:
        cat = unicodedata.category(ch)
        if cat[0] in "LNM":
            cur.append(ch)
        elif cat == "Cf":
            continue
        elif cur:
            out.append("".join(cur))
            cur = []
    if cur:
        out.append("".join(cur))
    return out


def shingles(text, k=5):
    w = tokens(text)
    if not w:
        return set()
    if len(w) < k:
        return {tuple(w)}
    return {tuple(w[i:i + k]) for i in range(len(w) - k + 1)}


def jaccard(a, b):
    return len(a & b) / len(a | b) if a or b else 1.0


def read_articles(paths):
    docs = []
    for path in paths:
        if os.path.isdir(path):
            docs += read_articles(sorted(os.path.join(path, n) for n in os.listdir(path) if not n.startswith(".")))
        elif path.endswith(".txt"):
            docs.append({"id": os.path.basename(path)[:-4], "text": open(path, encoding="utf-8").read()})
        elif path.endswith(".jsonl"):
            for i, line in enumerate(open(path, encoding="utf-8")):
                if line.strip():
                    r = json.loads(line)
                    docs.append({"id": str(r.get("id", f"{os.path.basename(path)}:{i + 1}")), "text": r["text"]})
    return docs


def sentences(text):
    """Paragraphs of sentences, split after . ! ? followed by a space."""
    return [re.split(r"(?<=[.!?…])\s+", p.strip()) for p in text.split("\n\n") if p.strip()]


def join(paras):
    return "\n\n".join(" ".join(s for s in p if s) for p in paras if any(p))


def edit(rng, text, donors):
    paras = sentences(text)
    strength = rng.choice([0.0, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5])
    kinds = rng.sample(["drop", "insert", "reorder", "substitute", "chrome", "truncate"], rng.randint(1, 3))
    flat = [(i, j) for i, p in enumerate(paras) for j in range(len(p))]
    done = []
    for kind in kinds:
        n = max(1, round(strength * len(flat))) if strength else 0
        if kind == "drop" and n:
            for _ in range(min(n, len(flat) - 1)):
                i, j = rng.choice([(i, j) for i, p in enumerate(paras) for j in range(len(p))] or [(0, 0)])
                if len(paras[i]) > j:
                    del paras[i][j]
        elif kind == "insert" and n:
            for _ in range(n):
                donor = rng.choice(donors)
                i = rng.randrange(len(paras))
                paras[i].insert(rng.randint(0, len(paras[i])), rng.choice(donor))
        elif kind == "reorder" and n:
            for _ in range(n):
                i = rng.randrange(len(paras))
                rng.shuffle(paras[i])
            if rng.random() < 0.5:
                rng.shuffle(paras)
        elif kind == "substitute":
            m = max(1, round(strength * 40))
            for _ in range(m):
                i = rng.randrange(len(paras))
                if not paras[i]:
                    continue
                j = rng.randrange(len(paras[i]))
                w = paras[i][j].split(" ")
                w[rng.randrange(len(w))] = rng.choice(WORDS)
                paras[i][j] = " ".join(w)
        elif kind == "chrome":
            paras = [[rng.choice(CHROME)]] + paras[1:] if rng.random() < 0.5 else paras
            paras = paras + [[rng.choice(CHROME)]]
        elif kind == "truncate" and strength:
            keep = max(1, round(len(paras) * (1 - strength)))
            paras = paras[:keep]
        done.append(f"{kind}:{strength}")
    out = join(paras)
    return (out if out.strip() else text), done


def generate(a):
    rng = random.Random(a.seed)
    originals = read_articles(a.inputs)
    if len(originals) < 2:
        sys.exit("neardup.py: need at least two articles")
    donors = [s for d in originals for p in sentences(d["text"]) for s in p if len(s) > 40]
    os.makedirs(a.out, exist_ok=True)
    copies, labels = [], []
    for n, orig in enumerate(originals):
        sh = shingles(orig["text"])
        for c in range(a.copies):
            text, edits = edit(rng, orig["text"], [donors])
            cid = f"copy{n:03d}_{c:03d}"
            copies.append({"id": cid, "text": text})
            labels.append({"copy": cid, "original": orig["id"], "edits": edits,
                           "jaccard": round(jaccard(sh, shingles(text)), 4)})
    rng.shuffle(copies)
    with open(os.path.join(a.out, "corpus.jsonl"), "w", encoding="utf-8") as f:
        for d in originals + copies:
            f.write(json.dumps({"id": d["id"], "text": d["text"]}, ensure_ascii=False) + "\n")
    with open(os.path.join(a.out, "labels.jsonl"), "w", encoding="utf-8") as f:
        for l in labels:
            f.write(json.dumps(l, ensure_ascii=False) + "\n")
    bands = [sum(1 for l in labels if lo <= l["jaccard"] < hi) for lo, hi in BANDS]
    print(f"neardup.py: {len(originals)} articles, {len(copies)} copies; by true Jaccard "
          + ", ".join(f"[{lo:.1f},{min(hi, 1):.1f}{']' if hi > 1 else ')'}: {b}" for (lo, hi), b in zip(BANDS, bands)))


BANDS = [(0.0, 0.5), (0.5, 0.8), (0.8, 0.9), (0.9, 1.01)]


def score(a):
    texts = {}
    for line in open(os.path.join(a.dir, "corpus.jsonl"), encoding="utf-8"):
        r = json.loads(line)
        texts[r["id"]] = r["text"]
    labels = [json.loads(l) for l in open(os.path.join(a.dir, "labels.jsonl"), encoding="utf-8")]
    reported = {}
    for line in open(a.output, encoding="utf-8"):
        r = json.loads(line)
        mark = (r.get("meta") or {}).get("dedup") or {}
        if "duplicate_of" in mark:
            reported[str(r["id"])] = mark["duplicate_of"]
    cache = {}

    def sh(i):
        if i not in cache:
            cache[i] = shingles(texts[i])
        return cache[i]

    pair_j = {d: jaccard(sh(d), sh(o)) for d, o in reported.items()}
    false_pos = [d for d, j in pair_j.items() if j <= 0.5]
    precision = 1 - len(false_pos) / len(reported) if reported else 1.0
    print(f"{'true Jaccard':>14} {'copies':>7} {'reported':>9} {'share':>7}")
    recall_hi = None
    for lo, hi in BANDS:
        band = [l for l in labels if lo <= l["jaccard"] < hi]
        hits = sum(1 for l in band if l["copy"] in reported and pair_j[l["copy"]] > 0.5)
        share = hits / len(band) if band else float("nan")
        name = f"[{lo:.1f}, {min(hi, 1):.1f}{']' if hi > 1 else ')'}"
        print(f"{name:>14} {len(band):>7} {hits:>9} {share:>7.3f}")
        if lo == 0.9:
            recall_hi = share
    lows = [l for l in labels if l["jaccard"] <= 0.5]
    low_reported = sum(1 for l in lows if l["copy"] in reported and pair_j[l["copy"]] <= 0.5)
    print(f"reported pairs: {len(reported)}; at true Jaccard <= 0.5: {len(false_pos)}; precision {precision:.4f}")
    print(f"copies at <= 0.5 reported against a document at <= 0.5: {low_reported} of {len(lows)}")
    print(f"recall at >= 0.9: {recall_hi:.4f}")
    ok = recall_hi >= a.min_recall and precision >= a.min_precision
    print("PASS" if ok else "FAIL", f"(recall >= {a.min_recall}, precision >= {a.min_precision})")
    return 0 if ok else 1


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("generate")
    g.add_argument("--out", required=True)
    g.add_argument("--copies", type=int, default=40)
    g.add_argument("--seed", type=int, default=1)
    g.add_argument("inputs", nargs="+")
    s = sub.add_parser("score")
    s.add_argument("dir")
    s.add_argument("output")
    s.add_argument("--min-recall", type=float, default=0.95)
    s.add_argument("--min-precision", type=float, default=0.99)
    a = ap.parse_args()
    if a.cmd == "generate":
        generate(a)
        return 0
    return score(a)


if __name__ == "__main__":
    sys.exit(main())
