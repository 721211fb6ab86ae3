"""Line features for the learned labeller: what a line looks like relative to its document.

Every feature is document-relative (the visual size against the body size, the indent
against the block's usual indent, how common the line's style is in this document) so that
what is learned on one template carries to another. Word lists are features here, never
decisions: a heading word makes "heading" likelier, the model decides.

    items = line_features(document)   # one {name: value} per line, in reading order
"""

from __future__ import annotations

import re
import statistics
from collections import Counter

from resumes.extraction.rules import vocabulary as vocab
from resumes.extraction.rules.engine import BULLET_START, EMAIL, PHONE, URL
from resumes.normalisers.dates import find_dates, is_date_only
from resumes.reading.model import Line, ResumeText

Features = dict[str, float]

# The first line of another column (sidebar, main column) of the same page.
COLUMN_START = "column_start"

WORD = re.compile(r"\w+", re.UNICODE)
RULER = re.compile(r"^\s*([=\-_~*#])\1{2,}\s*$")
LABELLED = re.compile(r"^[^:]{1,40}:\s*\S")
# Markdown's marks around the words: a heading's leading "#"s and emphasis ("**Acme**",
# "_2019_"). The words' features read the words; the marks are features of their own.
MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+")
EMPHASIS = re.compile(r"(?<![\w*_])[*_]{1,3}(?=[^\s*_])|(?<=[^\s*_])[*_]{1,3}(?![\w*_])")


# Bins of numeric features: upper edges, then one name per bin.
Bins = tuple[tuple[float, ...], tuple[str, ...]]
SIZE: Bins = ((0.9, 1.06, 1.2, 1.5), ("small", "body", "big", "bigger", "huge"))
SHARE: Bins = ((0.03, 0.1, 0.3), ("rare", "few", "some", "common"))
INDENT: Bins = ((-8, 4, 20, 60), ("out", "none", "small", "mid", "far"))
FILL: Bins = ((0.3, 0.6, 0.85), ("short", "half", "most", "full"))
WORDS: Bins = ((2, 3, 4, 7, 13, 25), ("1", "2", "3", "4-6", "7-12", "13-24", "many"))
CAPITALISED: Bins = ((0.34, 0.67, 0.99), ("few", "some", "most", "all"))
SEPARATORS: Bins = ((1, 2, 4), ("0", "1", "2-3", "many"))
DIGITS: Bins = ((1, 3, 5, 9), ("0", "1-2", "3-4", "5-8", "many"))


def _bin(value: float, bins: Bins) -> str:
    edges, names = bins
    for edge, name in zip(edges, names, strict=False):
        if value < edge:
            return name
    return names[-1]


def _size_class(line: Line, body: float) -> str:
    if not line.size or not body:
        return "none"
    return _bin(line.size / body, SIZE)


def plain(text: str) -> str:
    """A line's words without Markdown's marks around them (a bullet's "* " stays)."""
    return EMPHASIS.sub("", MARKDOWN_HEADING.sub("", text.strip()))


def _words(text: str) -> list[str]:
    return WORD.findall(text.casefold())


def _shape(line: Line, body: float) -> dict[str, str | bool]:
    """The few visual facts the neighbour features repeat."""
    text = plain(line.text)
    return {
        "size": _size_class(line, body),
        "bold": line.bold,
        "bullet": line.bullet or bool(BULLET_START.match(line.text.strip())),
        "gap": line.gap_before,
        "heading": vocab.heading_kind(text) is not None,
        "date": bool(find_dates(text)),
        "upper": text.isupper() and sum(c.isalpha() for c in text) >= 3,
        # A sentence, or the end of one: what comes after it starts something new more often.
        "prose": text.endswith((".", "!", "?")) or len(text.split()) >= 8,
        # The line stops mid-phrase ("Universidad Politécnica de", "Python, Go,"): what
        # comes after it more often carries the phrase on.
        "open": _open(text),
    }


def _open(text: str) -> bool:
    """Ends on a comma, a dash or an ampersand, or on a word in lower case."""
    if text.endswith((",", "-", "–", "&")):
        return True
    last = text.rsplit(maxsplit=1)[-1] if text else ""
    return last.isalpha() and last.islower()


