"""What the translator user test found in ``import-docx`` (its DOCXs, saved by LibreOffice):
a link the translator adds keeps the space before it, and a web address the source does not
have is named on import for the reviewer, as a new number is."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lmets_docs.errors import ImportDocxError
from lmets_docs.importer import import_docx
from lmets_docs.importer.inlines import clean
from lmets_docs.importer.wronglanguage import language_script
from lmets_docs.model import Inline, Link, Strong, Text
from lmets_docs.source import load_folder
from lmets_docs.xliff.load import import_xliff
from tests.conftest import DATA
from tests.test_cli import run, said

UT = DATA / "ut-translator"


@pytest.fixture
def leaflet(tmp_path: Path) -> Path:
    folder = tmp_path / "leptomeningeal-metastases"
    shutil.copytree(UT / "leptomeningeal-metastases", folder)
    return folder


def test_an_added_link_keeps_its_space_and_its_address_is_named(
    leaflet: Path, caplog: pytest.LogCaptureFixture
) -> None:
    docx = UT / "leaflet-cy-added-link.docx"
    report = import_docx(docx, "cy", leaflet)
    welsh = (leaflet / "cy.md").read_text(encoding="utf-8")
    assert ("roi cynnig ar gwnsela. [Gwybodaeth yn Gymraeg]"
            "(https://www.macmillan.org.uk/cymraeg)") in welsh
    assert "gwnsela.[" not in welsh
    said = (f"{docx}: help-and-support.4 has a web address that is not in the en-GB source: "
            "https://www.macmillan.org.uk/cymraeg; have the reviewer check where it goes")
    assert any(w.startswith(said) for w in report.warnings), report.warnings
    assert said in caplog.text
    assert sum("web address that is not in" in w for w in report.warnings) == 1


def test_a_translation_without_new_addresses_is_not_warned(
    leaflet: Path, tmp_path: Path
) -> None:
    docx = UT / "leaflet-cy-comment.docx"
    report = import_docx(docx, "cy", leaflet)
    assert not any("web address" in w for w in report.warnings), report.warnings


@pytest.mark.parametrize(("runs", "markdown"), [
    ([Text("gwnsela."), Link((Text(" Gwybodaeth "),), "https://x.example")],
     (Text("gwnsela. "), Link((Text("Gwybodaeth"),), "https://x.example"))),
    ([Text("a"), Strong((Text(" bold "),)), Text("b")],
     (Text("a "), Strong((Text("bold"),)), Text(" b"))),
    ([Text("a"), Strong((Text(" "),)), Text("b")], (Text("a b"),)),
])
def test_spaces_at_the_edges_of_bold_and_links_stay_between_the_words(
    runs: list[Inline], markdown: tuple[Inline, ...]
) -> None:
    assert clean(runs) == markdown


STALE = UT / "stale"


def test_a_stale_unit_confirmed_unchanged_is_named_on_import(tmp_path: Path) -> None:
    """The author changed three parts (one "two types" to "three types"); the old Welsh DOCX
    is imported (they are stale), then the XLIFF whose changed unit was set *translated*
    with its old Welsh untouched ("ddau fath", two)."""
    folder = tmp_path / "leptomeningeal-metastases"
    shutil.copytree(STALE / "leptomeningeal-metastases", folder)
    import_docx(STALE / "leaflet-cy-old.docx", "cy", folder)
    before = load_folder(folder, ["cy"])[0]
    assert "targeted-cancer-drugs.2" in {unit.id for unit in before.stale}
    xlf = STALE / "upd-cy-done.xlf"
    # The number in words is read since the number-words change: "three types" against the
    # old "ddau fath" (two) is refused outright; a reviewer who accepts it is still told.
    with pytest.raises(ImportDocxError, match=r"en-GB 3; cy 2"):
        import_xliff(xlf, folder, force=True)
    report = import_xliff(xlf, folder, force=True, accept=["targeted-cancer-drugs.2"])
    confirmed = [w for w in report.warnings if "word for word the translation made" in w]
    assert confirmed == [
        f"{xlf}: targeted-cancer-drugs.2 (section 'Targeted cancer drugs' paragraph 2, "
        "en-GB.md:54) is marked translated but is word for word the translation made before "
        "its en-GB source changed; read it against the new source and correct it if the "
        "change matters (a number, a dose, a name)"]
    after = load_folder(folder, ["cy"])[0]
    assert not after.stale  # imported: validate says ok, so the import must say it
    assert "ddau fath" in (folder / "cy.md").read_text(encoding="utf-8")
    # importing the same file again: nothing was stale any more, nothing to say
    again = import_xliff(xlf, folder, force=True, accept=["targeted-cancer-drugs.2"])
    assert not any("word for word the translation made" in w for w in again.warnings)


WRONG = UT / "wrong-language"


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "leptomeningeal-metastases"
    shutil.copytree(WRONG / "leptomeningeal-metastases", folder)
    return folder


def test_a_welsh_docx_imported_as_urdu_is_named(tmp_path: Path) -> None:
    docx = WRONG / "leaflet-welsh.docx"
    report = import_docx(docx, "ur", _folder(tmp_path))
    [script] = [w for w in report.warnings if "letters of another script" in w]
    assert script.startswith(
        f"{docx}: 36 parts are mostly in letters of another script than the Arabic script ur "
        "is written in: title, intro.1, intro.2, intro.3, intro.4 and 31 more; is this the ur "
        "translation")


@pytest.mark.parametrize(("name", "lang", "left"), [
    ("lm-ur-intro3-english.xlf", "ur", "intro.3"),
    ("leaflet-cy-intro3-english.docx", "cy", "intro.3, references-note"),
])
def test_a_part_left_in_english_is_named(tmp_path: Path, name: str, lang: str, left: str
                                         ) -> None:
    path, folder = WRONG / name, _folder(tmp_path)
    report = (import_xliff(path, folder) if path.suffix == ".xlf" else
              import_docx(path, lang, folder))
    same = [w for w in report.warnings if "word for word the en-GB text" in w]
    assert same == [f"{path}: {len(left.split(', '))} part{'s are' if ',' in left else ' is'} "
                    f"word for word the en-GB text (left untranslated, or the source copied "
                    f"into the target?): {left}; translate {'them' if ',' in left else 'it'} "
                    f"into {lang}"]
    assert not any("letters of another script" in w for w in report.warnings)
    # a one-word part (a drug's name, "methotrexate") may rightly be the same: not named
    assert "chemotherapy.7.1" not in same[0]


def test_a_translation_in_its_own_script_is_not_named(leaflet: Path) -> None:
    report = import_docx(UT / "leaflet-cy-comment.docx", "cy", leaflet)
    assert not any("letters of another script" in w for w in report.warnings)
    # the translator left only the note above the references in English (it is printed so)
    [same] = [w for w in report.warnings if "word for word" in w]
    assert same.endswith("copied into the target?): references-note; translate it into cy")


@pytest.mark.parametrize(("lang", "script"), [
    ("ur", "Arab"), ("ar", "Arab"), ("cy", "Latn"), ("en-GB", "Latn"), ("pa", "Guru"),
    ("sr-Latn", "Latn"), ("zh", None),
])
def test_the_language_script_is_cldr_s(lang: str, script: str | None) -> None:
    assert language_script(lang) == script


ODT = UT / "odt"


def _odt_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "leptomeningeal-metastases"
    shutil.copytree(ODT / "leptomeningeal-metastases", folder)
    return folder


def test_an_odt_is_named_as_such(tmp_path: Path) -> None:
    odt = ODT / "leaflet-cy.odt"
    with pytest.raises(ImportDocxError) as refused:
        import_docx(odt, "cy", _odt_folder(tmp_path))
    assert str(refused.value).startswith(
        f"{odt}: not a DOCX: it is an OpenDocument file (.odt, LibreOffice's own format); "
        "open it in LibreOffice Writer and save it with File, Save As, 'Word 2007-365 (.docx)'")


def test_a_docx_resaved_from_odt_has_its_lost_map_made_again(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = _odt_folder(tmp_path)
    docx = ODT / "leaflet-cy-from-odt.docx"
    import_docx(docx, "cy", folder)
    assert (f"{docx}: this DOCX has lost its lmets-docs source map (a save as .odt or .doc "
            "drops it); made again from the current en-GB source") in caplog.text
    welsh = load_folder(folder, ["cy"])[0]
    assert welsh.title.startswith("Triniaeth") and not welsh.stale
    text = (folder / "cy.md").read_text(encoding="utf-8")
    assert "{{ contacts.helpline.phone }}" in text
    assert "source_hash: " + load_folder(folder, ["en-GB"])[0].source_hash in text


def test_a_lost_map_of_an_older_source_is_refused_saying_why(tmp_path: Path) -> None:
    folder = _odt_folder(tmp_path)
    english = folder / "en-GB.md"
    english.write_text(english.read_text(encoding="utf-8").replace(
        "two types", "three types", 1), encoding="utf-8")
    docx = ODT / "leaflet-cy-from-odt.docx"
    with pytest.raises(ImportDocxError) as refused:
        import_docx(docx, "cy", folder)
    assert (f"{docx}: this DOCX has lost its lmets-docs source map (a save as .odt or .doc "
            "drops it), and it was made from an older version of the en-GB source "
            "(source_hash ") in str(refused.value)
    assert not (folder / "cy.md").exists()


def test_tracked_changes_name_libreoffice_s_menu_too(leaflet: Path) -> None:
    docx = UT / "leaflet-cy-tracked.docx"
    with pytest.raises(ImportDocxError) as refused:
        import_docx(docx, "cy", leaflet)
    assert ("accept or reject them all (Word: Review, Accept All Changes; LibreOffice "
            "Writer: Edit, Track Changes, Accept All)") in str(refused.value)


def test_the_comments_dropped_are_listed(leaflet: Path, caplog: pytest.LogCaptureFixture
                                         ) -> None:
    docx = UT / "leaflet-cy-comment.docx"
    import_docx(docx, "cy", leaflet)
    assert (f"{docx}: paragraph 9: comment by Cyfieithydd: Nodyn: 'systemig' - gwiriwch "
            "gyda'r clinigwr (comments are not imported") in caplog.text
    assert "systemig' - gwiriwch" not in (leaflet / "cy.md").read_text(encoding="utf-8")
    assert "comment by" not in _import_log(UT / "leaflet-cy-added-link.docx", leaflet)


def _import_log(docx: Path, folder: Path) -> str:
    result = run("import-docx", str(docx), "--lang", "cy", "--leaflet", str(folder), "--force")
    assert result.exit_code == 0, said(result)
    return said(result)


def test_export_xliff_into_a_missing_folder_says_so(leaflet: Path, tmp_path: Path) -> None:
    target = tmp_path / "ur" / "lm-ur.xlf"
    result = run("export-xliff", str(leaflet), "--to", "ur", "--out", str(target))
    assert result.exit_code == 1
    assert (f"{target}: the folder {target.parent} does not exist; make it first") in \
        said(result)
    assert "Traceback" not in said(result)


def test_validate_names_a_part_left_in_english_too(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    import_xliff(WRONG / "lm-ur-intro3-english.xlf", folder)
    result = run("validate", str(folder))
    assert result.exit_code == 0, said(result)
    assert (f"{folder / 'ur.md'}: 1 part is word for word the en-GB text (left untranslated, "
            "or the source copied into the target?): intro.3; translate it into ur") \
        in said(result)
    assert "another script" not in said(result)
