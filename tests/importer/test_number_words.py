# ruff: noqa: RUF001, RUF003  (Arabic and Urdu letters are what is read)
"""Numbers written in words count on both sides of a translation (en → cy, ar, ur).

Real files: the translator's user test (``tests/data/usertest/number-words``): a Welsh DOCX
saved by LibreOffice that turns "two types" into "tri math" (three), and two Arabic XLIFF
files for "Take 2 tablets": the correct dual "قرصين" and a wrong "ثلاثة أقراص" (three).
Each imported through the command line; what was written is read back from the language file.
Also exports translated with translate-toolkit (Welsh, Arabic and Urdu words typed in), the
user test's Urdu DOCX (saved by LibreOffice) with "دو بار" (twice) retyped "تین بار", and a
fuzz of the reader with random text.
"""

from __future__ import annotations

import random
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from lmets_docs.cli import cli
from lmets_docs.source import load_leaflet
from lmets_docs.source.samenumbers import difference
from lmets_docs.source.stale import read_front_matter
from lmets_docs.source.wordnumbers import duals, words_said
from lmets_docs.xliff import export_xliff
from tests.conftest import DATA
from tests.docx_edit import W, edit_docx
from tests.xliff.test_xliff import tool_translate

WORDS = DATA / "usertest" / "number-words"


@pytest.fixture
def leaflets(tmp_path: Path) -> Path:
    """Return a copy of the user test's folder (two English leaflets and the translations)."""
    return Path(shutil.copytree(WORDS, tmp_path / "number-words"))


def run(*args: str | Path) -> tuple[int, str]:
    """Run the command line; return its exit status and everything it said."""
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def test_welsh_tri_for_two_is_refused_as_not_in_the_source_3(leaflets: Path) -> None:
    folder = leaflets / "leptomeningeal-metastases"
    status, said = run("import-docx", leaflets / "leaflet-cy-tri-math.docx", "--lang", "cy",
                       "--leaflet", folder)
    assert status == 1
    assert ("targeted-cancer-drugs.2: section 'Targeted cancer drugs' paragraph 2: the numbers "
            "differ from its en-GB source") in said
    assert "en-GB 2; cy 3 (missing 2; not in the source 3)" in said
    assert not (folder / "cy.md").exists()
    status, said = run("import-docx", leaflets / "leaflet-cy-tri-math.docx", "--lang", "cy",
                       "--leaflet", folder, "--accept-numbers", "targeted-cancer-drugs.2")
    assert status == 0, said
    entry = read_front_matter(folder / "cy.md")["numbers_accepted"]["targeted-cancer-drugs.2"]
    assert (entry["missing"], entry["added"]) == (["2"], ["3"])


def test_the_arabic_dual_is_two_and_three_tablets_is_not(leaflets: Path) -> None:
    folder = leaflets / "chemo-fever"
    status, said = run("import-xliff", leaflets / "cf-ar-dual-two-tablets.xlf",
                       "--leaflet", folder)
    assert status == 0, said
    assert "numbers_accepted" not in read_front_matter(folder / "ar.md")
    assert "قرصين" in (folder / "ar.md").read_text("utf-8")
    (folder / "ar.md").unlink()
    status, said = run("import-xliff", leaflets / "cf-ar-three-tablets.xlf", "--leaflet", folder)
    assert status == 1
    assert "ar 4, 6, 8, 24, 3 (missing 2; not in the source 3)" in said
    assert not (folder / "ar.md").exists()
    status, said = run("import-xliff", leaflets / "cf-ar-three-tablets.xlf", "--leaflet", folder,
                       "--accept-numbers", "medicines-at-home.1")
    assert status == 0, said
    entry = read_front_matter(folder / "ar.md")["numbers_accepted"]["medicines-at-home.1"]
    assert (entry["missing"], entry["added"]) == (["2"], ["3"])  # the reviewer sees the 3


@pytest.mark.parametrize(("lang", "leaflet", "english", "two", "three"), [
    ("cy", "leptomeningeal-metastases", "are {} types", "ddau", "dri"),
    ("ar", "chemo-fever", "Take {} tablets", "اثنين", "ثلاثة"),
    ("ur", "chemo-fever", "Take {} tablets", "دو", "تین")])
