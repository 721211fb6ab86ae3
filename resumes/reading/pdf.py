"""PDF text with positions through PDFium (pypdfium2).

PDFium's own text order follows the content stream, which puts sidebars, header bands and
right-aligned dates wherever the generator drew them. We read each character's box instead,
cut the page into fragments (runs of text separated by wide gaps), and put them in reading
order ourselves (see ``layout``). Text a reader cannot see — invisible render mode, tiny
keyword-stuffing, white text on a white page — is dropped.
"""

from __future__ import annotations

import ctypes
import math
import re
import statistics
import unicodedata
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from resumes.reading.model import UnreadableDocument

# Below this size text is unreadable on paper: keyword stuffing, not content.
MIN_VISIBLE_SIZE = 3.5
# Private-use code points of Font Awesome (the icon font of most LaTeX/Typst/HTML resume
# templates) that tell which profile a following handle belongs to.
ICONS = {
    0xF09B: "github",
    0xF092: "github",
    0xF113: "github",
    0xF08C: "linkedin",
    0xF0E1: "linkedin",
    0xF099: "twitter",
    0xF081: "twitter",
    0xE61B: "x",
    0xF296: "gitlab",
    0xF16C: "stackoverflow",
    0xF0E0: "email",
    0xF003: "email",
    0xF095: "phone",
    0xF098: "phone",
    0xF0AC: "website",
    0xF041: "location",
    0xF3C5: "location",
}
# Horizontal gaps, in visual font sizes (ems): wider than WORD_GAP is a space even when
# no space character is written (spans set side by side); wider than CELL_GAP starts a new
# fragment (a table cell, a right-aligned date).
WORD_GAP = 0.5
# In letter-spaced text, a word space is this much wider than the spacing between letters.
LETTER_WORD_GAP = 0.12
CELL_GAP = 1.0
# Between a bullet and the text of its item.
BULLET_GAP = 3.0
# Spaces as producers write them: tab, space, no-break space, the typographic spaces
# U+2000-U+200B, narrow no-break, medium mathematical and ideographic space.
SPACES = frozenset((9, 32, 0xA0, *range(0x2000, 0x200C), 0x202F, 0x205F, 0x3000))
WORD_BREAKS = frozenset((10, 13, *SPACES))
# Characters copied without their boxes in the middle of a word: anything printable but
# spaces (U+202F and U+205F among them), soft hyphens and the Unicode hyphens (read one
# by one).
_PLAIN_RUN = re.compile("[\x21-\x9f\xa1-\xac\xae-\u1fff\u2012-\u202e\u2030-\u205e\u2060-\u218f]+")
# Pictographs outside the Private Use Area that icon fonts and emoji draw before contact
# details (arrows, technical symbols, dingbats and emoji from U+2190 on): not text.
PICTOGRAPHS = {
    0x2709: "email",
    0x1F4E7: "email",
    0x1F582: "email",
    0x260E: "phone",
    0x260F: "phone",
    0x2706: "phone",
    0x1F4DE: "phone",
    0x1F4F1: "phone",
    0x2302: "location",
    0x1F4CD: "location",
    0x1F3E0: "location",
    0x1F517: "website",
    0x1F310: "website",
}
FIRST_PICTOGRAPH = 0x2190
# Link markers set small and raised after a URL.
SUPERSCRIPT_MARKS = frozenset("0123456789*†‡↗")
BOLD_FONT = re.compile(rb"bold|black|heavy|semibold|demi", re.IGNORECASE)
BULLETS = frozenset("•◦▪▫■□●○‣⁃∙·–-*➢➤►▶✓✔❖")
# Bullets as symbol fonts encode them in the Private Use Area (Symbol's •, Wingdings' ▪ ➢ ❖
# ✓ ■ ◦), read as "•" where they start a line.
SYMBOL_BULLETS = frozenset((0xF0B7, 0xF0A7, 0xF0D8, 0xF076, 0xF0FC, 0xF06E, 0xF0A8))
# Other glyphs templates start list items with, read as "•" where they start a line.
BULLET_GLYPHS = frozenset(ord(c) for c in "▸▹►▻◆◇◼◾◽⬤⦿◉➔➜➝➞✦✧★☆❯›»⁍⦁◘◙▰▱⯈⯀")
# Below the pictographs, the characters the character loop reads specially; every other
# printable one there (most of any text) reads as itself, and is tested for first.
_SPECIAL_TEXT = frozenset((0xAD, 0x2010, 0x2011, *map(ord, SUPERSCRIPT_MARKS), *BULLET_GLYPHS))
# A bullet drawn as a shape (a CSS list marker): at most this many font sizes wide or high.
MARKER_SIZE = 0.6


