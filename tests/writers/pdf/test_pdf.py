"""The pdf writer, checked on real PDFs read back: text, sizes, fonts, tags, metadata, safety."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import logging
import os
import re
from pathlib import Path

import pytest

from lmets_docs.build import build
from lmets_docs.check import pdf as check_pdf
from lmets_docs.errors import BuildError
from lmets_docs.manifest import read_manifest
from lmets_docs.model import Block, Figure, Leaflet
from lmets_docs.options import PRINT_PROFILES, BuildOptions, Profile
from lmets_docs.source import load_leaflet
from lmets_docs.text import fold, formatter, leaflet_sentences
from lmets_docs.writers import WriterResult
from lmets_docs.writers.pdf import WRITER, output_name
from lmets_docs.writers.pdf.template import environment, render_page
from tests import pdfread
from tests.conftest import BEFORE_DUE, SEED

AFTER_DUE = dt.date(2023, 1, 2)
SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100">'
       '<rect width="200" height="100" fill="#ddd"/><circle cx="100" cy="50" r="40"/></svg>')


@dataclasses.dataclass
class Built:
    """A PDF the writer made, with the leaflet and the writer's result."""

    leaflet: Leaflet
    result: WriterResult
    path: Path


def write(leaflet: Leaflet, out: Path, profile: Profile | None = None,
          today: dt.date = BEFORE_DUE, templates: Path | None = None) -> Built:
    """Run the pdf writer into ``out`` and return what it made."""
    out.mkdir(parents=True, exist_ok=True)
    options = BuildOptions(out=out, profile=profile, today=today, templates=templates)
    result = WRITER.write(leaflet, out, options)
    return Built(leaflet, result, out / result.files["pdf"])


def footer(leaflet: Leaflet) -> str:
    """Return the helpline footer as the facts format it."""
    facts = formatter(leaflet)
    return f"Helpline: {facts.printed('helpline.phone')}, {facts.printed('helpline.hours')}"


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory, seed_leaflet: Leaflet) -> Built:
    """Return the seed leaflet printed with the default (large) profile, before its due date."""
    return write(seed_leaflet, tmp_path_factory.mktemp("large"))


@pytest.fixture(scope="module")
def giant_overdue(tmp_path_factory: pytest.TempPathFactory, seed_leaflet: Leaflet) -> Built:
    """Return the seed leaflet in giant print, built after its next review date."""
    return write(seed_leaflet, tmp_path_factory.mktemp("giant"), "giant", AFTER_DUE)


