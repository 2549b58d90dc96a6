"""Prove an artifact says the manifest's facts: the helpline, its hours and the review dates.

Phone numbers are found with phonenumbers' own matcher, so a number typed in any layout is
caught; dates are found by the language's month names (from babel) and compared as dates.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import phonenumbers
from babel.dates import get_month_names

from lmets_docs.check.findings import Finding, error
from lmets_docs.check.text import ArtifactText, Passage
from lmets_docs.i18n import babel_locale
from lmets_docs.manifest import Manifest

REVIEW_FACTS = ("review.last_reviewed", "review.next_review_due")
EXPECTED = ("helpline.phone", "helpline.hours", *REVIEW_FACTS)
_DIGIT_RUN = re.compile(r"\d(?: \d)+")
_GROUP_COMMA = re.compile(r"(?<=\d), (?=\d)")


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
        for found in _numbers(passage, region, text.spoken):
            if found.number != helpline:
                yield error(
                    text.path,
                    passage.place,
                    f"phone number {found.raw_string!r} is not the helpline's {printed!r}",
                    "fact-phone",
                )


def _numbers(passage: Passage, region: str, spoken: bool) -> list[phonenumbers.PhoneNumberMatch]:
    body = passage.text
    if spoken:  # "0 8 0 8, 8 0 0, 4 0 4 0" → "0808 800 4040"
        body = _DIGIT_RUN.sub(lambda m: m.group(0).replace(" ", ""), body)
        body = _GROUP_COMMA.sub(" ", body)
    return list(phonenumbers.PhoneNumberMatcher(body, region, leniency=phonenumbers.Leniency.VALID))


def date_pattern(lang: str) -> re.Pattern[str]:
    """Return a pattern for "22 November 2019" and "22nd November 2019" in the language."""
    locale = babel_locale(lang)
    names = set(get_month_names("wide", locale=locale).values())
    names |= set(get_month_names("wide", context="stand-alone", locale=locale).values())
    alternatives = "|".join(sorted((re.escape(n) for n in names), key=len, reverse=True))
    return re.compile(
        rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\.? ({alternatives}),? (\d{{4}})\b", re.IGNORECASE
    )


def _month_number(lang: str, name: str) -> int:
    locale = babel_locale(lang)
    for context in ("format", "stand-alone"):
        for number, month in get_month_names("wide", context=context, locale=locale).items():
            if month.lower() == name.lower():
                return int(number)
    raise ValueError(name)


_NUMERIC_DATE = re.compile(r"\b(\d{1,4})([/.-])(\d{1,2})\2(\d{2,4})\b")


def _numeric_dates(text: str, lang: str) -> Iterator[tuple[str, dt.date | None]]:
    """Yield numeric dates (22/11/2022, 2022-11-22) read in the language's field order."""
    pattern = babel_locale(lang).date_formats["short"].pattern
    order = sorted("dMy", key=pattern.find)
    for match in _NUMERIC_DATE.finditer(text):
        first, _sep, second, third = match.groups()
        fields = dict(zip(order, (first, second, third), strict=True))
        if len(first) == 4:  # ISO 8601 whatever the locale
            fields = {"y": first, "M": second, "d": third}
        year = int(fields["y"]) + (2000 if len(fields["y"]) == 2 else 0)
        try:
            yield match.group(0), dt.date(year, int(fields["M"]), int(fields["d"]))
        except ValueError:
            yield match.group(0), None


def _stray_dates(text: ArtifactText, manifest: Manifest) -> Iterator[Finding]:
    allowed = {
        dt.date.fromisoformat(manifest.review[k]) for k in ("last_reviewed", "next_review_due")
    }
    pattern = date_pattern(manifest.lang)
    shown = ", ".join(_form(manifest, n, False) for n in REVIEW_FACTS)
    for passage in text.passages:
        for raw, day in _numeric_dates(passage.text, manifest.lang):
            if day not in allowed:
                yield error(
                    text.path,
                    passage.place,
                    f"date {raw!r} is not one of the review dates ({shown})",
                    "fact-date",
                )
        for match in pattern.finditer(passage.text):
            try:
                found = dt.date(
                    int(match.group(3)),
                    _month_number(manifest.lang, match.group(2)),
                    int(match.group(1)),
                )
            except ValueError:
                found = None
            if found not in allowed:
                yield error(
                    text.path,
                    passage.place,
                    f"date {match.group(0)!r} is not one of the review dates ({shown})",
                    "fact-date",
                )
