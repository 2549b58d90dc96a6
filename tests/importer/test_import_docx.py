"""``import-docx``: a translated DOCX back to ``<lang>.md``, and every way one is refused.

The English DOCX is built by the real writer, translated programmatically (``docx_edit``:
a pseudo-translation, a fixture) and imported into a copy of the seed leaflet.
"""

from __future__ import annotations

import copy
import dataclasses
import logging
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from lxml import etree

from lmets_docs import formats
from lmets_docs.cli import cli
from lmets_docs.errors import ImportDocxError
from lmets_docs.importer import import_docx
from lmets_docs.importer.factbox import FactBoxes, resolve
from lmets_docs.importer.markdown import render
from lmets_docs.importer.provenance import fingerprint
from lmets_docs.importer.write import validate
from lmets_docs.model import (
    Block,
    BulletList,
    FactRef,
    Figure,
    GlossaryTerm,
    Inline,
    Leaflet,
    Link,
    ListItem,
    Paragraph,
    Section,
    Strong,
    Text,
)
from lmets_docs.ooxml.ids import source_text
from lmets_docs.options import BuildOptions
from lmets_docs.source import load_leaflet
from tests import zips
from tests.conftest import BEFORE_DUE, DATA, SEED
from tests.docx_edit import W, edit_docx, pseudo, translate_docx
from tests.importer.source_edits import EDITS, assert_kept, edit_source, translations
from tests.writers.docx.test_docx import png

DOCUMENT = "word/document.xml"
Edit = Callable[[Any], None]


def build_docx(leaflet: Leaflet, out: Path) -> Path:
    """Build a leaflet's DOCX with the real writer and return its path."""
    out.mkdir(parents=True, exist_ok=True)
    options = BuildOptions(out=out, templates=None, today=BEFORE_DUE, jobs=1)
    return out / formats.load("docx").write(leaflet, out, options).files["docx"]