@dataclass(slots=True)
class Fragment:
    text: list[str]
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool
    page: int
    row: int  # PDFium line number: fragments cut from one line keep it
    icons: list[str] = field(default_factory=list)
    last_right: float = 0.0
    link: str | None = None
    baseline: float = 0.0
    # Each space put in the text: the gap it stands for, in font sizes.
    gaps: list[float] = field(default_factory=list)
    # Where each space's next word starts: (index into ``text``, x of the word).
    starts: list[tuple[int, float]] = field(default_factory=list)

    @property
    def string(self) -> str:
        return "".join(self.text).strip()


def _join_letter_spacing(fragment: Fragment) -> None:
    """Text set with wide letter spacing ("E X P E R I E N C E") comes out of PDFium with a
    space between every letter. When most words of a fragment are single letters, only
    the gaps clearly wider than the letters' own spacing are word spaces."""
    text = "".join(fragment.text)
    tokens = text.split(" ")
    if len(tokens) != len(fragment.gaps) + 1 or len(tokens) < 4:
        return
    single = sum(1 for token in tokens if len(token) == 1)
    if single < len(tokens) * 0.6:
        return
    letter = statistics.median(fragment.gaps)
    joined = tokens[0]
    for token, gap in zip(tokens[1:], fragment.gaps, strict=True):
        joined += (" " if gap > letter + LETTER_WORD_GAP else "") + token
    fragment.text = [joined]
    fragment.gaps = []
    fragment.starts = []


def split_at(fragment: Fragment, number: int) -> tuple[Fragment, Fragment]:
    """The fragment cut before the word after its ``number``-th space."""
    index, x = fragment.starts[number]
    gap = fragment.gaps[number] * fragment.size
    left_text = fragment.text[:index]
    while left_text and left_text[-1] == " ":
        left_text.pop()
    left = replace(
        fragment,
        text=left_text,
        x1=x - gap,
        gaps=fragment.gaps[:number],
        starts=fragment.starts[:number],
        link=fragment.link,
    )
    right = replace(
        fragment,
        text=fragment.text[index:],
        x0=x,
        icons=[],
        gaps=fragment.gaps[number + 1 :],
        starts=[(i - index, sx) for i, sx in fragment.starts[number + 1 :]],
    )
    return left, right


def _bare(name: str, restype: type) -> Callable[..., Any]:
    """PDFium's ``name`` called without pypdfium2's conversion of every argument (ctypes
    argtypes), which is most of the cost of a call made once a word or once a page object.
    Arguments are passed as they are: handles, ``c_void_p`` and ``c_ulong`` objects,
    ``byref`` out-parameters, buffers, and ints that fit a C int (character indices)."""
    address = ctypes.cast(getattr(pdfium_c, name), ctypes.c_void_p).value
    if address is None:
        raise ImportError(f"PDFium has no {name}")
    return ctypes.CFUNCTYPE(restype)(address)


