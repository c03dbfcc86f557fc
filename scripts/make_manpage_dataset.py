#!/usr/bin/env python3
"""Builds a spans dataset (docs/ + questions.jsonl) from the manual pages installed on a Debian machine.

Each page of section 1 or 8 of the named packages becomes docs/<command>.md: the page rendered
as text by man(1), its section names (DESCRIPTION, OPTIONS, ...) as Markdown headings, and the
NAME section left out. The NAME line's summary ("ls - list directory contents") becomes the
question ("list directory contents"), answered by the whole page: a retrieved chunk is a hit when
it comes from the right page. It is known-item search over technical reference text, with file
names as titles and generic section headings: the document shape Wikipedia sets lack.

Usage: scripts/make_manpage_dataset.py OUT [PACKAGE ...]
(default packages: coreutils findutils grep sed tar gzip diffutils util-linux procps)
Pages whose summary is shared by another page, shorter than three words, or absent are left out.
"""
import json
import os
import re
import subprocess
import sys

DEFAULT_PACKAGES = ["coreutils", "findutils", "grep", "sed", "tar", "gzip", "diffutils", "util-linux", "procps"]


def pages(package):
    listing = subprocess.run(["dpkg", "-L", package], capture_output=True, text=True).stdout.splitlines()
    return sorted(p for p in listing if re.search(r"/usr/share/man/man[18]/[^/]+\.[18]\.gz$", p) and os.path.isfile(p))


def render(path):
    env = dict(os.environ, MANWIDTH="100", MAN_KEEP_FORMATTING="0", LC_ALL="C.UTF-8")
    text = subprocess.run(["man", "-P", "cat", "-l", path], capture_output=True, text=True, env=env).stdout
    return re.sub(r".\x08", "", text)


def convert(text):
    """Markdown from a rendered page: section names become headings; returns (summary, markdown)."""
    sections, current = [], None
    for line in text.splitlines():
        if re.match(r"^[A-Z][A-Z0-9 ,/-]+$", line.strip()) and not line.startswith(" "):
            current = [line.strip(), []]
            sections.append(current)
        elif current is not None:
            current[1].append(line)
    summary, body = None, []
    for name, lines in sections:
        paragraph = "\n".join(l.strip() for l in lines).strip()
        if name == "NAME":
            match = re.search(r"\s[-\u2010\u2013\u2014]+\s+(.*)", " ".join(paragraph.split()))
            summary = match.group(1).strip() if match else None
            continue
        # Blank-line paragraphs, with the page's indentation removed.
        paragraphs = re.split(r"\n\s*\n", "\n".join(l.strip() for l in lines).strip())
        body.append("## " + name.title() + "\n\n" + "\n\n".join(p for p in paragraphs if p))
    return summary, "\n\n".join(body) + "\n"


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    packages = sys.argv[2:] or DEFAULT_PACKAGES
    os.makedirs(os.path.join(out, "docs"), exist_ok=True)
    entries = {}
    for package in packages:
        for path in pages(package):
            command = os.path.basename(path).rsplit(".", 2)[0]
            summary, markdown = convert(render(path))
            if not summary or len(summary.split()) < 3 or command in entries:
                continue
            entries[command] = (summary, markdown)
    counts = {}
    for summary, _ in entries.values():
        counts[summary.lower()] = counts.get(summary.lower(), 0) + 1
    questions = []
    for command in sorted(entries):
        summary, markdown = entries[command]
        if counts[summary.lower()] > 1:
            continue
        name = command + ".md"
        data = markdown.encode()
        with open(os.path.join(out, "docs", name), "wb") as f:
            f.write(data)
        questions.append({"question": summary, "file": name, "byte_start": 0, "byte_end": len(data)})
    with open(os.path.join(out, "questions.jsonl"), "w") as f:
        for q in questions:
            f.write(json.dumps(q, ensure_ascii=False) + "\n")
    print(f"{len(questions)} pages and questions in {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
