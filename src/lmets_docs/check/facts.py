"""Prove an artifact says the manifest's facts: every contact and the review dates.

Every contact's number, hours, email and web address must be in every artifact (each
format gives every contact in its furniture); a phone number that is none of them, or a
date that is no dated fact, is an error wherever it is found.

Phone numbers are found with phonenumbers' own matcher, so a number typed in any layout is
caught; dates are found by the language's month names (from babel) and compared as dates.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TypeVar

import phonenumbers

from lmets_docs.check import bounds
from lmets_docs.check.bidi import fact_key, logical_text, plain_logical_text
from lmets_docs.check.findings import Finding, error, warning
from lmets_docs.check.text import ArtifactText, Passage
from lmets_docs.manifest import Manifest
from lmets_docs.model import RTL_LANGUAGES
from lmets_docs.scan import as_digits, dates, emails, invalid_numbers, valid_numbers
from lmets_docs.scan_hours import single_times, time_ranges

Found = TypeVar("Found")
REVIEW_FACTS = ("review.last_reviewed", "review.next_review_due")
CONTACT_PROVED = (".phone", ".hours", ".email", ".web")
"""The parts of a contact every artifact must give."""


def expected_facts(manifest: Manifest) -> list[str]:
    """Return the facts every artifact must hold: each contact's and the review dates."""
    contacts = [n for n in manifest.facts
                if n.startswith("contacts.") and n.endswith(CONTACT_PROVED)]
    return [*contacts, *REVIEW_FACTS]


def fact_findings(text: ArtifactText, manifest: Manifest) -> list[Finding]:
    """Return every way the artifact's text disagrees with the manifest's facts."""
    findings = list(_missing(text, manifest))
    digits = _digits(text, manifest)
    findings += _stray_numbers(text, manifest, digits)
    findings += _broken_numbers(text, manifest, digits)
    findings += _stray_emails(text, manifest)
    findings += _stray_dates(text, manifest)
    findings += _stray_hours(text, manifest)
    findings += _stray_single_times(text, manifest)
    return findings


def _per_text(text: ArtifactText, scan: Callable[[str], Iterable[Found]]
              ) -> Iterator[tuple[Passage, list[Found]]]:
    """Yield each passage with what ``scan`` finds in it, scanning each distinct text once.

    A narration's transcript is in its tag, in its text file and in its tracks' tags: three
    passages for each line, found the same and reported at each place.
    """
    found: dict[str, list[Found]] = {}
    for passage in text.passages:
        if passage.text not in found:
            found[passage.text] = list(scan(passage.text))
        yield passage, found[passage.text]


def _rtl(manifest: Manifest) -> bool:
    return manifest.lang.split("-")[0] in RTL_LANGUAGES


def _scanned(manifest: Manifest) -> Callable[[str], str]:
    """Return how a passage is read before it is scanned for numbers, dates and email
    addresses: in logical order without direction controls for a right-to-left language
    (pdftotext's controls split an Urdu date, its runs may come in visual order, a full stop
    ending a sentence lies left of the address before it), as it is for any other."""
    return plain_logical_text if _rtl(manifest) else str


WRITTEN_AS_PRINTED = (".phone", ".hours")
"""The facts a narration's transcript, captions and lyrics write as printed, not as said
(``writers.audio.script.PRINTED_FIELDS``): a number and its hours are looked for there in
their printed form, the rest in the words said."""


def _form(manifest: Manifest, name: str, spoken: bool) -> str:
    entry = manifest.facts[name]
    return entry.spoken if spoken else entry.printed


def _shown(manifest: Manifest, name: str, spoken: bool) -> str:
    """Return a fact as an artifact writes it: a narration's number and hours as printed."""
    return _form(manifest, name, spoken and not name.endswith(WRITTEN_AS_PRINTED))


def _missing(text: ArtifactText, manifest: Manifest) -> Iterator[Finding]:
    rtl = _rtl(manifest)
    full = text.full_text()
    if rtl:  # compare letters and whole numbers in logical order (see check/bidi.py)
        full = fact_key(logical_text("\n".join(p.text for p in text.passages)))
    for name in expected_facts(manifest):
        if name not in manifest.facts:
            continue
        expected = " ".join(_shown(manifest, name, text.spoken).split())
        if not _found(fact_key(expected) if rtl else expected, full, text, rtl):
            yield error(text.path, "", f"{name} is missing: expected {expected!r}", "fact-missing")


