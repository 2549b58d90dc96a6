"""Cut a block's inline content into sentences, for the narration and the pages alike.

The narration says each sentence as its own piece of speech, and the web page and the EPUB
give each sentence an element (``<id>.s<n>``), so that the Media Overlays tie every sentence
to its clip. Only plain text is cut (after ``.``, ``!`` or ``?`` and a space); a fact, a link,
bold text or a glossary term is never cut. Nor is a sentence cut after an abbreviation's full
stop ("e.g.", "approx.", Welsh "e.e.": ``speech.abbreviations``) unless a capital letter comes
next ("take a painkiller, e.g. paracetamol", "approx. £5"): that stop ends no sentence.
"""

from __future__ import annotations

import re

from lmets_docs.model import Inline, Text
from lmets_docs.speech.abbreviations import dotted

_ABBREVIATIONS = "|".join(re.escape(short) for short in sorted(dotted(), key=len, reverse=True))
_END = re.compile(r"(?<=[.!?])\s+(?=\S)")
_ABBREVIATION = re.compile(rf"(?<![\w.])(?:{_ABBREVIATIONS})$", re.IGNORECASE)


def _cut(text: str) -> list[str]:
    """Return a text's sentences: cut after each end of a sentence."""
    pieces, start = [], 0
    for match in _END.finditer(text):
        if not _kept(text, match):
            pieces.append(text[start:match.start()])
            start = match.end()
    return [*pieces, text[start:]]


def _kept(text: str, end: re.Match[str]) -> bool:
    """Say whether the stop before ``end`` is an abbreviation's, with no new sentence after."""
    return (not text[end.end()].isupper()
            and _ABBREVIATION.search(text, max(0, end.start() - 12), end.start()) is not None)


def split(inlines: tuple[Inline, ...]) -> list[tuple[Inline, ...]]:
    """Return the inline content sentence by sentence (one item if it is one sentence)."""
    runs: list[list[Inline]] = [[]]
    for item in inlines:
        if not isinstance(item, Text):
            runs[-1].append(item)
            continue
        pieces = _cut(item.text)
        for number, piece in enumerate(pieces):
            if number:
                runs.append([])
            if piece:
                runs[-1].append(Text(piece))
    return [tuple(run) for run in runs if run]


def sentence_id(block_id: str, number: int) -> str:
    """Return the id of a block's ``number``-th sentence (from 1): ``chemotherapy.4.s2``."""
    return f"{block_id}.s{number}"
