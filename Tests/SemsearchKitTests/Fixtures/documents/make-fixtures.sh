#!/usr/bin/env bash
# How the document fixtures were made (run by hand, never by the tests; nothing here is needed
# at test time). Tools: pandoc 2.17 (Debian 12's `pandoc`), LibreOffice 7.4 (Debian 12's
# `libreoffice-writer-nogui` and `libreoffice-impress-nogui`), Python 3.11's email package.
set -euo pipefail
cd "$(dirname "$0")"
pandoc -s article.md -o article.docx
pandoc -s article.md -o article.odt
pandoc -s article.md -o article.epub
pandoc -s article.md -o article.rtf
pandoc -s slides.md -o slides.pptx
# The same documents as LibreOffice writes them: another producer's XML.
tmp=$(mktemp -d)
soffice --headless --convert-to docx:"MS Word 2007 XML" --outdir "$tmp" article.odt >/dev/null
mv "$tmp/article.docx" article-libreoffice.docx
soffice --headless --convert-to odp --outdir "$tmp" slides.pptx >/dev/null
mv "$tmp/slides.odp" slides.odp
rm -rf "$tmp"
python3 make-message.py
# A book of three chapters (pandoc: a title page and one spine document a chapter), and documents
# of several slides and pages from other producers: python-pptx 1.0 and reportlab 4 (make-paged.py).
pandoc -s book.md -o book.epub
python3 make-paged.py
