"""Read the numbers of a BRF's text back: a wrong digit in a threshold or a dose is an error.

The writer records the numbers of its text (the leaflet's own words, its facts, its fixed
words) in ``details.numbers``, as values in reading order. Here the
BRF's text is translated back with the table its numbers are written in
(``brf.Tables.numbers_read``: the language's own, UEB for Welsh, whose table reads its own
"37.5" back as "37.ef" and "1." as "14") and read for numbers as the language reads them
(``source.numbers``): the numbers must be the edition's, facts included, in the same order.
A difference names the place of the first number that differs.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from lmets_docs.check.findings import Finding, error
from lmets_docs.manifest import ArtifactEntry, Manifest
from lmets_docs.source.numbers import numbers_in

CODE = "brf-number"
UNDEFINED = re.compile(r"\\\d+/")
"""liblouis's back-translation of a cell its table has no character for: ``\\12456/`` (dots)."""


def text_numbers(path: Path, entry: ArtifactEntry, manifest: Manifest, table: str,
                 blocks: list[tuple[str, str]], extra: bool = True) -> Iterator[Finding]:
    """Yield an error where the braille's numbers are not the edition's, in order.

    ``blocks``: each block's place and its text as ``table`` reads it back. ``extra``: a
    number the edition lacks is an error too (not in Arabic braille, where liblouis reads
    some letters, and UEB-written English words, back as digits).
    """
    wanted = entry.details.get("numbers")
    if not isinstance(wanted, list):
        return  # built before the writer recorded them: nothing to compare
    wanted = [str(n) for n in wanted]
    found = [(place, n) for place, text in blocks for n in _numbers(text, manifest.lang)]
    got = [n for _, n in found]
    matcher = difflib.SequenceMatcher(a=wanted, b=got, autojunk=False)
    for tag, want_from, want_to, got_from, got_to in matcher.get_opcodes():
        if tag == "equal" or not (extra or Counter(wanted[want_from:want_to])
                                  - Counter(got[got_from:got_to])):
            continue
        where = found[got_from][0] if got_from < len(found) else (
            found[-1][0] if found else "")
        read = ", ".join(got[got_from:got_to]) or "nothing"
        meant = ", ".join(wanted[want_from:want_to]) or "nothing"
        yield error(path, where, f"the braille reads {read} where the leaflet has {meant} "
                    f"(numbers read back with {table}): rebuild it, or correct the cells", CODE)


def _numbers(text: str, lang: str) -> list[str]:
    return [number.shown for number in numbers_in(UNDEFINED.sub(" ", text), lang)]