_char_box = _bare("FPDFText_GetCharBox", ctypes.c_int)
_char_origin = _bare("FPDFText_GetCharOrigin", ctypes.c_int)
_text_object = _bare("FPDFText_GetTextObject", ctypes.c_void_p)
_font_size = _bare("FPDFText_GetFontSize", ctypes.c_double)
_char_matrix = _bare("FPDFText_GetMatrix", ctypes.c_int)
_fill_color = _bare("FPDFText_GetFillColor", ctypes.c_int)
_object_font = _bare("FPDFTextObj_GetFont", ctypes.c_void_p)
_font_name = _bare("FPDFFont_GetBaseFontName", ctypes.c_ulong)
_render_mode = _bare("FPDFTextObj_GetTextRenderMode", ctypes.c_int)
_page_object = _bare("FPDFPage_GetObject", ctypes.c_void_p)
_object_type = _bare("FPDFPageObj_GetType", ctypes.c_int)
_object_bounds = _bare("FPDFPageObj_GetBounds", ctypes.c_int)


class _Buffers:
    """ctypes out-parameters for character boxes and origins, reused on every page of a
    document (read only after a successful call)."""

    def __init__(self) -> None:
        self.left, self.right, self.bottom, self.top = (ctypes.c_double() for _ in range(4))
        self.box = [ctypes.byref(v) for v in (self.left, self.right, self.bottom, self.top)]
        self.origin_x, self.origin_y = ctypes.c_double(), ctypes.c_double()
        self.origin = [ctypes.byref(v) for v in (self.origin_x, self.origin_y)]


class _StyleBuffers:
    """ctypes out-parameters reused for every style lookup of a page."""

    def __init__(self) -> None:
        self.r, self.g, self.b, self.a = (ctypes.c_uint() for _ in range(4))
        self.color = [ctypes.byref(v) for v in (self.r, self.g, self.b, self.a)]
        self.font_name = ctypes.create_string_buffer(128)
        self.font_name_size = ctypes.c_ulong(128)
        self.matrix = pdfium_c.FS_MATRIX()
        self.matrix_out = ctypes.byref(self.matrix)


@lru_cache(maxsize=256)
def _is_bold(font_name: bytes) -> bool:
    return BOLD_FONT.search(font_name) is not None


def _is_private_use(code: int) -> bool:
    return 0xE000 <= code <= 0xF8FF or code >= 0xF0000