def test_an_exported_file_with_words_typed_in_a_tool(leaflets: Path, tmp_path: Path, lang: str,
                                                     leaflet: str, english: str, two: str,
                                                     three: str) -> None:
    """A word for a number: the same number imports; another is refused. Urdu's words are the
    draft table (``scan_words.DRAFT_WORDS``): "تین" for "2" is refused, "دو" imports."""
    folder = leaflets / leaflet
    exported = export_xliff(folder, lang, tmp_path / f"{lang}.xlf").path
    for word, same in ((three, False), (two, True)):
        def typed(text: str, word: str = word) -> str:
            return text.replace(english.format("2"), english.format(word)).replace(
                english.format("two"), english.format(word))
        done = tool_translate(exported, tmp_path / f"{lang}-{same}.xlf", typed)
        status, said = run("import-xliff", done, "--leaflet", folder, "--force")
        if same:
            assert status == 0, said
            assert word in (folder / f"{lang}.md").read_text("utf-8")
            assert load_leaflet(folder, lang).numbers_accepted == ()
        else:
            assert status == 1
            assert "(missing 2; not in the source 3)" in said, said


USER_DOCX = DATA / "usertest" / "chemo-fever-ur-libreoffice.docx"
"""The translator's Urdu DOCX of chemo-fever, saved by LibreOffice ("دن میں دو بار": twice)."""


def _retyped(old: str, new: str) -> Callable[[Any], None]:
    def edit(root: Any) -> None:
        run = next(t for t in root.iter(f"{W}t") if t.text and old in t.text)
        run.text = run.text.replace(old, new)
    return edit


@pytest.fixture
def fever(tmp_path: Path) -> Path:
    """Return a copy of the chemotherapy leaflet (``tests/data/chemo-fever``), English only."""
    return Path(shutil.copytree(DATA / "chemo-fever", tmp_path / "chemo-fever",
                                ignore=shutil.ignore_patterns("ar.md", "ur.md")))


def test_urdu_three_for_two_in_the_users_docx_is_refused(fever: Path, tmp_path: Path) -> None:
    folder = fever
    wrong = edit_docx(USER_DOCX, tmp_path / "ur-teen.docx",
                      {"word/document.xml": _retyped("دو بار", "تین بار")})
    status, said = run("import-docx", wrong, "--lang", "ur", "--leaflet", folder)
    assert status == 1
    assert ("medicines-at-home.1: section 'Medicines at home' paragraph 1: the numbers differ "
            "from its en-GB source") in said
    assert "en-GB 8, 3, 2; ur 3, 8, 3 (missing 2; not in the source 3)" in said, said
    assert not (folder / "ur.md").exists()
    status, said = run("import-docx", USER_DOCX, "--lang", "ur", "--leaflet", folder)
    assert status == 0, said
    assert "دن میں دو بار" in (folder / "ur.md").read_text("utf-8")
    assert "numbers_accepted" not in read_front_matter(folder / "ur.md")
    status, said = run("import-docx", wrong, "--lang", "ur", "--leaflet", folder, "--force",
                       "--accept-numbers", "medicines-at-home.1")
    assert status == 0, said
    entry = read_front_matter(folder / "ur.md")["numbers_accepted"]["medicines-at-home.1"]
    assert (entry["missing"], entry["added"]) == (["2"], ["3"])


def test_validate_refuses_urdu_three_for_two_at_its_line(fever: Path) -> None:
    folder = fever
    shutil.copy(DATA / "chemo-fever" / "ur.md", folder / "ur.md")
    status, said = run("validate", folder)
    assert status == 0, said
    text = (folder / "ur.md").read_text("utf-8")
    line = text[:text.index("دن میں دو بار")].count("\n") + 1
    (folder / "ur.md").write_text(text.replace("دن میں دو بار", "دن میں تین بار"), "utf-8")
    status, said = run("validate", folder)
    assert status == 1
    assert f"ur.md:{line}: section 'گھر پر دوائیں' paragraph 1 (medicines-at-home.1)" in said
    assert "en-GB 8, 3, 2; ur 3, 8, 3 (missing 2; not in the source 3)" in said, said


