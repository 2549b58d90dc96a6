"""What the narration says for a link (the user test's M4): "Read more on the NHS website."
alone lost the address for a listener. The print now writes it after the link's words; the
narration says, after the sentence, that the web address is in the printed leaflet, in the
leaflet's language, rather than spelling a long address ("w w w dot n h s dot u k slash
conditions slash …"), as it already points to the leaflet's sources. A link whose words are
its address (or a contact's address) needs no such sentence.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from lmets_docs.build import build
from lmets_docs.options import BuildOptions
from lmets_docs.source import load_leaflet
from lmets_docs.writers.audio.script import build_script
from tests.writers.pdf.test_pdf_address_words import usertest

TODAY = dt.date(2026, 1, 1)
POINTER = "The web address is written in the printed leaflet."


def _said(folder: Path, lang: str = "en-GB") -> list[str]:
    script = build_script(load_leaflet(folder, lang), TODAY, None)
    return [segment.text for segment in script.segments()]


def test_the_transcript_points_to_the_printed_address_after_the_links_sentence(
        tmp_path: Path) -> None:
    source = usertest(tmp_path)
    build([source], BuildOptions(out=tmp_path / "out", formats=("audio",), jobs=1, today=TODAY,
                                 templates=None, tts="espeak", check=False))
    lines = next((tmp_path / "out").rglob("transcript.txt")).read_text(encoding="utf-8")
    lines_list = lines.splitlines()
    at = lines_list.index("Read more on the NHS website.")
    assert lines_list[at + 1] == POINTER, lines_list[at - 1:at + 3]
    assert lines.count(POINTER) == 1


def test_a_link_whose_words_are_its_address_gets_no_pointer(tmp_path: Path) -> None:
    source = usertest(tmp_path)
    text = (source / "en-GB.md").read_text(encoding="utf-8")
    (source / "en-GB.md").write_text(text.replace(
        "[NHS website](https://www.nhs.uk/conditions/chemotherapy/side-effects/)",
        "[www.nhs.uk/conditions/chemotherapy/side-effects]"
        "(https://www.nhs.uk/conditions/chemotherapy/side-effects/)"), encoding="utf-8")
    said = _said(source)
    assert POINTER not in said
    assert any("www.nhs.uk/conditions/chemotherapy/side-effects" in s for s in said)


def test_welsh_says_it_with_the_catalogues_words(tmp_path: Path) -> None:
    source = usertest(tmp_path)
    text = (source / "en-GB.md").read_text(encoding="utf-8")
    welsh = text.replace("lang: en-GB", "lang: cy")
    assert welsh != text
    (source / "en-GB.md").rename(source / "cy.md")
    (source / "cy.md").write_text(welsh, encoding="utf-8")
    said = _said(source, "cy")
    assert "Mae'r cyfeiriad gwe wedi'i ysgrifennu yn y daflen brintiedig." in said
    assert POINTER not in said