@pytest.fixture(scope="module")
def with_image(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """Return a copy of the seed leaflet whose figure has an image file."""
    folder = tmp_path_factory.mktemp("image") / "leaflet"
    folder.mkdir()
    for name in ("leaflet.yaml", "en-GB.md"):
        (folder / name).write_text((SEED / name).read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "device.svg").write_text(SVG, encoding="utf-8")
    yaml = (folder / "leaflet.yaml").read_text(encoding="utf-8")
    (folder / "leaflet.yaml").write_text(yaml.replace("file: null", "file: device.svg"),
                                         encoding="utf-8")
    return write(load_leaflet(folder, "en-GB"), folder.parent / "out")


# -- text ------------------------------------------------------------------------------------

def test_the_same_source_gives_the_same_pdf_byte_for_byte(
        large: Built, tmp_path: Path, seed_leaflet: Leaflet) -> None:
    # Reproducible: a rebuild, a batch worker and a golden file all see the same bytes (the
    # file identifier comes from the content, not from a random number).
    again = write(seed_leaflet, tmp_path)
    assert again.path.read_bytes() == large.path.read_bytes()


def test_every_sentence_of_the_source_is_printed(large: Built) -> None:
    # a link's address wraps after a "/" (the forum's, printed after its name)
    text = pdfread.body_text(large.path, footer(large.leaflet)).replace("/ ", "/")
    missing = [s for s in leaflet_sentences(large.leaflet, printed=True) if fold(s) not in text]
    assert not missing


def test_every_page_has_its_number_and_the_helpline_footer(large: Built) -> None:
    pages = pdfread.page_texts(large.path)
    assert len(pages) == large.result.details["pages"] > 1
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text
        assert footer(large.leaflet) in text


def test_title_page_and_last_page_carry_the_facts(large: Built) -> None:
    facts = formatter(large.leaflet)
    pages = pdfread.page_texts(large.path)
    reviewed = f"Last reviewed: {facts.printed('review.last_reviewed')}"
    due = f"Next review due: {facts.printed('review.next_review_due')}"
    assert large.leaflet.title in pages[0] and "Cancer Research UK" in pages[0]
    for page in (pages[0], pages[-1]):
        assert reviewed in page and due in page
    assert f"Call {facts.printed('helpline.phone')}" in pages[0]
    assert "out of date" not in " ".join(pages)


def test_phone_and_web_links_work(large: Built) -> None:
    facts = formatter(large.leaflet)
    links = pdfread.hyperlinks(large.path)
    assert facts["helpline.phone"].link in links
    assert facts["forum.name"].link in links


def test_overdue_leaflet_says_so_on_its_title_page(giant_overdue: Built) -> None:
    due = formatter(giant_overdue.leaflet).printed("review.next_review_due")
    pages = pdfread.page_texts(giant_overdue.path)
    notice = f"This information is out of date: its review was due on {due}."
    assert notice in pages[0]
    # and again in "About this information" at the end, which may begin a page earlier
    about = next(i for i, page in enumerate(pages) if "About this information" in page)
    assert notice in " ".join(pages[about:]).split("About this information", 1)[1]


# -- large print -----------------------------------------------------------------------------

# WeasyPrint computes in CSS pixels (1 pt = 4/3 px): 16 pt comes back as 15.99976 pt.
ROUNDING = 0.001


@pytest.mark.parametrize("name", ["large", "giant_overdue"])
def test_nothing_on_any_page_is_under_the_profile_minimum(
    name: str, request: pytest.FixtureRequest
) -> None:
    built: Built = request.getfixturevalue(name)
    minimum = PRINT_PROFILES[built.result.details["profile"]].min_pt
    sizes = pdfread.char_sizes(built.path)
    small = [(page, ch, size) for page, ch, size in sizes if size < minimum - ROUNDING]
    assert sizes and not small
    body = PRINT_PROFILES[built.result.details["profile"]].body_pt
    assert max(set(s for _, _, s in sizes), key=[s for _, _, s in sizes].count) == \
        pytest.approx(body, abs=0.01)


def test_profiles_are_reported(large: Built, giant_overdue: Built) -> None:
    assert large.result.details["profile"] == "large"
    assert giant_overdue.result.details["profile"] == "giant"
    assert giant_overdue.result.details["pages"] > large.result.details["pages"]
    assert large.result.engines["pdf"].startswith("WeasyPrint ")
    assert large.path.name == "leptomeningeal-metastases-large-print.pdf"
    assert large.result.warnings == []


def test_clear_print_is_raised_to_large_print(
    seed_leaflet: Leaflet, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="lmets_docs"):
        built = write(seed_leaflet, tmp_path, "clear")
    assert built.result.details["profile"] == "large"
    assert "too small for large print" in caplog.text
    assert min(size for _, _, size in pdfread.char_sizes(built.path)) >= 16 - ROUNDING


@pytest.mark.parametrize("name", ["large", "giant_overdue", "with_image"])
def test_fonts_are_embedded_upright_and_have_every_glyph(
    name: str, request: pytest.FixtureRequest
) -> None:
    path: Path = request.getfixturevalue(name).path
    fonts = pdfread.fonts(path)
    assert fonts and all(font.embedded for font in fonts)
    assert all("Atkinson-Hyperlegible" in font.name for font in fonts)
    assert not [f for f in fonts if re.search("italic|oblique", f.name, re.I)
                or f.italic_angle != 0 or f.flags & 64]
    assert 0 not in pdfread.glyph_ids(path)
    assert "(cid:" not in " ".join(pdfread.page_texts(path))


# -- PDF/UA structure and metadata -----------------------------------------------------------

def test_structure_tree_headings_start_at_h1_and_skip_no_level(large: Built) -> None:
    root = pdfread.structure(large.path)
    assert root is not None and root.tag == "Document"
    levels = [int(e.tag[1]) for e in root.walk() if re.fullmatch(r"H[1-6]", e.tag)]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels))
    # the sections, the references, "About this information" and the contacts' heading
    assert levels.count(2) == len(large.leaflet.sections) + 3
    assert levels.count(3) == 1  # the one contact's name, under its heading


