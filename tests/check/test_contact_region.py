"""``check.facts.contact_region``: the region the fact checks (``fact-phone`` in every format,
the braille's numbers) read a number written without its country code in."""

from __future__ import annotations

import phonenumbers
import pytest

from lmets_docs.check.facts import contact_region


def numbers(*e164: str) -> dict[str, phonenumbers.PhoneNumber]:
    """Return contact numbers by fact, in the manifest's order."""
    return {f"contacts.c{i}.phone": phonenumbers.parse(n, None) for i, n in enumerate(e164)}


@pytest.mark.parametrize(("given", "region"), [
    (numbers("+442079460000"), "GB"),
    (numbers("+442920000000", "+33142685300"), "GB"),  # the first (main) contact's, Cardiff
    (numbers("+33142685300", "+442079460000"), "FR"),
    (numbers("+16502530000"), "US"),
    (numbers(), "ZZ"),  # no contact number at all
    ({"contacts.c0.phone": phonenumbers.PhoneNumber(country_code=999, national_number=1234)},
     "ZZ"),  # a country code that is no region's
])
def test_the_region_is_the_main_contacts_or_none(
        given: dict[str, phonenumbers.PhoneNumber], region: str) -> None:
    assert contact_region(given) == region
