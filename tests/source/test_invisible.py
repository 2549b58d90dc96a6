# ruff: noqa: RUF001  (Arabic-script text is what is tested)
"""Invisible characters in a leaflet's source: refused with ``file:line``, but for what
right-to-left writing needs (finding 1 of the hostile-input user test, session 28).

A right-to-left override shows "5550 694 3110" as "0113 496 0555"; a zero-width character
inside a typed number or an email hides it from every scan. Each of the user test's
reproducers is refused by ``validate`` and ``build`` (exit 1, the line named, nothing
written); Urdu text keeps the joiners and marks it needs, built into the DOCX as written.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import unicodedata
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lmets_docs.errors import ContentError
from lmets_docs.invisible import allowed_in, as_read, refused
from lmets_docs.model import Leaflet
from lmets_docs.scan import emails, phone_numbers
from lmets_docs.source import load_folder
from tests.conftest import DATA
from tests.test_cli import run

REPRO = DATA / "hostile"
CLINIC = DATA / "clinic-contacts"
MINIMAL = DATA / "minimal"
RLO, PDF, ZWSP, ZWNJ, ZWJ, LRM, RLM, ALM = ("\u202e", "\u202c", "\u200b", "\u200c", "\u200d",
                                            "\u200e", "\u200f", "\u061c")
CASES = {
    "01-rlo-number-body": r"en-GB\.md:15: this line has an invisible character, U\+202E "
                          r"RIGHT-TO-LEFT OVERRIDE",
    "01b-zwnj-number": r"en-GB\.md:15: this line has an invisible character, U\+200C ZERO "
                       r"WIDTH NON-JOINER.*allowed only in Arabic-script text",
    "01c-zw-email": r"en-GB\.md:15: this line has an invisible character, U\+200B ZERO WIDTH "
                    r"SPACE",
    "01d-rlo-title": r"en-GB\.md:2: this line has an invisible character, U\+202E",
}
"""The user test's reproducers (``tests/data/hostile``) and what their refusal says."""
ALSO = {
    "01b-zwnj-number": r"en-GB\.md:15: phone number '0113 496 0555' typed in the text belongs "
                       r"to no contact",
    "01c-zw-email": r"en-GB\.md:15: email address 'evil@example\.com' typed in the text",
}
"""Found besides, now that the scans read the text as a reader sees it."""


def _refused(folder: Path, tmp_path: Path, *patterns: str) -> None:
    """Assert validate and build refuse the folder with each pattern, writing nothing."""
    out = tmp_path / "out"
    for args in (["validate", str(folder)],
                 ["build", str(folder), "--format", "docx", "--format", "html", "--out",
                  str(out)]):
        result = run(*args)
        assert result.exit_code == 1, result.stderr
        assert "Traceback" not in result.stderr
        for pattern in patterns:
            assert re.search(pattern, result.stderr), (pattern, result.stderr)
    assert not out.exists() or not any(out.rglob("*.docx"))


@pytest.mark.parametrize("case", list(CASES))
def test_each_reproducer_is_refused_with_its_line(case: str, tmp_path: Path) -> None:
    folder = tmp_path / case
    shutil.copytree(REPRO / case, folder)
    _refused(folder, tmp_path, CASES[case], *([ALSO[case]] if case in ALSO else []))