def _found(expected: str, full: str, text: ArtifactText, rtl: bool) -> bool:
    """Say whether a fact is in the text, or in its pages read on across page breaks, whole
    (``bounds``: "0113 496 0321" is not in "10113 496 0321"; a right-to-left text's key
    bounds its numbers itself, ``fact_key``)."""
    def holds(within: str) -> bool:
        return expected in within if rtl else bounds.holds(within, expected)

    if holds(full) or text.continuous is None:
        return holds(full)
    pages = text.continuous()
    return holds(fact_key(logical_text(pages)) if rtl else " ".join(pages.split()))


def contact_numbers(manifest: Manifest) -> dict[str, phonenumbers.PhoneNumber]:
    """Return every contact number the manifest records (from its E.164 links), by fact."""
    return {
        name: phonenumbers.parse((entry.link or "").removeprefix("tel:"), None)
        for name, entry in manifest.facts.items()
        if name.endswith(".phone") and (entry.link or "").startswith("tel:")
    }


def contact_region(numbers: Mapping[str, phonenumbers.PhoneNumber]) -> str:
    """Return the region of the first (the main) contact's number (``contact_numbers``): the
    one a number written without its country code is read in; "ZZ" (none) if there is none
    or its country code is no region's."""
    first = next(iter(numbers.values()), None)
    return (phonenumbers.region_code_for_number(first) if first is not None else None) or "ZZ"


def manifest_region(manifest: Manifest) -> str:
    """Return the region a number written without its country code is read in: the main
    contact's (``contact_region`` of the manifest's ``contact_numbers``)."""
    return contact_region(contact_numbers(manifest))


def main_phone(manifest: Manifest) -> str | None:
    """Return the name of the main contact's phone fact (the first contact's), if any."""
    return next(iter(contact_numbers(manifest)), None)


def helpline_number(manifest: Manifest) -> phonenumbers.PhoneNumber:
    """Return the main contact's number the manifest records."""
    return next(iter(contact_numbers(manifest).values()))


def _digits(text: ArtifactText, manifest: Manifest) -> Callable[[str], str]:
    """Return how a passage reads with its numbers as digits (``scan.as_digits``), each
    distinct passage read once for both the valid numbers and the broken ones."""
    read = _scanned(manifest)
    done: dict[str, str] = {}

    def digits(line: str) -> str:
        if line not in done:
            done[line] = as_digits(read(line), text.spoken, manifest.lang)
        return done[line]

    return digits


def _stray_numbers(text: ArtifactText, manifest: Manifest, digits: Callable[[str], str]
                   ) -> Iterator[Finding]:
    numbers = contact_numbers(manifest)
    if not numbers:
        return
    region = contact_region(numbers)
    shown = [" ".join(manifest.facts[name].printed.split()) for name in numbers]
    whose = (f"the helpline's {shown[0]!r}" if len(shown) == 1
             else "any contact's (" + ", ".join(repr(s) for s in shown) + ")")
    for passage, founds in _per_text(text, lambda line: valid_numbers(digits(line), region)):
        for found in founds:
            if (found.number not in numbers.values()
                    and not _contact_then_more(found.raw_string, numbers, region)):
                # A narration's number, said digit by digit or written as printed, is read
                # with its spaces gone: it is quoted in its national format, as printed.
                number = (phonenumbers.format_number(
                    found.number, phonenumbers.PhoneNumberFormat.NATIONAL) if text.spoken
                    else found.raw_string)
                yield error(
                    text.path,
                    passage.place,
                    f"phone number {number!r} is not {whose}",
                    "fact-phone",
                )


def _contact_then_more(raw: str, numbers: Mapping[str, phonenumbers.PhoneNumber],
                       region: str) -> bool:
    """Say whether a found number's first whole groups are a contact's, the rest digits
    after it: "0800 1111 24 hours a day" is Childline's 0800 1111 and the hours, though
    "0800 1111 24" is a valid number too."""
    groups = re.findall(r"\d+", raw)
    plus = "+" if raw.lstrip("(").startswith("+") else ""
    for count in range(1, len(groups)):
        with contextlib.suppress(phonenumbers.NumberParseException):
            if phonenumbers.parse(plus + " ".join(groups[:count]), region) in numbers.values():
                return True
    return False


