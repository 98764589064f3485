#!/usr/bin/env python3
"""The cleaning benchmark: the default cleaning stages on real news, against
what the sites recorded (../shared/corpus/dev/*.truth.jsonl).

    bench/metadata_dev.py [--textmill build/textmill] [--dev ../shared/corpus/dev] [--half even|odd|all]
                          [--json FIGURES.json]

Runs clean.normalize, clean.boilerplate and extract.metadata as
config/default.yaml sets them up, over each dev file, and prints per source:

  titles     exact where the page has a headline (after trimming, and
             with tone placement and invisible format characters folded as
             clean.normalize writes them: hoà is hòa), and "where none" how
             many pages without one got a title anyway, and how many of those
             titles are the headline the page's URL spells, exactly or nearly
             (the record lacks a title the page has); and, by the
             annotation in bench/metadata_dev_untitled.tsv, what those
             titles are: the page's headline, a section's heading, a
             photo's caption, something else, or a line nobody annotated
             (a title that changed since is not annotated), with the
             count of captions taken as a title;
  guessed    title_guess (a headline-shaped line with evidence against it,
             kept apart from title): how many, how many of them are the
             page's headline where it has one, and how many fall on pages
             without one;
  published  how many documents have one (coverage) and, for sources whose
             truth has a date, how many of those are the right day
             (precision), with the wrong-year count;
  guessed    published_guess (a date read from the lead, not evidence of
             publication): how many, and how many are the right day;
  authors    documents with an author, and authors that are headline text;
             and, by the annotation in bench/metadata_dev_bylines.tsv (the
             baomoi articles whose last paragraph ends in something
             byline-like, read by hand), how many of the bylines there are
             found as written, how many get another author, and how many
             of those that end in no byline (a source alone, a lone token,
             something else) get an author anyway;
  rejected   documents rejected or dropped, by reason (the run summary).

Each source is split in two halves by the parity of CRC-32 (zlib.crc32) of
the document id's UTF-8 bytes: the rules are tuned on the even half, and the
odd half is the honest figure. --half picks one; by default both are
printed. The texts stay where they are; nothing is copied.
"""
import argparse, hashlib, json, os, re, subprocess, sys, tempfile, time, unicodedata, zlib

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def half_of(doc_id):
    return "even" if zlib.crc32(doc_id.encode("utf-8")) % 2 == 0 else "odd"


def run(textmill, path, work):
    cfg = os.path.join(work, "meta.yaml")
    out = os.path.join(work, "out.jsonl")
    summary = os.path.join(work, "summary.json")
    with open(cfg, "w") as f:
        f.write(f"""input: {{paths: [{json.dumps(path)}]}}
stages:
  - {{type: clean.normalize, fix_case: true}}
  - {{type: clean.boilerplate, rules: {json.dumps(os.path.join(ROOT, "config", "boilerplate"))}}}
  - {{type: extract.metadata}}
outputs: [{{type: output.jsonl, path: {json.dumps(out)}}}]
""")
    t0 = time.perf_counter()
    subprocess.run([textmill, "run", cfg, "-q", "--summary-json", summary], check=True)
    seconds = time.perf_counter() - t0
    with open(out, encoding="utf-8") as f:
        meta = {d["id"]: d.get("meta", {}) for d in map(json.loads, f)}
    with open(summary, encoding="utf-8") as f:
        s = json.load(f)
    reasons = {}
    for st in s.get("stages", []):
        for kind in ("rejected_by", "dropped_by"):
            for why, n in st.get(kind, {}).items():
                key = f"{st['type']}: {why}"
                reasons[key] = reasons.get(key, 0) + n
    return meta, reasons, seconds


