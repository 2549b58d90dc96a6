"""``export-xliff`` and ``import-xliff``: a leaflet out to a translation tool and back.

The translation tool is translate-toolkit (its XLIFF 2.0 storage, a library this project did
not write): it reads the exported file, a pseudo-translation is typed into each unit's target
through its rich-text API (placeholders and codes carried over by the library, not by us), and
it writes the file back. Every refusal is tested on such a file, changed by hand, and a
seeded run of random damage to the file must end in exit 0 or 1, never a traceback.
"""

from __future__ import annotations

import copy
import errno
import os
import random
import re
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from lxml import etree
from translate.storage.xliff2 import Xliff2File

from lmets_docs.cli import cli
from lmets_docs.errors import ExportError, ImportDocxError
from lmets_docs.facts import FactFormatter
from lmets_docs.importer import import_docx
from lmets_docs.importer.provenance import unit_key
from lmets_docs.model import FactRef, Inline, Leaflet, Link, Paragraph, Strong
from lmets_docs.ooxml.ids import units
from lmets_docs.source import load_leaflet
from lmets_docs.xliff import export_xliff, import_xliff
from tests.docx_edit import pseudo, translate_docx
from tests.importer.source_edits import EDITS, assert_kept, edit_source, translations
from tests.importer.test_import_docx import build_docx, comparable, expected

XLF = "urn:oasis:names:tc:xliff:document:2.0"
NS = {"x": XLF, "lmets": "urn:lmets-docs:xliff:1"}
X = f"{{{XLF}}}"
Edit = Callable[[Any], None]
DEFINITION = "A test that takes a sample of the fluid around the spine."


def facts_in(inlines: tuple[Inline, ...]) -> Iterator[str]:
    """Yield the name of every fact in inline content."""
    for item in inlines:
        if isinstance(item, FactRef):
            yield item.name
        elif isinstance(item, Strong | Link):
            yield from facts_in(item.children)


def first_fact(leaflet: Leaflet) -> str:
    """Return the name of the first fact the leaflet's text uses (whatever facts it has)."""
    return next(name for block in leaflet.all_blocks() if isinstance(block, Paragraph)
                for name in facts_in(block.inlines))


@pytest.fixture
def rich_dir(leaflet_dir: Path) -> Path:
    """Return the seed leaflet with a paragraph of bold, a link, a term and a fact added."""
    fact = first_fact(load_leaflet(leaflet_dir, "en-GB"))
    english = leaflet_dir / "en-GB.md"
    text = english.read_text(encoding="utf-8")
    added = (f"Ask **your nurse** about [this page](https://example.org/a) or a "
             f"[lumbar puncture](glossary:), or call {{{{ {fact} }}}}.\n\n")
    text = text.replace("\n## ", f"\n{added}## ", 1)
    text = text.replace("\n---\n", f"\nglossary:\n  lumbar puncture: {DEFINITION}\n---\n", 1)
    english.write_text(text, encoding="utf-8")
    return leaflet_dir


@pytest.fixture
def source(rich_dir: Path) -> Leaflet:
    """Return the English leaflet with the added paragraph."""
    return load_leaflet(rich_dir, "en-GB")


@pytest.fixture
def exported(rich_dir: Path, tmp_path: Path) -> Path:
    """Return the leaflet exported for Welsh."""
    return export_xliff(rich_dir, "cy", tmp_path / "cy.xlf").path


def tool_translate(path: Path, target: Path, translate: Callable[[str], str] = pseudo) -> Path:
    """Translate every unit with translate-toolkit: text leaves changed, codes kept by it."""
    store = Xliff2File.parsestring(path.read_bytes())  # type: ignore[no-untyped-call]
    for unit in store.units:
        rich = unit.rich_source
        for elem in rich[0].depth_first():
            if elem.isleaf() and all(isinstance(s, str) for s in elem.sub):
                elem.sub = [translate(s) for s in elem.sub]
        unit.rich_target = rich
        unit.marktranslated()
    target.write_bytes(bytes(store))
    return target


@pytest.fixture
def translated(exported: Path, tmp_path: Path) -> Path:
    """Return the exported file translated in translate-toolkit."""
    return tool_translate(exported, tmp_path / "cy-done.xlf")


