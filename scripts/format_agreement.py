#!/usr/bin/env python3
"""How much of an index's top 10 another copy of it keeps, cell by cell.

    scripts/format_agreement.py REFERENCE.sqlite OTHER.sqlite BEIR_DATASET [--snippets N]

REFERENCE and OTHER are the same index in two vector formats (for example the fp16 index an
eval kept with --db, and a copy converted with `semsearch index --vectors compact --db COPY`).
The queries are the dataset's queries.jsonl plus N snippets of 4 to 9 words cut from random
passages of its corpus.jsonl (no judgments needed: this measures agreement, not quality). Every
query is searched with vectors only (`--no-hybrid`) at each (layer, dim) cell, raw and
calibrated, through `semsearch search --json`, and the script prints the mean share of the
reference's top 10 that OTHER keeps, per cell, with the mean and the worst cells.
"""
import argparse
import json
import os
import random
import subprocess
import sys

LAYERS = range(1, 7)
DIMS = (32, 64, 128, 256, 384)


def queries(dataset, snippets):
    out = [json.loads(line)["text"] for line in open(os.path.join(dataset, "queries.jsonl"))]
    docs = [json.loads(line) for line in open(os.path.join(dataset, "corpus.jsonl"))]
    rng = random.Random(7)
    rng.shuffle(docs)
    for doc in docs[:snippets]:
        words = doc["text"].split()
        if len(words) < 12:
            continue
        start = rng.randint(0, len(words) - 10)
        out.append(" ".join(words[start:start + rng.randint(4, 9)]))
    return [q.replace("\n", " ") for q in out]


def top10(binary, db, layer, dim, raw, text):
    args = [binary, "search", "--db", db, "--json", "--no-hybrid", "--layer", str(layer), "--dim", str(dim)]
    if raw:
        args.append("--raw")
    run = subprocess.run(args, input=text, capture_output=True, text=True, check=True)
    ranked = {}
    for line in run.stdout.split("\n"):
        if not line:
            continue
        hit = json.loads(line)
        ranked.setdefault(hit["query"], []).append((hit["path"], hit["byte_start"]))
    return ranked


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("reference")
    parser.add_argument("other")
    parser.add_argument("dataset")
    parser.add_argument("--snippets", type=int, default=350)
    parser.add_argument("--semsearch", default=os.path.join(os.path.dirname(__file__), "..", ".build", "release", "semsearch"))
    options = parser.parse_args()
    text = "\n".join(queries(options.dataset, options.snippets)) + "\n"
    cells = []
    for layer in LAYERS:
        for dim in DIMS:
            for raw in (False, True):
                if raw and layer == max(LAYERS):
                    continue
                a = top10(options.semsearch, options.reference, layer, dim, raw, text)
                b = top10(options.semsearch, options.other, layer, dim, raw, text)
                kept = [len(set(a[q]) & set(b.get(q, []))) / max(1, len(a[q])) for q in a]
                share = sum(kept) / len(kept)
                name = f"L{layer}/d{dim} {'raw' if raw else 'calibrated'}"
                cells.append((share, name))
                print(f"{name:22} {share:.3f}", flush=True)
    cells.sort()
    print(f"mean of {len(cells)} cells {sum(c[0] for c in cells) / len(cells):.3f}; worst: "
          + ", ".join(f"{name} {share:.3f}" for share, name in cells[:3]))


if __name__ == "__main__":
    sys.exit(main())