def test_lists_are_tagged_l_li_lbl_lbody(large: Built) -> None:
    root = pdfread.structure(large.path)
    assert root is not None
    lists = [e for e in root.walk() if e.tag == "L"]
    assert len(lists) >= 4
    for element in lists:
        assert element.kids and {kid.tag for kid in element.kids} == {"LI"}
        for item in element.kids:
            assert [kid.tag for kid in item.kids] == ["Lbl", "LBody"]


def test_figure_with_an_image_has_alternative_text(with_image: Built) -> None:
    root = pdfread.structure(with_image.path)
    assert root is not None
    figures = [e for e in root.walk() if e.tag == "Figure"]
    alt = "Diagram showing butterfly accessing Ventricular device"
    assert [f.alt for f in figures] == [alt]
    assert alt in " ".join(pdfread.page_texts(with_image.path))  # printed as its caption too


def test_language_title_and_metadata(large: Built) -> None:
    catalog = pdfread.catalog(large.path)
    assert catalog["/Lang"] == "en-GB"
    assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"])
    assert bool(catalog["/MarkInfo"]["/Marked"])
    info = pdfread.info(large.path)
    assert info["/Title"] == large.leaflet.title
    assert info["/Author"] == "Cancer Research UK"
    assert "Cancer Research UK" in info["/Subject"]
    xmp = pdfread.xmp(large.path)
    assert 'pdfuaid:part="1"' in xmp
    assert f">{large.leaflet.title}</rdf:li>" in xmp
    assert "<dc:language><rdf:Bag><rdf:li>en-GB</rdf:li>" in xmp


def test_one_bookmark_per_section(large: Built) -> None:
    titles = pdfread.outline_titles(large.path)
    sections = [s.title for s in large.leaflet.sections]
    # the contacts' heading, with its one contact under it, opens the outline
    helpline = formatter(large.leaflet).printed("helpline.name")
    assert titles == ["Helpline", helpline, *sections, "References", "About this information"]


# -- templates, RTL and resources ------------------------------------------------------------

def user_templates(tmp_path: Path, html: str) -> Path:
    """Return a templates folder whose pdf/leaflet.html is ``html``."""
    folder = tmp_path / "templates"
    (folder / "pdf").mkdir(parents=True)
    (folder / "pdf" / "leaflet.html").write_text(html, encoding="utf-8")
    return folder


def extending(block: str, content: str) -> str:
    """Return a user template extending the built-in one, replacing one block."""
    return (f'{{% extends "builtin/leaflet.html" %}}{{% block {block} %}}{content}'
            "{% endblock %}")


def test_user_template_override_is_used(seed_leaflet: Leaflet, tmp_path: Path) -> None:
    templates = user_templates(tmp_path, extending("title_page_extra",
                                                   "<p>Printed for the Ward 7 clinic</p>"))
    built = write(seed_leaflet, tmp_path / "out", templates=templates)
    assert "Printed for the Ward 7 clinic" in pdfread.page_texts(built.path)[0]


def test_a_user_template_changed_between_two_prints_is_read_again(
        seed_leaflet: Leaflet, tmp_path: Path) -> None:
    templates = user_templates(tmp_path, extending("title_page_extra", "<p>First issue</p>"))
    options = BuildOptions(out=tmp_path, templates=templates, today=BEFORE_DUE)
    assert "First issue" in render_page(seed_leaflet, options).html
    page = templates / "pdf" / "leaflet.html"
    page.write_text(extending("title_page_extra", "<p>Second issue</p>"), encoding="utf-8")
    later = page.stat().st_mtime + 10  # a new time even where the clock is coarse
    os.utime(page, (later, later))
    second = render_page(seed_leaflet, options).html
    assert "Second issue" in second and "First issue" not in second
    # One environment per folder and process: the built-in templates compiled once.
    assert environment(templates / "pdf") is environment(templates / "pdf")
    (templates / "pdf" / "leaflet.css").write_text("/* the house style */", encoding="utf-8")
    assert "the house style" in render_page(seed_leaflet, options).html  # a file added