def tree(path: Path) -> Any:
    """Return a file's parsed XML."""
    return etree.parse(str(path)).getroot()


def unit(root: Any, unit_id: str) -> Any:
    """Return the unit element with ``unit_id``."""
    return root.find(f".//x:unit[@id='{unit_id}']", NS)


def added_id(source: Leaflet) -> str:
    """Return the id of the paragraph the fixture added."""
    return next(b.id for b in source.all_blocks() if isinstance(b, Paragraph)
                and "your nurse" in str(b.inlines))


# The export ------------------------------------------------------------------------------------


def test_one_unit_per_unit_of_the_source_with_its_id(exported: Path, source: Leaflet) -> None:
    root = tree(exported)
    wanted = [unit_key(u.kind, u.id) for u in units(source) if u.shape != "list"]
    assert [u.get("id") for u in root.iterfind(".//x:unit", NS)] == wanted
    assert (root.get("srcLang"), root.get("trgLang"), root.get("version")) == ("en-GB", "cy", "2.0")
    file = root.find("x:file", NS)
    assert file.get(f"{{{NS['lmets']}}}sourceHash") == source.source_hash
    assert file.get(f"{{{NS['lmets']}}}leaflet") == source.id
    assert {s.get("state") for s in root.iterfind(".//x:segment", NS)} == {"initial"}
    assert root.find(".//x:target", NS) is None


def test_bold_links_terms_and_facts_are_codes(exported: Path, source: Leaflet) -> None:
    element = unit(tree(exported), added_id(source))
    src = element.find(".//x:source", NS)
    bold = src.find("x:pc[@type='fmt']", NS)
    assert bold.get("subType") == "xlf:b" and bold.text == "your nurse"
    link = src.find("x:pc[@type='link']", NS)
    data = {d.get("id"): d.text for d in element.iterfind(".//x:data", NS)}
    assert link.text == "this page" and data[link.get("dataRefStart")] == "https://example.org/a"
    term = src.find("x:mrk[@type='term']", NS)
    assert term.text == "lumbar puncture"
    fact = first_fact(source)
    printed = FactFormatter(source.facts, source.publisher, "en-GB").printed(fact)
    ph = src.find("x:ph", NS)
    assert (ph.get("canCopy"), ph.get("canDelete"), ph.get("disp")) == ("no", "no", printed)
    assert data[ph.get("dataRef")] == f"{{{{ {fact} }}}}"
    notes = [n.text for n in element.iterfind(".//x:note", NS)]
    assert any(f"{{{{ {fact} }}}}" in n and printed in n for n in notes), notes
    assert any("lumbar puncture" in n and DEFINITION in n for n in notes), notes


# The round trip through a translation tool ----------------------------------------------------


def test_translate_toolkit_keeps_every_placeholder(exported: Path, translated: Path) -> None:
    for element in tree(translated).iterfind(".//x:unit", NS):
        source, target = element.find(".//x:source", NS), element.find(".//x:target", NS)
        assert [dict(p.attrib) for p in target.iter(f"{X}ph")] == \
            [dict(p.attrib) for p in source.iter(f"{X}ph")]
        assert [p.get("id") for p in target.iter(f"{X}pc", f"{X}mrk")] == \
            [p.get("id") for p in source.iter(f"{X}pc", f"{X}mrk")]
    assert len(tree(translated).findall(".//x:unit", NS)) == \
        len(tree(exported).findall(".//x:unit", NS))


def test_a_translated_file_becomes_the_language_file(
    rich_dir: Path, translated: Path, source: Leaflet
) -> None:
    report = import_xliff(translated, rich_dir)
    assert report.path == rich_dir / "cy.md" and not report.replaced and not report.warnings
    imported = load_leaflet(rich_dir, "cy")
    assert comparable(imported) == comparable(expected(source, pseudo, "cy"))
    front = report.path.read_text(encoding="utf-8").split("---\n")[1]
    assert "translated_from: en-GB\n" in front and f"source_hash: {source.source_hash}" in front
    assert f"{{{{ {first_fact(source)} }}}}" in report.path.read_text(encoding="utf-8")


