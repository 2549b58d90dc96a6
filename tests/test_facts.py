"""Every fact form (printed, link, spoken) per locale, and the review policy."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from lmets_docs.facts import (
    FactFormatter,
    date_printed,
    date_spoken,
    hours_printed,
    hours_spoken,
    is_toll_free,
    phone_link,
    phone_printed,
    phone_spoken,
)
from lmets_docs.model import Leaflet
from lmets_docs.review import ReviewState, review_status
from lmets_docs.schema import Contact, Hours, Review, latest_review_due


def hours(*rows: tuple[str, str, str], **extra: object) -> Hours:
    """Return hours from (days, opens, closes) rows."""
    return Hours.model_validate(
        {"open": [{"days": d, "opens": o, "closes": c} for d, o, c in rows], **extra})


HOURS = hours(("mon-fri", "09:00", "17:00"))
FREEPHONE = Contact(name="Nurses", phone="0808 800 4040", region="GB", hours=HOURS)
LONDON = Contact(name="Line", phone="+44 20 7946 0000", region="GB", hours=HOURS)


def test_phone_forms() -> None:
    assert phone_printed(FREEPHONE, "en-GB") == "0808 800 4040"
    assert phone_link(FREEPHONE) == "tel:+448088004040"
    assert phone_spoken(FREEPHONE, "en-GB") == "0 8 0 8, 8 0 0, 4 0 4 0"
    assert phone_printed(LONDON, "en-GB") == "020 7946 0000"
    assert phone_spoken(LONDON, "en-GB") == "0 2 0, 7 9 4 6, 0 0 0 0"


def test_freephone_only_when_toll_free() -> None:
    assert is_toll_free(FREEPHONE)
    assert not is_toll_free(LONDON)


def test_other_region_number() -> None:
    irish = Contact(name="Line", phone="1800 200 700", region="IE", hours=HOURS)
    assert phone_link(irish) == "tel:+3531800200700"
    assert is_toll_free(irish)


@pytest.mark.parametrize(
    ("lang", "printed", "spoken"),
    [
        ("en-GB", "22 November 2019", "22nd November 2019"),
        ("cy", "22 Tachwedd 2019", "22 Tachwedd 2019"),
        ("pl", "22 listopada 2019", "22 listopada 2019"),
    ],
)
def test_date_forms(lang: str, printed: str, spoken: str) -> None:
    day = dt.date(2019, 11, 22)
    assert date_printed(day, lang) == printed
    assert date_spoken(day, lang) == spoken


@pytest.mark.parametrize(
    ("day", "spoken"),
    [
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (11, "11th"),
        (12, "12th"),
        (13, "13th"),
        (21, "21st"),
        (23, "23rd"),
    ],
)
def test_english_ordinals(day: int, spoken: str) -> None:
    assert date_spoken(dt.date(2020, 3, day), "en-GB").startswith(f"{spoken} March")


def test_hours_forms() -> None:
    assert hours_printed(HOURS, "en-GB") == "9 am to 5 pm, Monday to Friday"
    assert hours_spoken(HOURS, "en-GB") == "9 a.m. to 5 p.m., Monday to Friday"
    half = hours(("sat", "10:30", "16:00"))
    assert hours_printed(half, "en-GB") == "10:30 am to 4 pm, Saturday"


def test_hours_in_a_24_hour_language() -> None:
    text = hours_printed(HOURS, "pl")
    assert text.startswith("09:00\u201317:00") and "poniedziałek" in text


def test_formatter_has_every_fact(seed_leaflet: Leaflet) -> None:
    facts = FactFormatter(seed_leaflet.facts, seed_leaflet.publisher, "en-GB")
    assert facts.printed("contacts.helpline.phone") == "0808 800 4040"
    assert facts["helpline.phone"].link == "tel:+448088004040"  # the main contact's alias
    assert facts.printed("review.last_reviewed") == "22 November 2019"
    assert facts.printed("review.next_review_due") == "22 November 2022"
    assert facts.printed("forum.name") == "Cancer Chat"
    assert facts.printed("publisher.name") == "Cancer Research UK"


def test_review_policy() -> None:
    with pytest.raises(ValidationError, match="must be after"):
        Review(last_reviewed=dt.date(2020, 1, 1), next_review_due=dt.date(2020, 1, 1))
    with pytest.raises(ValidationError, match="more than 3 years"):
        Review(last_reviewed=dt.date(2020, 1, 1), next_review_due=dt.date(2023, 1, 2))
    Review(last_reviewed=dt.date(2020, 1, 1), next_review_due=dt.date(2023, 1, 1))
    assert latest_review_due(dt.date(2020, 2, 29)) == dt.date(2023, 2, 28)


def test_review_status() -> None:
    review = Review(last_reviewed=dt.date(2019, 11, 22), next_review_due=dt.date(2022, 11, 22))
    assert review_status(review, dt.date(2026, 11, 23)).state is ReviewState.OVERDUE
    assert review_status(review, dt.date(2022, 11, 23)).days_left == -1
    assert review_status(review, dt.date(2022, 10, 1)).state is ReviewState.DUE_SOON
    assert review_status(review, dt.date(2022, 11, 22)).state is ReviewState.DUE_SOON
    assert review_status(review, dt.date(2021, 1, 1)).state is ReviewState.CURRENT


def test_seed_is_overdue_today(seed_leaflet: Leaflet) -> None:
    assert review_status(seed_leaflet.facts.review, dt.date.today()).overdue
