"""``typed.scan_block``: the one scan of a block of text for typed facts, used by the body
(``markdown.Context.end_block``), the front matter (``loader._scan_words``) and the YAML's
notes (``notescan.scan``), each wording what it finds in its own way."""

from __future__ import annotations

from pathlib import Path

from lmets_docs.errors import Problem
from lmets_docs.source.typed import Facts, scan_block

PATH = Path("leaflet.yaml")
FACTS = Facts("GB", "en-GB", {"+442079460000": "contacts.helpline.phone"}, {},
              hours={("09:00", "17:00"): "contacts.helpline.hours"})
BLOCK = [("Call ", 3), ("0800 500 3000 or ", 4), ("020 7946 0000 ", 5), ("before 6pm.", 6)]
STALE = ("phone number '0800 500 3000' typed in the text belongs to no contact: add it under "
         "facts: contacts: in leaflet.yaml and write {{ contacts.<id>.phone }}")
OWN = ("phone number '020 7946 0000' typed in the text: it is a contact's number, written here "
       "as {{ contacts.helpline.phone }}")
TIME = ("time '6pm' typed in the text is none of the contacts' opening or closing times (09:00, "
        "17:00): if it speaks of a contact's hours, they have likely changed since it was "
        "written; write {{ contacts.<id>.hours }} instead")


def test_the_body_says_each_finding_as_it_is_at_its_own_line() -> None:
    assert scan_block(PATH, BLOCK, [], FACTS) == (
        [Problem(PATH, 4, STALE), Problem(PATH, 5, OWN)], [f"leaflet.yaml:6: {TIME}"])


def test_other_words_say_each_finding_in_their_own_words() -> None:
    def say(message: str) -> str:
        return f"note: {message.replace('the text', 'the note')}"

    assert scan_block(PATH, BLOCK, [], FACTS, say) == (
        [Problem(PATH, 4, say(STALE)), Problem(PATH, 5, say(OWN))],
        [f"leaflet.yaml:6: {say(TIME)}"])


def test_an_empty_block_finds_nothing() -> None:
    assert scan_block(PATH, [], [], FACTS) == ([], [])
