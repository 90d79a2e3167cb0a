#!/usr/bin/env python3
"""Builds dictionaries/person/katakana_name_parts.tsv from the Stockmark NER train split.

Usage: python3 scripts/build-name-parts.py ../shared/data/ner/stockmark/train.json \
           > dictionaries/person/katakana_name_parts.tsv

Each line: a katakana word and how the train split uses it, one line per use:
  given   the first part of a person (人名) written with dots (「ウラジーミル・プーチン」)
  family  the last part of such a name
  single  a whole person name written in katakana without a dot (「ロナウジーニョ」)
  other   a part of an entity of another type (「ニューヨーク・タイムズ」, 「マンチェスター・ユナイテッド」)
Only the train split is read (dev and test stay unseen, the NER scores stay honest); the
output is sorted, so the same input gives the same bytes. (UD Japanese GSD NE's train
persons were tried as a second source: CV persons and offenders F1 fell by 0.001-0.002 on
both seeds, so they are not read.)
"""
import json
import re
import sys

KATA = re.compile(r"^[\u30a1-\u30fa\u30fc\u30fb=\uff1d]+$")


def parts(name):
    return [p for p in re.split(r"[\u30fb=\uff1d]", name) if len(p) >= 2]


def stockmark(path):
    """(name, is a person) of every entity of a Stockmark JSON file."""
    for record in json.load(open(path, encoding="utf-8")):
        for e in record["entities"]:
            yield e["name"], e["type"] == "人名"


def main(stockmark_path):
    uses = set()
    for name, person in stockmark(stockmark_path):
        if not KATA.match(name):
            continue
        ps = parts(name)
        if not ps:
            continue
        if person:
            if len(ps) >= 2:
                uses.add((ps[0], "given"))
                uses.add((ps[-1], "family"))
            else:
                uses.add((ps[0], "single"))
        else:
            for p in ps:
                uses.add((p, "other"))
    out = sys.stdout
    out.write("# Katakana name parts from the train split of the Stockmark Wikipedia NER dataset v2.0\n")
    out.write("# (CC BY-SA 3.0, stockmarkteam/ner-wikipedia-dataset; attribution: Stockmark Inc. and the\n")
    out.write("# Wikipedia contributors).\n")
    out.write("# Made by scripts/build-name-parts.py; see its docstring.\n")
    for word, use in sorted(uses):
        out.write(f"{word}\t{use}\n")


if __name__ == "__main__":
    main(sys.argv[1])
