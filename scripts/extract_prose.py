#!/usr/bin/env python3
"""Extract the visible prose of Sphinx HTML pages (Debian's python3-doc) into
plain-text files, for measuring false alarms on clean prose.

    extract_prose.py HTML_DIR CORPUS_DIR [--min-words N]

Each HTML page becomes CORPUS_DIR/<same relative path>.txt holding one
paragraph per line with a blank line between paragraphs (no hard wrapping,
whitespace collapsed). Paragraph-level text is kept (p, li, dd, dt, h1-h6, td,
th, blockquote, caption); code display blocks (pre, div.highlight), API
signatures (dt.sig), display math, scripts, styles, navigation (nav, header,
footer, div.related, div.sphinxsidebar), tables of contents (.toctree-wrapper,
.contents) and header links (.headerlink) are skipped. Index and search pages,
and pages with little prose (--min-words), get no file.
Inline <code> inside a paragraph is kept: it is part of the sentence; a
paragraph with no letters outside code (table cells such as "abs()", "[1]",
"2001") or of a single character is dropped.

Only the standard library is used. CORPUS_DIR is recreated on each run; an
existing CORPUS_DIR that holds anything but .txt files is left alone (error).
"""
import argparse
import os
import re
import shutil
import sys
from html.parser import HTMLParser
from pathlib import Path

# Elements whose text forms a paragraph (nested ones start a new paragraph).
PARAGRAPH_TAGS = {"p", "li", "dd", "dt", "h1", "h2", "h3", "h4", "h5", "h6",
                  "td", "th", "blockquote", "caption", "figcaption"}
# Block elements: their start and end also close the current paragraph.
BLOCK_TAGS = PARAGRAPH_TAGS | {
    "address", "article", "aside", "div", "dl", "fieldset", "figure", "hr",
    "main", "ol", "section", "table", "tbody", "tfoot", "thead", "tr", "ul"}
# Elements skipped with everything inside them.
SKIP_TAGS = {"head", "script", "style", "pre", "nav", "header", "footer", "form",
             "button", "select", "textarea", "svg", "noscript", "iframe", "object"}
SKIP_CLASSES = {"highlight", "related", "sphinxsidebar", "headerlink", "sig",
                "footer", "mobile-nav", "menu-wrapper", "math",
                "toctree-wrapper", "contents"}
# Inline code elements.
CODE_TAGS = {"code", "kbd", "samp", "tt"}
# Elements that never have an end tag.
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link",
             "meta", "param", "source", "track", "wbr"}
# Index and search pages: lists of names, not prose.
SKIP_PAGES = re.compile(r"(^|/)(genindex[^/]*|search|py-modindex|modindex)\.html$")


class ProseExtractor(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []          # open elements: (tag, skipped, is_main)
        self.skip_depth = 0      # > 0 while inside a skipped element
        self.para_depth = 0      # > 0 while inside a paragraph-level element
        self.main_depth = 0      # > 0 while inside the page's main content
        self.code_depth = 0      # > 0 while inside inline code
        self.buffer = []
        self.has_prose = False   # the buffer holds letters outside inline code
        self.paragraphs = []     # (text, inside_main)

    def flush(self):
        text = " ".join("".join(self.buffer).split())
        if len(text) > 1 and self.has_prose:  # drops table letters "A", "B", ...
            self.paragraphs.append((text, self.main_depth > 0))
        self.buffer = []
        self.has_prose = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = set((attrs.get("class") or "").split())
        if tag in BLOCK_TAGS or tag == "br":  # a <br> line is a paragraph of its own
            self.flush()
        if tag in VOID_TAGS:
            return
        skipped = tag in SKIP_TAGS or bool(classes & SKIP_CLASSES)
        is_main = attrs.get("role") == "main" or (tag == "div" and "body" in classes)
        self.stack.append((tag, skipped, is_main))
        self.skip_depth += skipped
        self.main_depth += is_main
        self.para_depth += tag in PARAGRAPH_TAGS
        self.code_depth += tag in CODE_TAGS

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID_TAGS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in VOID_TAGS or not any(t == tag for t, _, _ in self.stack):
            return  # stray end tag
        # Close everything up to the matching start tag (HTML allows omitted ends).
        while self.stack:
            open_tag, skipped, is_main = self.stack.pop()
            if open_tag in BLOCK_TAGS:
                self.flush()
            self.skip_depth -= skipped
            self.main_depth -= is_main
            self.para_depth -= open_tag in PARAGRAPH_TAGS
            self.code_depth -= open_tag in CODE_TAGS
            if open_tag == tag:
                break

    def handle_data(self, data):
        if self.skip_depth == 0 and self.para_depth > 0:
            self.buffer.append(data)
            if self.code_depth == 0 and any(c.isalpha() for c in data):
                self.has_prose = True

    def prose(self):
        self.flush()
        main = [text for text, in_main in self.paragraphs if in_main]
        return main or [text for text, _ in self.paragraphs]


def extract(path):
    parser = ProseExtractor()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    parser.close()
    return parser.prose()


def reset_corpus(corpus):
    """Remove a previous corpus, refusing to touch a folder that holds anything
    but .txt files (so a mistyped path cannot wipe unrelated files)."""
    if not corpus.exists():
        return
    if not corpus.is_dir():
        sys.exit(f"extract_prose.py: {corpus} exists and is not a folder")
    for dirpath, _, filenames in os.walk(corpus):
        for name in filenames:
            if not name.endswith(".txt"):
                sys.exit(f"extract_prose.py: refusing to replace {corpus}: it holds "
                         f"{Path(dirpath, name)}, which is not an extracted .txt file")
    shutil.rmtree(corpus)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("html_dir", type=Path)
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--min-words", type=int, default=100,
                    help="skip pages with fewer words of prose (default 100)")
    args = ap.parse_args()

    # Sphinx keeps assets in _static/, _sources/, _images/, _downloads/.
    pages = sorted(p for p in args.html_dir.rglob("*.html")
                   if not any(d.startswith("_") for d in p.relative_to(args.html_dir).parts[:-1]))
    if not pages:
        sys.exit(f"extract_prose.py: no HTML pages under {args.html_dir}")
    reset_corpus(args.corpus)

    written = skipped_index = skipped_short = 0
    for page in pages:
        rel = page.relative_to(args.html_dir)
        if SKIP_PAGES.search(rel.as_posix()):
            skipped_index += 1
            continue
        paragraphs = extract(page)
        if sum(len(p.split()) for p in paragraphs) < args.min_words:
            skipped_short += 1
            continue
        out = args.corpus / rel.with_suffix(".txt")
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
        written += 1
    print(f"extract_prose.py: {written} pages written to {args.corpus}, skipped "
          f"{skipped_index} index/search pages and {skipped_short} pages with fewer "
          f"than {args.min_words} words", file=sys.stderr)
    if written == 0:
        sys.exit("extract_prose.py: no page had enough prose")


if __name__ == "__main__":
    main()
