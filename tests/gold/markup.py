#!/usr/bin/env python3
"""Turn an annotated article into its text and its gold file.

    markup.py ARTICLE.ann [--out DIR]

An .ann file is the article with every entity written in place as
{TYPE|surface} or {TYPE=value|surface}; entities nest, so
{TITLE|Chủ tịch {ORG|{ABBREVIATION|UBND} tỉnh {LOCATION|Lạng Sơn}}} is a
title holding an organisation that holds an abbreviation and a place.
Short type names are accepted (PER TTL ORG LOC DATE TIME QTY ABBR LEG EVT).
Lines starting with "#!" at the top are header lines, not text.

Writes NAME.txt (the text without marks) and NAME.gold.tsv (one entity a
line: type, surface, occurrence of the surface in the text, value), the
format that score.py reads; see docs/rules.md, "Gold annotations".
"""
import argparse, os, sys

SHORT = {"PER": "PERSON", "TTL": "TITLE", "LOC": "LOCATION", "QTY": "QUANTITY",
         "ABBR": "ABBREVIATION", "LEG": "LEGAL", "EVT": "EVENT"}
TYPES = {"PERSON", "TITLE", "ORG", "LOCATION", "DATE", "TIME", "QUANTITY",
         "ABBREVIATION", "LEGAL", "EVENT"}


def parse(src, where):
    """Return (text, [(type, start, end, value)]) in characters."""
    out, ents, stack = [], [], []
    i = 0
    while i < len(src):
        c = src[i]
        if c == "{":
            bar = src.find("|", i)
            head = src[i + 1:bar]
            typ, _, value = head.partition("=")
            typ = SHORT.get(typ, typ)
            if bar < 0 or typ not in TYPES or "{" in head or "\n" in head:
                sys.exit(f"{where}: bad mark at character {i}: {src[i:i + 30]!r}")
            stack.append((typ, sum(len(x) for x in out), value or None))
            i = bar + 1
        elif c == "}":
            if not stack:
                sys.exit(f"{where}: unmatched '}}' at character {i}")
            typ, start, value = stack.pop()
            end = sum(len(x) for x in out)
            ents.append((typ, start, end, value))
            i += 1
        else:
            out.append(c)
            i += 1
    if stack:
        sys.exit(f"{where}: unclosed mark {stack[-1]}")
    return "".join(out), ents


def occurrence(text, surface, start):
    """Which occurrence of surface (counting overlapping ones) starts at start."""
    n, pos = 0, text.find(surface)
    while pos != -1 and pos <= start:
        n += 1
        if pos == start:
            return n
        pos = text.find(surface, pos + 1)
    raise AssertionError("surface not at its position")


def gold_lines(text, ents):
    lines = []
    for typ, s, e, value in sorted(ents, key=lambda x: (x[1], -x[2], x[0])):
        surface = text[s:e]
        if surface != surface.strip() or not surface:
            sys.exit(f"entity {typ} {surface!r} starts or ends with a space")
        lines.append("\t".join([typ, surface, str(occurrence(text, surface, s)), value or ""]).rstrip("\t"))
    return lines


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("ann", nargs="+")
    ap.add_argument("--out", help="directory for the .txt and .gold.tsv (default: beside the .ann)")
    a = ap.parse_args()
    for path in a.ann:
        src = open(path, encoding="utf-8").read()
        header = []
        while src.startswith("#!"):
            line, _, src = src.partition("\n")
            header.append(line[2:].strip())
        text, ents = parse(src, path)
        base = os.path.splitext(os.path.basename(path))[0]
        out = a.out or os.path.dirname(path)
        with open(os.path.join(out, base + ".txt"), "w", encoding="utf-8") as f:
            f.write(text)
        with open(os.path.join(out, base + ".gold.tsv"), "w", encoding="utf-8") as f:
            f.write(f"# gold entities of {base}.txt: type, surface, occurrence, value (docs/rules.md)\n")
            for h in header:
                f.write(f"# {h}\n")
            f.write("\n".join(gold_lines(text, ents)) + "\n")
        print(f"{base}: {len(ents)} entities")


if __name__ == "__main__":
    main()