class _Page:
    """Character-level reading of one page."""

    def __init__(self, page: Any, number: int, buffers: _Buffers) -> None:
        self.page = page  # PDFium's page handle
        self.number = number
        self.buffers = buffers
        self.width = pdfium_c.FPDF_GetPageWidthF(page)
        self.height = pdfium_c.FPDF_GetPageHeightF(page)
        self._backgrounds: list[tuple[float, float, float, float]] = []
        self._scanned = 0
        self._objects = -1
        # Boldness by PDFium font handle: a page has a few fonts and many text objects.
        self._bold_fonts: dict[int, bool] = {}
        # Addresses of the text objects the characters were read from.
        self._text_objects: set[int] = set()

    def _scan_backgrounds(self) -> Iterator[tuple[float, float, float, float]]:
        """Boxes of filled non-white shapes and images (where white text is visible), found
        lazily: a band behind white text is usually among the first objects drawn."""
        r, g, b, a = (ctypes.c_uint() for _ in range(4))
        left, bottom, right, top = (ctypes.c_float() for _ in range(4))
        handle = self.page
        if self._objects < 0:
            self._objects = pdfium_c.FPDFPage_CountObjects(handle)
        while self._scanned < self._objects:
            obj = pdfium_c.FPDFPage_GetObject(handle, self._scanned)
            self._scanned += 1
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
                if not pdfium_c.FPDFPageObj_GetFillColor(obj, r, g, b, a) or a.value == 0:
                    continue
                if min(r.value, g.value, b.value) > 235:
                    continue
            elif kind not in (pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_SHADING):
                continue
            if pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
                box = (left.value, bottom.value, right.value, top.value)
                self._backgrounds.append(box)
                yield box

    def on_background(self, x: float, y: float) -> bool:
        def inside(box: tuple[float, float, float, float]) -> bool:
            return box[0] <= x <= box[2] and box[1] <= y <= box[3]

        if any(inside(box) for box in self._backgrounds):
            return True
        return any(inside(box) for box in self._scan_backgrounds())

    def fragments(self) -> list[Fragment]:
        textpage = pdfium_c.FPDFText_LoadPage(self.page)
        if not textpage:
            raise pdfium.PdfiumError("Failed to load text page.")
        try:
            fragments = self._fragments(textpage)
        finally:
            pdfium_c.FPDFText_ClosePage(textpage)
        self._drawn_bullets(fragments)
        return fragments

    def _drawn_bullets(self, fragments: list[Fragment]) -> None:
        """List markers drawn as small shapes (discs, circles, squares) just left of a
        fragment: the fragment is a list item, and reads with the "•" a person sees. Not a
        shape before bold text or a pair of them around a fragment (heading decoration)."""
        left, bottom, right, top = (ctypes.c_float() for _ in range(4))
        bounds = [ctypes.byref(v) for v in (left, bottom, right, top)]
        handle = self.page
        markers: list[tuple[float, float, float, float]] = []
        for index in range(pdfium_c.FPDFPage_CountObjects(handle)):
            address = _page_object(handle, index)
            if address in self._text_objects:
                continue  # text, no shape
            obj = ctypes.c_void_p(address)
            if _object_type(obj) != pdfium_c.FPDF_PAGEOBJ_PATH:
                continue
            if not _object_bounds(obj, *bounds):
                continue
            width, height = right.value - left.value, top.value - bottom.value
            if 0.5 < width < 8 and 0.5 < height < 8 and 0.6 < width / height < 1.7:
                markers.append(
                    (left.value, self.height - top.value, right.value, self.height - bottom.value)
                )
        if not markers:
            return
        for fragment in fragments:
            limit = fragment.size * MARKER_SIZE
            middle = (fragment.top + fragment.bottom) / 2
            for x0, y0, x1, y1 in markers:
                if (
                    x1 - x0 <= limit
                    and y1 - y0 <= limit
                    and y0 <= middle <= y1 + fragment.size * 0.35
                    and fragment.top - 1 <= (y0 + y1) / 2 <= fragment.bottom + 1
                    and fragment.x0 - fragment.size * 1.6 <= x1 <= fragment.x0
                    and fragment.string[:1] not in BULLETS
                    # A shape before a bold fragment, or one of a pair around it,
                    # decorates a heading.
                    and not fragment.bold
                    and not any(
                        fragment.x1 <= a0 <= fragment.x1 + fragment.size * 1.6
                        and abs((b0 + b1) / 2 - (y0 + y1) / 2) < 1
                        for a0, b0, _, b1 in markers
                    )
                ):
                    fragment.text.insert(0, "• ")
                    fragment.x0 = x0
                    break

    def _fragments(self, handle: object) -> list[Fragment]:
        count = pdfium_c.FPDFText_CountChars(handle)
        if count <= 0:
            return []
        buffer = (ctypes.c_ushort * (count + 1))()
        written = pdfium_c.FPDFText_GetText(handle, 0, count, buffer)
        # PDFium indexes UTF-16 units: a character outside the BMP takes two indices, and
        # ``string`` keeps one character per index.
        units = array("H", bytes(buffer))[:count]
        codes = units.tolist()
        string = units.tobytes().decode("utf-16-le", "surrogatepass")
        if written != count + 1:
            # The page's text leaves out characters PDFium cannot map to Unicode (glyphs
            # without a code, as some producers write for odd spaces), which would shift
            # every index after them: read the codes one by one instead.
            codes = [pdfium_c.FPDFText_GetUnicode(handle, i) for i in range(count)]
            string = "".join(map(chr, codes))
        elif len(string) != count:  # a surrogate pair decoded as one character
            string = "".join(map(chr, codes))
        buffers = self.buffers
        left, right, bottom, top = buffers.left, buffers.right, buffers.bottom, buffers.top
        box, origin, origin_y = buffers.box, buffers.origin, buffers.origin_y
        style = _StyleBuffers()
        last_object: int | None = None
        height = self.height
        fragments: list[Fragment] = []
        current: Fragment | None = None
        row = 0
        pending_space = False
        word_start = True
        hidden = False
        size = 10.0
        bold = False
        pending_icons: list[str] = []
        index = -1
        skip = False
        while True:
            index += 1 + skip
            skip = False
            if index >= count:
                break
            code = codes[index]
            if code in WORD_BREAKS:
                if code in (10, 13):
                    if code == 10 or (index + 1 < count and codes[index + 1] != 10):
                        row += 1
                    current = None
                    pending_space = False
                else:
                    pending_space = True
                word_start = True
                continue
            first = word_start
            if word_start:
                word_start = False
                # Style is read once a word (per character would double the reading time),
                # and only when another text object than the last one draws the word.
                address = _text_object(handle, index)
                if address is None or address != last_object:
                    last_object = address
                    if address:
                        self._text_objects.add(address)
                    obj = ctypes.c_void_p(address) if address else None
                    size, bold, hidden = self._style(handle, index, obj, size, bold, style)
            if hidden:
                continue
            if (
                not first
                and current is not None
                and 0x20 < code < 0x2BFF
                and index + 1 < count
                and codes[index + 1] not in WORD_BREAKS
            ):
                # Inside a word only the text matters: boxes are read at word edges, which
                # is all the layout needs. Plain runs are copied in one slice.
                run = _PLAIN_RUN.match(string, index)
                end = run.end() if run else index
                if end >= count or codes[end] in WORD_BREAKS:
                    end -= 1  # the word's last character is read with its box
                if end > index:
                    current.text.append(string[index:end])
                    # The character after the run (the word's last, or one that is no
                    # plain text) is read below, with its box.
                    index = end
                    code = codes[index]
            if 0xD800 <= code < 0xDC00 and index + 1 < count:
                code = 0x10000 + ((code - 0xD800) << 10) + (codes[index + 1] - 0xDC00)
                skip = True
            if not _char_box(handle, index, *box):
                continue
            x0, x1 = left.value, right.value
            y_top, y_bottom = height - top.value, height - bottom.value
            if 0x20 < code < FIRST_PICTOGRAPH and code not in _SPECIAL_TEXT:
                char = chr(code)  # most characters: none of the cases below
            elif _is_private_use(code) and not (current is None and code in SYMBOL_BULLETS):
                icon = ICONS.get(code)
                if icon:
                    pending_icons.append(icon)
                # An icon glyph separates what follows from what precedes.
                current = None
                pending_space = False
                continue
            elif current is None and code in SYMBOL_BULLETS:
                char = "•"  # a bullet from a symbol font (Word's and LibreOffice's lists)
            elif current is None and code in BULLET_GLYPHS:
                char = "•"  # an unusual bullet glyph starting a line
            elif code in (0xFFFE, 0x02):
                # PDFium's mark for a hyphen at a line break, where it joins the two lines
                # without a line feed: the next character starts a word, so that the line
                # below, if it is one, starts a fragment of its own.
                char = "-"
                word_start = True
            elif code == 0 and x1 > x0:
                # A drawn glyph without a Unicode value (an odd space the font lacks): it
                # separates words, it is no text of its own, and the space after it is
                # measured from its right edge.
                if current is not None:
                    current.last_right = max(current.last_right, x1)
                pending_space = True
                word_start = True
                continue
            elif code == 0xAD:
                # A soft hyphen inside a line is no text; what follows is measured from it.
                if current is not None:
                    current.last_right = max(current.last_right, x1)
                continue
            elif code == 0xFFFD or code < 32:
                continue
            elif code in (0x2010, 0x2011):
                char = "-"  # hyphen and non-breaking hyphen read as the hyphen they show
            else:
                char = chr(code)
                if 0xFB00 <= code <= 0xFB06:
                    char = unicodedata.normalize("NFKC", char)
                elif (
                    code >= FIRST_PICTOGRAPH
                    and char not in BULLETS
                    and unicodedata.category(char) == "So"
                ):
                    # Pictographs (phone, envelope) are decoration, not text; a known one
                    # before a contact detail is an icon, which also separates.
                    icon = PICTOGRAPHS.get(code)
                    if icon:
                        pending_icons.append(icon)
                        current = None
                        pending_space = False
                    continue
                elif (
                    char in SUPERSCRIPT_MARKS
                    and current is not None
                    and not first
                    and current.baseline - y_bottom > current.size * 0.25
                    and (y_bottom - y_top) < current.size * 0.5
                ):
                    # A raised link marker after a word: not part of it, and the space
                    # after it is measured from its right edge.
                    current.last_right = max(current.last_right, x1)
                    continue
            if current is not None and first:
                gap = x0 - current.last_right
                larger = max(size, current.size)
                same_row = abs(y_bottom - current.bottom) < larger * 0.6
                resized = abs(size - current.size) > 0.25 * larger
                # A bullet and its item's text (set at a hanging indent) are one fragment.
                after_bullet = len(current.text) == 1 and current.text[0] in BULLETS
                if (
                    not same_row
                    or resized
                    or gap < -size * 0.5
                    or gap > larger * (BULLET_GAP if after_bullet else CELL_GAP)
                ):
                    current = None
                elif pending_space or gap > size * WORD_GAP:
                    current.text.append(" ")
                    current.gaps.append(gap / size if size else 0.0)
                    current.starts.append((len(current.text), x0))
            if current is None:
                current = Fragment(
                    text=[],
                    x0=x0,
                    x1=x1,
                    top=y_top,
                    bottom=y_bottom,
                    size=size,
                    bold=bold,
                    page=self.number,
                    row=row,
                )
                if pending_icons:
                    current.icons = pending_icons
                    pending_icons = []
                # Box bottoms differ with descenders; the origin is the true baseline.
                if _char_origin(handle, index, *origin):
                    current.baseline = height - origin_y.value
                else:
                    current.baseline = y_bottom
                fragments.append(current)
            current.text.append(char)
            # Comparisons, not min() and max(): this runs for most characters read.
            if x0 < current.x0:
                current.x0 = x0
            if x1 > current.x1:
                current.x1 = x1
            current.last_right = x1
            if char.isalnum():
                if y_top < current.top:
                    current.top = y_top
                if y_bottom > current.bottom:
                    current.bottom = y_bottom
                if size > current.size:
                    current.size = size
            pending_space = False
        for fragment in fragments:
            if len(fragment.gaps) >= 3:
                _join_letter_spacing(fragment)
        return [f for f in fragments if f.string]

    def _style(
        self,
        handle: object,
        index: int,
        obj: object,
        size: float,
        bold: bool,
        buffers: _StyleBuffers,
    ) -> tuple[float, bool, bool]:
        """Visual font size, boldness and whether the text is hidden, for the character's
        object (``size`` and ``bold`` stand where PDFium has none). The size is the nominal
        one scaled by the character's matrix: producers set text in a 1-pt font scaled up
        (Word on macOS) or in CSS pixels under a 0.75 matrix (Chromium), and only the product
        is what a reader sees. Boldness is the font's: looked up by font handle, its name
        read once a page."""
        nominal = _font_size(handle, index)
        if nominal:
            matrix = buffers.matrix
            scale = 1.0
            if _char_matrix(handle, index, buffers.matrix_out):
                scale = math.hypot(matrix.c, matrix.d) or 1.0
            size = nominal * scale
        r, g, b, a = buffers.r, buffers.g, buffers.b, buffers.a
        _fill_color(handle, index, *buffers.color)
        mode = 0
        if obj:
            mode = _render_mode(obj)
            font = _object_font(obj)
            known = self._bold_fonts.get(font)
            if known is None:
                name = buffers.font_name
                needed = _font_name(ctypes.c_void_p(font), name, buffers.font_name_size)
                known = _is_bold(name.value)  # the last name read where this one is too long
                if needed <= buffers.font_name_size.value:
                    self._bold_fonts[font] = known
            bold = known
        hidden = (
            mode in (3, 7)  # invisible, clip only
            or size < MIN_VISIBLE_SIZE
            or (
                a.value > 0
                and min(r.value, g.value, b.value) > 240
                and self._white_hidden(handle, index)
            )
        )
        return size, bold, hidden

    def _white_hidden(self, handle: object, index: int) -> bool:
        left, right, bottom, top = (ctypes.c_double() for _ in range(4))
        if not pdfium_c.FPDFText_GetCharBox(handle, index, left, right, bottom, top):
            return True
        x = (left.value + right.value) / 2
        y = (bottom.value + top.value) / 2
        return not self.on_background(x, y)


