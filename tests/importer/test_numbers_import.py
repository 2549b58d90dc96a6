"""Imports refuse other numbers than the source's before writing; a missing per-language name
is said at its line of ``leaflet.yaml``; no "older version" warning when nothing translated
changed.

Real files: the user test's Arabic XLIFF with the 38.5 and 80 mg typos, an XLIFF exported and
translated with translate-toolkit, and a DOCX built by the writer and typed over run by run
(``docx_edit``), imported into a copy of the chemotherapy leaflet (``tests/data/chemo-fever``).
"""

from __future__ import annotations

import logging
import random
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from lmets_docs.cli import cli
from lmets_docs.errors import ImportDocxError
from lmets_docs.importer import import_docx
from lmets_docs.source import load_leaflet
from lmets_docs.source.stale import read_front_matter
from lmets_docs.xliff import export_xliff, import_xliff
from tests.conftest import DATA
from tests.docx_edit import W, edit_docx, pseudo, translate_docx
from tests.importer.test_import_docx import build_docx
from tests.xliff.test_xliff import tool_translate

FEVER = DATA / "chemo-fever"
WRONG_XLIFF = DATA / "usertest" / "chemo-fever-ar-wrongnum.xlf"


@pytest.fixture
def english_only(tmp_path: Path) -> Path:
    """Return a copy of the chemotherapy leaflet with no translation yet."""
    folder = tmp_path / "content" / "chemo-fever"
    shutil.copytree(FEVER, folder, ignore=shutil.ignore_patterns("ar.md", "ur.md"))
    return folder


def test_the_user_tests_xliff_with_two_typos_is_refused_and_nothing_written(
    english_only: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="lmets_docs"), \
            pytest.raises(ImportDocxError) as refused:
        import_xliff(WRONG_XLIFF, english_only)
    said = str(refused.value)
    assert "2 units say other numbers than the source; nothing was written" in said
    assert ("when-to-call-us.2.1: section 'When to call us' list 2 item 1: the numbers differ "
            "from its en-GB source") in said
    assert "en-GB 37.5; ar 38.5 (missing 37.5; not in the source 38.5)" in said
    assert "medicines-at-home.1: section 'Medicines at home' paragraph 1" in said
    assert "en-GB 8, 3, 2; ar 80, 3 (missing 8; not in the source 80)" in said
    assert not (english_only / "ar.md").exists()
    # L5: the file was exported before leaflet.yaml gained the ar and ur names: no warning
    assert "older version" not in caplog.text
    assert "none of its text or facts in en-GB" in caplog.text


def test_an_accepted_unit_is_written_with_its_acceptance(english_only: Path) -> None:
    with pytest.raises(ImportDocxError, match="1 unit says"):
        import_xliff(WRONG_XLIFF, english_only, accept=["when-to-call-us.2.1"])
    with pytest.raises(ImportDocxError, match="no-such-unit: no such unit"):
        import_xliff(WRONG_XLIFF, english_only, accept=["no-such-unit"])
    report = import_xliff(WRONG_XLIFF, english_only,
                          accept=["when-to-call-us.2.1", "medicines-at-home.1"])
    front = read_front_matter(report.path)
    assert front["numbers_accepted"]["medicines-at-home.1"] == {
        "source_unit": "34e50b0be38f", "missing": ["8"], "added": ["80"],
        "reason": "accepted with --accept-numbers on importing chemo-fever-ar-wrongnum.xlf"}
    leaflet = load_leaflet(english_only, "ar")
    assert [a.id for a in leaflet.numbers_accepted] == ["when-to-call-us.2.1",
                                                         "medicines-at-home.1"]


def test_an_exported_file_typed_wrong_in_a_tool_is_refused(english_only: Path,
                                                           tmp_path: Path) -> None:
    exported = export_xliff(english_only, "ar", tmp_path / "ar.xlf").path
    done = tool_translate(exported, tmp_path / "ar-done.xlf",
                          lambda text: pseudo(text.replace("8 mg", "80 mg")))
    with pytest.raises(ImportDocxError) as refused:
        import_xliff(done, english_only)
    assert "1 unit says other numbers" in str(refused.value)
    assert "(missing 8; not in the source 80)" in str(refused.value)
    good = tool_translate(exported, tmp_path / "ar-good.xlf")
    assert import_xliff(good, english_only).path == english_only / "ar.md"


