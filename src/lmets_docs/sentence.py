"""Cut a block's inline content into sentences, for the narration and the pages alike.

The narration says each sentence as its own piece of speech, and the web page and the EPUB
give each sentence an element (``<id>.s<n>``), so that the Media Overlays tie every sentence
to its clip. Only plain text is cut (after ``.``, ``!`` or ``?`` and a space); a fact, a link,
bold text or a glossary term is never cut.
"""

from __future__ import annotations

import re

from lmets_docs.model import Inline, Text

_END = re.compile(r"(?<=[.!?])\s+(?=\S)")


def split(inlines: tuple[Inline, ...]) -> list[tuple[Inline, ...]]:
    """Return the inline content sentence by sentence (one item if it is one sentence)."""
    runs: list[list[Inline]] = [[]]
    for item in inlines:
        if not isinstance(item, Text):
            runs[-1].append(item)
            continue
        pieces = _END.split(item.text)
        for number, piece in enumerate(pieces):
            if number:
                runs.append([])
            if piece:
                runs[-1].append(Text(piece))
    return [tuple(run) for run in runs if run]


def sentence_id(block_id: str, number: int) -> str:
    """Return the id of a block's ``number``-th sentence (from 1): ``chemotherapy.4.s2``."""
    return f"{block_id}.s{number}"
