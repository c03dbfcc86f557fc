#!/usr/bin/env bash
# Measures whether a document read from another format retrieves as well as its Markdown original:
# each dataset's Markdown documents are converted by pandoc (and LibreOffice, for ODP and a second
# DOCX, when `soffice` is installed) into DOCX, ODT, EPUB, RTF, PPTX and ODP; each format is indexed
# on its own with default settings; every question is searched (k = 5); and a question counts as
# answered when its answer text occurs in one of the five chunks. Also fails the run if a chunk
# carries markup. A measurement tool, not a test: pandoc is needed only here.
#
#   scripts/document_formats_retrieval.sh [SEMSEARCH] [DATASET...]
# Defaults: .build/release/semsearch and ../shared/datasets/squad-rhine ../shared/datasets/squad-pt.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(realpath "${1:-.build/release/semsearch}")
shift || true
datasets=("$@")
((${#datasets[@]})) || datasets=(../shared/datasets/squad-rhine ../shared/datasets/squad-pt)
command -v pandoc >/dev/null || { echo "pandoc is not installed (apt-get install pandoc): nothing measured"; exit 0; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

printf '%-14s %-22s %9s %9s %8s\n' dataset format questions answered share
for dataset in "${datasets[@]}"; do
    [[ -d $dataset/docs && -f $dataset/questions.jsonl ]] || { echo "$dataset: no docs/ and questions.jsonl, skipped"; continue; }
    name=$(basename "$dataset")
    formats=(md docx odt epub rtf pptx)
    for format in "${formats[@]}"; do mkdir -p "$work/$name/$format"; done
    for doc in "$dataset"/docs/*.md; do
        base=$(basename "$doc" .md)
        cp "$doc" "$work/$name/md/"
        for format in docx odt epub rtf pptx; do pandoc -s "$doc" -o "$work/$name/$format/$base.$format"; done
        if command -v soffice >/dev/null; then
            mkdir -p "$work/$name/odp (LibreOffice)" "$work/$name/docx (LibreOffice)"
            soffice --headless --convert-to odp --outdir "$work/$name/odp (LibreOffice)" "$work/$name/pptx/$base.pptx" >/dev/null 2>&1
            soffice --headless --convert-to docx:"MS Word 2007 XML" --outdir "$work/$name/docx (LibreOffice)" "$work/$name/odt/$base.odt" >/dev/null 2>&1
        fi
    done
    for folder in "$work/$name"/*/; do
        format=$(basename "$folder")
        db="$work/$name-$RANDOM.sqlite"
        "$bin" index --quiet --db "$db" "$folder"
        python3 -c 'import json,sys; [print(json.loads(l)["question"].strip()) for l in open(sys.argv[1])]' "$dataset/questions.jsonl" \
            | "$bin" search --db "$db" --json -k 5 - > "$work/results.jsonl" || true
        python3 - "$dataset/questions.jsonl" "$work/results.jsonl" "$name" "$format" <<'PY'
import json, re, sys
questions = [json.loads(l) for l in open(sys.argv[1])]
texts = {}
for line in open(sys.argv[2]):
    row = json.loads(line)
    texts.setdefault(row["query"].strip(), []).append(row["text"])
answered = sum(1 for q in questions if any(q["answer"].strip() in t for t in texts.get(q["question"].strip(), [])))
markup = [t for ts in texts.values() for t in ts if re.search(r"<[a-z/][^>]*>|\\[a-z]+[0-9]*[ {\\]|\{\\", t)]
print(f"{sys.argv[3]:<14} {sys.argv[4]:<22} {len(questions):>9} {answered:>9} {answered / len(questions):>8.3f}"
      + (f"  MARKUP in {len(markup)} chunks: {markup[0][:80]!r}" if markup else ""))
PY
    done
done
