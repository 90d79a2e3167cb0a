#!/usr/bin/env python3
"""Fine-tune kiji's transformer NER recipe on a CUDA GPU with PyTorch.

Why this exists: `pipeline-run train-ner --base` fine-tunes in Rust (tch),
which binds libtorch 2.4.0. The GPU machines lent to this project carry a
different PyTorch (2.11, CUDA 13) and cannot fetch libtorch 2.4's CUDA
libraries (over 2 GB), so the Rust trainer runs on CPU there only. This
script trains the *same recipe on the same inputs*: the windows
`pipeline-run train-ner --export DIR` writes (piece ids after IPADIC
pre-splitting and gold BIO label ids, exactly what the Rust trainer feeds
its model), the same architecture (rust-bert's BertForTokenClassification
== transformers' BertForTokenClassification, same tensor names), AdamW with
linear warmup (10%) and decay, gradient clipping at 1.0, selection on dev.
The weights it writes load in Rust with `NerModel::load`.

Usage (on the GPU machine):
  python3 models/train_gpu.py --base BASE_DIR --data EXPORT_DIR --out OUT_DIR \
      --lrs 5e-5,1e-4,2e-4 --epochs 10
Writes OUT_DIR/model.safetensors (fp16, best dev F1 over the sweep),
OUT_DIR/config.json (with id2label) and OUT_DIR/sweep.json (every epoch's
dev F1 per learning rate). Dev F1 here is entity-level over piece spans;
`pipeline-run ner-eval` gives the char-span numbers.

Model soup (Wortsman et al. 2022): runs of the same recipe with different
seeds, then
  python3 models/train_gpu.py --base BASE_DIR --data EXPORT_DIR --out OUT_DIR \
      --soup RUN1,RUN2,...
scores each run on dev, their uniform weight average, and the greedy soup
(runs added best first, each kept only if dev F1 does not drop), and writes
the best of these to OUT_DIR (soup.json has every score). An average of
fine-tunes of one base costs nothing at inference.
"""
import argparse
import json
import math
import os
import random
import time

import torch
from safetensors.torch import load_file, save_file
from transformers import BertConfig, BertForTokenClassification


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def entities(labels, names):
    """Entity spans (start, end, type) of a BIO label-id sequence; an I-X
    without an open X starts one (the Rust decoder never emits that)."""
    out, open_ = [], None
    for i, l in enumerate(list(labels) + [0]):
        name = names[l] if i < len(labels) else "O"
        tag, _, ty = name.partition("-")
        if open_ and (tag != "I" or ty != open_[1]):
            out.append((open_[0], i, open_[1]))
            open_ = None
        if tag == "B" or (tag == "I" and open_ is None):
            open_ = (i, ty)
    return set(out)


def batches(data, size, shuffle, rng):
    idx = list(range(len(data)))
    if shuffle:
        rng.shuffle(idx)
    for s in range(0, len(idx), size):
        yield [data[i] for i in idx[s:s + size]]


def tensors(batch, pad, cls, sep, device):
    t = max(len(x["ids"]) for x in batch) + 2
    ids = torch.full((len(batch), t), pad, dtype=torch.long)
    mask = torch.zeros((len(batch), t), dtype=torch.long)
    gold = torch.full((len(batch), t), -100, dtype=torch.long)
    for r, x in enumerate(batch):
        n = len(x["ids"])
        ids[r, 0], ids[r, n + 1] = cls, sep
        ids[r, 1:n + 1] = torch.tensor(x["ids"])
        mask[r, :n + 2] = 1
        gold[r, 1:n + 1] = torch.tensor(x["labels"])
    return ids.to(device), mask.to(device), gold.to(device)


