"""Reopen the written DOCX (python-docx, raw XML, pandoc) and check it against the source."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import re
import shutil
import struct
import subprocess
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import pytest
from lxml import etree

from lmets_docs import formats
from lmets_docs.errors import BuildError
from lmets_docs.i18n import left_to_right
from lmets_docs.model import (
    Block,
    BulletList,
    FactRef,
    Figure,
    Inline,
    Leaflet,
    Link,
    ListItem,
    Paragraph,
    Section,
    Strong,
    Text,
)
from lmets_docs.ooxml.ids import anchors
from lmets_docs.ooxml.names import SOURCE_MAP_NS
from lmets_docs.options import PRINT_PROFILES, BuildOptions, Profile
from lmets_docs.source import load_leaflet
from lmets_docs.text import (
    block_texts,
    fold,
    formatter,
    leaflet_sentences,
    printed_text,
)
from lmets_docs.writers.docx import WRITER
from tests.conftest import BEFORE_DUE, SEED

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {
    "w": W,
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "cp": "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties",
    "vt": "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes",
    "sm": SOURCE_MAP_NS,
}
AFTER_DUE = dt.date(2023, 1, 9)
FACT_STYLE = "Fact - do not translate"
FURNITURE_HEADINGS = ["References", "About this information"]
"""The fixed sections at the end; the Helpline comes first, under the title (its box)."""


def w(name: str) -> str:
    """Return the Clark name of a ``w:`` attribute or element."""
    return f"{{{W}}}{name}"


def build(leaflet: Leaflet, out: Path, today: dt.date = BEFORE_DUE,
          profile: Profile | None = None) -> Path:
    """Write the DOCX of ``leaflet`` into ``out`` and return its path."""
    out.mkdir(parents=True, exist_ok=True)
    options = BuildOptions(out=out, today=today, profile=profile, templates=None, jobs=1)
    result = WRITER.write(leaflet, out, options)
    return out / result.files["docx"]


def part(path: Path, name: str) -> Any:
    """Return the parsed root element of one part of the package."""
    with zipfile.ZipFile(path) as package:
        return etree.fromstring(package.read(name))


def text_of(element: Any) -> str:
    """Return the text of every ``w:t`` under ``element``, in order."""
    return "".join(t.text or "" for t in element.iter(w("t")))


def body_paragraphs(path: Path) -> list[Any]:
    """Return the body's paragraphs as raw XML elements (content controls included)."""
    return list(part(path, "word/document.xml").iter(w("p")))


def style_ids(path: Path) -> dict[str, str]:
    """Return style name → style id from the styles part."""
    root = part(path, "word/styles.xml")
    return {s.find("w:name", NS).get(w("val")): s.get(w("styleId"))
            for s in root.findall("w:style", NS)}


def paragraph_style(p: Any) -> str | None:
    """Return the style id of a raw paragraph (None means Normal)."""
    style = p.find("w:pPr/w:pStyle", NS)
    return None if style is None else str(style.get(w("val")))


def control(root: Any, fact: str) -> Any:
    """Return the first content control of a fact."""
    found = root.xpath(f".//w:sdt[w:sdtPr/w:tag/@w:val='fact:{fact}']", namespaces=NS)
    assert found, f"no content control for {fact}"
    return found[0]


def walk_inlines(inlines: tuple[Inline, ...]) -> Iterator[Inline]:
    """Yield every inline, children included."""
    for item in inlines:
        yield item
        if isinstance(item, Strong | Link):
            yield from walk_inlines(item.children)


def fact_names(blocks: tuple[Block, ...]) -> set[str]:
    """Return the names of every fact the blocks refer to."""
    names = set()
    for block in blocks:
        groups = [i.inlines for i in block.items] if isinstance(block, BulletList) else [
            block.inlines] if isinstance(block, Paragraph) else []
        names |= {i.name for g in groups for i in walk_inlines(g) if isinstance(i, FactRef)}
    return names


@pytest.fixture(scope="module")
def seed() -> Leaflet:
    """Return the seed leaflet (module scope, so the DOCX is built once)."""
    return load_leaflet(SEED, "en-GB")


