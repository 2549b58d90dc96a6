"""Prove the PDF gives each contact once.

- **Each contact once** (``pdf-contact-once``, STANDARDS: each contact written once): the
  writer prints each contact in a box of its own, a ``Div`` in the structure tree headed by
  the contact's name (an ``H3``; in a copy of an older house page, a bold paragraph). Each
  contact's name (``contacts.<id>.name``) must head exactly one such box: a house template
  that prints a contact twice (a hand-written box, a block of its own) or not at all fails.
  The names are read from the letters the tags hold (``pdf_tags.read_chars``), so the rule
  runs in the thorough check only; it walks the tree ``pdf_tags`` has already read.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Mapping
from pathlib import Path

from lmets_docs.check.bidi import MARKS, bidi_key
from lmets_docs.check.findings import Finding, error
from lmets_docs.manifest import Manifest
from lmets_docs.model import RTL_LANGUAGES

Where = tuple[int, int]
"""A piece of marked content: (page number from 1, marked-content id), as ``pdf_tags``'s."""
BOX_HEADS = re.compile(r"/H\d|/P")
"""The roles that may head a contact's box: a heading, or an older page's bold paragraph."""


def names(manifest: Manifest) -> dict[str, str]:
    """Return each contact's name fact (``contacts.<id>.name``) and its printed form."""
    return {name: entry.printed for name, entry in manifest.facts.items()
            if name.startswith("contacts.") and name.endswith(".name") and entry.printed}


def rtl(manifest: Manifest) -> bool:
    """Say whether the leaflet's language is written right to left."""
    return manifest.lang.split("-")[0] in RTL_LANGUAGES


def once(path: Path, boxes: Iterator[tuple[str, str, list[Where]]], texts: dict[Where, str],
         contacts: Mapping[str, str], right_to_left: bool) -> Iterator[Finding]:
    """Yield an error for each contact whose name heads no box, or more than one.

    ``boxes``: each ``Div``'s role and its first element's role and content (``boxed``).
    A box's name is compared by its letters and digits, spaces aside; in right-to-left text,
    which pdfplumber gives in the order it is drawn, as the same letters and digits in any
    order (two contacts' names are never the same letters).
    """
    if not contacts:
        return
    key = _set_key if right_to_left else _key
    wanted = Counter(key(name) for name in contacts.values())
    found: dict[str, list[int]] = {}
    for owner, role, content in boxes:
        if owner != "/Div" or not BOX_HEADS.fullmatch(role) or not content:
            continue
        head = key("".join(texts.get(piece, "") for piece in content))
        if head in wanted:
            found.setdefault(head, []).append(content[0][0])
    for fact, name in contacts.items():
        pages = found.get(key(name), [])
        if len(pages) == wanted[key(name)]:
            continue
        if not pages:
            yield error(path, "structure", f"{fact} {name!r} heads no contact box (no Div "
                        "headed by the contact's name in the structure tree): every contact "
                        "is given once", "pdf-contact-once")
        else:
            shown = ", ".join(str(page) for page in pages)
            yield error(path, f"page {pages[1] if len(pages) > 1 else pages[0]}",
                        f"{fact} {name!r} heads {len(pages)} contact boxes (pages {shown}): "
                        "each contact is given once (STANDARDS.md)", "pdf-contact-once")


_NO_MARKS = dict.fromkeys(map(ord, MARKS))


def _key(text: str) -> str:
    return "".join(text.split())


def _set_key(text: str) -> str:
    return "".join(sorted(bidi_key(text).translate(_NO_MARKS)))