def line_features(document: ResumeText) -> list[Features]:
    lines = document.lines
    if not lines:
        return []
    sizes = [line.size for line in lines if line.size and not line.furniture]
    body = statistics.median(sizes) if sizes else 0.0
    # The usual left edge and the right edge of each column (page, block).
    lefts: dict[tuple[int, int], list[float]] = {}
    rights: dict[tuple[int, int], float] = {}
    for line in lines:
        key = (line.page, line.block)
        lefts.setdefault(key, []).append(line.x0)
        rights[key] = max(rights.get(key, 0.0), line.x1)
    usual = {key: statistics.median_low(xs) for key, xs in lefts.items()}
    least = {key: min(xs) for key, xs in lefts.items()}
    shapes = [_shape(line, body) for line in lines]
    styles = Counter((shape["size"], shape["bold"], shape["upper"]) for shape in shapes)
    out: list[Features] = []
    count = len(lines)
    for index, line in enumerate(lines):
        shape = shapes[index]
        raw = line.text.strip()
        text = plain(raw)
        words = _words(text)
        letters = [c for c in text if c.isalpha()]
        f: Features = {"bias": 1.0}
        f[f"size={shape['size']}"] = 1.0
        for name in ("bold", "bullet", "gap", "heading", "date", "upper"):
            if shape[name]:
                f[name] = 1.0
        share = styles[(shape["size"], shape["bold"], shape["upper"])] / count
        f[f"style_share={_bin(share, SHARE)}"] = 1.0
        if line.furniture:
            f["furniture"] = 1.0
        f[f"cells={min(len(line.cells), 3)}"] = 1.0
        f[f"block={min(line.block, 2)}"] = 1.0
        f[f"page={'first' if line.page == 0 else 'later'}"] = 1.0
        if index == 0:
            f["first_line"] = 1.0
        elif lines[index - 1].page == line.page and lines[index - 1].block != line.block:
            f[COLUMN_START] = 1.0
        key = (line.page, line.block)
        if line.x1:
            indent = line.x0 - usual[key]
            f[f"indent={_bin(indent, INDENT)}"] = 1.0
            width = rights[key] - least[key]
            if width > 0:
                if line.x0 - least[key] > 0.45 * width and rights[key] - line.x1 < 4:
                    f["right_aligned"] = 1.0
                middle = (line.x0 + line.x1) / 2 - (least[key] + rights[key]) / 2
                if abs(middle) < 0.05 * width and line.x0 - least[key] > 0.15 * width:
                    f["centred"] = 1.0
                f[f"fill={_bin((line.x1 - line.x0) / width, FILL)}"] = 1.0
        f[f"words={_bin(len(words), WORDS)}"] = 1.0
        if letters:
            tokens = text.split()
            capitalised = sum(1 for w in tokens if w[:1].isupper()) / len(tokens)
            f[f"capitalised={_bin(capitalised, CAPITALISED)}"] = 1.0
            first = tokens[0].rstrip(",;:.")
            if first[:1].islower() and first.isalpha():
                # A word that carries on a sentence; not an address ("github.com/ada").
                f["starts_lower"] = 1.0
        if text.endswith(":"):
            f["ends_colon"] = 1.0
        elif text.endswith((".", "!", "?")):
            f["ends_stop"] = 1.0
        elif shape["open"]:
            f["ends_open"] = 1.0
        if LABELLED.match(text):
            f["labelled"] = 1.0
        commas = text.count(",") + text.count(";") + text.count("|") + text.count("·")
        f[f"separators={_bin(commas, SEPARATORS)}"] = 1.0
        if raw.startswith("#"):
            f["markdown_heading"] = 1.0
        if text != raw and not raw.startswith("#"):
            f["emphasis"] = 1.0
        if RULER.match(raw):
            f["ruler"] = 1.0
        if index + 1 < count and RULER.match(lines[index + 1].text):
            f["ruled_below"] = 1.0
        if is_date_only(text):
            f["date_only"] = 1.0
        if EMAIL.search(text):
            f["email"] = 1.0
        if URL.search(text):
            f["url"] = 1.0
        if PHONE.search(text):
            f["phone"] = 1.0
        digits = sum(c.isdigit() for c in text)
        f[f"digits={_bin(digits, DIGITS)}"] = 1.0
        found = vocab.heading_kind(text)
        if found:
            f[f"heading_kind={found[0]}"] = 1.0
        if vocab.fold(text) in vocab.LEVELS:
            f["level_word"] = 1.0
        if vocab.TITLE_WORDS.search(vocab.fold(text)):
            f["title_word"] = 1.0
        if vocab.DEGREE.search(text):
            f["degree_word"] = 1.0
        if vocab.INSTITUTION.search(text):
            f["institution_word"] = 1.0
        if vocab.COMPANY_WORDS.search(text):
            f["company_word"] = 1.0
        if line.icons:
            f["icon"] = 1.0
        if line.links:
            f["link"] = 1.0
        if words:
            # The words with the case of the line's start: "Experience" alone on a line is
            # a heading's word, "experience." the end of a wrapped sentence.
            case = "^" if text[:1].isupper() else ""
            f[f"w0={case}{words[0]}"] = 1.0
            if len(words) <= 3:
                f[f"text={case}{' '.join(words)}"] = 1.0
        for offset, name in ((-1, "prev"), (1, "next"), (-2, "prev2"), (2, "next2")):
            other = index + offset
            if not 0 <= other < count:
                f[f"{name}=none"] = 1.0
                continue
            neighbour = shapes[other]
            f[f"{name}.size={neighbour['size']}"] = 1.0
            for flag in ("bold", "bullet", "gap", "heading", "date", "prose", "open"):
                if neighbour[flag]:
                    f[f"{name}.{flag}"] = 1.0
            if lines[other].block != line.block:
                f[f"{name}.other_block"] = 1.0
            if neighbour["size"] == shape["size"] and neighbour["bold"] == shape["bold"]:
                f[f"{name}.same_style"] = 1.0
        out.append(f)
    return out