def test_a_docx_typed_over_with_a_wrong_threshold_is_refused(english_only: Path,
                                                             tmp_path: Path) -> None:
    english = build_docx(load_leaflet(english_only, "en-GB"), tmp_path / "docx")
    wrong = translate_docx(english, tmp_path / "ar.docx",
                           lambda text: pseudo(text.replace("37.5", "38.5")))
    with pytest.raises(ImportDocxError) as refused:
        import_docx(wrong, "ar", english_only)
    said = str(refused.value)
    assert "when-to-call-us.2.1: section 'When to call us' list 2 item 1" in said
    assert "when-to-call-us.3: section 'When to call us' picture 3" in said
    assert "(missing 37.5; not in the source 38.5)" in said
    assert not (english_only / "ar.md").exists()
    good = translate_docx(english, tmp_path / "ar-good.docx", pseudo)
    import_docx(good, "ar", english_only)
    assert load_leaflet(english_only, "ar").numbers_accepted == ()


# H4: a name or note given per language, but not in the language imported ---------------------


def _names_for(folder: Path, langs: list[str]) -> None:
    """Give every contact's name and note in ``langs`` only."""
    path = folder / "leaflet.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for contact in data["facts"]["contacts"].values():
        for field in ("name", "note"):
            if field in contact:
                words = contact[field] if isinstance(contact[field], dict) else {
                    "en-GB": contact[field]}
                contact[field] = {lang: words.get(lang, f"{lang} words") for lang in langs}
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")


def test_import_docx_says_the_missing_name_at_its_line(english_only: Path, tmp_path: Path
                                                        ) -> None:
    english = build_docx(load_leaflet(english_only, "en-GB"), tmp_path / "docx")
    _names_for(english_only, ["en-GB", "ar"])
    result = CliRunner().invoke(cli, ["import-docx", str(english), "--lang", "ur",
                                      "--leaflet", str(english_only)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    yaml_file = english_only / "leaflet.yaml"
    for field in ("triage.name", "triage.note", "dayunit.name"):
        line = line_of(yaml_file, field)
        assert f"{yaml_file}:{line}: facts.contacts.{field}: no ur text" in result.output
    assert "nothing was written" in result.output
    assert not (english_only / "ur.md").exists()


def test_export_xliff_warns_of_the_missing_name_at_its_line(english_only: Path,
                                                            tmp_path: Path) -> None:
    _names_for(english_only, ["en-GB", "ar"])
    result = CliRunner().invoke(cli, ["export-xliff", str(english_only), "--to", "ur",
                                      "--out", str(tmp_path / "ur.xlf")])
    assert result.exit_code == 0
    yaml_file = english_only / "leaflet.yaml"
    line = line_of(yaml_file, "triage.name")
    assert (f"WARNING: {yaml_file}:{line}: facts.contacts.triage.name: no ur text"
            ) in result.output
    assert "cannot be imported or built until it has one" in result.output


def line_of(path: Path, field: str) -> int:
    """Return the line of ``leaflet.yaml`` where a contact's field (``triage.name``) is."""
    contact, name = field.split(".")
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(n for n, text in enumerate(lines) if text.strip() == f"{contact}:")
    return next(n for n, text in enumerate(lines[start:], start + 1)
                if text.strip().startswith(f"{name}:"))


LANGS = ("en-GB", "ar", "ur", "cy")


def test_fuzz_the_languages_of_names_and_the_language_imported(english_only: Path,
                                                               tmp_path: Path) -> None:
    """Random per-language names against random target languages: a good import or a
    refusal naming each missing name's line; never another exception."""
    files = {lang: tool_translate(export_xliff(english_only, lang, tmp_path / f"{lang}.xlf").path,
                                  tmp_path / f"{lang}-done.xlf")
             for lang in LANGS[1:]}
    rng = random.Random(27)
    for _turn in range(12):
        given = ["en-GB", *rng.sample(LANGS[1:], rng.randint(0, 3))]
        target = rng.choice(LANGS[1:])
        _names_for(english_only, given)
        (english_only / f"{target}.md").unlink(missing_ok=True)
        try:
            import_xliff(files[target], english_only)
        except ImportDocxError as exc:
            assert target not in given, exc
            line = line_of(english_only / "leaflet.yaml", "triage.name")
            assert f"leaflet.yaml:{line}: facts.contacts.triage.name: no {target} text" in str(exc)
        else:
            assert target in given
            assert load_leaflet(english_only, target).lang == target


# L5: the "older version" warning only when something translated changed ---------------------


def test_only_per_language_names_added_gives_no_older_version_warning(
    english_only: Path, tmp_path: Path
) -> None:
    english = build_docx(load_leaflet(english_only, "en-GB"), tmp_path / "docx")
    translated = translate_docx(english, tmp_path / "ar.docx", pseudo)
    path = english_only / "leaflet.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "ur: آنکولوجی ڈے یونٹ}", "ur: آنکولوجی ڈے یونٹ, cy: Uned Ddydd Oncoleg}"), "utf-8")
    report = import_docx(translated, "ar", english_only)
    # the pseudo-translation is in Latin letters, which Arabic is not written in: said so
    assert [w for w in report.warnings if "letters of another script" not in w] == []
    path.write_text(path.read_text(encoding="utf-8").replace(
        "en-GB: Oncology Day Unit", "en-GB: Cancer Day Unit"), "utf-8")
    report = import_docx(translated, "ar", english_only, force=True)
    assert "the DOCX was made from an older version" in report.warnings[0]
    assert ("+fact contacts.dayunit.name: Cancer Day Unit") in report.warnings[0]


