"""What a reader is told but not shown: alternative text standing in for a picture or shapes.

A screen reader reads a picture's alternative text; a sighted reader sees the picture, which
check cannot read. When the alternative text carries a phone number, a date or a fact, the
two readers may be told different things and nothing proves the picture: that is an error
in every format (PDF shapes or images, DOCX pictures).
"""

from __future__ import annotations

from pathlib import Path

from lmets_docs.check.facts import manifest_region
from lmets_docs.check.findings import Finding, error
from lmets_docs.manifest import Manifest
from lmets_docs.scan import dates, phone_numbers


def carries_facts(alt: str, manifest: Manifest) -> bool:
    """Say whether alternative text holds a phone number, a date or a fact's printed form."""
    if any(f.printed and f.printed in alt for f in manifest.facts.values()):
        return True
    if phone_numbers(alt, manifest_region(manifest), lang=manifest.lang):
        return True
    return any(True for _ in dates(alt, manifest.lang))


def unseen(path: Path, place: str, alt: str, code: str) -> Finding:
    """Return the error for facts told in alternative text over something that is not text."""
    return error(path, place, f"screen readers hear {alt!r}, but what is shown there is not "
                 "text (shapes or a picture): nothing proves it says the same; write it as "
                 "text", code)