@torch.no_grad()
def dev_f1(model, dev, names, args, device):
    model.eval()
    tp = g = p = 0
    for batch in batches(dev, 128, False, None):
        ids, mask, _ = tensors(batch, args.pad, args.cls, args.sep, device)
        with torch.autocast("cuda", dtype=torch.bfloat16, enabled=device.type == "cuda"):
            pred = model(input_ids=ids, attention_mask=mask).logits.argmax(-1).cpu()
        for r, x in enumerate(batch):
            n = len(x["ids"])
            ge, pe = entities(x["labels"], names), entities(pred[r, 1:n + 1].tolist(), names)
            tp, g, p = tp + len(ge & pe), g + len(ge), p + len(pe)
    model.train()
    return 2 * tp / max(g + p, 1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--lrs", default="5e-5,1e-4,2e-4")
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--head-seed", type=int, default=None, help="seed of the classifier's initial weights (default: --seed)")
    ap.add_argument("--pad", type=int, default=1)
    ap.add_argument("--cls", type=int, default=0)
    ap.add_argument("--sep", type=int, default=2)
    ap.add_argument("--soup", default=None, help="comma-separated run directories to average")
    ap.add_argument("--no-bench", action="store_true", help="skip the fp16 throughput bench")
    args = ap.parse_args()
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    names = json.load(open(os.path.join(args.data, "labels.json"), encoding="utf-8"))
    train = read_jsonl(os.path.join(args.data, "train.jsonl"))
    dev = read_jsonl(os.path.join(args.data, "dev.jsonl"))
    base_cfg = json.load(open(os.path.join(args.base, "config.json"), encoding="utf-8"))
    base_cfg["id2label"] = {str(i): n for i, n in enumerate(names)}
    base_cfg["label2id"] = {n: i for i, n in enumerate(names)}
    os.makedirs(args.out, exist_ok=True)
    if args.soup:
        return soup(base_cfg, args, dev, names, device)
    base_weights = {k: v.float() for k, v in load_file(os.path.join(args.base, "model.safetensors")).items()}
    sweep, best = {}, (-1.0, None, None)
    print(f"device {device}, {len(train)} train / {len(dev)} dev windows, {len(names)} labels", flush=True)
    for lr in [float(x) for x in args.lrs.split(",")]:
        # The classifier's initial weights come from --head-seed when given
        # (runs that share it can be averaged: --soup); data order and
        # dropout from --seed.
        torch.manual_seed(args.seed if args.head_seed is None else args.head_seed)
        rng = random.Random(args.seed)
        config = BertConfig(**{k: v for k, v in base_cfg.items() if k not in ("architectures",)})
        model = BertForTokenClassification(config)
        missing, unexpected = model.load_state_dict(base_weights, strict=False)
        print(f"missing {missing}, unexpected {unexpected}", flush=True)
        assert all(m.startswith("classifier") for m in missing) and not unexpected, (missing, unexpected)
        torch.manual_seed(args.seed)
        model.to(device).train()
        opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
        total = math.ceil(len(train) / args.batch_size) * args.epochs
        warm = round(total * 0.1)
        sched = torch.optim.lr_scheduler.LambdaLR(
            opt, lambda s: (s + 1) / warm if s < warm else max(0.0, (total - s) / max(total - warm, 1)))
        scores, t0 = [], time.time()
        for epoch in range(1, args.epochs + 1):
            for batch in batches(train, args.batch_size, True, rng):
                ids, mask, gold = tensors(batch, args.pad, args.cls, args.sep, device)
                with torch.autocast("cuda", dtype=torch.bfloat16, enabled=device.type == "cuda"):
                    logits = model(input_ids=ids, attention_mask=mask).logits
                loss = torch.nn.functional.cross_entropy(logits.float().view(-1, len(names)), gold.view(-1), ignore_index=-100)
                opt.zero_grad(set_to_none=True)
                loss.backward()
                torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
                opt.step()
                sched.step()
            f1 = dev_f1(model, dev, names, args, device)
            scores.append(round(f1, 4))
            print(f"lr {lr:g} epoch {epoch} loss {loss.item():.4f} dev F1 {f1:.4f} ({time.time() - t0:.1f} s)", flush=True)
            if f1 > best[0]:
                state = {k: v.detach().to("cpu", torch.float16).contiguous() for k, v in model.state_dict().items()}
                best = (f1, lr, epoch)
                save_file(state, os.path.join(args.out, "model.safetensors"))
        sweep[str(lr)] = scores
    json.dump(base_cfg, open(os.path.join(args.out, "config.json"), "w", encoding="utf-8"), ensure_ascii=False, indent=2)
    json.dump({"sweep_dev_f1": sweep, "best": {"dev_f1": best[0], "lr": best[1], "epoch": best[2]},
               "epochs": args.epochs, "batch_size": args.batch_size, "seed": args.seed, "torch": torch.__version__},
              open(os.path.join(args.out, "sweep.json"), "w"), indent=2)
    print("best", best, flush=True)
    if device.type == "cuda" and not args.no_bench:
        bench(base_cfg, args, dev, device)


def soup(cfg, args, dev, names, device):
    """Score the runs, their uniform average and the greedy soup on dev;
    write the best to args.out."""
    model = BertForTokenClassification(BertConfig(**{k: v for k, v in cfg.items() if k != "architectures"}))
    model.to(device)

    def score(state):
        model.load_state_dict({k: v.to(device) for k, v in state.items()}, strict=True)
        return dev_f1(model, dev, names, args, device)

    def average(states):
        return {k: sum(s[k].float() for s in states) / len(states) for k in states[0]}

    runs = []
    for d in args.soup.split(","):
        state = {k: v.float() for k, v in load_file(os.path.join(d, "model.safetensors")).items()}
        runs.append((score(state), d, state))
        print(f"run {d}: dev F1 {runs[-1][0]:.4f}", flush=True)
    runs.sort(key=lambda r: -r[0])
    candidates = {"best run " + runs[0][1]: (runs[0][0], runs[0][2])}
    uniform = average([r[2] for r in runs])
    candidates["uniform soup"] = (score(uniform), uniform)
    kept, kept_f1 = [runs[0][2]], runs[0][0]
    for f1, d, state in runs[1:]:
        trial = score(average(kept + [state]))
        print(f"greedy soup + {d}: {trial:.4f} (was {kept_f1:.4f})", flush=True)
        if trial >= kept_f1:
            kept, kept_f1 = kept + [state], trial
    candidates[f"greedy soup of {len(kept)}"] = (kept_f1, average(kept))
    for name, (f1, _) in candidates.items():
        print(f"{name}: dev F1 {f1:.4f}", flush=True)
    name, (f1, state) = max(candidates.items(), key=lambda c: c[1][0])
    save_file({k: v.detach().to("cpu", torch.float16).contiguous() for k, v in state.items()}, os.path.join(args.out, "model.safetensors"))
    json.dump(cfg, open(os.path.join(args.out, "config.json"), "w", encoding="utf-8"), ensure_ascii=False, indent=2)
    json.dump({"runs": {d: f for f, d, _ in runs}, "candidates": {n: c[0] for n, c in candidates.items()}, "chosen": name},
              open(os.path.join(args.out, "soup.json"), "w"), indent=2)
    print(f"chosen: {name} ({f1:.4f})", flush=True)


@torch.no_grad()
def bench(cfg, args, dev, device):
    """Inference throughput of the best model on the dev windows, fp16, at
    batch sizes 1/32/256 (PyTorch on this GPU, not tch: see the docstring)."""
    model = BertForTokenClassification(BertConfig(**{k: v for k, v in cfg.items() if k != "architectures"}))
    model.load_state_dict({k: v.float() for k, v in load_file(os.path.join(args.out, "model.safetensors")).items()}, strict=False)
    model.to(device).half().eval()
    out = {}
    for bs in (1, 32, 256):
        data = sorted(dev, key=lambda x: len(x["ids"]))
        for rep in range(2):  # the first pass warms up
            torch.cuda.synchronize()
            t0 = time.time()
            for batch in batches(data, bs, False, None):
                ids, mask, _ = tensors(batch, args.pad, args.cls, args.sep, device)
                model(input_ids=ids, attention_mask=mask).logits.argmax(-1).cpu()
            torch.cuda.synchronize()
            secs = time.time() - t0
        out[bs] = round(len(data) / secs, 1)
        print(f"bench fp16 batch {bs}: {len(data)} sentences in {secs:.3f} s = {len(data) / secs:.1f} sentences/s", flush=True)
    json.dump({"sentences_per_s_fp16": out, "gpu": torch.cuda.get_device_name(0)},
              open(os.path.join(args.out, "bench.json"), "w"), indent=2)


if __name__ == "__main__":
    main()