def _broken_numbers(text: ArtifactText, manifest: Manifest, digits: Callable[[str], str]
                    ) -> Iterator[Finding]:
    """Yield each run in the text that looks like a phone number but is not a valid one."""
    numbers = contact_numbers(manifest)
    if not numbers:
        return
    region = contact_region(numbers)
    for passage, founds in _per_text(text, lambda line: invalid_numbers(digits(line), region)):
        for found in founds:
            yield error(text.path, passage.place,
                        f"{found.raw_string!r} looks like a phone number but is not a valid "
                        f"one for {region}: check its digits", "fact-phone")


def _stray_emails(text: ArtifactText, manifest: Manifest) -> Iterator[Finding]:
    known = {e.printed.lower() for n, e in manifest.facts.items() if n.endswith(".email")}
    read = _scanned(manifest)
    for passage, addresses in _per_text(text, lambda line: emails(read(line))):
        for address in addresses:
            if address not in known:
                yield error(text.path, passage.place,
                            f"email address {address!r} is not a contact's", "fact-email")


def _stray_dates(text: ArtifactText, manifest: Manifest) -> Iterator[Finding]:
    allowed = {
        dt.date.fromisoformat(manifest.review[k]) for k in ("last_reviewed", "next_review_due")
    }
    dated = [n for n, e in manifest.facts.items() if n.startswith("dates.") and e.value]
    allowed |= {dt.date.fromisoformat(manifest.facts[n].value or "") for n in dated}
    shown = ", ".join(_form(manifest, n, False) for n in (*REVIEW_FACTS, *dated))
    read = _scanned(manifest)
    for passage, found in _per_text(text, lambda line: dates(read(line), manifest.lang)):
        for raw, day in found:
            if day not in allowed:
                yield error(
                    text.path,
                    passage.place,
                    f"date {raw!r} is not one of the review dates ({shown})"
                    if not dated else f"date {raw!r} is not one of the leaflet's dates ({shown})",
                    "fact-date",
                )


def _stray_hours(text: ArtifactText, manifest: Manifest) -> Iterator[Finding]:
    """Yield each range of times in the text that is none of the contacts' hours.

    The contacts' own ranges are read from their hours as the manifest records them, printed
    and said, with the same scan, so they are found in the same words.
    """
    hours = [entry for name, entry in manifest.facts.items() if name.endswith(".hours")]
    allowed = {(opens, closes) for entry in hours for form in (entry.printed, entry.spoken)
               for _raw, opens, closes in time_ranges(form, manifest.lang)}
    shown = ", ".join(repr(entry.printed) for entry in hours) or "none"
    read = _scanned(manifest)
    for passage, found in _per_text(text, lambda line: time_ranges(read(line), manifest.lang)):
        for raw, opens, closes in found:
            if (opens, closes) not in allowed:
                yield error(text.path, passage.place,
                            f"opening hours {raw!r} are not a contact's (contacts' hours: "
                            f"{shown})", "fact-hours")


def _stray_single_times(text: ArtifactText, manifest: Manifest) -> Iterator[Finding]:
    """Yield a warning for each single opening or closing time ("call before 5pm") that is
    none of the contacts' opening or closing times, unless the source was warned of it at
    build time (the manifest keeps that warning): one typed into a file after it was built."""
    hours = [entry for name, entry in manifest.facts.items() if name.endswith(".hours")]
    times = {time for entry in hours for form in (entry.printed, entry.spoken)
             for _raw, *both in time_ranges(form, manifest.lang) for time in both}
    if not times:
        return
    times |= {"00:00"} if "24:00" in times else set()
    warned = "\n".join(manifest.warnings)
    shown = ", ".join(repr(entry.printed) for entry in hours)
    read = _scanned(manifest)
    for passage, found in _per_text(text, lambda line: single_times(read(line), manifest.lang)):
        for raw, time in found:
            if time not in times and f"time {raw!r} typed in the text" not in warned:
                yield warning(text.path, passage.place,
                              f"time {raw!r} is none of the contacts' opening or closing times "
                              f"(contacts' hours: {shown}): if it speaks of a contact's hours, "
                              "it is likely out of date", "fact-hours")
