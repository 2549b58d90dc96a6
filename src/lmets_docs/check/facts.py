"""Prove an artifact says the manifest's facts: the helpline, its hours and the review dates.

Phone numbers are found with phonenumbers' own matcher, so a number typed in any layout is
caught; dates are found by the language's month names (from babel) and compared as dates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import phonenumbers

from lmets_docs.check.findings import Finding, error
from lmets_docs.check.text import ArtifactText
from lmets_docs.manifest import Manifest
from lmets_docs.scan import dates, phone_numbers

REVIEW_FACTS = ("review.last_reviewed", "review.next_review_due")
EXPECTED = ("helpline.phone", "helpline.hours", *REVIEW_FACTS)


def fact_findings(text: ArtifactText, manifest: Manifest) -> list[Finding]:
    """Return every way the artifact's text disagrees with the manifest's facts."""
    findings = list(_missing(text, manifest))
    findings += _stray_numbers(text, manifest)
    findings += _stray_dates(text, manifest)
    return findings


def _form(manifest: Manifest, name: str, spoken: bool) -> str:
    entry = manifest.facts[name]
    return entry.spoken if spoken else entry.printed


def _missing(text: ArtifactText, manifest: Manifest) -> Iterator[Finding]:
    full = text.full_text()
    for name in EXPECTED:
        if name not in manifest.facts:
            continue
        expected = " ".join(_form(manifest, name, text.spoken).split())
        if expected not in full:
            yield error(text.path, "", f"{name} is missing: expected {expected!r}", "fact-missing")


def helpline_number(manifest: Manifest) -> phonenumbers.PhoneNumber:
    """Return the helpline number the manifest records (from its E.164 link)."""
    link = manifest.facts["helpline.phone"].link or ""
    return phonenumbers.parse(link.removeprefix("tel:"), None)


def _stray_numbers(text: ArtifactText, manifest: Manifest) -> Iterator[Finding]:
    if "helpline.phone" not in manifest.facts:
        return
    helpline = helpline_number(manifest)
    region = phonenumbers.region_code_for_number(helpline) or "ZZ"
    printed = manifest.facts["helpline.phone"].printed
    for passage in text.passages:
        for found in phone_numbers(passage.text, region, text.spoken, manifest.lang):
            if found.number != helpline:
                yield error(
                    text.path,
                    passage.place,
                    f"phone number {found.raw_string!r} is not the helpline's {printed!r}",
                    "fact-phone",
                )


def _stray_dates(text: ArtifactText, manifest: Manifest) -> Iterator[Finding]:
    allowed = {
        dt.date.fromisoformat(manifest.review[k]) for k in ("last_reviewed", "next_review_due")
    }
    shown = ", ".join(_form(manifest, n, False) for n in REVIEW_FACTS)
    for passage in text.passages:
        for raw, day in dates(passage.text, manifest.lang):
            if day not in allowed:
                yield error(
                    text.path,
                    passage.place,
                    f"date {raw!r} is not one of the review dates ({shown})",
                    "fact-date",
                )