# The toned a, e, y by tone (grave, acute, hook, tilde, dot), as in
# core/kit/vn_tone.c, and the o, u that take the tone in the old style.
TONED = {"a": "àáảãạ", "e": "èéẻẽẹ", "y": "ỳýỷỹỵ", "A": "ÀÁẢÃẠ", "E": "ÈÉẺẼẸ", "Y": "ỲÝỶỸỴ"}
OLD = {"o": "òóỏõọ", "u": "ùúủũụ", "O": "ÒÓỎÕỌ", "U": "ÙÚỦŨỤ"}
NEW_STYLE = re.compile(r"(?<![A-Za-zÀ-ỹ])((?:[Qq](?=[Uu]))?[^\W\d_]{0,3}?)([OoUu])([%s])(?![A-Za-z\u0080-\uffff])"
                       % "".join(TONED.values()))


def tone_old(s):
    """kit_vn_tone_old: an open syllable ending in oa, oe or uy toned on
    the second vowel (hoà, khoẻ, thuỷ) written with the tone on the first
    (hòa, khỏe, thủy), as clean.normalize writes it by default."""
    def fold(m):
        onset, v1, v2 = m.groups()
        if (v1 in "Oo") != (v2 in TONED["a"] + TONED["e"] + TONED["A"] + TONED["E"]):
            return m.group(0)
        # the o or u must start the nucleus: after a consonant (not q for u)
        if onset and (onset[-1] in "aeiouyAEIOUY" or ord(onset[-1]) >= 0x80 or
                      (v1 in "Uu" and onset[-1] in "Qq")):
            return m.group(0)
        for plain, row in TONED.items():
            if v2 in row:
                return onset + OLD[v1][row.index(v2)] + plain
    return NEW_STYLE.sub(fold, s)


def same_title(got, want):
    """The page's title, compared after what clean.normalize does to any
    text that does not change its words: tone placement (hoà/hòa) and
    invisible format characters (a zero-width space inside a word)."""
    def fold(s):
        s = "".join(c for c in unicodedata.normalize("NFC", s) if unicodedata.category(c) != "Cf")
        return tone_old(s).strip()
    return fold(got or "") == fold(want)


def slug(s):
    s = unicodedata.normalize("NFD", s.replace("đ", "d").replace("Đ", "D"))
    return "-".join(re.findall(r"[a-z0-9]+", "".join(c for c in s if unicodedata.category(c) != "Mn").lower()))


def url_words(truth):
    url = truth.get("url", "")
    return re.sub(r"-\d+\.html?$", "", url.rsplit("/", 1)[-1]).split("-") if url else []


def headline_in_url(truth, title):
    """The site's address is its headline's slug; a record with no title
    whose page's title is that headline had one after all."""
    words = url_words(truth)
    return bool(words) and words == slug(title).split("-")


def headline_nearly_in_url(truth, title):
    """The headline as the address spells it with a word or two changed:
    at least 60 % of the title's word pairs in the address and of the
    address's in the title (a section heading that repeats half of the
    headline has only the first)."""
    def pairs(w):
        return list(zip(w, w[1:]))
    u, t = pairs(url_words(truth)), pairs(slug(title).split("-"))
    if not u or not t:
        return False
    su, st = set(u), set(t)
    return sum(p in su for p in t) >= 0.6 * len(t) and sum(p in st for p in u) >= 0.6 * len(u)


KINDS = ("headline", "heading", "caption", "other")


def read_labels(path, kinds, kind_column):
    """A file of labels read by hand: by document id, its next two
    columns, of which kind_column (0 or 1) is one of kinds."""
    labels = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            doc_id, *columns = line.rstrip("\n").split("\t")[:3]
            if columns[kind_column] not in kinds:
                sys.exit(f"{path}: {doc_id}: unknown kind {columns[kind_column]!r}")
            labels[doc_id] = tuple(columns)
    return labels


def load_annotation(path):
    """What each title given to a dantri page without a recorded title is,
    as read by hand (bench/metadata_dev_untitled.tsv): by document id,
    the title's hash and its kind."""
    return read_labels(path, KINDS, 1)