def _links(
    document: pdfium.PdfDocument, page: Any, height: float
) -> list[tuple[float, float, float, float, str]]:
    """URI link areas of a page (top-down boxes): the target tells which network a bare
    handle under a logo links to."""
    found: list[tuple[float, float, float, float, str]] = []
    position = ctypes.c_int(0)
    link = pdfium_c.FPDF_LINK()
    rect = pdfium_c.FS_RECTF()
    while pdfium_c.FPDFLink_Enumerate(page, ctypes.byref(position), ctypes.byref(link)):
        action = pdfium_c.FPDFLink_GetAction(link)
        if not action or pdfium_c.FPDFAction_GetType(action) != pdfium_c.PDFACTION_URI:
            continue
        size = pdfium_c.FPDFAction_GetURIPath(document.raw, action, None, 0)
        if size <= 1 or size > 2048:
            continue
        buffer = ctypes.create_string_buffer(size)
        pdfium_c.FPDFAction_GetURIPath(document.raw, action, buffer, size)
        if not pdfium_c.FPDFLink_GetAnnotRect(link, ctypes.byref(rect)):
            continue
        uri = buffer.value.decode("utf-8", "replace")
        found.append((rect.left, height - rect.top, rect.right, height - rect.bottom, uri))
    return found


def read_pdf(data: bytes) -> tuple[list[list[Fragment]], list[tuple[float, float]]]:
    """Fragments of every page, and page sizes."""
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        if "password" in str(error).lower() or "security" in str(error).lower():
            raise UnreadableDocument(
                "This PDF is password-protected. Remove the password and upload it again."
            ) from error
        raise UnreadableDocument(
            "This file could not be read as a PDF; it may be damaged."
        ) from error
    try:
        pages: list[list[Fragment]] = []
        sizes: list[tuple[float, float]] = []
        buffers = _Buffers()
        for number in range(len(document)):
            # Handles without pypdfium2's page and text page objects, whose setup (a
            # finalizer, a parent's weak reference) costs as much as reading a short page.
            page = pdfium_c.FPDF_LoadPage(document.raw, number)
            if not page:
                raise pdfium.PdfiumError("Failed to load page.")
            try:
                reader = _Page(page, number, buffers)
                fragments = reader.fragments()
                links = _links(document, page, reader.height)
            finally:
                pdfium_c.FPDF_ClosePage(page)
            for fragment in fragments if links else ():
                x = (fragment.x0 + fragment.x1) / 2
                y = (fragment.top + fragment.bottom) / 2
                for x0, y0, x1, y1, uri in links:
                    if x0 - 1 <= x <= x1 + 1 and min(y0, y1) - 1 <= y <= max(y0, y1) + 1:
                        fragment.link = uri
                        break
            pages.append(fragments)
            sizes.append((reader.width, reader.height))
        return pages, sizes
    finally:
        document.close()
