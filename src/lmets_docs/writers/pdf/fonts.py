"""Choose the PDF's fonts per script and prove, before printing, that every character has a glyph.

Atkinson Hyperlegible comes first (Latin). Noto families follow for what it lacks: Noto Sans
(Latin with Welsh ŵ and ŷ, Greek, Cyrillic), Noto Naskh Arabic, else Noto Sans Arabic (Arabic
script: Urdu, Arabic, Persian), Noto Sans Bengali, Noto Sans Gurmukhi, Noto Sans Devanagari.
A family joins the stack only when it has a character that the families before it lack, so an
English leaflet embeds Atkinson Hyperlegible alone. Fonts come from fontpkg packages (pip) or,
for scripts that no fontpkg package covers, from the system through fontconfig (Debian's
fonts-noto-core).

Arabic script is set in Noto Naskh Arabic, whose letters are whole glyphs, one per joining
form. Noto Nastaliq Urdu's ligatures lose letters when the PDF's text is extracted (measured
with pdfplumber), and Noto Sans Arabic draws a dotted letter as a dotless skeleton plus a dots
glyph shared between letters: WeasyPrint's /ToUnicode map then gives the dots no text and the
skeleton one letter for all (WeasyPrint #2841), so a screen reader reads wrong words. ``check``
reports such a map (``check.pdf_fonts``). The DOCX, whose text is stored as typed, names
Nastaliq for Urdu.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from types import MappingProxyType

from lxml import html as lxml_html

from lmets_docs.errors import BuildError
from lmets_docs.fontstack import FALLBACKS, LATIN, FontFace, coverage, draws, family_faces
from lmets_docs.i18n import script

log = logging.getLogger(__name__)

BY_LANGUAGE: Mapping[str, tuple[str, ...]] = MappingProxyType({})
BY_SCRIPT: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "Arab": ("Noto Naskh Arabic", "Noto Sans Arabic"), "Beng": ("Noto Sans Bengali",),
    "Guru": ("Noto Sans Gurmukhi",), "Deva": ("Noto Sans Devanagari",),
})
INSTALL_HINT = ("install Debian's fonts-noto-core and fontconfig (scripts/setup does), or "
                "the fontpkg-* packages lmets-docs depends on")
WORDS_HINT = ("write each in words (a screen reader and the narration say words best), or "
              "leave it out")


def candidates(lang: str) -> tuple[str, ...]:
    """Return the fallback families in the order a leaflet in ``lang`` prefers them."""
    base = lang.split("-", maxsplit=1)[0]
    preferred = [*BY_LANGUAGE.get(base, ()), *BY_SCRIPT.get(script(lang), ())]
    return tuple(dict.fromkeys([*preferred, *FALLBACKS]))


def choose(lang: str, texts: Iterable[str]) -> tuple[FontFace, ...]:
    """Return the faces of Atkinson Hyperlegible and of each family the text needs besides."""
    latin = family_faces(LATIN)
    if latin is None:
        raise BuildError(f"the font {LATIN} is not installed; {INSTALL_HINT}")
    stack, need = [latin], needed(texts) - coverage(latin)
    for name in candidates(lang):
        faces = family_faces(name) if need else None
        if faces is not None and need & coverage(faces):
            stack.append(faces)
            need -= coverage(faces)
    return tuple(face for faces in stack for face in faces)


def needed(texts: Iterable[str]) -> set[int]:
    """Return the code points of every character in ``texts`` that must have a glyph.

    Each distinct character is judged once (a long leaflet is 70,000 characters, 100 distinct).
    """
    return {ord(ch) for ch in set().union(*map(set, texts)) if draws(ch)}


def prove(faces: tuple[FontFace, ...], page: str,
          lines: Mapping[str, str] = MappingProxyType({})) -> None:
    """Raise BuildError naming every character of the page that no font has a glyph for.

    Each is named once, in the page's order, with where it is first: ``lines`` gives an
    element id's source ``file:line`` (else the element is named) and the text around it.
    """
    families = dict.fromkeys(face.family for face in faces)
    covered = frozenset().union(*(coverage(f for f in faces if f.family == name)
                                  for name in families))
    lacking: dict[str, str] = {}
    for element, text in page_texts(page):
        for ch in dict.fromkeys(ch for ch in text if ord(ch) not in covered and draws(ch)):
            lacking.setdefault(ch, f"{_where(element, lines)}: {_excerpt(text, ch)!r}")
    if lacking:
        named = "; ".join(f"{ch!r} (U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed character')}"
                          f") in {where}" for ch, where in lacking.items())
        absent = [name for name in FALLBACKS if family_faces(name) is None]
        hint = f"{INSTALL_HINT} (not installed: {', '.join(absent)}), or {WORDS_HINT}" \
            if absent else WORDS_HINT
        raise BuildError(
            f"no font has a glyph for {named}; the PDF's fonts are {', '.join(families)}; {hint}")


def page_texts(page: str) -> Iterator[tuple[lxml_html.HtmlElement, str]]:
    """Yield (element, text) for every piece of text of an HTML page, style sheet included."""
    root = lxml_html.document_fromstring(page)
    for element in root.iter():
        for text in (element.text, element.tail):
            if text and text.strip():
                yield element, text


def _where(element: lxml_html.HtmlElement, lines: Mapping[str, str]) -> str:
    for node in (element, *element.iterancestors()):
        if node.get("id") in lines:
            return lines[str(node.get("id"))]
    return _place(element)


def _place(element: lxml_html.HtmlElement) -> str:
    for node in (element, *element.iterancestors()):
        if node.get("id"):
            return f"<{node.tag} id={node.get('id')!r}>"
    return f"<{element.tag}>"


def _excerpt(text: str, ch: str) -> str:
    folded = " ".join(text.split())
    at = max(0, folded.find(ch) - 30)
    return folded[at:at + 70]