def test_exporting_again_marks_only_the_changed_units(
    rich_dir: Path, translated: Path, source: Leaflet, tmp_path: Path
) -> None:
    import_xliff(translated, rich_dir)
    same = export_xliff(rich_dir, "cy", tmp_path / "same.xlf")
    assert same.to_translate == 0
    assert {s.get("state") for s in tree(same.path).iterfind(".//x:segment", NS)} == \
        {"translated"}
    english = rich_dir / "en-GB.md"
    english.write_text(english.read_text(encoding="utf-8").replace(
        "The aim of treatment is usually", "The aim of treatment is often"), encoding="utf-8")
    changed = export_xliff(rich_dir, "cy", tmp_path / "changed.xlf")
    assert changed.to_translate == 1
    states = {u.get("id"): u.find(".//x:segment", NS).get("state")
              for u in tree(changed.path).iterfind(".//x:unit", NS)}
    assert [key for key, state in states.items() if state == "initial"] == ["intro.3"]
    old = unit(tree(changed.path), "intro.3").find(".//x:target", NS)
    assert old.text == pseudo("The aim of treatment is usually to control the growth of the "
                              "cancer and relieve symptoms.")
    with pytest.raises(ImportDocxError, match=r": intro\.3: is still marked initial"):
        import_xliff(changed.path, rich_dir, force=True)


def test_a_translation_made_in_word_counts_as_translated(
    rich_dir: Path, source: Leaflet, tmp_path: Path
) -> None:
    docx = translate_docx(build_docx(source, tmp_path / "en"), tmp_path / "cy.docx", pseudo)
    import_docx(docx, "cy", rich_dir)
    assert export_xliff(rich_dir, "cy", tmp_path / "cy.xlf").to_translate == 0
    language_file = rich_dir / "cy.md"
    text = language_file.read_text(encoding="utf-8")
    start, end = text.index("source_units:"), text.index("references_note:")
    language_file.write_text(text[:start] + text[end:], encoding="utf-8")
    assert export_xliff(rich_dir, "cy", tmp_path / "old.xlf").to_translate == 0
    english = rich_dir / "en-GB.md"
    english.write_text(english.read_text(encoding="utf-8") + "\nOne more sentence.\n",
                       encoding="utf-8")
    everything = export_xliff(rich_dir, "cy", tmp_path / "all.xlf")
    assert everything.to_translate == everything.units


def test_replacing_a_translation_keeps_its_glossary(rich_dir: Path, translated: Path) -> None:
    target = import_xliff(translated, rich_dir).path
    text = target.read_text(encoding="utf-8")
    term = pseudo("lumbar puncture")
    target.write_text(text.replace("\n---\n", f"\nglossary:\n  '{term}': Diffiniad.\n---\n", 1),
                      encoding="utf-8")
    assert load_leaflet(rich_dir, "cy").glossary
    report = import_xliff(translated, rich_dir, force=True)
    assert f"glossary:\n  '{term}': Diffiniad." in report.path.read_text(encoding="utf-8")
    assert [e.definition for e in load_leaflet(rich_dir, "cy").glossary.values()] == ["Diffiniad."]


def test_a_tool_may_leave_out_what_a_placeholder_shows(
    rich_dir: Path, translated: Path, source: Leaflet, tmp_path: Path
) -> None:
    def bare(root: Any) -> None:
        for ph in root.iterfind(".//x:target/x:ph", NS):
            del ph.attrib["disp"], ph.attrib["equiv"]

    import_xliff(edited(translated, tmp_path / "bare.xlf", bare), rich_dir)
    assert comparable(load_leaflet(rich_dir, "cy")) == comparable(expected(source, pseudo, "cy"))


def test_a_file_of_an_older_source_is_imported_with_a_warning(
    rich_dir: Path, translated: Path
) -> None:
    english = rich_dir / "en-GB.md"
    english.write_text(english.read_text(encoding="utf-8").replace(
        "The aim of treatment is usually", "The aim of treatment is often"), encoding="utf-8")
    report = import_xliff(translated, rich_dir)
    warning, todo = report.warnings
    assert "the XLIFF file was made from an older version" in warning
    assert "\n+block intro.3: The aim of treatment is often to control" in warning
    assert "fact " not in warning, warning
    assert "1 of the XLIFF file's parts are new or changed in en-GB.md" in todo
    assert "the introduction paragraph 3 (en-GB.md:" in todo
    assert "changed, it keeps the older translation until translated again" in todo


