"""A /ToUnicode map that gives glyphs no text fails an Arabic-script PDF and warns elsewhere.

WeasyPrint gives a glyph no text when it draws one letter as several glyphs (Kozea/WeasyPrint
#2841). In Arabic script a font whose letters are whole glyphs cures it, so the check refuses
it there. In Gurmukhi the vowel sign ਿ, drawn before its consonant, gets no text in any font:
refusing it stopped every Punjabi large-print PDF, whose printed page is right, so it is a
warning. Both are tried on real PDFs.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pikepdf
import pytest

from lmets_docs.build import build
from lmets_docs.check import check
from lmets_docs.options import BuildOptions
from tests.conftest import DATA

PUNJABI = """---
title: ਇੱਕ ਛੋਟਾ ਪਰਚਾ
lang: pa
---

ਇਹ ਪਰਚਾ ਟੈਸਟਾਂ ਲਈ ਹੈ। ਕਿਰਪਾ ਕਰਕੇ ਹਸਪਤਾਲ ਨਾਲ ਸੰਪਰਕ ਕਰੋ।

{#first}
## ਪਹਿਲਾ ਭਾਗ

{{ helpline.name }}: {{ helpline.phone }}। ਸਮਾਂ: {{ helpline.hours }}।

![A simple diagram with two boxes](image:diagram)

{#second}
## ਦੂਜਾ ਭਾਗ

ਆਖਰੀ ਸਮੀਖਿਆ: {{ review.last_reviewed }}।
"""


@pytest.fixture(scope="module")
def punjabi(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the output folder of a Punjabi leaflet whose text has the vowel sign ਿ."""
    work = tmp_path_factory.mktemp("pa")
    source = work / "minimal"
    shutil.copytree(DATA / "minimal", source)
    (source / "en-GB.md").unlink()
    (source / "pa.md").write_text(PUNJABI, encoding="utf-8")
    out = work / "out"
    build([source], BuildOptions(out=out, formats=("pdf",), jobs=1, today=dt.date(2026, 1, 1),
                                 templates=None, tts="espeak", check=False))
    return out


def test_a_gurmukhi_glyph_given_no_text_is_a_warning_and_the_pdf_is_installed(
        punjabi: Path) -> None:
    report = check([punjabi], today=dt.date(2026, 1, 1))
    said = [f for f in report.findings if f.code == "pdf-tounicode"]
    assert said, "WeasyPrint gives ਿ no text: the check must say so"
    assert not [f for f in report.errors if f.code == "pdf-tounicode"]
    assert all("Gurmukhi" in f.message and "#2841" in f.message for f in said)


def test_the_same_map_in_an_arabic_script_font_is_an_error(punjabi: Path, tmp_path: Path) -> None:
    out = shutil.copytree(punjabi, tmp_path / "out")
    pdf_path = next(out.rglob("*.pdf"))
    with pikepdf.open(pdf_path) as pdf:
        maps = [o for o in pdf.objects
                if isinstance(o, pikepdf.Dictionary) and "/ToUnicode" in o
                and "Gurmukhi" in str(o.get("/BaseFont"))]
        data = maps[0].ToUnicode.read_bytes()
        # Its glyphs' texts moved into the Arabic block (U+0A00 → U+0600), the empty ones kept.
        arabic = re.sub(rb"<0[aA]([0-9a-fA-F]{2})>", rb"<06\1>", data)
        assert arabic != data
        maps[0].ToUnicode = pdf.make_stream(arabic)
        pdf.save(tmp_path / "arabic.pdf")
    shutil.copy(tmp_path / "arabic.pdf", pdf_path)
    report = check([out], today=dt.date(2026, 1, 1), allow_edited=True)
    assert [f for f in report.errors
            if f.code == "pdf-tounicode" and "Noto Naskh Arabic" in f.message]
