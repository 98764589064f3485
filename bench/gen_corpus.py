#!/usr/bin/env python3
"""Generate a corpus of Vietnamese defence-news articles as JSON Lines.

    gen_corpus.py --mb 100 --out corpus.jsonl [--dup-rate 0.1] [--seed 1]

Articles are assembled from the bundled sample corpus: paragraphs are
shuffled between articles, and names, provinces, dates and figures are
replaced, so the text is varied but keeps the shape of real articles
(chrome lines, bylines, captions). A share of the articles (--dup-rate)
are near-duplicates of an earlier one: a sentence dropped, a word changed,
different chrome. Each record carries meta.source and meta.published and,
for duplicates, meta.bench_dup_of (the id of the original), so a
deduplication benchmark can score itself.
"""
import argparse, json, os, random, re, sys

HERE = os.path.dirname(os.path.abspath(__file__))
SAMPLE = os.path.join(HERE, "..", "corpus", "sample")

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]
MIDDLE = ["Văn", "Thị", "Minh", "Hữu", "Đức", "Thanh", "Ngọc", "Quang", "Xuân", "Thành", "Công", "Anh"]
GIVEN = ["Hùng", "Dũng", "Tuấn", "Hải", "Lâm", "Mười", "Đô", "Khôi", "Hương", "Lan", "Bình", "Phong", "Sơn", "Trung", "Nam", "Quyết"]
PROVINCES = ["Điện Biên", "Kon Tum", "Đắk Nông", "Quảng Ninh", "Hải Dương", "Quảng Trị", "Nghệ An", "Hà Giang",
             "Lào Cai", "Cao Bằng", "Quảng Nam", "Quảng Ngãi", "Thanh Hóa", "Cà Mau", "Tây Ninh", "Yên Bái",
             "Bình Định", "Lạng Sơn", "Sơn La", "Lai Châu", "Gia Lai", "An Giang", "Kiên Giang", "Bắc Giang"]
RANKS = ["Đồng chí", "Đại tá", "Thượng tá", "Trung tướng", "Thiếu tướng", "Trung tá"]
TITLES = ["Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh", "Phó Chủ tịch UBND tỉnh", "Chỉ huy trưởng Bộ CHQS tỉnh",
          "Ủy viên Ban Thường vụ Tỉnh ủy", "Bí thư Huyện ủy", "Chủ tịch UBND huyện"]
CHROME_TOP = ["Đăng nhập", "Cổng thông tin điện tử tỉnh {p}", "Trang chủ | Tin tức | Quốc phòng - An ninh", ""]
CHROME_BOTTOM = ["Bình luận\nBack To Top", "Trả lời\n\nEmail của bạn sẽ không được hiển thị công khai.",
                 "Thống kê truy cập\nHôm nay: {n}\nĐã truy cập: {m}", "Gửi ý kiến phản hồi", ""]


def load_paragraphs():
    paras = []
    for name in sorted(os.listdir(SAMPLE)):
        path = os.path.join(SAMPLE, name)
        if name.endswith(".txt"):
            texts = [open(path, encoding="utf-8").read()]
        elif name.endswith(".jsonl"):
            texts = [json.loads(l)["text"] for l in open(path, encoding="utf-8") if l.strip()]
        else:
            continue
        for t in texts:
            for p in t.split("\n\n"):
                if len(p) > 200:  # body paragraphs, not chrome
                    paras.append(p.strip())
    if not paras:
        sys.exit("gen_corpus.py: no sample paragraphs in " + SAMPLE)
    return paras


def person(rng):
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def vary(text, rng):
    text = re.sub(r"\d+(?:[.,]\d+)?", lambda m: str(rng.randint(2, 9999)) if rng.random() < 0.5 else m.group(0), text)
    for prov in PROVINCES:
        if prov in text and rng.random() < 0.5:
            text = text.replace(prov, rng.choice(PROVINCES))
    return text


def article(rng, paras, i):
    p = rng.choice(PROVINCES)
    y, mo, d = rng.randint(2021, 2025), rng.randint(1, 12), rng.randint(1, 28)
    hh, mm = rng.randint(7, 20), rng.randint(0, 59)
    title = f"Tổng kết công tác quốc phòng, quân sự địa phương năm {y - 1} tại {p}"
    lead = (f"Sáng {d}/{mo}, UBND tỉnh {p} tổ chức hội nghị tổng kết công tác quốc phòng, quân sự địa phương năm {y - 1}. "
            f"{rng.choice(RANKS)} {person(rng)}, {rng.choice(TITLES)} chủ trì hội nghị.")
    body = [vary(rng.choice(paras), rng) for _ in range(rng.randint(3, 7))]
    parts = [rng.choice(CHROME_TOP).format(p=p), title, f"{d:02d}/{mo:02d}/{y} {hh:02d}:{mm:02d}", lead] + body
    parts.append(f"Tin, ảnh: {person(rng)}")
    parts.append(rng.choice(CHROME_BOTTOM).format(n=rng.randint(100, 5000), m=rng.randint(10**5, 10**7)))
    text = "\n\n".join(x for x in parts if x)
    return {"id": f"gen{i:08d}", "text": text,
            "meta": {"source": f"{p.lower().replace(' ', '')}.gov.vn", "published": f"{y}-{mo:02d}-{d:02d}"}}


def near_duplicate(rng, orig, i):
    paras = orig["text"].split("\n\n")
    if len(paras) > 4 and rng.random() < 0.5:
        del paras[rng.randrange(3, len(paras) - 1)]
    words = paras[-2].split(" ")
    if len(words) > 3:
        words[rng.randrange(len(words))] = rng.choice(GIVEN)
        paras[-2] = " ".join(words)
    paras[0] = rng.choice(CHROME_TOP).format(p="") or paras[0]
    meta = dict(orig["meta"], bench_dup_of=orig["id"])
    return {"id": f"gen{i:08d}", "text": "\n\n".join(paras), "meta": meta}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=50, help="size to write, in MB")
    ap.add_argument("--out", default="-", help="output file ('-': stdout)")
    ap.add_argument("--dup-rate", type=float, default=0.1)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    paras = load_paragraphs()
    out = sys.stdout if a.out == "-" else open(a.out, "w", encoding="utf-8")
    limit, written, i, recent = a.mb * 1e6, 0, 0, []
    while written < limit:
        if recent and rng.random() < a.dup_rate:
            doc = near_duplicate(rng, rng.choice(recent), i)
        else:
            doc = article(rng, paras, i)
            recent = (recent + [doc])[-1000:]
        line = json.dumps(doc, ensure_ascii=False) + "\n"
        out.write(line)
        written += len(line.encode("utf-8"))
        i += 1
    if out is not sys.stdout:
        out.close()
    print(f"gen_corpus.py: {i} documents, {written / 1e6:.1f} MB", file=sys.stderr)


if __name__ == "__main__":
    main()