# Refusals ----------------------------------------------------------------------------------------


def _target(root: Any, unit_id: str) -> Any:
    return unit(root, unit_id).find(".//x:target", NS)


def _ph(unit_id: str) -> Callable[[Any], Any]:
    return lambda root: _target(root, unit_id).find("x:ph", NS)


def _remove_placeholder(unit_id: str) -> Edit:
    def edit(root: Any) -> None:
        ph = _ph(unit_id)(root)
        parent = ph.getparent()
        prev = ph.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + (ph.tail or "")
        else:
            parent.text = (parent.text or "") + (ph.tail or "")
        parent.remove(ph)
    return edit


def _alter_placeholder(unit_id: str) -> Edit:
    return lambda root: _ph(unit_id)(root).set("disp", "0800 000 0000")


def _copy_placeholder(unit_id: str) -> Edit:
    def edit(root: Any) -> None:
        ph = _ph(unit_id)(root)
        ph.addnext(copy.deepcopy(ph))
    return edit


def _other_fact_in_data(unit_id: str) -> Edit:
    def edit(root: Any) -> None:
        ref = _ph(unit_id)(root).get("dataRef")
        data = unit(root, unit_id).find(f".//x:data[@id='{ref}']", NS)
        names = [f.get("name") for f in root.iterfind(".//lmets:fact", NS)]
        other = next(n for n in names if f"{{{{ {n} }}}}" != data.text)
        data.text = f"{{{{ {other} }}}}"
    return edit


def _extra_unit(root: Any) -> None:
    first = root.find(".//x:unit", NS)
    extra = copy.deepcopy(first)
    extra.set("id", "intro.99")
    first.addnext(extra)


def _missing_unit(unit_id: str) -> Edit:
    def edit(root: Any) -> None:
        element = unit(root, unit_id)
        element.getparent().remove(element)
    return edit


def _no_target(unit_id: str) -> Edit:
    def edit(root: Any) -> None:
        target = _target(root, unit_id)
        target.getparent().remove(target)
    return edit


def _foreign_code(unit_id: str) -> Edit:
    def edit(root: Any) -> None:
        etree.SubElement(_target(root, unit_id), f"{X}sc", id="z1")
    return edit


def _control_character(unit_id: str) -> Edit:
    def edit(root: Any) -> None:
        etree.SubElement(_target(root, unit_id), f"{X}cp", hex="001B")
    return edit


def _other_leaflet(root: Any) -> None:
    root.find("x:file", NS).set(f"{{{NS['lmets']}}}leaflet", "minimal-leaflet")


REFUSALS: dict[str, tuple[Edit | None, str]] = {
    "removed placeholder": (None, r"{fact_unit}: placeholder 'f1' \(\{\{ \S+ \}\}\) was removed"),
    "altered placeholder": (None, r"{fact_unit}: placeholder 'f1' was altered"),
    "copied placeholder": (None, r"{fact_unit}: placeholder 'f1' \(\{\{ \S+ \}\}\) is in the "
                                 r"target 2 times"),
    "other fact in the data": (None, r"{fact_unit}: its source text is not the current "
                                     r"en-GB\.md's, which the file says it was made from"),
    "extra unit": (_extra_unit, r": intro\.99: is not a unit of en-GB\.md"),
    "missing unit": (_missing_unit("intro.2"), r": intro\.2: is missing from the file"),
    "untranslated unit": (_no_target("intro.2"), r": intro\.2: has no translation"),
    "foreign code": (_foreign_code("intro.2"), r": intro\.2: has <sc>, which lmets-docs cannot"),
    "control character": (_control_character("intro.2"), r": intro\.2: has a control character"),
    "another leaflet": (_other_leaflet, r"the XLIFF file was made from leaflet "
                                        r"'minimal-leaflet', but .* is leaflet"),
}
FACT_EDITS: dict[str, Callable[[str], Edit]] = {
    "removed placeholder": _remove_placeholder, "altered placeholder": _alter_placeholder,
    "copied placeholder": _copy_placeholder, "other fact in the data": _other_fact_in_data,
}