@pytest.fixture(scope="module")
def english(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the seed leaflet's English DOCX."""
    return build_docx(load_leaflet(SEED, "en-GB"), tmp_path_factory.mktemp("en"))


@pytest.fixture(scope="module")
def translated(english: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the English DOCX pseudo-translated, every run outside the facts changed."""
    return translate_docx(english, tmp_path_factory.mktemp("cy") / "cy.docx", pseudo)


def expected(leaflet: Leaflet, translate: Callable[[str], str], lang: str) -> Leaflet:
    """Return what importing a DOCX translated run by run with ``translate`` must give."""
    def inlines(items: tuple[Inline, ...]) -> tuple[Inline, ...]:
        return tuple(_inline(item) for item in items)

    def _inline(item: Inline) -> Inline:
        if isinstance(item, Text):
            return Text(translate(item.text))
        if isinstance(item, GlossaryTerm):
            return GlossaryTerm(translate(item.text))
        if isinstance(item, Strong):
            return Strong(inlines(item.children))
        if isinstance(item, Link):
            return Link(inlines(item.children), item.url)
        return item

    def block(item: Block) -> Block:
        if isinstance(item, Paragraph):
            return Paragraph(item.id, inlines(item.inlines))
        if isinstance(item, BulletList):
            return BulletList(item.id, tuple(ListItem(i.id, inlines(i.inlines))
                                             for i in item.items))
        assert isinstance(item, Figure)
        return dataclasses.replace(item, alt=translate(item.alt), line=0)

    return dataclasses.replace(
        leaflet, lang=lang, title=translate(leaflet.title),
        intro=tuple(block(b) for b in leaflet.intro),
        sections=tuple(Section(s.id, translate(s.title), tuple(block(b) for b in s.blocks))
                       for s in leaflet.sections),
        references_note=translate(leaflet.references_note or "") or None)


def comparable(leaflet: Leaflet) -> list[Any]:
    """Return a leaflet's text and structure, without line numbers and file paths."""
    def strip(block: Block) -> Block:
        if isinstance(block, Figure):
            return dataclasses.replace(block, line=0, path=None)
        return dataclasses.replace(block, line=0)

    return [leaflet.title, leaflet.references_note, [strip(b) for b in leaflet.intro],
            [(s.id, s.title, [strip(b) for b in s.blocks]) for s in leaflet.sections]]


# The round trip -------------------------------------------------------------------------------


def test_a_translated_docx_becomes_the_language_file(
    leaflet_dir: Path, translated: Path, seed_leaflet: Leaflet
) -> None:
    start = time.perf_counter()
    report = import_docx(translated, "cy", leaflet_dir)
    elapsed = time.perf_counter() - start
    assert report.path == leaflet_dir / "cy.md" and not report.replaced and not report.warnings
    assert (report.sections, report.blocks) == (5, 25)
    imported = load_leaflet(leaflet_dir, "cy")
    assert comparable(imported) == comparable(expected(seed_leaflet, pseudo, "cy"))
    assert elapsed < 2, f"import took {elapsed:.2f} s"


def test_the_language_file_has_front_matter_ids_and_fact_references(
    leaflet_dir: Path, translated: Path, seed_leaflet: Leaflet
) -> None:
    text = import_docx(translated, "cy", leaflet_dir).path.read_text(encoding="utf-8")
    front = text.split("---\n")[1]
    assert "lang: cy\n" in front and "translated_from: en-GB\n" in front
    assert f"source_hash: {seed_leaflet.source_hash}\n" in front
    assert front.startswith(f"title: '{pseudo(seed_leaflet.title)}'")
    for section in seed_leaflet.sections:
        assert f"{{#{section.id}}}\n## " in text
    assert "{{ contacts.helpline.phone }}" in text and "{{ contacts.helpline.hours }}" in text
    assert "0808 800 4040" not in text
    assert "](glossary:)" in text and "](image:ventricular-access-device)" in text
    units = yaml.safe_load(front)["source_units"]
    assert units["title"] == fingerprint(seed_leaflet.title)
    assert units["section:chemotherapy"] == fingerprint("Chemotherapy")
    first = seed_leaflet.intro[0]
    assert isinstance(first, Paragraph) and units[first.id] == fingerprint(
        source_text(first.inlines))


def _drop_bookmarks(*names: str) -> Edit:
    def edit(root: Any) -> None:
        for name in names:
            start = root.find(f".//{W}bookmarkStart[@{W}name='{name}']")
            end = root.find(f".//{W}bookmarkEnd[@{W}id='{start.get(f'{W}id')}']")
            for mark in (start, end):
                mark.getparent().remove(mark)
    return edit


LOST = ("blk_intro_2", "sec_radiotherapy", "blk_chemotherapy_3", "blk_chemotherapy_3_1",
        "blk_help_and_support_4")
"""Bookmarks Word deletes when a translator types over the whole of their paragraphs."""


def test_paragraphs_that_lost_their_bookmark_are_matched_by_place(
    leaflet_dir: Path, translated: Path, seed_leaflet: Leaflet, tmp_path: Path
) -> None:
    docx = edit_docx(translated, tmp_path / "lost.docx", {DOCUMENT: _drop_bookmarks(*LOST)})
    import_docx(docx, "cy", leaflet_dir)
    imported = load_leaflet(leaflet_dir, "cy")
    assert comparable(imported) == comparable(expected(seed_leaflet, pseudo, "cy"))


def test_a_lost_bookmark_beside_an_extra_paragraph_is_refused(
    leaflet_dir: Path, translated: Path, tmp_path: Path
) -> None:
    def edit(root: Any) -> None:
        _drop_bookmarks("blk_intro_2")(root)
        _add_after("blk_intro_1", "An extra paragraph.")(root)

    docx = edit_docx(translated, tmp_path / "lost.docx", {DOCUMENT: edit})
    with pytest.raises(ImportDocxError) as caught:
        import_docx(docx, "cy", leaflet_dir)
    assert "block intro.2 is missing from the DOCX" in str(caught.value)
    assert "'An extra paragraph.'): belongs to no part of the source" in str(caught.value)


def _untag(alias: Callable[[str], str | None]) -> Edit:
    """Drop every fact control's tag and lock, and rename or drop its alias."""
    def edit(root: Any) -> None:
        for props in root.iter(f"{W}sdtPr"):
            name = props.find(f"{W}tag").get(f"{W}val").removeprefix("fact:")
            for child in props.findall(f"{W}tag") + props.findall(f"{W}lock"):
                props.remove(child)
            label = props.find(f"{W}alias")
            new = alias(name)
            if new is None:
                props.remove(label)
            else:
                label.set(f"{W}val", new)
    return edit


@pytest.mark.parametrize("alias", [lambda name: f"Ffaith: {name}", lambda name: None],
                         ids=["by alias", "by text"])
def test_facts_without_tags_are_found_by_alias_or_text(
    alias: Callable[[str], str | None], leaflet_dir: Path, translated: Path,
    seed_leaflet: Leaflet, tmp_path: Path
) -> None:
    edits = dict.fromkeys([DOCUMENT, "word/footer1.xml"], _untag(alias))
    import_docx(edit_docx(translated, tmp_path / "untagged.docx", edits), "cy", leaflet_dir)
    imported = load_leaflet(leaflet_dir, "cy")
    assert comparable(imported) == comparable(expected(seed_leaflet, pseudo, "cy"))


def test_a_box_whose_text_several_facts_print_is_the_one_its_unit_wants() -> None:
    boxes = FactBoxes({"a.hours": "9 to 5", "b.hours": "9 to 5", "c.name": "X"})
    sdt = etree.fromstring(f'<w:sdt xmlns:w="{W[1:-1]}"><w:sdtPr/><w:sdtContent><w:r>'
                           "<w:t>9 to 5</w:t></w:r></w:sdtContent></w:sdt>")
    assert boxes.name(sdt) == "a.hours|b.hours"
    either = FactRef("a.hours|b.hours")
    got = resolve((Text("Open "), either, Strong((either,))), Counter(["b.hours", "a.hours"]))
    assert got == (Text("Open "), FactRef("a.hours"), Strong((FactRef("b.hours"),)))
    assert resolve((either,), Counter(["b.hours"])) == (FactRef("b.hours"),)


def test_a_picture_keeps_its_translated_description(leaflet_dir: Path, tmp_path: Path) -> None:
    (leaflet_dir / "device.png").write_bytes(png(40, 20))
    data = leaflet_dir / "leaflet.yaml"
    data.write_text(data.read_text().replace("file: null", "file: device.png"))
    source = build_docx(load_leaflet(leaflet_dir, "en-GB"), tmp_path / "en")
    import_docx(translate_docx(source, tmp_path / "cy.docx", pseudo), "cy", leaflet_dir)
    figure = next(b for b in load_leaflet(leaflet_dir, "cy").all_blocks()
                  if isinstance(b, Figure))
    assert figure.alt == pseudo("Diagram showing butterfly accessing Ventricular device")
    assert figure.path is not None and figure.path.name == "device.png"


def test_markup_characters_in_a_translation_stay_text(seed_leaflet: Leaflet,
                                                       leaflet_dir: Path) -> None:
    tricky = ("1. *not* a list, _nor_ [a link](https://x.org) or <b>html</b> &amp; {#id} "
              "\\ `code` # here!")
    starts = ["- dash", "# hash", "> quote", "+ plus", "2) two", "{#attrs}", "~~~ fence", "=="]
    leaflet = dataclasses.replace(seed_leaflet, title="# Title #", intro=tuple(
        Paragraph(f"intro.{n}", (Text(text),)) for n, text in enumerate([tricky, *starts], 1)))
    meant = dataclasses.replace(leaflet, lang="cy", references_note=None)
    text = render(meant, {"title": meant.title, "lang": "cy"})
    assert comparable(validate(leaflet_dir / "cy.md", text)) == comparable(meant)
    assert not (leaflet_dir / "cy.md").exists()


# Refusals: the DOCX was changed where it must not be -----------------------------------------


def _holder(root: Any, bookmark: str) -> Any:
    start = root.find(f".//{W}bookmarkStart[@{W}name='{bookmark}']")
    return next(start.iterancestors(f"{W}p"))


def _fact(root: Any, name: str, nth: int = 0) -> Any:
    return root.xpath(f".//w:sdt[w:sdtPr/w:tag/@w:val='fact:{name}']",
                      namespaces={"w": W[1:-1]})[nth]


def _retype(name: str, old: str, new: str, nth: int | None = None) -> Edit:
    def edit(root: Any) -> None:
        controls = root.xpath(f".//w:sdt[w:sdtPr/w:tag/@w:val='fact:{name}']",
                              namespaces={"w": W[1:-1]})
        for sdt in controls if nth is None else controls[nth:nth + 1]:
            for t in sdt.iter(f"{W}t"):
                t.text = t.text.replace(old, new)
    return edit


def _delete(bookmark: str) -> Edit:
    def edit(root: Any) -> None:
        p = _holder(root, bookmark)
        p.getparent().remove(p)
    return edit


def _add_after(bookmark: str, text: str) -> Edit:
    def edit(root: Any) -> None:
        p = _holder(root, bookmark)
        new = etree.SubElement(p.getparent(), f"{W}p")
        etree.SubElement(etree.SubElement(new, f"{W}r"), f"{W}t").text = text
        p.addnext(new)
    return edit


def _join(first: str, second: str) -> Edit:
    def edit(root: Any) -> None:
        a, b = _holder(root, first), _holder(root, second)
        for child in list(b):
            if child.tag != f"{W}pPr":
                a.append(child)
        b.getparent().remove(b)
    return edit


def _drop_fact(name: str, nth: int = 0) -> Edit:
    def edit(root: Any) -> None:
        sdt = _fact(root, name, nth)
        sdt.getparent().remove(sdt)
    return edit


def _track_changes(root: Any) -> None:
    run = _holder(root, "blk_intro_1").find(f"{W}r")
    inserted = etree.Element(f"{W}ins", {f"{W}id": "99", f"{W}author": "Translator"})
    run.addprevious(inserted)
    inserted.append(run)


def _empty(bookmark: str) -> Edit:
    def edit(root: Any) -> None:
        for t in _holder(root, bookmark).iter(f"{W}t"):
            t.text = ""
    return edit


REFUSALS: dict[str, tuple[dict[str, Edit], list[str]]] = {
    "changed phone digit": ({DOCUMENT: _retype("contacts.helpline.phone", "4040", "4041")}, [
        "paragraph", "help-and-support.2", "the locked fact contacts.helpline.phone was changed",
        "the DOCX has '0808 800 4041', the source '0808 800 4040'"]),
    "changed date": ({DOCUMENT: _retype("review.last_reviewed", "22 November", "23 November")}, [
        "the locked fact review.last_reviewed was changed",
        "the DOCX has '23 November 2019', the source '22 November 2019'"]),
    "changed footer": ({"word/footer1.xml": _retype("contacts.helpline.phone", "0808", "0800")}, [
        "footer 1: the locked fact contacts.helpline.phone was changed"]),
    "missing block": ({DOCUMENT: _delete("blk_chemotherapy_4")}, [
        "block chemotherapy.4 is missing from the DOCX", "made from 'Ventricular access",
        "undo the deletion"]),
    "missing list item": ({DOCUMENT: _delete("blk_chemotherapy_7_2")}, [
        "list item chemotherapy.7.2 is missing from the DOCX", "made from 'cytarabine'"]),
    "missing section": ({DOCUMENT: _delete("sec_radiotherapy")}, [
        "section radiotherapy is missing from the DOCX"]),
    "extra block": ({DOCUMENT: _add_after("blk_chemotherapy_1", "An extra paragraph.")}, [
        "belongs to no part of the source", "split from chemotherapy.1",
        "'An extra paragraph.'"]),
    "extra list item": ({DOCUMENT: _add_after("blk_chemotherapy_3_2", "Another item")}, [
        "belongs to no part of the source", "split from chemotherapy.3.2"]),
    "joined paragraphs": ({DOCUMENT: _join("blk_intro_1", "blk_intro_2")}, [
        "holds block intro.1 and block intro.2, which were joined"]),
    "fact deleted": ({DOCUMENT: _drop_fact("contacts.helpline.phone", nth=1)}, [  # 0: the box
        "help-and-support.2", "the fact {{ contacts.helpline.phone }} is missing"]),
    "emptied block": ({DOCUMENT: _empty("blk_intro_3")}, ["intro.3", "is empty"]),
    "tracked changes": ({DOCUMENT: _track_changes}, ["tracked changes", "Accept All"]),
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_a_refused_import_names_the_place_and_leaves_the_translation(
    case: str, leaflet_dir: Path, translated: Path, tmp_path: Path
) -> None:
    edits, fragments = REFUSALS[case]
    docx = edit_docx(translated, tmp_path / "edited.docx", edits)
    existing = leaflet_dir / "cy.md"
    shutil.copy(leaflet_dir / "en-GB.md", existing)
    before, files = existing.read_bytes(), sorted(leaflet_dir.iterdir())
    with pytest.raises(ImportDocxError) as caught:
        import_docx(docx, "cy", leaflet_dir, force=True)
    message = str(caught.value)
    assert message.startswith(f"{docx}: ")
    assert all(fragment in message for fragment in fragments), message
    assert existing.read_bytes() == before
    assert sorted(leaflet_dir.iterdir()) == files


def test_every_problem_is_reported_at_once(leaflet_dir: Path, translated: Path,
                                           tmp_path: Path) -> None:
    def two_changes(root: Any) -> None:
        _retype("contacts.helpline.phone", "4040", "4041", nth=1)(root)  # 0: the box's
        _delete("blk_intro_2")(root)

    docx = edit_docx(translated, tmp_path / "two.docx", {DOCUMENT: two_changes})
    with pytest.raises(ImportDocxError) as caught:
        import_docx(docx, "cy", leaflet_dir)
    lines = str(caught.value).splitlines()
    assert lines[0] == f"{docx}: 2 problems; nothing was written"
    assert all(line.startswith(f"{docx}: ") for line in lines)
    # in document order: the paragraph deleted near the start before the phone near the end
    assert re.match(rf"{re.escape(str(docx))}: after paragraph \d+: block intro.2 is missing",
                    lines[1]), lines
    assert "help-and-support" in lines[2] and "0808 800 4041" in lines[2], lines
    assert not (leaflet_dir / "cy.md").exists()


def test_an_existing_translation_needs_force_and_then_shows_the_diff(
    leaflet_dir: Path, translated: Path, caplog: pytest.LogCaptureFixture
) -> None:
    target = import_docx(translated, "cy", leaflet_dir).path
    target.write_text(target.read_text(encoding="utf-8").replace(
        "\\[\\[Çhémöţhéŕàpý\\]\\]\n", "Cemotherapi\n"), "utf-8")
    edited = target.read_bytes()
    with pytest.raises(ImportDocxError, match=r"already there; nothing was written\. Import "
                       r"again with --force"):
        import_docx(translated, "cy", leaflet_dir)
    assert target.read_bytes() == edited
    with caplog.at_level(logging.INFO, logger="lmets_docs"):
        report = import_docx(translated, "cy", leaflet_dir, force=True)
    assert report.replaced
    assert "-## Cemotherapi" in report.diff and "+## \\[\\[Çhémöţhéŕàpý\\]\\]" in report.diff
    assert report.diff.startswith(f"--- {target} (before)\n+++ {target} (imported)")
    assert report.diff in caplog.text


def test_a_translation_revised_in_its_own_docx_keeps_where_it_came_from(
    leaflet_dir: Path, translated: Path, seed_leaflet: Leaflet, tmp_path: Path
) -> None:
    import_docx(translated, "cy", leaflet_dir)
    welsh = build_docx(load_leaflet(leaflet_dir, "cy"), tmp_path / "cy")
    revised = translate_docx(welsh, tmp_path / "revised.docx", lambda text: text.replace(
        "Çhémöţhéŕàpý", "Cemotherapi"))
    report = import_docx(revised, "cy", leaflet_dir, force=True)
    assert "+## \\[\\[Cemotherapi\\]\\]" in report.diff and not report.warnings
    front = report.path.read_text(encoding="utf-8").split("---\n")[1]
    assert "translated_from: en-GB\n" in front
    assert f"source_hash: {seed_leaflet.source_hash}\n" in front


SM = "{urn:lmets-docs:source-map:1}"


def _source_map_part(docx: Path) -> str:
    with zipfile.ZipFile(docx) as package:
        return next(name for name in package.namelist() if name.startswith("customXml/item")
                    and b"urn:lmets-docs:source-map:1" in package.read(name)[:300])


def _swap_map_ids(first: str, second: str) -> Edit:
    def edit(root: Any) -> None:
        a, b = (root.find(f"{SM}anchor[@id='{unit}']") for unit in (first, second))
        a.set("id", second)
        b.set("id", first)
    return edit


def _swap_bookmark_names(first: str, second: str) -> Edit:
    def edit(root: Any) -> None:
        a, b = (root.find(f".//{W}bookmarkStart[@{W}name='{name}']") for name in (first, second))
        a.set(f"{W}name", second)
        b.set(f"{W}name", first)
    return edit


def test_a_source_map_whose_ids_were_swapped_is_refused(
    leaflet_dir: Path, translated: Path, tmp_path: Path
) -> None:
    part = _source_map_part(translated)
    docx = edit_docx(translated, tmp_path / "map.docx",
                     {part: _swap_map_ids("chemotherapy.1", "chemotherapy.2")})
    with pytest.raises(ImportDocxError) as caught:
        import_docx(docx, "cy", leaflet_dir)
    message = str(caught.value)
    assert "the DOCX's source map was edited, so its paragraphs cannot be matched" in message
    assert "chemotherapy.1: its source text is not the current en-GB.md's" in message
    assert "chemotherapy.2: its source text is not the current en-GB.md's" in message
    assert not (leaflet_dir / "cy.md").exists()


def test_bookmarks_out_of_the_source_order_are_refused(
    leaflet_dir: Path, translated: Path, tmp_path: Path
) -> None:
    docx = edit_docx(translated, tmp_path / "order.docx",
                     {DOCUMENT: _swap_bookmark_names("blk_intro_2", "blk_intro_4")})
    with pytest.raises(ImportDocxError) as caught:
        import_docx(docx, "cy", leaflet_dir)
    message = str(caught.value)
    assert "holds block intro.3, which comes after block intro.2 in the source but stands " \
           "before it" in message
    assert not (leaflet_dir / "cy.md").exists()


# Refusals: the DOCX belongs elsewhere or is older -----------------------------------------------


def test_a_docx_of_another_leaflet_is_refused(leaflet_dir: Path, tmp_path: Path) -> None:
    other = build_docx(load_leaflet(DATA / "minimal", "en-GB"), tmp_path / "other")
    with pytest.raises(ImportDocxError, match="the DOCX was made from leaflet 'minimal-"
                       r"\S*', but .* is leaflet 'leptomeningeal-metastases'"):
        import_docx(other, "cy", leaflet_dir)
    with pytest.raises(ImportDocxError, match=r"no leaflet under .* has that id; name its "
                       r"folder with --leaflet"):
        import_docx(other, "cy", content=leaflet_dir.parent)
    assert not (leaflet_dir / "cy.md").exists()


def test_the_leaflet_folder_is_found_by_the_docx(leaflet_dir: Path, translated: Path) -> None:
    report = import_docx(translated, "cy", content=leaflet_dir.parent)
    assert report.path == leaflet_dir / "cy.md"


def test_a_docx_of_an_older_source_is_imported_with_a_warning_and_a_diff(
    leaflet_dir: Path, translated: Path, seed_leaflet: Leaflet, caplog: pytest.LogCaptureFixture
) -> None:
    english = leaflet_dir / "en-GB.md"
    english.write_text(english.read_text(encoding="utf-8").replace(
        "The aim of treatment is usually", "The aim of treatment is often"), "utf-8")
    with caplog.at_level(logging.WARNING, logger="lmets_docs"):
        report = import_docx(translated, "cy", leaflet_dir)
    warning, todo = report.warnings
    assert "changed, it keeps the older translation until translated again: 'The aim of " \
           "treatment is often" in todo
    assert "was made from an older version of" in warning
    assert "--- source when the file was made\n+++ source now" in warning
    assert "\n-block intro.3: The aim of treatment is usually to control" in warning
    assert "\n+block intro.3: The aim of treatment is often to control" in warning
    assert warning in caplog.text
    front = report.path.read_text(encoding="utf-8").split("---\n")[1]
    assert f"source_hash: {seed_leaflet.source_hash}\n" in front


def test_a_docx_of_a_source_that_gained_a_block_imports_the_rest(
    leaflet_dir: Path, translated: Path
) -> None:
    english = leaflet_dir / "en-GB.md"
    english.write_text(english.read_text(encoding="utf-8").replace(
        "## Radiotherapy\n", "## Radiotherapy\n\nA new first paragraph.\n"), "utf-8")
    report = import_docx(translated, "cy", leaflet_dir)
    todo = report.warnings[1]
    assert "1 of the DOCX's parts are new or changed in en-GB.md" in todo
    assert "section 'Radiotherapy' paragraph 1 (en-GB.md:" in todo
    assert "new, it holds the en-GB text until translated: 'A new first paragraph.'" in todo
    welsh = load_leaflet(leaflet_dir, "cy")
    first, *rest = next(s for s in welsh.sections if s.id == "radiotherapy").blocks
    assert isinstance(first, Paragraph) and source_text(first.inlines) == "A new first paragraph."
    assert rest and all(source_text(b.inlines).startswith("[[") for b in rest
                        if isinstance(b, Paragraph))
    [stale] = welsh.stale
    assert (stale.id, stale.place) == ("radiotherapy.1", "section 'Radiotherapy' paragraph 1")
    assert "cy.md was translated from an older en-GB.md: 1 part changed since (section " \
           "'Radiotherapy' paragraph 1 (en-GB.md:" in welsh.warnings[-1]


def test_a_docx_without_a_source_map_is_refused(leaflet_dir: Path, english: Path,
                                                tmp_path: Path) -> None:
    bare = tmp_path / "bare.docx"
    with zipfile.ZipFile(english) as old, zipfile.ZipFile(bare, "w") as new:
        for info in old.infolist():
            if not info.filename.startswith(("customXml/", "docProps/custom.xml")):
                new.writestr(info, old.read(info))
    # the map and the custom properties gone: nothing says where the DOCX came from (with
    # the properties, the map is made again: tests/importer/test_import_translator_ut.py)
    with pytest.raises(ImportDocxError, match=r"has lost its lmets-docs source map .* and its "
                       r"custom properties .* are gone too"):
        import_docx(bare, "cy", leaflet_dir)


# Refusals: not a DOCX, corrupt, hostile --------------------------------------------------------


@pytest.mark.parametrize(("content", "message"), [
    (b"Hello, this is plain text.\n", "not a DOCX: a DOCX is a zip package"),
    (b"%PDF-1.7\n...", "not a DOCX: it is a PDF file"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, r"an old Word 97-2003 \(\.doc\) file"),
    (b"", "not a DOCX: the file is empty"),
])
def test_a_file_that_is_not_a_docx_is_refused(
    content: bytes, message: str, leaflet_dir: Path, tmp_path: Path
) -> None:
    path = tmp_path / "leaflet.docx"
    path.write_bytes(content)
    with pytest.raises(ImportDocxError, match=message):
        import_docx(path, "cy", leaflet_dir)


def test_a_corrupt_docx_is_refused(leaflet_dir: Path, translated: Path, tmp_path: Path) -> None:
    cut = tmp_path / "cut.docx"
    cut.write_bytes(translated.read_bytes()[: translated.stat().st_size // 2])
    with pytest.raises(ImportDocxError, match="not a DOCX, or a corrupt one"):
        import_docx(cut, "cy", leaflet_dir)
    broken = tmp_path / "broken.docx"
    with zipfile.ZipFile(translated) as old, zipfile.ZipFile(broken, "w") as new:
        for info in old.infolist():
            data = old.read(info)
            new.writestr(info, data[:-40] if info.filename == DOCUMENT else data)
    with pytest.raises(ImportDocxError, match="word/document.xml: the DOCX is corrupt "
                       r"\(not well-formed XML"):
        import_docx(broken, "cy", leaflet_dir)


def test_entities_and_doctypes_are_never_expanded(leaflet_dir: Path, translated: Path,
                                                  tmp_path: Path) -> None:
    laughs = (b'<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "aaaaaaaaaa">'
              b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><w:document xmlns:w="'
              + W[1:-1].encode() + b'"><w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p>'
              b"</w:body></w:document>")
    hostile = tmp_path / "laughs.docx"
    with zipfile.ZipFile(translated) as old, zipfile.ZipFile(hostile, "w") as new:
        for info in old.infolist():
            new.writestr(info, laughs if info.filename == DOCUMENT else old.read(info))
    with pytest.raises(ImportDocxError, match="has a document type declaration"):
        import_docx(hostile, "cy", leaflet_dir)


@pytest.mark.parametrize(("make", "message"), [
    (lambda tmp, _docx: zips.bomb(tmp / "bomb.docx"),
     r"word/document.xml: refused: it would unpack to 1024 MiB \(a zip bomb\?\)"),
    (lambda tmp, _docx: zips.crowd(tmp / "crowd.docx"),
     r"refused: the zip's directory is too large \(60000 entries"),
    (lambda tmp, docx: zips.liar(docx, tmp / "liar.docx"),
     r"word/document.xml: the DOCX is corrupt \(Bad CRC-32"),
])
def test_a_zip_bomb_is_refused_fast_without_unpacking(
    make: Callable[[Path, Path], Path], message: str, leaflet_dir: Path, translated: Path,
    tmp_path: Path
) -> None:
    hostile = make(tmp_path, translated)
    start = time.perf_counter()
    with pytest.raises(ImportDocxError, match=message):
        import_docx(hostile, "cy", leaflet_dir)
    elapsed = time.perf_counter() - start
    assert elapsed < 1, f"refusing took {elapsed:.2f} s"
    assert not (leaflet_dir / "cy.md").exists()


# The command line -----------------------------------------------------------------------------


def test_the_command_writes_then_refuses_then_replaces(leaflet_dir: Path,
                                                       translated: Path) -> None:
    runner = CliRunner()
    args = ["import-docx", str(translated), "--lang", "cy", "--leaflet", str(leaflet_dir)]
    first = runner.invoke(cli, args)
    assert first.exit_code == 0, first.output
    assert f"wrote {leaflet_dir / 'cy.md'} (5 sections, 25 blocks)" in first.output
    second = runner.invoke(cli, args)
    assert second.exit_code == 1
    assert second.output.startswith(f"Error: {leaflet_dir / 'cy.md'}: a translation is "
                                    "already there")
    assert "Traceback" not in second.output
    third = runner.invoke(cli, [*args, "--force"])
    assert third.exit_code == 0 and "replaced" in third.output


def test_the_command_reports_a_refusal_as_file_place_message(
    leaflet_dir: Path, translated: Path, tmp_path: Path
) -> None:
    docx = edit_docx(translated, tmp_path / "x.docx",
                     {DOCUMENT: _retype("contacts.helpline.phone", "4040", "4041", nth=0)})
    result = CliRunner().invoke(cli, ["import-docx", str(docx), "--lang", "cy", "--leaflet",
                                      str(leaflet_dir)])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {docx}: paragraph ")
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.parametrize("args", [
    ["import-docx", "{docx}", "--lang", "not-a-language"],
    ["import-docx", "{docx}"],
])
def test_usage_errors_exit_2(args: list[str], translated: Path) -> None:
    result = CliRunner().invoke(cli, [a.format(docx=translated) for a in args])
    assert result.exit_code == 2, result.output
    assert "Usage:" in result.output


def test_an_untranslated_docx_is_refused_unless_forced(leaflet_dir: Path, english: Path) -> None:
    args = ["import-docx", str(english), "--lang", "cy", "--leaflet", str(leaflet_dir)]
    refused = CliRunner().invoke(cli, args)
    assert refused.exit_code == 1
    assert "paragraphs are word for word the en-GB text" in refused.output
    assert not (leaflet_dir / "cy.md").exists()
    forced = CliRunner().invoke(cli, [*args, "--force"])
    assert forced.exit_code == 0, forced.output
    assert (leaflet_dir / "cy.md").is_file()


# Hostile files given to import (and to import-xliff, which reads its file the same way) -------

HOSTILE_FILES: dict[str, tuple[Callable[[Path], None], str]] = {
    "a FIFO": (os.mkfifo, r"not a regular file: it is a FIFO \(named pipe\)"),
    "a link to /dev/zero": (lambda p: p.symlink_to("/dev/zero"),
                            "not a regular file: it is a character device"),
    "a link to nothing": (lambda p: p.symlink_to(p.parent / "nowhere"),
                          r"cannot read the file \(No such file or directory\)"),
    "a missing file": (lambda p: None, r"cannot read the file \(No such file or directory\)"),
    "a folder": (lambda p: p.mkdir(), "not a regular file: it is a folder"),
}


@pytest.mark.parametrize("command", ["import-docx", "import-xliff"])
@pytest.mark.parametrize("case", HOSTILE_FILES)
def test_a_file_that_is_not_a_regular_file_is_refused_at_once(
    leaflet_dir: Path, tmp_path: Path, case: str, command: str
) -> None:
    """A FIFO would block the reader for ever and /dev/zero would never end: refused by kind."""
    make, message = HOSTILE_FILES[case]
    path = tmp_path / "translated.docx"
    make(path)
    args = [command, str(path), "--leaflet", str(leaflet_dir)]
    if command == "import-docx":
        args += ["--lang", "cy"]
    result = subprocess.run([sys.executable, "-m", "lmets_docs", *args], capture_output=True,
                            text=True, timeout=60, check=False)
    assert result.returncode == 1, result.stdout + result.stderr
    assert re.search(f"^Error: {re.escape(str(path))}: {message}$", result.stderr, re.M), (
        result.stderr)
    assert "Traceback" not in result.stderr
    assert not (leaflet_dir / "cy.md").exists()


@pytest.mark.parametrize("make", ["fifo", "zero"])
def test_an_existing_translation_that_is_not_a_file_is_refused_when_forced(
    leaflet_dir: Path, translated: Path, make: str
) -> None:
    target = leaflet_dir / "cy.md"
    if make == "fifo":
        os.mkfifo(target)
    else:
        target.symlink_to("/dev/zero")
    args = ["import-docx", str(translated), "--lang", "cy", "--leaflet", str(leaflet_dir),
            "--force"]
    result = subprocess.run([sys.executable, "-m", "lmets_docs", *args], capture_output=True,
                            text=True, timeout=60, check=False)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{target}: " in result.stderr and "Traceback" not in result.stderr
    assert target.is_symlink() or target.is_fifo()


# The source changed since the DOCX was made: what still matches is imported ------------------


@pytest.mark.parametrize("case", list(EDITS))
def test_a_docx_of_an_edited_source_keeps_every_translation_still_matching(
    case: str, leaflet_dir: Path, translated: Path, tmp_path: Path
) -> None:
    pristine = tmp_path / "pristine" / leaflet_dir.name
    shutil.copytree(leaflet_dir, pristine)
    import_docx(translated, "cy", pristine)
    before = translations(load_leaflet(pristine, "en-GB"), load_leaflet(pristine, "cy"))
    edit_source(leaflet_dir, case)
    report = import_docx(translated, "cy", leaflet_dir)
    assert_kept(leaflet_dir, before, report, case)


USERTEST = DATA / "usertest"
"""The fresh-eyes user test's leaflet: a DOCX translated (by python-docx, and saved again by
LibreOffice) from en-GB.presplit.md, imported after the author split one paragraph (v2)."""


@pytest.mark.parametrize("docx", ["cy-good.docx", "cy-good-libreoffice.docx"])
def test_the_user_tests_docx_imports_after_the_author_split_a_paragraph(
    docx: str, tmp_path: Path
) -> None:
    folder = tmp_path / "eating-well-chemo"
    folder.mkdir()
    for name in ("leaflet.yaml", "plate.png"):
        shutil.copy(USERTEST / name, folder / name)
    shutil.copy(USERTEST / "en-GB.v2.md", folder / "en-GB.md")
    report = import_docx(USERTEST / docx, "cy", folder)
    todo = report.warnings[1]
    assert "2 of the DOCX's parts are new or changed in en-GB.md" in todo
    assert "section 'Infection and food safety' paragraph 1 (en-GB.md:33): changed, it keeps " \
           "the older translation" in todo
    assert "section 'Infection and food safety' paragraph 2 (en-GB.md:35): new, it holds the " \
           "en-GB text until translated: 'Keep your fridge" in todo
    assert "4 parts renumbered or moved in the source kept their translation" in todo
    welsh = load_leaflet(folder, "cy")
    infection = next(s for s in welsh.sections if s.id == "infection-and-food-safety")
    texts = [source_text(b.inlines) if isinstance(b, Paragraph) else
             [source_text(i.inlines) for i in b.items] if isinstance(b, BulletList) else ""
             for b in infection.blocks]
    assert str(texts[0]).startswith("Os oes gennych niwtropenia")  # the older translation
    assert str(texts[1]).startswith("Keep your fridge at 5 °C")  # new: English till translated
    assert texts[2] == ["Llaeth wedi\u2019i basteureiddio: ydy", "Wyau amrwd: na"]
    assert texts[3] == "Darllenwch fwy ar wefan y GIG."
    assert [s.id for s in welsh.stale] == ["infection-and-food-safety.1",
                                           "infection-and-food-safety.2"]


def _duplicate_anchor(root: Any) -> None:
    anchor = root.find(f"{SM}anchor[@id='intro.2']")
    anchor.addnext(copy.deepcopy(anchor))


def _forge_kind(root: Any) -> None:
    root.find(f"{SM}anchor[@id='intro.2']").set("kind", "script")


def _forge_text(root: Any) -> None:
    root.find(f"{SM}anchor[@id='intro.2']").text = "Anything at all."


@pytest.mark.parametrize(("edit", "message"), [
    (_duplicate_anchor, "intro.2: is recorded 2 times"),
    (_forge_kind, "script:intro.2: is recorded as a 'script' of shape 'paragraph', which "
                  "lmets-docs never writes"),
    (_forge_text, "intro.2: its source text is not the current en-GB.md's, which the file says "
                  "it was made from: the file has 'Anything at all.', the source 'The CSF is"),
])
def test_a_forged_source_map_is_refused_and_nothing_written(
    edit: Edit, message: str, leaflet_dir: Path, translated: Path, tmp_path: Path
) -> None:
    docx = edit_docx(translated, tmp_path / "forged.docx", {_source_map_part(translated): edit})
    files = {p: p.read_bytes() for p in leaflet_dir.iterdir() if p.is_file()}
    with pytest.raises(ImportDocxError) as caught:
        import_docx(docx, "cy", leaflet_dir, force=True)
    assert "the DOCX's source map was edited, so its paragraphs cannot be matched" in \
        str(caught.value)
    assert f"{docx}: {message}" in str(caught.value)
    assert {p: p.read_bytes() for p in leaflet_dir.iterdir() if p.is_file()} == files


@pytest.mark.parametrize("force", [False, True])
def test_the_source_language_is_never_replaced(
    force: bool, leaflet_dir: Path, translated: Path
) -> None:
    english = (leaflet_dir / "en-GB.md").read_bytes()
    result = CliRunner().invoke(cli, ["import-docx", str(translated), "--lang", "en-GB",
                                      "--leaflet", str(leaflet_dir), *(["--force"] if force
                                                                       else [])])
    assert result.exit_code == 1
    assert f"Error: {translated}: en-GB.md is the leaflet's source, which translations are made " \
           "from (the file was made from en-GB.md), not a translation: an import never " \
           "replaces it; nothing was written" in result.output
    assert "--force" not in result.output and "Traceback" not in result.output
    assert (leaflet_dir / "en-GB.md").read_bytes() == english


def test_a_source_other_translations_come_from_is_never_replaced(
    leaflet_dir: Path, translated: Path, tmp_path: Path
) -> None:
    import_docx(translated, "cy", leaflet_dir)
    welsh = build_docx(load_leaflet(leaflet_dir, "cy"), tmp_path / "cy")  # made from cy.md
    english = (leaflet_dir / "en-GB.md").read_bytes()
    with pytest.raises(ImportDocxError, match=r"en-GB\.md is the leaflet's source"):
        import_docx(welsh, "en-GB", leaflet_dir, force=True)
    assert (leaflet_dir / "en-GB.md").read_bytes() == english


def test_parts_new_in_the_source_do_not_count_as_left_untranslated(
    leaflet_dir: Path, translated: Path
) -> None:
    english = leaflet_dir / "en-GB.md"
    new = "".join(f"New paragraph number {n}.\n\n" for n in range(60))  # more than the rest
    english.write_text(english.read_text(encoding="utf-8").replace(
        "## Radiotherapy\n", f"## Radiotherapy\n\n{new}"), "utf-8")
    report = import_docx(translated, "cy", leaflet_dir)
    assert "60 of the DOCX's parts are new or changed in en-GB.md" in report.warnings[1]
    assert len(load_leaflet(leaflet_dir, "cy").stale) == 60
