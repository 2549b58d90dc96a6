"""Read a DOCX's, a web page's or an EPUB's text as a reader sees it, before its facts are checked.

These files store their text in reading order, with whatever invisible characters it holds;
a reader sees it drawn. A zero-width non-joiner inside "01‌13 496 0555" hides the number from
every scan that reads the characters, and a right-to-left override (U+202E … U+202C) shows
"5550 694 3110" as "0113 496 0555". The writers write neither: the only invisible characters
in their text are the isolates (LRI … PDI) around facts and Latin words in right-to-left text,
and the joiners and marks an Arabic-script text holds (see ``lmets_docs.invisible``). So:

- every invisible character but the isolates is removed from the text that is scanned (the
  isolates are read by ``check.bidi``, which removes them);
- an embedding or override is an error (``hidden-text``), and the text it reverses is read
  reversed as well, as it is shown, so a number it shows is checked against the contacts.

(The PDF is read as drawn, by pdftotext, and needs none of this.)
"""

from __future__ import annotations

import unicodedata

from lmets_docs.check.findings import error
from lmets_docs.check.text import ArtifactText, Passage
from lmets_docs.invisible import ISOLATES, OVERRIDES, invisible

RLO, LRO, POP = "\u202e", "\u202d", "\u202c"


def read_as_shown(text: ArtifactText) -> ArtifactText:
    """Turn the artifact's passages into what a reader sees (see the module's text)."""
    passages: list[Passage] = []
    for passage in text.passages:
        if passage.text.isascii():
            passages.append(passage)
            continue
        found = next((char for char in passage.text if char in OVERRIDES), None)
        if found is not None:
            text.findings.append(error(
                text.path, passage.place,
                f"the text holds U+{ord(found):04X} {unicodedata.name(found)}, which shows it "
                "otherwise than it is read (a number reversed); the writers never write one "
                "(changed after the build, or built from a source from before they were "
                "refused)", "hidden-text"))
            passages.append(Passage(f"{passage.place} (as shown)", _plain(_shown(passage.text))))
        passages.append(Passage(passage.place, _plain(passage.text)))
    text.passages = passages
    return text


def _plain(text: str) -> str:
    """Return the text without its invisible characters but the isolates."""
    return "".join(char for char in text if char in ISOLATES or not invisible(char))


def _shown(text: str) -> str:
    """Return the text with each right-to-left override's run reversed, as it is drawn (to its
    PDF, or the paragraph's end; a run inside it is taken with it)."""
    out, stack = [], [""]
    for char in text:
        if char in OVERRIDES - {POP}:
            stack.append(char)
            out.append("\0")  # where the run starts
        elif char == POP and len(stack) > 1:
            _close(out, stack.pop())
        else:
            out.append(char)
    while len(stack) > 1:
        _close(out, stack.pop())
    return "".join(out)


def _close(out: list[str], opener: str) -> None:
    """Replace the run from its start mark to the end of ``out`` by what it shows."""
    start = len(out) - 1 - out[::-1].index("\0")
    run = out[start + 1:]
    out[start:] = run[::-1] if opener == RLO else run
