"""Validate a leaflet's language-independent data (``leaflet.yaml``) with pydantic.

pydantic gives typed values and error locations (``facts.helpline.phone``) that the loader
maps back to YAML line numbers, so every problem reads ``file:line: message``.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

import phonenumbers
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
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
    name: NonEmpty
    url: Url | None = None


class OpeningHours(Strict):
    """Opening hours as data: first and last weekday, opening and closing time."""

    days: tuple[Weekday, Weekday]
    opens: dt.time
    closes: dt.time

    @model_validator(mode="after")
    def _order(self) -> OpeningHours:
        if self.closes <= self.opens:
            raise ValueError(
                f"closes ({self.closes:%H:%M}) must be after opens ({self.opens:%H:%M})"
            )
        return self


class Helpline(Strict):
    """The helpline: its number is validated with phonenumbers for its region."""

    name: NonEmpty
    region: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] = "GB"
    phone: NonEmpty
    hours: OpeningHours

    @field_validator("phone")
    @classmethod
    def _valid_number(cls, phone: str, info: ValidationInfo) -> str:
        region = info.data.get("region", "GB")
        try:
            number = phonenumbers.parse(phone, region)
        except phonenumbers.NumberParseException as exc:
            raise ValueError(f"{phone!r} is not a phone number ({exc})") from exc
        if not phonenumbers.is_valid_number(number):
            raise ValueError(f"{phone!r} is not a valid number in region {region}")
        return phone


class Forum(Strict):
    name: NonEmpty
    url: Url


class Review(Strict):
    """The review dates; the policy (due after, and within three years) is checked here."""

    last_reviewed: dt.date
    next_review_due: dt.date

    @field_validator("last_reviewed", "next_review_due", mode="before")
    @classmethod
    def _iso_only(cls, value: object) -> object:
        if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise ValueError(f"{value!r} is not a date written as YYYY-MM-DD")
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
    helpline: Helpline
    review: Review
    forum: Forum | None = None


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