@pytest.mark.parametrize(("where", "text", "said"), [
    ("body", "Call us&#x202E; now.", r"en-GB\.md:22: this line has an invisible character, "
     r"U\+202E"),  # a character reference is decoded by Markdown: read after it
    ("body", "A word jo\u2060ined.", r"en-GB\.md:22: .*U\+2060 WORD JOINER"),
    ("body", f"Byte order mark{chr(0xFEFF)} here.", r"en-GB\.md:22: .*U\+FEFF"),
    ("body", f"Left to right mark{LRM} here.", r"en-GB\.md:22: .*U\+200E"),
    ("body", "Leptomenin\u00adgeal.", r"en-GB\.md:22: this line has a soft hyphen \(U\+00AD\): "
     r"large print never splits a word"),
    ("body", "## A head\u2067ing", r"en-GB\.md:22: .*U\+2067 RIGHT-TO-LEFT ISOLATE"),
    ("body", f"![A pic{RLO}ture](image:diagram)", r"en-GB\.md:22: .*U\+202E"),
    ("body", "[a link](https://example.org/%E2%80%AE)",
     r"en-GB\.md:22: the link's address: an invisible character, U\+202E"),
    ("front", 'references_note: "See \\u200b0113 496 0555"', r"en-GB\.md:4: .*U\+200B"),
    ("yaml", '      note: "Call \\u202e5550 694 3110"', r"leaflet\.yaml:\d+: .*U\+202E"),
    ("yaml", f"      note: Call 0113{ZWNJ} 496 0555", r"leaflet\.yaml:\d+: .*U\+200C"),
])
def test_invisible_characters_are_refused_everywhere_text_is_written(
        where: str, text: str, said: str, tmp_path: Path) -> None:
    folder = tmp_path / "leaflet"
    shutil.copytree(MINIMAL, folder)
    if where == "yaml":
        path = folder / "leaflet.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace(
            "      region: GB\n", f"      region: GB\n{text}\n"), encoding="utf-8")
    elif where == "front":
        path = folder / "en-GB.md"
        path.write_text(path.read_text(encoding="utf-8").replace(
            "lang: en-GB\n", f"lang: en-GB\n{text}\n"), encoding="utf-8")
    else:
        path = folder / "en-GB.md"
        path.write_text(path.read_text(encoding="utf-8") + f"\n{text}\n", encoding="utf-8")
    _refused(folder, tmp_path, said)


def test_a_typed_number_in_the_title_is_found_as_in_the_body(tmp_path: Path) -> None:
    folder = tmp_path / "leaflet"
    shutil.copytree(MINIMAL, folder)
    md = folder / "en-GB.md"
    md.write_text(md.read_text(encoding="utf-8").replace(
        "title: A minimal leaflet", "title: Call 020 7946 0000 now"), encoding="utf-8")
    _refused(folder, tmp_path, r"en-GB\.md:2: title: phone number '020 7946 0000' typed in the "
             r"title: it is a contact's number, written in the body's text as "
             r"\{\{ contacts\.helpline\.phone \}\}")


def _urdu(tmp_path: Path, body: str = "", yaml: tuple[str, str] = ("", "")) -> Path:
    folder = tmp_path / "clinic"
    shutil.copytree(CLINIC, folder)
    ur = folder / "ur.md"
    ur.write_text(ur.read_text(encoding="utf-8") + body, encoding="utf-8")
    data = folder / "leaflet.yaml"
    data.write_text(data.read_text(encoding="utf-8").replace(*yaml), encoding="utf-8")
    return folder


URDU_NEEDS = (f"\nکیمو{ZWNJ}تھراپی سے پہلے NHS{RLM}۔ ٹیلی{ZWJ} فون{ALM}۔\n")
"""A ZWNJ between two letters of a compound, an RLM after a Latin word before the full stop,
a ZWJ after a letter, an ALM: what Urdu text is written with."""


def test_urdu_keeps_the_joiners_and_marks_it_needs_into_the_docx(tmp_path: Path) -> None:
    folder = _urdu(tmp_path, URDU_NEEDS, (
        "ur: کینسر معلوماتی لائن}", f"ur: کینسر{ZWNJ}معلوماتی لائن}}"))
    result = run("build", str(folder), "--lang", "ur", "--format", "docx", "--out",
                 str(tmp_path / "out"))
    assert result.exit_code == 0, result.stderr
    [docx] = (tmp_path / "out").rglob("*.docx")
    with zipfile.ZipFile(docx) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    text = "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))
    assert f"کیمو{ZWNJ}تھراپی" in text and f"NHS{RLM}۔" in text and f"ٹیلی{ZWJ}" in text
    assert ALM in text
    assert f"کینسر{ZWNJ}معلوماتی" in text  # the contact's Urdu name, from leaflet.yaml


