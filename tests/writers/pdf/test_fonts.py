"""Fonts per script: the PDF's font stack, the build-time proof that every character has a
glyph, and the DOCX's complex-script font. The non-English text is fixture sentences."""

from __future__ import annotations

import dataclasses
import re
import zipfile
from pathlib import Path

import fontpkg
import pytest
from lxml import etree

from lmets_docs import fontstack
from lmets_docs.errors import BuildError
from lmets_docs.model import Leaflet, Paragraph, Text
from lmets_docs.options import BuildOptions
from lmets_docs.source import load_leaflet
from lmets_docs.writers.docx.styles import complex_script_font
from lmets_docs.writers.pdf import WRITER as PDF
from lmets_docs.writers.pdf import fonts
from lmets_docs.writers.pdf.fonts import choose
from lmets_docs.writers.pdf.template import render_page
from tests import pdfread
from tests.conftest import BEFORE_DUE
from tests.docx_edit import SENTENCES
from tests.importer.test_import_docx import build_docx

NS = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}


def families(lang: str, *texts: str) -> list[str]:
    """Return the families chosen for ``texts`` in ``lang``, in stack order."""
    return list(dict.fromkeys(face.family for face in choose(lang, texts)))


@pytest.mark.parametrize(("lang", "text", "stack"), [
    ("en-GB", "Call 0808 800 4040 \u2013 \u201cfree\u201d \u2022 9 am", ["Atkinson Hyperlegible"]),
    ("cy", SENTENCES["cy"][0], ["Atkinson Hyperlegible", "Noto Sans"]),
    ("ur", SENTENCES["ur"][0], ["Atkinson Hyperlegible", "Noto Naskh Arabic"]),
    ("ar", "مرحبا", ["Atkinson Hyperlegible", "Noto Naskh Arabic"]),
    ("bn", SENTENCES["bn"][0], ["Atkinson Hyperlegible", "Noto Sans Bengali"]),
    ("pa", SENTENCES["pa"][0], ["Atkinson Hyperlegible", "Noto Sans Gurmukhi"]),
])
def test_a_font_joins_the_stack_only_for_characters_it_adds(
    lang: str, text: str, stack: list[str]
) -> None:
    assert families(lang, text) == stack


def with_text(leaflet: Leaflet, lang: str, text: str) -> Leaflet:
    """Return the leaflet in ``lang`` with its first paragraph replaced by ``text``."""
    first = leaflet.intro[0]
    return dataclasses.replace(leaflet, lang=lang, title=text,
                               intro=(Paragraph(first.id, (Text(text),)), *leaflet.intro[1:]))


def test_a_character_no_font_has_stops_the_build(seed_leaflet: Leaflet) -> None:
    leaflet = with_text(seed_leaflet, "en-GB", "An ancient sign: \U00013000 in the text.")
    with pytest.raises(BuildError) as caught:
        render_page(leaflet, BuildOptions(templates=None, today=BEFORE_DUE))
    message = str(caught.value)
    assert "no font has a glyph for '\U00013000' (U+13000 EGYPTIAN HIEROGLYPH A001)" in message
    assert "'An ancient sign: \U00013000 in the text.'" in message
    assert "the PDF's fonts are Atkinson Hyperlegible" in message


@pytest.mark.parametrize("family", sorted(fontstack.FONTPKG_MODULES))
def test_a_pip_installed_family_is_read_from_its_package_as_fontpkg_finds_it(
        family: str, monkeypatch: pytest.MonkeyPatch) -> None:
    fontstack.fontpkg_family.cache_clear()
    found = fontstack.fontpkg_family(family)
    assert found == fontpkg.family(family)
    assert [face.path for face in fontstack.family_faces(family) or ()] == [
        fontpkg.path(family, weight=weight) for weight in fontstack.WEIGHTS]

    def scan(**_: object) -> None:
        raise AssertionError("every distribution's entry points read")

    fontstack.fontpkg_family.cache_clear()
    monkeypatch.setattr("fontpkg._registry._cache", None)
    monkeypatch.setattr("fontpkg._registry.entry_points", scan)
    assert fontstack.fontpkg_family(family) == found


def test_a_family_whose_package_is_gone_is_found_the_fontpkg_way(
        monkeypatch: pytest.MonkeyPatch) -> None:
    gone = {**fontstack.FONTPKG_MODULES, fontstack.LATIN: "fontpkg_not_installed_here"}
    monkeypatch.setattr(fontstack, "FONTPKG_MODULES", gone)
    fontstack.fontpkg_family.cache_clear()
    try:
        assert fontstack.fontpkg_family(fontstack.LATIN) == fontpkg.family(fontstack.LATIN)
    finally:
        fontstack.fontpkg_family.cache_clear()


@pytest.mark.parametrize(("lang", "family"), [("bn", "Noto-Sans-Bengali"),
                                              ("pa", "Noto-Sans-Gurmukhi")])
