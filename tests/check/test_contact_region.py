"""``check.facts.contact_region``: the region the fact checks (``fact-phone`` in every format,
the braille's numbers) read a number written without its country code in; ``manifest_region``
gives it from a manifest, for the link targets and the DOCX's and pictures' numbers."""

from __future__ import annotations

import phonenumbers
import pytest

from lmets_docs.check.facts import contact_region, manifest_region
from lmets_docs.manifest import FactEntry, Manifest


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


def manifest(*links: tuple[str, str | None]) -> Manifest:
    """Return a manifest holding these facts (name, link), printed as their names."""
    return Manifest(leaflet="l", lang="en-GB", title="t", publisher="p", source_hash="h",
                    built="b", review={},
                    facts={name: FactEntry(printed=name, spoken=name, link=link)
                           for name, link in links})


@pytest.mark.parametrize(("facts", "region"), [
    ((("contacts.unit.name", None), ("contacts.unit.phone", "tel:+33142685300"),
      ("contacts.ward.phone", "tel:+442079460000")), "FR"),
    ((("contacts.unit.web", "https://example.org"),
      ("contacts.ward.phone", "tel:+442920000000")), "GB"),
    ((("contacts.unit.email", "mailto:unit@example.org"),), "ZZ"),
])
def test_the_manifests_region_is_its_main_contacts(
        facts: tuple[tuple[str, str | None], ...], region: str) -> None:
    """``manifest_region``, the one region every check reads a number in (the link targets,
    the DOCX's text, the pictures' words too): the first contact number's, from its link."""
    assert manifest_region(manifest(*facts)) == region