@pytest.mark.parametrize("resource", [
    '<img src="file:///etc/passwd" alt="x">',
    '<img src="../../../../../../../../etc/passwd" alt="x">',
    '<link rel="stylesheet" href="http://example.invalid/house.css">',
    '<img src="https://example.invalid/logo.png" alt="logo">',
])
def test_resources_outside_the_leaflet_are_refused(
    seed_leaflet: Leaflet, tmp_path: Path, resource: str
) -> None:
    templates = user_templates(tmp_path, extending("title_page_extra", resource))
    with pytest.raises(BuildError, match="refused"):
        write(seed_leaflet, tmp_path / "out", templates=templates)
    assert not (tmp_path / "out" / output_name(seed_leaflet)).exists()


def _with_figure_path(blocks: tuple[Block, ...], path: Path) -> tuple[Block, ...]:
    return tuple(dataclasses.replace(b, path=path) if isinstance(b, Figure) else b
                 for b in blocks)


def test_content_image_outside_the_leaflet_is_refused(
    seed_leaflet: Leaflet, tmp_path: Path
) -> None:
    outside = Path("/etc/passwd")
    sections = tuple(dataclasses.replace(s, blocks=_with_figure_path(s.blocks, outside))
                     for s in seed_leaflet.sections)
    leaflet = dataclasses.replace(seed_leaflet, sections=sections)
    with pytest.raises(BuildError, match=r"refused to read file:///etc/passwd"):
        write(leaflet, tmp_path)


def test_broken_user_template_is_a_build_error(seed_leaflet: Leaflet, tmp_path: Path) -> None:
    templates = user_templates(tmp_path, "{% block title_page %}")
    with pytest.raises(BuildError, match=r"leaflet\.html:1"):
        write(seed_leaflet, tmp_path / "out", templates=templates)


def test_leaflet_text_is_never_a_template(seed_leaflet: Leaflet, tmp_path: Path) -> None:
    sneaky = dataclasses.replace(seed_leaflet, title="{{ 7 * 7 }} <b>bold</b>")
    page = render_page(sneaky, BuildOptions(templates=None, today=BEFORE_DUE))
    assert "<title>{{ 7 * 7 }} &lt;b&gt;bold&lt;/b&gt;</title>" in page.html


def test_right_to_left_leaflet(leaflet_dir: Path, tmp_path: Path) -> None:
    (leaflet_dir / "ar.md").write_text(
        "---\ntitle: علاج النقائل السحائية\nlang: ar\n---\n\n"
        "يمكنك الاتصال بالممرضات على الرقم {{ helpline.phone }}.\n\n"
        "## المساعدة والدعم\n\nقد يكون من الصعب التعامل مع النقائل السحائية.\n",
        encoding="utf-8")
    leaflet = load_leaflet(leaflet_dir, "ar")
    page = render_page(leaflet, BuildOptions(templates=None, today=BEFORE_DUE))
    assert '<html lang="ar" dir="rtl">' in page.html
    assert ('<bdi class="phone" dir="ltr"><a class="fact nobreak" href="tel:+448088004040">'
            in page.html)
    built = write(leaflet, tmp_path / "out")
    assert pdfread.catalog(built.path)["/Lang"] == "ar"
    assert all(font.embedded for font in pdfread.fonts(built.path))
    assert 0 not in pdfread.glyph_ids(built.path)


# -- the build -------------------------------------------------------------------------------

def test_build_produces_the_pdf_that_check_accepts(
    leaflet_dir: Path, options: BuildOptions
) -> None:
    report = build([leaflet_dir], dataclasses.replace(options, formats=("pdf",)))
    folder = options.out / "leptomeningeal-metastases" / "en-GB"
    assert report.folders == [folder]
    manifest = read_manifest(folder)
    entry = manifest.artifacts["pdf"]
    pdf = folder / entry.files["pdf"]
    assert pdf.name == "leptomeningeal-metastases-large-print.pdf"
    assert pdf.read_bytes().startswith(b"%PDF-1.7")
    assert entry.details["profile"] == "large"
    assert entry.details["pages"] == len(pdfread.page_texts(pdf))
    assert check_pdf.read(pdf, entry, manifest).source_hash == manifest.source_hash
    assert check_pdf.accessibility(pdf, entry, manifest) == []