def short_sha1(text):
    """How the annotations name a text, so that none is in the repository:
    the first 12 hex digits of the SHA-1 of its UTF-8."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def title_digest(title):
    """The annotation names a title by the first 12 hex digits of the
    SHA-1 of its NFC text, so that no article text is in the repository."""
    return short_sha1(unicodedata.normalize("NFC", title.strip()))


BYLINE_KINDS = ("byline", "source", "token", "not")


def load_bylines(path):
    """What ends the last paragraph of the articles read by hand
    (bench/metadata_dev_bylines.tsv): by document id, its kind and, for
    a byline, its author's hash."""
    return read_labels(path, BYLINE_KINDS, 0)


def author_digest(author):
    """An author as the byline annotation names it: the first 12 hex
    digits of the SHA-1 of its NFC text, lower-cased, with a dash
    between names written " - " (set_name() writes capitals as a name)."""
    s = re.sub(r"\s*[-–]\s*", " - ", unicodedata.normalize("NFC", author).strip().casefold())
    return short_sha1(s)


def annotated_kind(annotation, doc_id, title):
    digest, kind = annotation.get(doc_id, (None, None))
    return kind if digest == title_digest(title) else "not annotated"


def pct(a, b):
    return f"{a}/{b} ({100 * a / max(1, b):.1f} %)"


def day(iso):
    return iso[:10].replace("-", "")


