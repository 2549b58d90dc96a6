"""Validate a leaflet's language-independent data (``leaflet.yaml``) with pydantic.

pydantic gives typed values and error locations (``facts.helpline.phone``) that the loader
maps back to YAML line numbers, so every problem reads ``file:line: message``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from typing import Annotated

import phonenumbers
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from lmets_docs.hours import WEEKDAYS, Hours, Localized

__all__ = ["WEEKDAYS", "Hours"]
REVIEW_YEARS = 3
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _slug(value: str) -> str:
    if not _ID.match(value):
        raise ValueError("must be lower-case letters, digits and single hyphens, e.g. 'my-leaflet'")
    return value


def _http_url(value: str) -> str:
    if not value.startswith(("https://", "http://")):
        raise ValueError("must be a web address starting with https://")
    return value


Slug = Annotated[str, AfterValidator(_slug)]
Url = Annotated[str, AfterValidator(_http_url)]
NonEmpty = Annotated[str, Field(min_length=1)]


class Strict(BaseModel):
    """Base for source models: unknown keys are errors, values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Publisher(Strict):
    """Who publishes the leaflet: a name in every language (one text, or one per language,
    as a contact's name is given) and its web address."""

    name: NonEmpty | Annotated[dict[str, NonEmpty], Field(min_length=1)]
    url: Url | None = None


def _email(value: str) -> str:
    # Imported here: most leaflets give no email, and email_validator's import compiles its
    # patterns (20 ms, in every build's serial start and in an early writer process).
    from email_validator import EmailNotValidError, validate_email  # noqa: PLC0415

    try:
        return str(validate_email(value, check_deliverability=False).normalized)
    except EmailNotValidError as exc:
        raise ValueError(f"{value!r} is not an email address ({exc})") from exc


Email = Annotated[str, AfterValidator(_email)]
def _contact_id(value: str) -> str:
    if not re.fullmatch(r"[a-z][a-z0-9_]*", value):
        raise ValueError(
            f"{value!r} cannot name a contact or a date: use lower-case letters, digits and _ "
            "(it is written in the text as {{ contacts.<name>.phone }})")
    return value


ContactId = Annotated[str, AfterValidator(_contact_id)]
"""A contact's name in placeholders: ``{{ contacts.ward_7.phone }}``."""


EXTENSION_HINT = ("an extension is written once, after the number, in digits: "
                  "'0161 496 0123 ext. 48215'")
MAX_EXTENSION = 8
"""The most digits an extension may have: what a caller keys after the switchboard answers
(phonenumbers takes up to 20, and a longer run is a second number typed in)."""
NO_SWITCHBOARD = {
    phonenumbers.PhoneNumberType.MOBILE: "a mobile",
    phonenumbers.PhoneNumberType.PAGER: "a pager",
    phonenumbers.PhoneNumberType.VOICEMAIL: "a voicemail",
}
"""Kinds of number with no switchboard to put an extension through."""


def _no_controls(phone: str) -> None:
    """Refuse an invisible format character (a bidi control, a zero-width space) in a number."""
    for char in phone:
        if unicodedata.category(char) == "Cf":
            name = unicodedata.name(char, "a format character")
            raise ValueError(f"{phone!r} holds an invisible character, U+{ord(char):04X} {name}: "
                             "type the number again without it")


def _valid_extension(phone: str, number: phonenumbers.PhoneNumber) -> None:
    """Refuse an extension too long to be one, or on a number that cannot take one."""
    extension = number.extension or ""
    if len(extension) > MAX_EXTENSION:
        raise ValueError(f"{phone!r}: the extension {extension} has {len(extension)} digits; "
                         f"an extension has 1 to {MAX_EXTENSION}")
    kind = NO_SWITCHBOARD.get(phonenumbers.number_type(number))
    if kind is not None:
        raise ValueError(f"{phone!r} is {kind} number, which has no switchboard: "
                         "an extension belongs to a switchboard's number")


class Contact(Strict):
    """A way to reach someone: a phone number (checked with phonenumbers), email, web, hours.

    A switchboard's extension is written in the phone string, as phonenumbers reads it
    ("0161 496 0123 ext. 48215", "x48215", ", extension 48215"): one value, as on a letter.
    """

    name: Localized
    region: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] = "GB"
    phone: NonEmpty | None = None
    email: Email | None = None
    web: Url | None = None
    hours: Hours | None = None
    note: Localized | None = None

    @field_validator("phone")
    @classmethod
    def _valid_number(cls, phone: str, info: ValidationInfo) -> str:
        region = info.data.get("region", "GB")
        _no_controls(phone)
        try:
            number = phonenumbers.parse(phone, region)
        except phonenumbers.NumberParseException as exc:
            raise ValueError(f"{phone!r} is not a phone number ({exc}); {EXTENSION_HINT}"
                             ) from exc
        if not phonenumbers.is_valid_number(number):
            hint = f" ({EXTENSION_HINT})" if number.extension else ""
            raise ValueError(f"{phone!r} is not a valid number in region {region}{hint}")
        if number.extension:
            _valid_extension(phone, number)
        return phone

    @model_validator(mode="after")
    def _reachable(self) -> Contact:
        if not (self.phone or self.email or self.web):
            raise ValueError("a contact needs a phone number, an email or a web address")
        if self.hours and not self.phone:
            raise ValueError("hours belong to a phone line: this contact has no phone")
        return self


