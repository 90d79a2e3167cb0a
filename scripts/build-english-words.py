#!/usr/bin/env python3
"""Builds dictionaries/person/english_words.tsv from Debian's wamerican word list (SCOWL).

Usage: python3 scripts/build-english-words.py /usr/share/dict/american-english \
           > dictionaries/person/english_words.tsv
(`apt-get install wamerican` provides the file; only this script needs it, the build reads the
shipped TSV.)

Each line: an English word in lower case and how the list writes it:
  common  in lower case: a common word (「Times」「Online」「Report」「Rights」)
  proper  capitalised only: a proper name, mostly given names and surnames (「Carla」「Steven」)
  both    written both ways (「Rob」/「rob」, 「Page」/「page」)
The person stage reads the parts of a CamelCase Latin candidate against it (a headline or a
medium's name is made of common words, a byline of proper names). Letters only, 2-15 chars;
the output is sorted, so the same input gives the same bytes.
"""
import re
import sys

WORD = re.compile(r"^[A-Za-z]{2,15}$")


def main(path):
    kinds = {}
    for line in open(path, encoding="utf-8"):
        w = line.strip()
        if not WORD.match(w):
            continue
        key = w.lower()
        kind = "common" if w == key else ("proper" if w[0].isupper() and w[1:] == key[1:] else None)
        if kind is None:
            continue
        old = kinds.get(key)
        kinds[key] = kind if old in (None, kind) else "both"
    out = sys.stdout
    out.write("# English words from SCOWL via Debian's wamerican (american-english), with its notice:\n")
    out.write("# Copyright 2000-2011 by Kevin Atkinson. Permission to use, copy, modify, distribute and sell\n")
    out.write("# these word lists, the associated scripts, the output created from the scripts, and its\n")
    out.write("# documentation for any purpose is hereby granted without fee, provided that the above\n")
    out.write("# copyright notice appears in all copies and that both that copyright notice and this\n")
    out.write("# permission notice appear in supporting documentation. Kevin Atkinson makes no\n")
    out.write("# representations about the suitability of this array for any purpose. It is provided\n")
    out.write("# \"as is\" without express or implied warranty. (Further notices: /usr/share/doc/wamerican/copyright.)\n")
    out.write("# Made by scripts/build-english-words.py; see its docstring.\n")
    for key in sorted(kinds):
        out.write(f"{key}\t{kinds[key]}\n")


if __name__ == "__main__":
    main(sys.argv[1])
