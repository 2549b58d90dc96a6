"""Prove that the name heading the rest of a broken contact box is an artifact.

**The name, continued, is never read** (``pdf-continued-artifact``): where a page break
carries a contact's box on to the next page, the PDF writer heads the rest with the
contact's name and "continued" in the leaflet's language (``furniture.continued``: "(parhad)",
"(جاری)", "(تابع)"). The name's heading is once in the structure tree and the bookmarks, so
every letter of that marker must be an ``/Artifact``, or a screen reader reads the name
twice (and in the middle of the box's lines). The rule looks for each contact's marker
(``contacts.<id>.name`` as printed, in the catalogue's words for the PDF's language) in each
page's letters, artifacts and tagged content alike, read line by line down the page as
printed (pdfplumber), not in the order they are painted: one line of a wrapped name left
tagged is found where its other lines are artifacts. Right-to-left letters, which pdfplumber
gives in the order they are drawn, are matched as the same letters in any order within the
marker's length. It reads every letter with pdfplumber, so it runs in the thorough check, on
the pages ``pdf_tags.read_chars`` opens for its own rules (one reading of the file).
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from lmets_docs import furniture
from lmets_docs.check.findings import Finding, error
from lmets_docs.i18n import messages

RULE = "pdf-continued-artifact"
UNSEEN = frozenset("\u2060\u200b\u200c\u200d\u00ad")
"""Zero-width characters (word joiner, break controls, soft hyphen): never part of the words."""
RIGHT_TO_LEFT = frozenset({"R", "AL"})


Marker = tuple[str, str]
"""A marker as printed, and its letters as compared (``_key``)."""


def markers(lang: str, names: Iterable[str]) -> list[Marker]:
    """Return what heads the rest of each named contact's box in ``lang``: the words the
    writer takes (``furniture.continued``), each with a contact's name."""
    words = furniture.continued(messages(lang))
    found = [words.replace("{name}", name) for name in dict.fromkeys(names) if name]
    return [(marker, _key(marker)) for marker in found]


def page_findings(path: Path, number: int, page: Any, wanted: Iterable[Marker]
                  ) -> Iterator[Finding]:
    """Yield an error for each marker (``markers``) on a page (pdfplumber's, numbered from
    1) any letter of which is tagged content."""
    text, chars = _letters(page)
    for marker, key in wanted:
        for start in _places(text, key):
            tagged = [char for char in chars[start:start + len(key)] if _tagged(char)]
            if tagged:
                read = "".join(str(char["text"]) for char in tagged)
                yield error(path, f"page {number}",
                            f"the name heading the rest of a contact's box, {marker!r}, is "
                            f"read as text: {len(tagged)} of its {len(key)} letters are "
                            f"tagged content ({read[:40]!r}), not an /Artifact, so a screen "
                            "reader reads the name twice", RULE)


def _key(text: str) -> str:
    """Return the letters of a text as compared: spaces and unseen characters aside, its case
    folded, in compatibility form (a font's presentation forms are its letters)."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).casefold()
                   if not ch.isspace() and ch not in UNSEEN)


def _letters(page: Any) -> tuple[str, list[dict[str, Any]]]:
    """Return a page's letters line by line down the page (each line left to right, as
    printed), as compared (``_key``), and the character each letter was read from.

    A line is the letters whose tops lie within ``LINE_TOLERANCE`` of each other
    (pdfplumber's clustering, as its text lines use; its text map costs three times as much).
    """
    from pdfplumber.utils.clustering import cluster_objects  # noqa: PLC0415  (with pdfplumber)

    text, chars = [], []
    for line in cluster_objects(page.chars, "top", LINE_TOLERANCE):
        for char in sorted(line, key=lambda char: float(char["x0"])):
            for letter in _key(str(char["text"])):
                text.append(letter)
                chars.append(char)
    return "".join(text), chars


LINE_TOLERANCE = 3
"""Points between the tops of letters on one printed line (pdfplumber's ``y_tolerance``)."""


def _places(text: str, key: str) -> Iterator[int]:
    """Yield where ``key`` starts in ``text``: as it is; with right-to-left letters, as the
    same letters in any order (pdfplumber gives them in the order they are drawn)."""
    if not key:
        return
    if not any(unicodedata.bidirectional(ch) in RIGHT_TO_LEFT for ch in key):
        start = text.find(key)
        while start >= 0:
            yield start
            start = text.find(key, start + len(key))
        return
    wanted, window = Counter(key), Counter(text[:len(key)])
    for start in range(len(text) - len(key) + 1):
        if start:
            window[text[start - 1]] -= 1
            window[text[start + len(key) - 1]] += 1
        if +window == wanted:
            yield start


def _tagged(char: Mapping[str, Any]) -> bool:
    """Say whether a character is anything but an artifact (tagged content, or content that
    is neither: a screen reader reads both)."""
    return char.get("tag") != "Artifact"
