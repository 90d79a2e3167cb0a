#!/usr/bin/env python3
"""Compile ../shared/data/address into dictionaries/address/{municipalities.tsv,towns.tsv.gz}.

Run from the repository root:  python3 crates/address/tools/build_gazetteer.py [DATA_DIR]
DATA_DIR defaults to ../shared/data/address. The output is deterministic.

municipalities.tsv: code<TAB>pref<TAB>gun<TAB>city<TAB>ward  (one line per prefecture
  (code = 2-digit, city empty), municipality, designated city and designated-city ward)
towns.tsv.gz: pref<TAB>gun+city+ward<TAB>town|town|...  where "X#一,二,三" stands for
  X一丁目, X二丁目, X三丁目 (gzip, mtime 0).
"""
import csv, gzip, io, json, os, re, sys
from collections import OrderedDict

data = sys.argv[1] if len(sys.argv) > 1 else '../shared/data/address'
out = 'dictionaries/address'
rows = list(csv.DictReader(open(os.path.join(data, 'localgovjp/localgovjp-utf8.csv'), encoding='utf-8-sig')))
prefs = list(csv.DictReader(open(os.path.join(data, 'localgovjp/prefjp-utf8.csv'), encoding='utf-8-sig')))
ja = json.load(open(os.path.join(data, 'geolonia_japanese_addresses/api/ja.json')))
full_names = {p: set(cs) for p, cs in ja.items()}
def fk(s):
    return s.replace('ケ', 'ヶ')
# geolonia's spelling wins (龍ヶ崎市, not 龍ケ崎市): map folded -> geolonia spelling
canon = {(p, fk(c)): c for p, cs in ja.items() for c in cs}

lines = []
for p in prefs:
    lines.append('%02d\t%s\t\t\t' % (int(p['pid']), p['pref']))
geo_key = {}
for r in rows:
    pref, city = r['pref'], r['city']
    code = r['lgcode'].zfill(6)
    gun = ''
    ward = ''
    if ' ' in city:
        city, ward = city.split(' ', 1)
        full = city + ward
    else:
        city = canon.get((pref, fk(city)), city)
        cands = [c for c in full_names.get(pref, ()) if fk(c).endswith(fk(city)) and re.match(r'^.+郡$', c[:-len(city)] or 'x')]
        if city in full_names.get(pref, ()):
            full = city
        elif cands:
            full = cands[0]
            gun = full[:-len(city)]
            city = full[len(gun):]
        else:
            full = city  # a designated city itself
    lines.append('\t'.join([code, pref, gun, city, ward]))
    geo_key[(pref, full)] = True
os.makedirs(out, exist_ok=True)
with open(os.path.join(out, 'municipalities.tsv'), 'w', encoding='utf-8') as f:
    f.write('# code\tpref\tgun\tcity\tward  (from localgovjp CC0 + geolonia/japanese-addresses MIT)\n')
    f.write('\n'.join(lines) + '\n')

missing = [(p, c) for p, cs in ja.items() for c in cs if (p, c) not in geo_key]
if missing:
    print('geolonia cities without a localgovjp row:', missing[:10], file=sys.stderr)

buf = io.StringIO()
for pref, cities in ja.items():
    for c in cities:
        path = os.path.join(data, 'geolonia_japanese_addresses/api/ja', pref, c + '.json')
        towns = [t['town'] for t in json.load(open(path, encoding='utf-8'))]
        base = OrderedDict()
        other = []
        seen = set()
        for t in towns:
            if t in seen:
                continue
            seen.add(t)
            m = re.match(r'^(.*?)([一二三四五六七八九十]+)丁目$', t)
            if m and m.group(1):
                base.setdefault(m.group(1), []).append(m.group(2))
            else:
                other.append(t)
        items = other + [b + '#' + ','.join(v) for b, v in base.items()]
        buf.write(pref + '\t' + c + '\t' + '|'.join(items) + '\n')
raw = buf.getvalue().encode('utf-8')
with open(os.path.join(out, 'towns.tsv.gz'), 'wb') as f:
    with gzip.GzipFile(filename='', mode='wb', fileobj=f, compresslevel=9, mtime=0) as g:
        g.write(raw)
print('municipalities:', len(lines), 'towns raw bytes:', len(raw), file=sys.stderr)
