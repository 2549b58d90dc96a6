"""What the running footer must say: the main contact's facts in the form the writer printed.

The writers put the main contact (the first) in every page's footer: "Helpline: <number>,
<hours>" (the DOCX always; the PDF in its forms ``hours unbroken`` and ``hours wrapped``),
the number alone (the PDF's ``number only``), or the contact's name when it has no number.
"""

from __future__ import annotations

from dataclasses import dataclass

from lmets_docs.manifest import Manifest

HOURS_FORMS = frozenset({"hours unbroken", "hours wrapped"})
"""The footer forms that print the main contact's hours (``writers.pdf.FOOTERS``)."""


@dataclass(frozen=True)
class Expected:
    """What every page's footer must print: the main contact's facts, by name."""

    required: dict[str, str]
    """Fact name → printed form, each of which the footer must hold."""
    allowed: dict[str, str]
    """Fact name → printed form of the main contact's facts the footer may hold."""


def expected(manifest: Manifest, form: str | None) -> Expected | None:
    """Return what the footer must print, or None for a leaflet without contacts.

    Without a form (a manifest from before the footer had three forms) the hours may be
    printed or not; the number is always required.
    """
    main = next((n.removesuffix(".name") for n in manifest.facts
                 if n.startswith("contacts.") and n.endswith(".name")), None)
    if main is None:
        return None
    facts = {part: manifest.facts[f"{main}.{part}"].printed
             for part in ("name", "phone", "hours") if f"{main}.{part}" in manifest.facts}
    if "phone" not in facts:
        return Expected({f"{main}.name": facts["name"]}, {})
    required = {f"{main}.phone": facts["phone"]}
    hours = {f"{main}.hours": facts["hours"]} if "hours" in facts else {}
    if form in HOURS_FORMS:
        return Expected(required | hours, {})
    return Expected(required, hours if form is None else {})