def edited(path: Path, target: Path, edit: Edit) -> Path:
    """Write a copy of an XLIFF file changed by ``edit``."""
    root = tree(path)
    edit(root)
    target.write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
    return target


@pytest.mark.parametrize("case", list(REFUSALS))
def test_each_refusal_names_file_and_unit_and_writes_nothing(
    case: str, rich_dir: Path, translated: Path, source: Leaflet, tmp_path: Path
) -> None:
    fact_unit = added_id(source)
    edit, pattern = REFUSALS[case]
    edit = edit or FACT_EDITS[case](fact_unit)
    bad = edited(translated, tmp_path / "bad.xlf", edit)
    existing = rich_dir / "cy.md"
    existing.write_text((rich_dir / "en-GB.md").read_text(encoding="utf-8").replace(
        "lang: en-GB", "lang: cy"), encoding="utf-8")
    before, files = existing.read_bytes(), sorted(rich_dir.iterdir())
    result = CliRunner().invoke(cli, ["import-xliff", str(bad), "--leaflet", str(rich_dir),
                                      "--force"])
    assert result.exit_code == 1, result.output
    assert result.output.startswith(f"Error: {bad}: "), result.output
    assert re.search(pattern.replace("{fact_unit}", re.escape(fact_unit)), result.output), \
        result.output
    assert "Traceback" not in result.output
    assert existing.read_bytes() == before and sorted(rich_dir.iterdir()) == files