def test_a_new_import_keeps_the_acceptances_that_still_hold(english_only: Path) -> None:
    import_xliff(WRONG_XLIFF, english_only, accept=["when-to-call-us.2.1", "medicines-at-home.1"])
    result = CliRunner().invoke(cli, ["import-xliff", str(WRONG_XLIFF), "--leaflet",
                                      str(english_only), "--force"])
    assert result.exit_code == 0, result.output
    kept = read_front_matter(english_only / "ar.md")["numbers_accepted"]
    assert sorted(kept) == ["medicines-at-home.1", "when-to-call-us.2.1"]
    english = english_only / "en-GB.md"
    english.write_text(english.read_text(encoding="utf-8").replace(
        "8 mg twice a day", "8 mg two times a day"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(english_only)])
    assert result.exit_code == 0, result.output  # the changed unit is stale, and warned of
    assert "1 part changed since (section 'Medicines at home' paragraph 1" in result.output


USER_DOCX = DATA / "usertest" / "chemo-fever-ur-libreoffice.docx"


def _typo(old: str, new: str) -> Callable[[Any], None]:
    """Return an edit of ``word/document.xml`` that retypes the first run reading ``old``."""
    def edit(root: Any) -> None:
        run = next(t for t in root.iter(f"{W}t") if t.text == old)
        run.text = new
    return edit


def test_the_user_tests_urdu_docx_saved_by_libreoffice_imports_and_a_typo_in_it_does_not(
    english_only: Path, tmp_path: Path
) -> None:
    report = import_docx(USER_DOCX, "ur", english_only)
    assert report.warnings == ()  # made before leaflet.yaml gained its names: L5
    assert load_leaflet(english_only, "ur").numbers_accepted == ()
    wrong = edit_docx(USER_DOCX, tmp_path / "ur-wrong.docx",
                      {"word/document.xml": _typo("8", "80")})
    with pytest.raises(ImportDocxError) as refused:
        import_docx(wrong, "ur", english_only, force=True)
    assert "medicines-at-home.1: section 'Medicines at home' paragraph 1" in str(refused.value)
    assert "en-GB 8, 3, 2; ur 3, 80, 2 (missing 8; not in the source 80)" in str(refused.value)