def test_indic_scripts_print_with_every_glyph(
    leaflet_dir: Path, tmp_path: Path, lang: str, family: str
) -> None:
    sentence = SENTENCES[lang][0]
    (leaflet_dir / f"{lang}.md").write_text(
        f"---\ntitle: {sentence}\nlang: {lang}\n---\n\n{sentence} {{{{ helpline.phone }}}}\n\n"
        f"## {sentence}\n\n- {sentence}\n", encoding="utf-8")
    leaflet = load_leaflet(leaflet_dir, lang)
    result = PDF.write(leaflet, tmp_path, BuildOptions(out=tmp_path, templates=None,
                                                       today=BEFORE_DUE))
    path = tmp_path / result.files["pdf"]
    assert pdfread.catalog(path)["/Lang"] == lang
    assert 0 not in pdfread.glyph_ids(path)
    fonts = pdfread.fonts(path)
    assert all(font.embedded for font in fonts)
    assert any(family in font.name for font in fonts)


@pytest.mark.parametrize(("lang", "font", "bidi"), [
    ("ur", "Noto Nastaliq Urdu", True), ("ar", "Noto Naskh Arabic", True),
    ("bn", "Noto Sans Bengali", True), ("pa", "Noto Sans Gurmukhi", True),
    ("cy", "Arial", False), ("en-GB", "Arial", False),
])
def test_the_docx_names_a_complex_script_font(
    seed_leaflet: Leaflet, tmp_path: Path, lang: str, font: str, bidi: bool
) -> None:
    path = build_docx(dataclasses.replace(seed_leaflet, lang=lang), tmp_path)
    with zipfile.ZipFile(path) as package:
        styles = etree.fromstring(package.read("word/styles.xml"))
    props = styles.find("w:docDefaults/w:rPrDefault/w:rPr", NS)
    fonts = props.find("w:rFonts", NS)
    w = f"{{{NS['w']}}}"
    assert (fonts.get(f"{w}ascii"), fonts.get(f"{w}cs")) == ("Arial", font)
    assert (props.find("w:lang", NS).get(f"{w}bidi") == lang) is bidi
    assert (complex_script_font(lang) is not None) is bidi


def test_every_character_without_a_glyph_is_named_once_in_the_text_s_order_with_its_line(
    seed_leaflet: Leaflet,
) -> None:
    """One build names them all (before, one character per build), each at its source line."""
    first = seed_leaflet.intro[0]
    assert isinstance(first, Paragraph) and first.line
    leaflet = dataclasses.replace(seed_leaflet, intro=(dataclasses.replace(
        first, inlines=(Text("Signs \U00013001 and \U00013000, \U00013001."),)),
        *seed_leaflet.intro[1:]))
    with pytest.raises(BuildError) as caught:
        render_page(leaflet, BuildOptions(templates=None, today=BEFORE_DUE))
    message = str(caught.value)
    where = f"{seed_leaflet.source_file}:{first.line}"
    assert re.search(re.escape("no font has a glyph for '\U00013001' (U+13001 EGYPTIAN "
                               "HIEROGLYPH A002) in ") + r".*" + re.escape(
        "; '\U00013000' (U+13000 EGYPTIAN HIEROGLYPH A001) in "), message)
    assert message.count("U+13001") == 1
    assert f"in {where}: 'Signs " in message
    assert message.endswith("write each in words (a screen reader and the narration say words "
                            "best), or leave it out")


@pytest.mark.parametrize("sign", ["\u2192", "\u2713", "\u2605", "\u21d2", "\u2794"])
def test_arrows_ticks_and_signs_are_drawn_by_noto_symbols_or_math(
        seed_leaflet: Leaflet, sign: str) -> None:
    """An arrow or a tick stopped the build; fonts-noto-core has them."""
    leaflet = with_text(seed_leaflet, "en-GB", f"Step one {sign} step two.")
    page = render_page(leaflet, BuildOptions(templates=None, today=BEFORE_DUE))
    drawn_by = [face.family for face in page.fonts if ord(sign) in fontstack.coverage([face])]
    assert drawn_by and drawn_by[0] in ("Noto Sans Symbols", "Noto Sans Symbols2",
                                        "Noto Sans Math", "Noto Sans"), drawn_by


def test_each_distinct_character_is_judged_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A long leaflet is 70,000 characters and about 100 distinct ones (the 8x seed)."""
    judged: list[str] = []
    real = fontstack.draws

    def draws(ch: str) -> bool:
        judged.append(ch)
        return real(ch)

    monkeypatch.setattr(fonts, "draws", draws)
    assert fonts.needed(["abc\u200b" * 1000, "cab ", ""]) == {ord(c) for c in "abc "}
    assert sorted(judged) == sorted("abc \u200b")
