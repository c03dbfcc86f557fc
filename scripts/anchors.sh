#!/usr/bin/env bash
# Times other CPU encoders beside semsearch fp32 and int8 on the same passages with the same
# threads, and prints one table: tokens/s and cosine (the anchors' to fp32 sentence-transformers,
# semsearch int8's to semsearch fp32, which the golden tests hold to 0.9999 of
# sentence-transformers). A measurement tool, not a test: nothing here runs in CI.
#
# The anchors are ../shared/anchors (CTranslate2, ONNX Runtime, llama.cpp, …): their
# setup_anchors.sh builds /tmp/anchor-venv and the converted models under /tmp/anchors/models
# once (~25 min), and their run_anchors.sh times them; this script runs the chosen ones and then
# `semsearch bench embed --precision fp32,int8` on the same first N msmarco-5k passages.
#
# usage: scripts/anchors.sh [minilm|gemma]   (default minilm)
# env:   N=300 THREADS=2 SEMSEARCH_BIN=.build/release/semsearch
#        ONLY="ct2-fp32 ct2-int8 ort-int8 llama-q8_0"   the anchors to run (default: those of the issue)
#        SEMSEARCH_GEMMA_MODEL=embeddinggemma-300m     semsearch's --model for gemma
set -euo pipefail
cd "$(dirname "$0")/.."
which=${1:-minilm}
N=${N:-300}; THREADS=${THREADS:-2}
bin=${SEMSEARCH_BIN:-.build/release/semsearch}
anchors=/tmp/anchors
if [[ ! -x /tmp/anchor-venv/bin/python || ! -d $anchors/models ]]; then
    echo "anchors.sh: the anchors are not set up; run ../shared/anchors/setup_anchors.sh first (see its README.md)" >&2
    exit 2
fi
[[ -x $bin ]] || { echo "anchors.sh: $bin not found; swift build -c release first" >&2; exit 2; }
case $which in
    minilm) only=${ONLY:-ct2-fp32 ct2-int8 ort-int8 llama-q8_0}; model_args=() ;;
    gemma) only=${ONLY:-ort-int8 ort-int8-nodown llama-q8_0}; model_args=(--model "${SEMSEARCH_GEMMA_MODEL:-embeddinggemma-300m}") ;;
    *) echo "usage: scripts/anchors.sh [minilm|gemma]" >&2; exit 2 ;;
esac
out=$(mktemp /tmp/semsearch-anchors-XXXXXX.jsonl)
ONLY="$only" N=$N THREADS=$THREADS OUT="$out" bash "$anchors/run_anchors.sh" "$which" > /dev/null || true
"$bin" bench embed "$anchors/corpus.jsonl" --limit "$N" --threads "$THREADS" --precision fp32,int8 --json "${model_args[@]}" \
    | sed 's/^/{"semsearch": /; s/$/}/' >> "$out"
/tmp/anchor-venv/bin/python - "$out" <<'EOF'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip().startswith("{")]
print(f"{'engine':<44} {'precision':<24} {'tokens/s':>9} {'cos mean':>9} {'cos min':>9} {'RSS MB':>7}")
for r in rows:
    if "semsearch" in r:
        s = r["semsearch"]
        cos = s.get("cosine_to_fp32"); low = s.get("min_cosine_to_fp32")
        print(f"{'semsearch (' + s['kernel'][:31] + ')':<44} {s['precision']:<24} {s['tokens_per_s']:>9.0f} "
              f"{cos if cos is not None else 1:>9.4f} {low if low is not None else 1:>9.4f} {s['peak_rss_mb']:>7.0f}")
    elif "tokens_per_s" in r:
        print(f"{r['name']:<44} {r['precision'][:24]:<24} {r['tokens_per_s']:>9.0f} {r['cos_mean']:>9.4f} {r['cos_min']:>9.4f} {r['peak_rss_mb']:>7.0f}")
    else:
        print(f"{r.get('name', '?'):<44} {r.get('error', '')[:70]}")
print(f"(rows: {sys.argv[1]})")
EOF