HOSTILE = {
    "billion laughs": (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
                       b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
                       b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
                       b'<xliff xmlns="' + XLF.encode() + b'" version="2.0">&c;</xliff>',
                       "document type declaration"),
    "external entity": (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM '
                        b'"file:///etc/passwd">]><xliff xmlns="' + XLF.encode() +
                        b'" version="2.0">&e;</xliff>', "document type declaration"),
    "XLIFF 1.2": (b'<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2"/>',
                  "not an XLIFF 2 file"),
    "not XML": (b"Hello, this is a text file.\n", "not well-formed XML"),
    "empty": (b"", "not well-formed XML"),
    "deep nesting": (b'<xliff xmlns="' + XLF.encode() + b'" version="2.0">' +
                     b"<a>" * 100_000 + b"</a>" * 100_000 + b"</xliff>", "not well-formed"),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_files_are_refused_fast(case: str, rich_dir: Path, tmp_path: Path) -> None:
    data, message = HOSTILE[case]
    path = tmp_path / "hostile.xlf"
    path.write_bytes(data)
    start = time.perf_counter()
    with pytest.raises(ImportDocxError, match=message) as caught:
        import_xliff(path, rich_dir)
    assert time.perf_counter() - start < 1
    assert str(caught.value).startswith(f"{path}: ")
    assert "root:" not in str(caught.value)
    assert not (rich_dir / "cy.md").exists()


def test_a_hostile_unit_id_is_quoted_and_a_flood_of_problems_cut(
    rich_dir: Path, translated: Path, tmp_path: Path
) -> None:
    def flood(root: Any) -> None:
        first = root.find(".//x:unit", NS)
        for number in range(300):
            extra = copy.deepcopy(first)
            extra.set("id", f"bogus.{number}")
            first.addnext(extra)
        first.getnext().set("id", "\u009b2J\u009b31mred")

    bad = edited(translated, tmp_path / "flood.xlf", flood)
    with pytest.raises(ImportDocxError) as caught:
        import_xliff(bad, rich_dir)
    message = str(caught.value)
    assert "\u009b" not in message and "'\\x9b2J\\x9b31mred': is not a unit" in message
    assert message.startswith(f"{bad}: 300 problems; nothing was written\n")
    assert message.endswith(f"{bad}: … and 250 more") and len(message.splitlines()) == 52


MUTATIONS = ("truncate", "flip", "drop", "clone", "attribute", "text")


def mutate(data: bytes, rng: random.Random) -> bytes:
    """Return the file damaged in one random way."""
    how = rng.choice(MUTATIONS)
    if how == "truncate":
        return data[:rng.randrange(len(data))]
    if how == "flip":
        at = rng.randrange(len(data))
        return data[:at] + bytes([rng.randrange(256)]) + data[at + 1:]
    root = etree.fromstring(data)
    elements = list(root.iter())[1:]
    element = rng.choice(elements)
    if how == "drop" and element.getparent() is not None:
        element.getparent().remove(element)
    elif how == "clone" and element.getparent() is not None:
        element.addnext(copy.deepcopy(element))
    elif how == "attribute" and element.attrib:
        element.set(rng.choice(list(element.attrib)), rng.choice(["", "x", "f9", "no", "9" * 50]))
    else:
        element.text = rng.choice(["", "{{ x }}", "\u202e", "&amp;", "a" * 10_000])
    return bytes(etree.tostring(root))


def test_damaged_files_are_refused_or_imported_never_a_traceback(
    rich_dir: Path, translated: Path, tmp_path: Path
) -> None:
    rng = random.Random(14)
    data = translated.read_bytes()
    outcomes = []
    for number in range(40):
        path = tmp_path / f"fuzz{number}.xlf"
        path.write_bytes(mutate(data, rng))
        result = CliRunner().invoke(cli, ["import-xliff", str(path), "--leaflet",
                                          str(rich_dir), "--force"])
        assert result.exit_code in (0, 1), (number, result.output, result.exception)
        assert result.exception is None or isinstance(result.exception, SystemExit), number
        outcomes.append(result.exit_code)
    assert outcomes.count(1) >= 20


# The command line and writing --------------------------------------------------------------------


def test_the_commands_export_import_refuse_and_replace(
    rich_dir: Path, tmp_path: Path
) -> None:
    runner = CliRunner()
    out = tmp_path / "cy.xlf"
    exported = runner.invoke(cli, ["export-xliff", str(rich_dir), "--to", "cy", "--out",
                                   str(out)])
    assert exported.exit_code == 0, exported.output
    assert exported.output.startswith(f"wrote {out} (en-GB to cy: ")
    done = tool_translate(out, tmp_path / "done.xlf")
    args = ["import-xliff", str(done), "--leaflet", str(rich_dir)]
    first = runner.invoke(cli, args)
    assert first.exit_code == 0 and f"wrote {rich_dir / 'cy.md'}" in first.output, first.output
    second = runner.invoke(cli, args)
    assert second.exit_code == 1 and "a translation is already there" in second.output
    again = tool_translate(out, tmp_path / "again.xlf", lambda t: pseudo(t).replace("[[", "(("))
    third = runner.invoke(cli, ["import-xliff", str(again), "--leaflet", str(rich_dir),
                                "--force"])
    assert third.exit_code == 0 and third.output.startswith("---"), third.output
    assert "replaced" in third.output


def test_a_source_with_a_character_xml_cannot_hold_is_refused_on_export(
    rich_dir: Path, tmp_path: Path
) -> None:
    english = rich_dir / "en-GB.md"
    english.write_text(english.read_text(encoding="utf-8").replace(
        "The CSF is a clear", "The CSF is a \x01clear"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["export-xliff", str(rich_dir), "--to", "cy", "--out",
                                      str(tmp_path / "cy.xlf")])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and not (tmp_path / "cy.xlf").exists()
    assert ": intro.2: has a character" in result.output or "en-GB.md:" in result.output


@pytest.mark.parametrize(("files", "said"), [
    ((), "not a leaflet folder: it has no leaflet.yaml"),
    (("leaflet.yaml",), "the leaflet has no language file (e.g. en-GB.md) to translate from"),
])
def test_a_folder_that_is_no_leaflet_is_said_so_on_export(
    rich_dir: Path, tmp_path: Path, files: tuple[str, ...], said: str
) -> None:
    """Not "cannot tell which language to translate from (not translated: none); name it
    with --from", which sent the translator looking for a language (session 36)."""
    folder = tmp_path / "folder"
    folder.mkdir()
    for name in files:
        shutil.copy(rich_dir / name, folder / name)
    result = CliRunner(mix_stderr=False).invoke(
        cli, ["export-xliff", str(folder), "--to", "cy", "--out", str(tmp_path / "cy.xlf")])
    assert result.exit_code == 1, result.output
    assert result.stderr == f"Error: {folder}: {said}\n"
    assert not (tmp_path / "cy.xlf").exists()


@pytest.mark.parametrize("args", [
    ["export-xliff", "{leaflet}", "--to", "not-a-language"],
    ["export-xliff", "{leaflet}"],
])
def test_usage_errors_exit_2(args: list[str], rich_dir: Path) -> None:
    result = CliRunner().invoke(cli, [a.format(leaflet=rich_dir) for a in args])
    assert result.exit_code == 2, result.output


def test_a_failed_write_leaves_the_previous_export(
    rich_dir: Path, exported: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before, files = exported.read_bytes(), sorted(exported.parent.iterdir())

    def full(*_args: Any) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(ExportError, match=r"cannot write it .No space left on device"):
        export_xliff(rich_dir, "ur", exported)
    assert exported.read_bytes() == before
    assert sorted(exported.parent.iterdir()) == files


def test_a_failed_import_write_leaves_the_translation(
    rich_dir: Path, translated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    existing = rich_dir / "cy.md"
    import_xliff(translated, rich_dir)
    before, files = existing.read_bytes(), sorted(rich_dir.iterdir())
    again = tool_translate(translated, translated.with_name("again.xlf"),
                           lambda text: pseudo(text).replace("[[", "(("))

    def broken(*_args: Any) -> None:
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(ImportDocxError, match=r"cy\.md: cannot write it \(Input/output error"):
        import_xliff(again, rich_dir, force=True)
    assert existing.read_bytes() == before and sorted(rich_dir.iterdir()) == files


# The source changed since the file was made ----------------------------------------------------


@pytest.mark.parametrize("case", list(EDITS))
def test_a_file_of_an_edited_source_keeps_every_translation_still_matching(
    case: str, rich_dir: Path, translated: Path, tmp_path: Path
) -> None:
    pristine = tmp_path / "pristine" / rich_dir.name
    shutil.copytree(rich_dir, pristine)
    import_xliff(translated, pristine)
    before = translations(load_leaflet(pristine, "en-GB"), load_leaflet(pristine, "cy"))
    edit_source(rich_dir, case)
    report = import_xliff(translated, rich_dir)
    assert_kept(rich_dir, before, report, case)


def test_an_export_after_a_split_offers_each_translation_under_its_new_id(
    rich_dir: Path, translated: Path, tmp_path: Path
) -> None:
    import_xliff(translated, rich_dir)
    edit_source(rich_dir, "split")
    root = tree(export_xliff(rich_dir, "cy", tmp_path / "again.xlf").path)

    def segment(unit_id: str) -> tuple[str, str | None]:
        found = unit(root, unit_id).find("x:segment", NS)
        target = found.find("x:target", NS)
        return found.get("state"), "".join(target.itertext()) if target is not None else None

    state, target = segment("intro.2")  # the first half: the older (whole) translation
    assert state == "initial" and target == pseudo(
        "The CSF is a clear fluid that surrounds the brain and spinal cord. The CSF supports "
        "and protects the brain and the spinal cord.")
    assert segment("intro.3") == ("initial", None)  # the second half is new
    assert segment("intro.4") == ("translated", pseudo(
        "The aim of treatment is usually to control the growth of the cancer and relieve "
        "symptoms."))


@pytest.mark.parametrize("force", [False, True])
def test_a_file_whose_target_is_the_source_language_is_refused(
    force: bool, rich_dir: Path, translated: Path, tmp_path: Path
) -> None:
    bad = edited(translated, tmp_path / "en.xlf", lambda root: root.set("trgLang", "en-GB"))
    english = (rich_dir / "en-GB.md").read_bytes()
    with pytest.raises(ImportDocxError, match=r"en-GB\.md is the leaflet's source, which "
                       r"translations are made from .* an import never replaces it"):
        import_xliff(bad, rich_dir, force=force)
    assert (rich_dir / "en-GB.md").read_bytes() == english
