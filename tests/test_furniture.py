"""The leaflet's furniture, worded once (``lmets_docs.furniture``): its lines, as the model's
inlines, printed and said. The formats' read-back of it is in ``test_contacts_build.py``."""

from __future__ import annotations

import dataclasses
import datetime as dt

from lmets_docs import furniture
from lmets_docs.i18n import messages
from lmets_docs.model import FactRef, Leaflet, Strong, Text
from lmets_docs.source import load_leaflet
from lmets_docs.text import formatter
from tests.conftest import DATA


def clinic() -> Leaflet:
    """Return the clinic leaflet (three contacts: a note, an email, a web address)."""
    return load_leaflet(DATA / "clinic-contacts", "en-GB")


def test_a_contact_is_its_name_in_bold_then_each_fact_it_has() -> None:
    leaflet = clinic()
    triage, _advice, ward = furniture.contacts(messages("en-GB"), formatter(leaflet))
    assert [line.kind for line in triage] == ["name", "phone", "hours", "note"]
    assert [line.kind for line in ward] == ["name", "phone", "hours", "email", "web"]
    assert ward[0].inlines == (Strong((FactRef("contacts.ward.name"),)),)
    assert ward[1] == furniture.Line("phone", "Call {phone}",
                                     (Text("Call "), FactRef("contacts.ward.phone")))
    assert [furniture.printed(line, formatter(leaflet)) for line in ward[3:]] == [
        "Email: ward7@example.org", "Web: www.example.org/ward-7"]


def test_the_review_dates_and_the_notice_are_facts_in_fixed_words() -> None:
    leaflet, _ = clinic(), messages("en-GB")
    facts = formatter(leaflet)
    assert [furniture.printed(line, facts) for line in furniture.review_dates(_)] == [
        "Last reviewed: 1 June 2025", "Next review due: 1 June 2028"]
    assert furniture.overdue_notice(_, leaflet, dt.date(2028, 6, 1)) is None
    notice = furniture.overdue_notice(_, leaflet, dt.date(2028, 6, 2))
    assert notice is not None
    assert furniture.printed(notice, facts) == (
        "This information is out of date: its review was due on 1 June 2028.")
    assert furniture.spoken(notice, facts) == (
        "This information is out of date: its review was due on 1st June 2028.")


def test_the_footer_line_has_what_the_main_contact_has() -> None:
    leaflet, _ = clinic(), messages("en-GB")
    facts = formatter(leaflet)
    assert furniture.printed(furniture.helpline(_, facts), facts) == (
        "Helpline: 0808 157 0192, 24 hours a day, 7 days a week")
    contacts = dict(leaflet.facts.contacts)
    triage = contacts["triage"]
    for dropped, expected in (("hours", "Helpline: 0808 157 0192"),
                              ("phone", "Chemotherapy triage line")):
        triage = triage.model_copy(update={dropped: None})
        contacts["triage"] = triage
        changed = dataclasses.replace(leaflet, facts=leaflet.facts.model_copy(
            update={"contacts": contacts}))
        line = furniture.helpline(_, formatter(changed))
        assert furniture.printed(line, formatter(changed)) == expected


def test_the_narration_says_a_contact_in_sentences_without_doubled_stops() -> None:
    leaflet = clinic()
    lines = furniture.said_contact(messages("en-GB"), leaflet, "triage")
    said = [furniture.spoken(line, formatter(leaflet)) for line in lines]
    assert said[0].startswith("Chemotherapy triage line: to talk to someone, call 0 8 0 8")
    # The note ends in its own full stop; "Lines are open …." never gets a second one.
    assert said[-1] == "For urgent advice during chemotherapy."
    assert not any(".." in text for text in said)