@pytest.mark.parametrize(("source", "translation", "lang", "missing", "added"), [
    ("Take two tablets twice a day", "Cymerwch ddwy dabled ddwywaith y dydd", "cy", (), ()),
    ("Take two tablets", "Cymerwch dair tabled", "cy", ("2",), ("3",)),
    ("for five days", "am bum diwrnod", "cy", (), ()),
    ("for five days", "am chwe diwrnod", "cy", ("5",), ("6",)),
    ("Take one tablet", "Cymerwch un dabled", "cy", (), ()),
    ("Both medicines", "Mae'r ddau feddyginiaeth", "cy", (), ()),
    ("Take two tablets twice a day", "خذ قرصين مرتين في اليوم", "ar", (), ()),
    ("Take two tablets twice a day", "خذ ثلاثة أقراص مرتين في اليوم", "ar", ("2",), ("3",)),
    ("for three days", "لمدة ثلاث أيام", "ar", (), ()),
    ("Take 2 tablets", "خذ قرصين", "ar", (), ()),
    ("Take 2 tablets", "خذ أقراص السرطان", "ar", ("2",), ()),
    ("Take two tablets twice a day", "دن میں دو بار دو گولیاں لیں", "ur", (), ()),
    ("Take two tablets", "تین گولیاں لیں", "ur", ("2",), ("3",)),
    ("Take 2 tablets", "تین گولیاں لیں", "ur", ("2",), ("3",)),
    ("Take 2 tablets", "دو گولیاں لیں", "ur", (), ()),
    ("for six days", "چھ دن تک", "ur", (), ()),
    ("for six days", "چھے دن تک", "ur", (), ()),
    # typed on an Arabic keyboard (ه ي ك for ہ ی ک), with a vowel mark: still read
    ("for two days", "گیاره دن تک", "ur", ("2",), ("11",)),
    ("for two days", "باره دن تک", "ur", ("2",), ("12",)),
    ("for two days", "تيِن دن تک", "ur", ("2",), ("3",)),
    ("for eleven days", "گیاره دن تک", "ur", (), ()),
    ("for seven days", "آٹھ دن تک", "ur", ("7",), ("8",)),
    ("Both medicines", "دونوں دوائیں", "ur", (), ()),
    ("Take them the same way", "انہیں اسی طرح لیں", "ur", (), ()),  # اسی: "this very", not 80
    ("Take 5 tablets", "پچیس گولیاں لیں", "ur", ("5",), ()),  # 25 is not read (draft: 0-20, tens)
])
def test_difference_reads_words(source: str, translation: str, lang: str,
                                missing: tuple[str, ...], added: tuple[str, ...]) -> None:
    found = difference(source, "en-GB", translation, lang)
    assert (found.missing, found.added) == (missing, added)


ALPHABET = st.sampled_from(list("abcdeftwoyhrdu dd'-\u0640ًاأإآبتثجحخدذرسشصعقلمنهوية"
                                "ںیےٹڈڑ۲٣3.,\n"))


@settings(max_examples=300, deadline=None)
@given(st.text(ALPHABET, max_size=80), st.sampled_from(["en-GB", "cy", "ar", "ur", "xx"]))
def test_fuzz_the_reader_never_raises(text: str, lang: str) -> None:
    for _written, value in words_said(text, lang):
        assert isinstance(value, int)
    assert duals(text, lang) >= 0
    if lang != "xx":
        difference(text, "en-GB", text[::-1], lang)


def test_fuzz_random_unicode_text() -> None:
    rng = random.Random(28)
    for _ in range(300):
        text = "".join(chr(rng.randint(32, 0x6FF)) for _ in range(rng.randint(0, 60)))
        for lang in ("en-GB", "cy", "ar", "ur"):
            list(words_said(text, lang))
            duals(text, lang)
            difference(text, "en-GB", text, lang)