def report(truth, meta, ids, fig, annotation, bylines):
    """The lines to print for the documents ids; their counts go in fig."""
    lines = []
    titled = [i for i in ids if truth[i].get("title")]
    untitled = [i for i in ids if "title" in truth[i] and not truth[i].get("title")]
    exact = sum(1 for i in titled if same_title(meta.get(i, {}).get("title"), truth[i]["title"]))
    t = f"titles exact {pct(exact, len(titled))}"
    if untitled:
        given = [i for i in untitled if meta.get(i, {}).get("title")]
        in_url = sum(1 for i in given if headline_in_url(truth[i], meta[i]["title"]))
        near = sum(1 for i in given if not headline_in_url(truth[i], meta[i]["title"]) and
                   headline_nearly_in_url(truth[i], meta[i]["title"]))
        t += (f"; title where none {pct(len(given), len(untitled))}, of them the URL's headline {in_url}"
              f" (and nearly {near})")
        fig.update(untitled=len(untitled), title_where_none=len(given), title_where_none_in_url=in_url,
                   title_where_none_nearly_in_url=near)
    fig.update(titled=len(titled), titles_exact=exact)
    lines.append(t)
    if untitled and annotation:
        kinds = [annotated_kind(annotation, i, meta[i]["title"]) for i in given]
        counts = {k: kinds.count(k) for k in KINDS + ("not annotated",)}
        lines.append("title where none, as annotated: " + ", ".join(f"{k} {n}" for k, n in counts.items()) +
                     f"; captions taken as title {counts['caption']}")
        fig.update(captions_as_title=counts["caption"], title_where_none_not_annotated=counts["not annotated"])
    guesses = [i for i in ids if isinstance(meta.get(i, {}).get("title_guess"), dict)]
    g_exact = sum(1 for i in guesses if truth[i].get("title") and
                  same_title(meta[i]["title_guess"].get("text"), truth[i]["title"]))
    g_none = sum(1 for i in guesses if "title" in truth[i] and not truth[i].get("title"))
    lines.append(f"title guessed {len(guesses)}, of them the page's headline {g_exact}, on pages without one {g_none}")
    fig.update(title_guesses=len(guesses), title_guesses_exact=g_exact, title_guesses_where_none=g_none)
    dated = [i for i in ids if truth[i].get("date")]
    if dated:
        given = [i for i in dated if isinstance(meta.get(i, {}).get("published"), str)]
        right = sum(1 for i in given if day(meta[i]["published"]) == truth[i]["date"])
        wrong_year = sum(1 for i in given if meta[i]["published"][:4] != truth[i]["date"][:4])
        guessed = [i for i in dated if isinstance(meta.get(i, {}).get("published_guess"), dict)]
        g_right = sum(1 for i in guessed if day(meta[i]["published_guess"].get("date", "")) == truth[i]["date"])
        lines.append(f"published given {pct(len(given), len(dated))}, right day {pct(right, len(given))},"
                     f" wrong year {wrong_year}; guessed {len(guessed)}, right day {pct(g_right, len(guessed))}")
    else:
        given = sum(1 for i in ids if isinstance(meta.get(i, {}).get("published"), str))
        guessed = sum(1 for i in ids if isinstance(meta.get(i, {}).get("published_guess"), dict))
        lines.append(f"published given {pct(given, len(ids))} (no truth to check); guessed {guessed}")
    authors = [i for i in ids if meta.get(i, {}).get("author")]
    headline = sum(1 for i in authors if truth[i].get("title") and
                   (meta[i]["author"].strip() in truth[i]["title"] or truth[i]["title"].strip() in meta[i]["author"]))
    lines.append(f"authors found {pct(len(authors), len(ids))}, of them headline text {headline}")
    read = [i for i in ids if i in bylines]
    if read:
        named = [i for i in read if bylines[i][0] == "byline"]
        found = sum(1 for i in named if meta.get(i, {}).get("author") and
                    author_digest(meta[i]["author"]) == bylines[i][1])
        other = sum(1 for i in named if meta.get(i, {}).get("author")) - found
        unnamed = sum(1 for i in read if bylines[i][0] != "byline" and meta.get(i, {}).get("author"))
        lines.append(f"glued bylines as annotated: found {pct(found, len(named))}, another author {other};"
                     f" an author where none {unnamed} of {len(read) - len(named)}")
        fig.update(annotated_bylines=len(named), annotated_bylines_found=found, annotated_bylines_other=other,
                   annotated_no_byline_given_author=unnamed)
    missing = [i for i in ids if i not in meta]
    lines.append(f"not written {len(missing)}")
    fig.update(authors=len(authors), headline_authors=headline, not_written=len(missing))
    return lines


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--textmill", default=os.path.join(ROOT, "build", "textmill"))
    ap.add_argument("--dev", default=os.path.join(ROOT, "..", "shared", "corpus", "dev"))
    ap.add_argument("--half", choices=["even", "odd", "all", "both"], default="both")
    ap.add_argument("--json", help="also write the counts here, by source and half")
    ap.add_argument("--annotation", default=os.path.join(HERE, "metadata_dev_untitled.tsv"),
                    help="what the titles given to pages without a recorded title are (dantri)")
    ap.add_argument("--bylines", default=os.path.join(HERE, "metadata_dev_bylines.tsv"),
                    help="what ends the last paragraphs read by hand (baomoi)")
    a = ap.parse_args()
    if not os.path.isdir(a.dev):
        sys.exit(f"no dev corpus at {a.dev}")
    halves = ["even", "odd"] if a.half == "both" else [a.half]
    annotation = load_annotation(a.annotation)
    bylines = load_bylines(a.bylines)
    figures = {}
    with tempfile.TemporaryDirectory() as work:
        for name in sorted(os.listdir(a.dev)):
            if not name.endswith(".truth.jsonl"):
                continue
            docs = os.path.join(a.dev, name.replace(".truth", ""))
            with open(os.path.join(a.dev, name), encoding="utf-8") as f:
                truth = {t["id"]: t for t in map(json.loads, f)}
            meta, reasons, seconds = run(a.textmill, docs, work)
            mb = os.path.getsize(docs) / 1e6
            print(f"{name[:-12]}: {len(truth)} documents, {mb:.1f} MB in {seconds:.2f} s")
            for h in halves:
                ids = [i for i in truth if h == "all" or half_of(i) == h]
                fig = figures.setdefault(name[:-12], {}).setdefault(h, {})
                for line in report(truth, meta, ids, fig, annotation, bylines):
                    print(f"  {h:4}  {line}")
            why = ", ".join(f"{k} {v}" for k, v in sorted(reasons.items())) or "none"
            print(f"  all   rejected or dropped: {why}")
    if a.json:
        with open(a.json, "w", encoding="utf-8") as f:
            json.dump(figures, f, indent=1)


if __name__ == "__main__":
    main()