Helpline = Contact
"""The name the code used before leaflets had several contacts."""


class Forum(Strict):
    name: NonEmpty
    url: Url


def _iso_date(value: object) -> object:
    """Accept ``YYYY-MM-DD`` only, and explain an impossible date in a clinic's words."""
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        raise ValueError(f"{value!r} is not a date written as YYYY-MM-DD, e.g. 2025-03-01")
    year, month, day = (int(part) for part in value.strip().split("-"))
    if not 1 <= month <= 12:
        raise ValueError(f"{value} is not a real date: there is no month {month} (01 to 12)")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        name = calendar.month_name[month]
        raise ValueError(f"{value} is not a real date: {name} {year} has {last} days")
    return dt.date(year, month, day)


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]


class Review(Strict):
    """The review dates; the policy (due after, and within three years) is checked here."""

    last_reviewed: IsoDate
    next_review_due: IsoDate

    @field_validator("last_reviewed")
    @classmethod
    def _not_future(cls, value: dt.date) -> dt.date:
        if value > dt.date.today():
            raise ValueError(
                f"{value} is in the future: last_reviewed is the day the information was "
                "last reviewed, so it cannot be later than today"
            )
        return value

    @model_validator(mode="after")
    def _policy(self) -> Review:
        if self.next_review_due <= self.last_reviewed:
            raise ValueError(
                f"next_review_due ({self.next_review_due}) must be after "
                f"last_reviewed ({self.last_reviewed})"
            )
        if self.next_review_due > latest_review_due(self.last_reviewed):
            raise ValueError(
                f"next_review_due ({self.next_review_due}) is more than {REVIEW_YEARS} years "
                f"after last_reviewed ({self.last_reviewed})"
            )
        return self


def latest_review_due(last_reviewed: dt.date) -> dt.date:
    """Return the latest allowed next review date: three years on (28 Feb for 29 Feb)."""
    year = last_reviewed.year + REVIEW_YEARS
    try:
        return last_reviewed.replace(year=year)
    except ValueError:
        return last_reviewed.replace(year=year, day=28)


class Facts(Strict):
    """The facts of a leaflet: its contacts (the first is the main one), review and dates."""

    contacts: dict[ContactId, Contact] = Field(min_length=1)
    review: Review
    forum: Forum | None = None
    dates: dict[ContactId, IsoDate] = Field(default_factory=dict)

    @property
    def main_contact(self) -> str:
        """Return the id of the main contact: the first listed (footer, title page first)."""
        return next(iter(self.contacts))


class Reference(Strict):
    title: NonEmpty
    authors: NonEmpty
    source: NonEmpty
    url: Url | None = None


class Image(Strict):
    """An image: ``file`` is optional; a figure without one is printed as its description."""

    file: str | None = None


class LeafletData(Strict):
    """Everything about a leaflet that is the same in every language."""

    id: Slug
    publisher: Publisher
    facts: Facts
    references: tuple[Reference, ...] = ()
    pronunciation: dict[str, dict[str, NonEmpty]] = Field(default_factory=dict)
    images: dict[Slug, Image] = Field(default_factory=dict)


class AcceptedNumbers(Strict):
    """A difference in numbers between a translated unit and its source, accepted on purpose.

    It holds only while the source unit's text is the one fingerprinted (``source_unit``) and
    the difference is exactly the one written (``missing`` from the translation, ``added``
    to it, as values in ASCII digits): ``source.samenumbers``.
    """

    source_unit: NonEmpty
    missing: list[NonEmpty] = Field(default_factory=list)
    added: list[NonEmpty] = Field(default_factory=list)
    reason: str | None = None


class FrontMatter(Strict):
    """The front matter of a language file."""

    title: NonEmpty
    lang: NonEmpty
    references_note: str | None = None
    glossary: dict[NonEmpty, NonEmpty] = Field(default_factory=dict)
    """Glossary definitions in this language: ``{term as written in the text: definition}``."""
    translated_from: str | None = None
    source_hash: str | None = None
    source_units: dict[str, str] | None = None
    """Unit id → fingerprint of the source text each unit was translated from (import)."""
    numbers_accepted: dict[NonEmpty, AcceptedNumbers] = Field(default_factory=dict)
    """Unit id → a difference in numbers from its source that a person accepted."""