@pytest.mark.parametrize(("body", "yaml", "said"), [
    (f"\nنمبر 0113{ZWNJ} 496 0555 ہے۔\n", ("", ""),
     r"ur\.md:\d+: .*U\+200C ZERO WIDTH NON-JOINER.*next to an Arabic-script letter"),
    (f"\nنمبر 0113{RLM} 496 0555 ہے۔\n", ("", ""),
     r"ur\.md:\d+: phone number '0113 496 0555' typed in the text"),
    (f"\nنمبر {RLO}5550 694 3110{PDF} ہے۔\n", ("", ""), r"ur\.md:\d+: .*U\+202E"),
    (f"\nای میل ward7{ZWJ}@example.org\n", ("", ""), r"ur\.md:\d+: .*U\+200D"),
    ("", ("ur: وارڈ 7}", f"ur: وارڈ{LRM} 7}}"), r"leaflet\.yaml:\d+: .*U\+200E"),
    ("", ("name: {en-GB: Ward 7, cy: Ward 7, ur: وارڈ 7}", f"name: وارڈ{ZWNJ}سات"),
     r"leaflet\.yaml:\d+: .*U\+200C.*allowed only in Arabic-script text"),  # one text for all
])
def test_urdu_text_is_refused_what_it_does_not_need(body: str, yaml: tuple[str, str], said: str,
                                                    tmp_path: Path) -> None:
    folder = _urdu(tmp_path, body, yaml)
    result = run("validate", str(folder))
    assert result.exit_code == 1, result.stderr
    assert re.search(said, result.stderr), result.stderr


FORMATS = [chr(code) for code in range(0x110000)
           if unicodedata.category(chr(code)) == "Cf"][:200]
PIECES = st.one_of(st.sampled_from(FORMATS), st.sampled_from(list("0123456789 @.")),
                   st.sampled_from(["0113 496 0555", "help@example.org", "کیمو", "ہ", "NHS"]))


def _texts(leaflet: Leaflet) -> list[str]:
    """Return every text of the leaflet's model: title, headings, words, descriptions."""
    texts = [leaflet.title]
    stack: list[object] = [*leaflet.intro, *leaflet.sections]
    while stack:
        item = stack.pop()
        if isinstance(item, tuple):
            stack += item
        elif dataclasses.is_dataclass(item):
            for part in dataclasses.fields(item):
                value = getattr(item, part.name)
                if isinstance(value, str) and part.name in ("text", "title", "alt"):
                    texts.append(value)
                elif isinstance(value, tuple):
                    stack.append(value)
    return texts


@settings(max_examples=60, derandomize=True, database=None, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lang=st.sampled_from(["en-GB", "ur"]), pieces=st.lists(PIECES, min_size=1, max_size=8))
def test_fuzzed_invisible_characters_never_pass_where_they_are_not_allowed(
        lang: str, pieces: list[str], tmp_path_factory: pytest.TempPathFactory) -> None:
    """Whatever mix of format characters, digits, emails and letters is written into a
    paragraph: either the loader refuses it, or every invisible character left is one the
    language may hold, and the text with them removed shows no typed number or email."""
    folder = tmp_path_factory.mktemp("fuzz") / "clinic"
    shutil.copytree(CLINIC, folder)
    md = folder / f"{lang}.md"
    md.write_text(md.read_text(encoding="utf-8") + "\n" + "".join(pieces) + "\n",
                  encoding="utf-8")
    try:
        [leaflet] = load_folder(folder, [lang])
    except ContentError:
        return
    for text in _texts(leaflet):
        assert refused(text, lang) is None, text
        seen = as_read(text)
        assert seen is not None and not set(text) - set(seen) - allowed_in(lang)
        assert not phone_numbers(seen, "GB", lang=lang) and not emails(seen), seen