@pytest.fixture(scope="module")
def built(seed: Leaflet, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the DOCX of the seed leaflet, built before its review date."""
    return build(seed, tmp_path_factory.mktemp("docx"))


def test_writer_contract(seed: Leaflet, tmp_path: Path) -> None:
    result = WRITER.write(seed, tmp_path, BuildOptions(out=tmp_path, today=BEFORE_DUE))
    assert formats.load("docx") is WRITER
    assert WRITER.name == "docx"
    assert result.files == {"docx": "leptomeningeal-metastases-leaflet.docx"}
    assert result.engines["docx"] == f"python-docx {docx.__version__}"
    assert result.details["profile"] == "clear"
    assert (tmp_path / result.files["docx"]).is_file()


def test_every_sentence_of_the_source_is_there(seed: Leaflet, built: Path) -> None:
    text = fold("\n".join(text_of(p) for p in body_paragraphs(built)))
    missing = [s for s in leaflet_sentences(seed, printed=True) if fold(s) not in text]
    assert not missing


def test_headings_are_built_in_styles_in_order(seed: Leaflet, built: Path) -> None:
    document = docx.Document(str(built))
    headings = [(p.style.name, p.text) for p in document.paragraphs
                if p.style is not None and p.style.name.startswith(("Heading", "Title"))]
    assert headings[0] == ("Heading 1", seed.title)
    assert headings[1:] == [
        ("Heading 2", title)
        for title in ["Helpline", *[s.title for s in seed.sections], *FURNITURE_HEADINGS]]
    levels = [int(name.split()[-1]) for name, _ in headings]
    assert levels[0] == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels))


def test_list_items_are_list_bullet_with_real_numbering(seed: Leaflet, built: Path) -> None:
    items = {fold(t) for b in seed.all_blocks() if isinstance(b, BulletList)
             for t in block_texts(b, formatter(seed))}
    paragraphs = {fold(text_of(p)): p for p in body_paragraphs(built)}
    list_bullet = style_ids(built)["List Bullet"]
    assert items and all(paragraph_style(paragraphs[item]) == list_bullet for item in items)
    style = part(built, "word/styles.xml").find(f"w:style[@w:styleId='{list_bullet}']", NS)
    num_id = style.find("w:pPr/w:numPr/w:numId", NS).get(w("val"))
    numbering = part(built, "word/numbering.xml")
    abstract = numbering.find(f"w:num[@w:numId='{num_id}']/w:abstractNumId", NS).get(w("val"))
    level = numbering.find(f"w:abstractNum[@w:abstractNumId='{abstract}']/w:lvl", NS)
    assert level.find("w:numFmt", NS).get(w("val")) == "bullet"
    assert not [t for t in paragraphs if re.match("[\u2022\u00b7\u25aa*\u2013-]\\s", t)]


def test_no_empty_paragraphs_or_spaces_for_layout(built: Path) -> None:
    root = part(built, "word/document.xml")
    empty = [p for p in root.iter(w("p")) if not text_of(p).strip()
             and p.find(".//w:drawing", NS) is None]
    assert not empty
    assert not [t.text for t in root.iter(w("t")) if t.text and "  " in t.text]
    assert root.find(".//w:br", NS) is None and root.find(".//w:tab", NS) is None


def test_core_properties(seed: Leaflet, built: Path) -> None:
    core = docx.Document(str(built)).core_properties
    assert (core.title, core.language, core.author) == (
        seed.title, "en-GB", seed.publisher.name)
    assert core.subject and core.keywords
    assert core.created == core.modified == dt.datetime(2022, 6, 1, tzinfo=dt.UTC)


def test_language_font_and_size_in_style_defaults(built: Path) -> None:
    defaults = part(built, "word/styles.xml").find("w:docDefaults/w:rPrDefault/w:rPr", NS)
    assert defaults.find("w:lang", NS).get(w("val")) == "en-GB"
    assert defaults.find("w:rFonts", NS).get(w("ascii")) == "Arial"
    assert defaults.find("w:sz", NS).get(w("val")) == "28"  # 14 pt: clear print


@pytest.mark.parametrize("profile", ["large", "giant"])
def test_print_profiles_size_the_text(seed: Leaflet, tmp_path: Path, profile: Profile) -> None:
    sizes = PRINT_PROFILES[profile]
    document = docx.Document(str(build(seed, tmp_path, profile=profile)))
    styles = document.styles
    assert styles["Normal"].font.size.pt == sizes.body_pt
    assert styles["Heading 1"].font.size.pt == sizes.h1_pt
    assert styles["Heading 2"].font.size.pt == sizes.h2_pt
    footer = styles["Footer"]  # Normal's size, never smaller than the body (its own: none)
    assert footer.font.size is None and footer.base_style is not None
    assert footer.base_style.name == "Normal"


def test_figure_without_a_file_is_a_styled_description(seed: Leaflet, built: Path) -> None:
    figure = next(b for b in seed.all_blocks() if isinstance(b, Figure))
    paragraph = next(p for p in body_paragraphs(built) if text_of(p) == figure.alt)
    assert paragraph_style(paragraph) == style_ids(built)["Figure description"]
    assert part(built, "word/document.xml").find(".//w:drawing", NS) is None


def test_figure_with_a_file_is_a_picture_with_alt_text(leaflet_dir: Path, tmp_path: Path) -> None:
    (leaflet_dir / "device.png").write_bytes(png(40, 20))
    data = leaflet_dir / "leaflet.yaml"
    data.write_text(data.read_text().replace("file: null", "file: device.png"))
    leaflet = load_leaflet(leaflet_dir, "en-GB")
    figure = next(b for b in leaflet.all_blocks() if isinstance(b, Figure))
    root = part(build(leaflet, tmp_path / "out"), "word/document.xml")
    described = [e.get("descr") for e in root.iterfind(".//wp:docPr", NS)]
    assert described == [figure.alt]
    names = [e.get("name") for e in root.iter(f"{{{NS['wp']}}}docPr", f"{{{NS['pic']}}}cNvPr")]
    assert not [n for n in names if "." in n]


def png(width: int, height: int) -> bytes:
    """Return a small white PNG image."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data))
    rows = b"".join(b"\0" + b"\xff" * width * 3 for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
            + chunk(b"IEND", b""))


def test_facts_are_locked_tagged_and_in_their_style(seed: Leaflet, built: Path) -> None:
    facts = formatter(seed)
    fact_style = style_ids(built)[FACT_STYLE]
    root = part(built, "word/document.xml")
    controls = list(root.iter(w("sdt")))
    tags = set()
    for sdt in controls:
        tag = sdt.find("w:sdtPr/w:tag", NS).get(w("val"))
        if tag == "link-address":  # the forum's address after its name (test_fact_links.py)
            continue
        name = tag.removeprefix("fact:")
        tags.add(name)
        assert tag.startswith("fact:") and sdt.find("w:sdtPr/w:alias", NS) is not None
        assert sdt.find("w:sdtPr/w:lock", NS).get(w("val")) == "sdtContentLocked"
        runs = sdt.findall("w:sdtContent//w:r", NS)  # a phone number's inside its link
        assert {r.find("w:rPr/w:rStyle", NS).get(w("val")) for r in runs} == {fact_style}
        assert text_of(sdt) == facts.printed(name)
    wanted = fact_names(seed.all_blocks()) | {"review.last_reviewed", "review.next_review_due"}
    assert wanted <= tags


def test_facts_are_never_retyped_outside_their_controls(seed: Leaflet, built: Path) -> None:
    phone = formatter(seed).printed("helpline.phone")
    root = part(built, "word/document.xml")
    loose = [t.text for t in root.iter(w("t")) if not list(t.iterancestors(w("sdt")))]
    assert not [t for t in loose if t and phone in t]


def test_helpline_and_page_numbers_in_the_footer(seed: Leaflet, built: Path) -> None:
    footer = part(built, "word/footer1.xml")
    phone = control(footer, "contacts.helpline.phone")
    assert text_of(phone) == formatter(seed).printed("helpline.phone")
    instructions = [f.get(w("instr")).strip() for f in footer.iter(w("fldSimple"))]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert "Page 1 of 1" in text_of(footer)
    document = docx.Document(str(built))
    assert all(not s.footer.is_linked_to_previous for s in document.sections)


def test_review_dates_and_references_at_the_end(seed: Leaflet, built: Path) -> None:
    facts = formatter(seed)
    texts = [fold(text_of(p)) for p in body_paragraphs(built)]
    references, review = texts.index("References"), texts.index("About this information")
    assert references < review == len(texts) - 4
    assert texts[-3:] == [f"Published by {seed.publisher.name}",
                          f"Last reviewed: {facts.printed('review.last_reviewed')}",
                          f"Next review due: {facts.printed('review.next_review_due')}"]
    listed = texts[references + 1:review]
    assert all(any(ref.title in t for t in listed) for ref in seed.references)


def test_every_block_carries_its_source_id(seed: Leaflet, built: Path) -> None:
    source_map = {a.get("id"): a.get("bookmark")
                  for a in part(built, "customXml/item2.xml").iterfind("sm:anchor", NS)}
    starts = {b.get(w("name")): b for b in part(built, "word/document.xml").iter(
        w("bookmarkStart"))}
    assert len(starts) == len(source_map)
    assert all(re.fullmatch(r"[A-Za-z]\w{0,39}", name) for name in starts)
    facts = formatter(seed)
    for block in seed.all_blocks():
        start = starts[source_map[block.id]]
        if isinstance(block, Paragraph):
            assert fold(text_of(start.getparent())) == fold(printed_text(block.inlines, facts))
        if isinstance(block, BulletList):
            for item in block.items:
                holder = starts[source_map[item.id]].getparent()
                assert fold(text_of(holder)) == fold(printed_text(item.inlines, facts))
    for section in seed.sections:
        assert text_of(starts[source_map[section.id]].getparent()) == section.title


def test_custom_properties(seed: Leaflet, built: Path) -> None:
    root = part(built, "docProps/custom.xml")
    values = {p.get("name"): p.find("vt:lpwstr", NS).text for p in root.iterfind("cp:property", NS)}
    assert values["lmets:leaflet"] == seed.id
    assert values["lmets:lang"] == "en-GB"
    assert values["lmets:source_hash"] == seed.source_hash
    with zipfile.ZipFile(built) as package:
        assert "docProps/custom.xml" in package.read("_rels/.rels").decode()


def test_overdue_notice_only_after_the_due_date(seed: Leaflet, built: Path,
                                                tmp_path: Path) -> None:
    due = formatter(seed).printed("review.next_review_due")
    late = body_paragraphs(build(seed, tmp_path, today=AFTER_DUE))
    notice_style = style_ids(built)["Out of date notice"]
    assert paragraph_style(late[1]) == notice_style
    assert due in text_of(late[1])
    assert not [p for p in body_paragraphs(built) if paragraph_style(p) == notice_style]


def test_same_input_gives_the_same_document(seed: Leaflet, tmp_path: Path) -> None:
    first, second = build(seed, tmp_path / "a"), build(seed, tmp_path / "b")
    with zipfile.ZipFile(first) as a, zipfile.ZipFile(second) as b:
        assert a.read("word/document.xml") == b.read("word/document.xml")
    assert first.read_bytes() == second.read_bytes()


def test_right_to_left_paragraphs_and_runs(seed: Leaflet, tmp_path: Path) -> None:
    leaflet = dataclasses.replace(seed, lang="ar")
    path = build(leaflet, tmp_path)
    root = part(path, "word/document.xml")
    assert all(p.find("w:pPr/w:bidi", NS) is not None for p in root.iter(w("p")))
    phone = control(root, "contacts.helpline.phone")
    assert phone.find(".//w:rtl", NS) is None
    words = [r for r in root.iter(w("r")) if not list(r.iterancestors(w("sdt")))
             and text_of(r).strip(" \u2066\u2069")]
    # Arabic words run right to left; Latin ones (this seed's English text) are isolated
    # left to right (LRI … PDI), their runs not marked right to left
    wrong = [text_of(r) for r in words
             if (r.find("w:rPr/w:rtl", NS) is None) != left_to_right(text_of(r))]
    assert wrong == []
    assert any(r.find("w:rPr/w:rtl", NS) is not None for r in words)  # the Arabic fixed words
    runs = [text_of(r) for r in root.iter(w("r"))]
    assert runs.count("\u2066") == runs.count("\u2069") > len(words) // 2  # LRI … PDI
    assert "\u202a" not in runs and "\u202c" not in runs  # no embedding (LRE … PDF)
    defaults = part(path, "word/styles.xml").find(".//w:rPrDefault/w:rPr/w:lang", NS)
    assert defaults.get(w("bidi")) == "ar"


def test_strong_and_links(leaflet_dir: Path, tmp_path: Path) -> None:
    text = leaflet_dir / "en-GB.md"
    text.write_text(text.read_text().replace(
        "The aim of treatment", "**Ask your doctor** and see [our site](https://example.org/). "
        "The aim of treatment"))
    path = build(load_leaflet(leaflet_dir, "en-GB"), tmp_path)
    root = part(path, "word/document.xml")
    strong = [r for r in root.iter(w("r")) if text_of(r) == "Ask your doctor"]
    assert strong[0].find("w:rPr/w:rStyle", NS).get(w("val")) == "Strong"
    (link,) = [h for h in root.iter(w("hyperlink")) if text_of(h).startswith("our site")]
    assert text_of(link) == "our site (example.org)"  # its address printed, as in the PDF
    with zipfile.ZipFile(path) as package:
        rels = etree.fromstring(package.read("word/_rels/document.xml.rels"))
    rel_id = link.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
    target = next(r for r in rels if r.get("Id") == rel_id)
    assert (target.get("Target"), target.get("TargetMode")) == ("https://example.org/", "External")


def test_bookmark_names_are_valid_and_unique_for_awkward_ids(seed: Leaflet) -> None:
    # "step-1" block 2 and "step" list 1 item 2 would both read "step_1_2".
    para = Paragraph("step-1.2", (Text("x"),))
    bullets = BulletList("step.1", (ListItem("step.1.2", (Text("y"),)),))
    long_id = "a-very-long-section-title-that-goes-on-and-on-and-on"
    leaflet = dataclasses.replace(seed, intro=(), sections=(
        Section("step-1", "Step 1", (Paragraph("step-1.1", ()), para)),
        Section("step", "Step", (bullets,)),
        Section(long_id, "Long", (Paragraph(f"{long_id}.1", ()),)),
    ))
    names = [a.bookmark for a in anchors(leaflet).values()]
    assert len(set(names)) == len(names)
    assert all(re.fullmatch(r"[A-Za-z]\w{0,39}", name) for name in names)
    assert anchors(leaflet)[("block", "step-1.1")].bookmark == "blk_step_1_1"


def test_unwritable_folder_is_a_build_error(seed: Leaflet, tmp_path: Path) -> None:
    with pytest.raises(BuildError, match="cannot write the DOCX"):
        WRITER.write(seed, tmp_path / "missing", BuildOptions(out=tmp_path, today=BEFORE_DUE))


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed")
def test_pandoc_reads_it_back(seed: Leaflet, built: Path) -> None:
    markdown = subprocess.run(
        ["pandoc", "-f", "docx", "-t", "markdown-smart", "--wrap=none", str(built)],
        check=True, capture_output=True, text=True, timeout=60,
    ).stdout
    lines = markdown.splitlines()
    assert f"# {seed.title}" in lines
    assert all(f"## {title}" in lines for title in [s.title for s in seed.sections])
    for block in (b for b in seed.all_blocks() if isinstance(b, BulletList)):
        for item in block_texts(block, formatter(seed)):
            assert any(re.fullmatch(rf"-\s+{re.escape(item)}", line) for line in lines)
    assert "[**0808 800 4040**](tel:+448088004040)" in markdown  # the number's link, read back
    unlinked = re.sub(r"\[([^]]*)\]\((?:tel|https?):[^)]*\)", r"\1", markdown)
    plain = fold(re.sub(r"\\(.)", r"\1", unlinked.replace("**", "")))
    assert not [s for s in leaflet_sentences(seed, printed=True) if fold(s) not in plain]
