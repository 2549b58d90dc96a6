"""Where links lead: a ``tel:``, ``sms:`` or ``mailto:`` target must be one of the facts.

A link's target is what a phone dials or a mail program writes to, whatever the text shown
over it says: "0808 800 4040" over ``tel:+442079461234`` calls someone else. Each target is
handed to the number, email and date finders as a passage of its own (so a valid number or
an address that is no contact's is reported like any other stray one, by ``check/facts.py``),
and this module reports what they cannot see: a phone link to no valid number at all.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote

import phonenumbers

from lmets_docs.check.facts import manifest_region
from lmets_docs.check.findings import Finding, error
from lmets_docs.check.text import Passage
from lmets_docs.manifest import Manifest
from lmets_docs.text import printed_address

PHONE_SCHEMES = ("tel", "sms", "callto")


def scheme(target: str) -> str:
    """Return a link target's scheme in lower case ("tel"), or "" for none."""
    head, colon, _rest = target.partition(":")
    return head.strip().lower() if colon else ""


def link_passage(place: str, target: str) -> Passage | None:
    """Return a phone or mail link's target as a passage to scan, or None for other links."""
    if scheme(target) not in (*PHONE_SCHEMES, "mailto"):
        return None
    address = unquote(target.partition(":")[2]).split("?")[0]
    return Passage(f"{place}, link to {target.strip()}", address)


def link_findings(path: Path, place: str, target: str, manifest: Manifest) -> list[Finding]:
    """Return what is wrong with a link's target that the number finder cannot say."""
    kind = scheme(target)
    address = unquote(target.partition(":")[2]).split("?")[0].split(";")[0].strip()
    if kind in PHONE_SCHEMES and not _valid_number(address, manifest):
        return [error(path, place, f"the link goes to {target.strip()!r}, which is not a "
                      "valid phone number", "link-target")]
    return []


def _valid_number(address: str, manifest: Manifest) -> bool:
    region = manifest_region(manifest)
    try:
        number = phonenumbers.parse(address, region)
    except phonenumbers.NumberParseException:
        return False
    return bool(phonenumbers.is_valid_number(number))


def named_links(manifest: Manifest) -> dict[str, tuple[str, str]]:
    """Return each fact whose link opens an address its printed words do not say
    (``forum.name``: "Cancer Chat"), by name: its printed words and its link.

    The print prints such a fact as a written link, its address in brackets after its words
    (``text.fact_link``); ``check`` reads that address back from each printed format.
    """
    return {name: (fact.printed, fact.link) for name, fact in manifest.facts.items()
            if fact.link and printed_address(fact.link, fact.printed)}


def same_address(target: str, link: str) -> bool:
    """Say whether a link's target opens the fact's address (its scheme and a last ``/`` apart:
    ``https://www.nhs.uk/`` is ``http://www.nhs.uk``)."""
    return printed_address(target.strip(), "") == printed_address(link, "")
