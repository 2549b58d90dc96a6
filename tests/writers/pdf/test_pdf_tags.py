"""The finished PDF, judged by two checkers no one here wrote and read back through pikepdf.

``page`` (page-validation, PDF/UA-1) and ``outloud`` (PDF/UA-1 + WCAG 2.2) run on the seed
leaflet and on a long leaflet whose paragraph and list cross page breaks, in large and giant
print, both profiles built into one output folder.
"""

from __future__ import annotations

import dataclasses
import io
import itertools
import re
import shutil
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import outloud
import page as page_validation
import pdfplumber
import pikepdf
import pypdfium2 as pdfium
import pytest
import weasyprint
from fontTools.ttLib import TTFont

from lmets_docs import fontstack
from lmets_docs.build import build
from lmets_docs.check import check
from lmets_docs.check import pdf_tags as check_tags
from lmets_docs.check.pdf_fonts import read_to_unicode
from lmets_docs.errors import BuildError
from lmets_docs.manifest import read_manifest, sha256_file
from lmets_docs.model import BulletList, Leaflet, Paragraph
from lmets_docs.options import BuildOptions, Profile
from lmets_docs.source import load_leaflet
from lmets_docs.text import formatter, inline_text
from lmets_docs.writers.pdf import PDF_OPTIONS, WRITER, fetcher, lay_out
from lmets_docs.writers.pdf import layout as pdf_layout
from lmets_docs.writers.pdf import paint as pdf_paint
from lmets_docs.writers.pdf import tags as pdf_tags
from lmets_docs.writers.pdf.template import render_page
from tests.conftest import BEFORE_DUE, DATA, SEED

LONG = DATA / "long-leaflet"
LEAFLETS = {"seed": SEED, "long": LONG}
PROFILES: tuple[Profile, ...] = ("large", "giant")
Where = tuple[int, int]


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build both leaflets' PDFs in large, then giant print, into one output folder."""
    folder = tmp_path_factory.mktemp("out")
    options = BuildOptions(out=folder, formats=("pdf",), today=BEFORE_DUE, templates=None,
                           jobs=2)
    for profile in PROFILES:
        build(LEAFLETS.values(), dataclasses.replace(options, profile=profile))
    return folder


def pdf_path(out: Path, name: str, profile: Profile) -> Path:
    """Return where the build put one leaflet's PDF in one profile."""
    leaflet = load_leaflet(LEAFLETS[name], "en-GB")
    return out / leaflet.id / "en-GB" / f"{leaflet.id}-{profile}-print.pdf"


CASES = [(name, profile) for name in LEAFLETS for profile in PROFILES]


# -- the independent checkers ----------------------------------------------------------------

@pytest.mark.parametrize(("name", "profile"), CASES)
def test_page_validation_finds_no_failure(out: Path, name: str, profile: Profile) -> None:
    report = page_validation.validate_pdf(str(pdf_path(out, name, profile)))
    assert report.rules.failed == 0, report.to_json()
    assert report.rules.passed > 100
    assert report.is_compliant


@pytest.mark.parametrize(("name", "profile"), CASES)
def test_outloud_finds_no_error_or_warning(out: Path, name: str, profile: Profile) -> None:
    result = outloud.check(str(pdf_path(out, name, profile)))
    assert result.error is None
    problems = [f"{f.rule} p.{f.page}: {f.message}" for f in result.findings
                if f.severity in ("error", "warning")]
    assert problems == []


# -- read back through pikepdf ----------------------------------------------------------------

def kids(element: Any) -> list[Any]:
    """Return an element's /K as a list."""
    found = element.get("/K")
    if found is None:
        return []
    return list(found) if isinstance(found, pikepdf.Array) else [found]


def elements(node: Any) -> Iterator[Any]:
    """Yield every structure element under a node, in document order."""
    for kid in kids(node):
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            yield kid
            yield from elements(kid)


def content(element: Any, pages: dict[tuple[int, int], int]) -> Iterator[Where]:
    """Yield (page index, MCID) of each piece of content under an element, in order."""
    for kid in kids(element):
        if isinstance(kid, int):
            yield pages[element.Pg.objgen], kid
        elif isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            yield from content(kid, pages)
        elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
            yield pages[kid.get("/Pg", element.Pg).objgen], int(kid.MCID)


@dataclasses.dataclass
class Tagged:
    """A PDF's structure elements with the text each holds, and its characters by MCID."""

    pdf: pikepdf.Pdf
    text: dict[Where, str]
    artifacts: list[str]

    def texts(self, role: str) -> list[tuple[str, set[int]]]:
        """Return the text and the pages of every element of one role."""
        pages = {page.obj.objgen: n for n, page in enumerate(self.pdf.pages)}
        found = []
        for element in elements(self.pdf.Root.StructTreeRoot):
            if str(element.S) == role:
                refs = list(content(element, pages))
                found.append(("".join(self.text.get(r, "") for r in refs),
                              {p for p, _ in refs}))
        return found


@pytest.fixture
def tagged(out: Path, request: pytest.FixtureRequest) -> Iterator[Tagged]:
    """Open one built PDF (``request.param`` = (leaflet, profile)) with pikepdf and pdfplumber."""
    path = pdf_path(out, *request.param)
    text: dict[Where, str] = defaultdict(str)
    artifacts: list[str] = []
    with pdfplumber.open(path) as plumber:
        for number, page in enumerate(plumber.pages):
            for char in page.chars:
                if char.get("tag") == "Artifact":
                    artifacts.append(char["text"])
                elif char.get("mcid") is not None:
                    text[(number, int(char["mcid"]))] += char["text"]
    with pikepdf.open(path) as pdf:
        yield Tagged(pdf, text, artifacts)


def squeeze(text: str) -> str:
    """Return text without any whitespace (line ends lose their spaces in extraction)."""
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("tagged", CASES, indirect=True)
def test_no_content_element_holds_the_running_footer(tagged: Tagged) -> None:
    everything = [squeeze(t) for t, _ in tagged.texts("/P")]
    assert not [t for t in everything if re.search(r"Page\d+of\d+", t)]
    footer = squeeze("Helpline: 0808 800 4040, 9 am to 5 pm, Monday to Friday")
    # once, in "About this information"; the footer on every page is an artifact
    assert sum(footer in t for t in everything) == 1
    pages = len(tagged.pdf.pages)
    assert squeeze("".join(tagged.artifacts)).count(footer) == pages
    assert len(re.findall(r"Page\d+of\d+", squeeze("".join(tagged.artifacts)))) == pages


def paragraphs(leaflet: Leaflet) -> list[str]:
    """Return the text of every source paragraph, facts as printed."""
    facts = formatter(leaflet)
    blocks = [*leaflet.intro, *(b for s in leaflet.sections for b in s.blocks)]
    return [inline_text(b.inlines, facts) for b in blocks if isinstance(b, Paragraph)]


@pytest.mark.parametrize("tagged", [c for c in CASES if c[0] == "long"], indirect=True)
def test_each_source_paragraph_is_one_p_element(tagged: Tagged) -> None:
    leaflet = load_leaflet(LONG, "en-GB")
    found = tagged.texts("/P")
    for text in paragraphs(leaflet):
        holders = [pages for t, pages in found if squeeze(t) == squeeze(text)]
        assert len(holders) == 1, text[:40]
    # the long paragraph does cross a page break, and so does the list
    assert max(len(pages) for _, pages in found) >= 2
    lists = tagged.texts("/L")
    items = next(b for s in leaflet.sections for b in s.blocks if isinstance(b, BulletList))
    assert len(lists) == 1
    assert len(lists[0][1]) >= 2
    last = inline_text(items.items[-1].inlines, formatter(leaflet))
    assert squeeze(lists[0][0]).endswith(squeeze(last))


@pytest.mark.parametrize("tagged", CASES, indirect=True)
def test_every_page_paints_in_the_tag_trees_order(tagged: Tagged) -> None:
    pages = {page.obj.objgen: n for n, page in enumerate(tagged.pdf.pages)}
    order: dict[int, list[int]] = defaultdict(list)
    for number, mcid in content(tagged.pdf.Root.StructTreeRoot.K[0], pages):
        order[number].append(mcid)
    for number, page in enumerate(tagged.pdf.pages):
        painted = [int(ops[1].MCID) for ops in bdc_operands(page)
                   if isinstance(ops[1], pikepdf.Dictionary) and "/MCID" in ops[1]]
        assert painted == order[number]


def bdc_operands(page: pikepdf.Page) -> list[list[Any]]:
    """Return the operands of every BDC operator of a page's content stream."""
    return [list(ins.operands) for ins in pikepdf.parse_content_stream(page, "BDC")
            if isinstance(ins, pikepdf.ContentStreamInstruction)]


@pytest.mark.parametrize("tagged", CASES, indirect=True)
def test_links_print_and_pagination_is_marked(tagged: Tagged) -> None:
    annotations = [a for p in tagged.pdf.pages for a in p.obj.get("/Annots", [])]
    assert annotations
    assert all(int(a.F) & 4 and not int(a.F) & (2 | 32) for a in annotations)
    for page in tagged.pdf.pages:
        kinds = {str(ops[1].get("/Subtype")) for ops in bdc_operands(page)
                 if str(ops[0]) == "/Artifact" and ops[1].get("/Type") == "/Pagination"}
        assert kinds == {"/Header", "/Footer"}


@pytest.mark.parametrize("tagged", CASES, indirect=True)
def test_identification_language_and_title_are_kept(tagged: Tagged) -> None:
    assert str(tagged.pdf.Root.Lang) == "en-GB"
    with tagged.pdf.open_metadata() as xmp:
        assert str(xmp.get("pdfuaid:part")) == "1"
        assert str(xmp.get("dc:title"))
    fonts = [f for p in tagged.pdf.pages for f in p.resources.get("/Font", {}).values()]
    assert fonts and all("/ToUnicode" in f for f in fonts)


# -- print rules -------------------------------------------------------------------------------

def test_both_profiles_are_kept_and_listed(out: Path) -> None:
    for name in LEAFLETS:
        large, giant = (pdf_path(out, name, p) for p in PROFILES)
        manifest = read_manifest(large.parent)
        assert manifest.artifacts["pdf"].files == {"pdf": large.name}
        assert manifest.artifacts["pdf-giant"].files == {"pdf": giant.name}
        assert manifest.artifacts["pdf"].sha256["pdf"] == sha256_file(large)
        assert manifest.artifacts["pdf-giant"].details["profile"] == "giant"


def page_lines(path: Path) -> Iterator[str]:
    """Yield every line of text of a PDF, page by page."""
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            yield from (page.extract_text() or "").splitlines()


@pytest.mark.parametrize(("name", "profile"), CASES)
def test_numbers_dates_and_times_never_break(out: Path, name: str, profile: Profile) -> None:
    lines = [line.strip() for line in page_lines(pdf_path(out, name, profile))]
    wholes = ("0808 800 4040", "22 November 2019", "22 November 2022", "9 am", "5 pm")
    for line, after in itertools.pairwise(lines):
        for whole in wholes:
            parts = whole.split(" ")
            for cut in range(1, len(parts)):
                head, tail = " ".join(parts[:cut]), " ".join(parts[cut:])
                assert not (re.search(rf"(^|\s){head}$", line) and after.startswith(tail)), line
    assert sum("0808 800 4040" in line for line in lines) > 3


def content_extent(path: Path) -> list[tuple[float, float]]:
    """Return, per page, the top and bottom of its tagged (not artifact) text, in points."""
    extent = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            chars = [c for c in page.chars if c.get("tag") != "Artifact" and c["text"].strip()]
            extent.append((min(c["top"] for c in chars), max(c["bottom"] for c in chars)))
    return extent


@pytest.mark.parametrize(("name", "profile"), CASES)
def test_no_page_is_more_than_a_third_empty(out: Path, name: str, profile: Profile) -> None:
    path = pdf_path(out, name, profile)
    extent = content_extent(path)
    top, bottom = min(t for t, _ in extent), max(b for _, b in extent)
    gaps = [(bottom - b) / (bottom - top) for _, b in extent[:-1]]  # the last page may end
    assert max(gaps) <= 1 / 3 + 0.02, gaps


@pytest.mark.parametrize("profile", PROFILES)
def test_a_missing_picture_is_said_in_words(out: Path, profile: Profile) -> None:
    text = " ".join(page_lines(pdf_path(out, "long", profile)))
    assert "Picture not included: A map of the building" in text


# -- the finishing step itself ------------------------------------------------------------------

def raw_pdf(leaflet: Leaflet, profile: Profile) -> bytes:
    """Return WeasyPrint's PDF of a leaflet as it comes, with no finishing."""
    page = render_page(leaflet, BuildOptions(profile=profile, templates=None, today=BEFORE_DUE))
    html = weasyprint.HTML(string=page.html, base_url=page.base_url,
                           url_fetcher=fetcher(page, leaflet))
    data: bytes = html.write_pdf(**PDF_OPTIONS)
    return data


def test_check_finds_what_weasyprint_alone_leaves(tmp_path: Path) -> None:
    path = tmp_path / "raw.pdf"
    path.write_bytes(raw_pdf(load_leaflet(LONG, "en-GB"), "giant"))
    with pikepdf.open(path) as pdf:
        codes = {f.code for f in check_tags.findings(path, pdf, True, None, {})}
    assert codes == {"pdf-artifacts", "pdf-running-artifact", "pdf-split-element"}
    result = outloud.check(str(path))
    assert {f.rule for f in result.findings} >= {"PAG-001", "LNK-004", "ORD-001"}


@pytest.mark.parametrize(("name", "profile"), CASES)
def test_check_passes_the_finished_pdf(out: Path, name: str, profile: Profile) -> None:
    path = pdf_path(out, name, profile)
    contacts = {name: fact.printed for name, fact in read_manifest(path.parent).facts.items()
                if name.startswith("contacts.")}
    with pikepdf.open(path) as pdf:
        assert list(check_tags.findings(path, pdf, True, None, contacts)) == []


def test_a_damaged_pdf_stops_the_finishing(tmp_path: Path) -> None:
    with pytest.raises(BuildError, match="could not finish the PDF's tags"):
        pdf_tags.finish_pdf(b"%PDF-1.7\nnot a pdf", [], tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


def test_a_failed_save_is_a_build_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*_args: Any, **_kwargs: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pikepdf.Pdf, "save", fail)
    options = BuildOptions(out=tmp_path, templates=None, today=BEFORE_DUE)
    with pytest.raises(BuildError, match=r"large-print\.pdf: not written: the disk is full$"):
        WRITER.write(load_leaflet(SEED, "en-GB"), tmp_path, options)
    assert list(tmp_path.iterdir()) == []


def test_a_pdf_without_tags_is_refused(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with pikepdf.new() as pdf:
        pdf.add_blank_page()
        pdf.save(buffer)
    with pytest.raises(BuildError, match="no structure tree"):
        pdf_tags.finish_pdf(buffer.getvalue(), [], tmp_path / "x.pdf")


@pytest.mark.parametrize(("ranks", "kept"), [
    ([0, 1, 2, 3], {0, 1, 2, 3}),
    ([0, 2, 3, 1], {0, 1, 2}),
    ([1, 2, 0, 3, 4], {0, 1, 3, 4}),
    ([], set()),
])
def test_the_longest_ordered_run_stays_put(ranks: list[int], kept: set[int]) -> None:
    assert pdf_paint.in_order(ranks) == kept


# -- moving content keeps what the page looks like -----------------------------------------------

PAINTED = b"""q 1 0 0 -1 0 200 cm
/Span <</MCID 0>> BDC 0 0 1 rg BT /F1 24 Tf 1 0 0 -1 10 40 Tm (Aa) Tj ET EMC
/Span <</MCID 2>> BDC BT 1 0 0 -1 10 120 Tm (Cc) Tj ET EMC
q 1 0 0 1 5 0 cm /Span <</MCID 3>> BDC BT 1 0 0 -1 10 160 Tm (Dd) Tj ET EMC Q
/Span <</MCID 1>> BDC 1 0 0 rg 2 Tr BT 1 0 0 -1 10 80 Tm (Bb) Tj ET EMC
/Span <</MCID 4>> BDC BT 1 0 0 -1 10 190 Tm (Ee) Tj ET EMC
Q
"""


def one_page(content: bytes) -> pikepdf.Pdf:
    """Return a one-page PDF painting ``content`` with Helvetica as /F1."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    font = pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                              BaseFont=pikepdf.Name.Helvetica)
    pdf.pages[0].obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    pdf.pages[0].obj.Contents = pdf.make_stream(content)
    return pdf


def pixels(pdf: pikepdf.Pdf) -> bytes:
    """Return the first page rendered by pdfium, as raw RGB bytes."""
    buffer = io.BytesIO()
    pdf.save(buffer)
    document = pdfium.PdfDocument(buffer.getvalue())
    try:
        image = document[0].render(scale=2).to_pil().convert("RGB")
        data: bytes = image.tobytes()
        return data
    finally:
        document.close()


def test_moved_content_looks_the_same_and_reads_in_order() -> None:
    pdf = one_page(PAINTED)
    before = pixels(pdf)
    pdf_paint.rewrite(pdf, pdf.pages[0], set(), [0, 1, 2, 3, 4])
    assert pixels(pdf) == before
    painted = [int(ops[1].MCID) for ops in bdc_operands(pdf.pages[0])]
    assert painted == [0, 1, 2, 3, 4]


def test_content_under_another_transformation_stays_put() -> None:
    pdf = one_page(PAINTED)
    before = pixels(pdf)
    pdf_paint.rewrite(pdf, pdf.pages[0], set(), [3, 0, 1, 2, 4])  # 3 has its own cm
    assert pixels(pdf) == before
    painted = [int(ops[1].MCID) for ops in bdc_operands(pdf.pages[0])]
    assert painted[0] == 0  # 3 could not move before 0


def test_untagged_content_becomes_a_footer_artifact() -> None:
    pdf = one_page(PAINTED)
    pdf_paint.rewrite(pdf, pdf.pages[0], {4}, [0, 1, 2, 3])
    marks = [ops for ops in bdc_operands(pdf.pages[0]) if str(ops[0]) == "/Artifact"]
    assert [str(m[1].Subtype) for m in marks] == ["/Footer"]  # y = 10 pt from the bottom
    assert str(marks[0][1].Type) == "/Pagination"


TALL = ('<svg xmlns="http://www.w3.org/2000/svg" width="640" height="760">'
        '<rect width="640" height="760" fill="#ddd"/></svg>')


def test_a_picture_too_tall_to_share_a_page_is_reported(leaflet_dir: Path, tmp_path: Path) -> None:
    (leaflet_dir / "tall.svg").write_text(TALL, encoding="utf-8")
    yaml = (leaflet_dir / "leaflet.yaml").read_text(encoding="utf-8")
    (leaflet_dir / "leaflet.yaml").write_text(yaml.replace("file: null", "file: tall.svg"),
                                              encoding="utf-8")
    options = BuildOptions(out=tmp_path, templates=None, today=BEFORE_DUE)
    result = WRITER.write(load_leaflet(leaflet_dir, "en-GB"), tmp_path, options)
    empty = [w for w in result.warnings if "empty (large print: at most about a third)" in w]
    assert empty
    number = int(re.search(r"page (\d+) is", empty[0]).group(1))  # type: ignore[union-attr]
    extent = content_extent(tmp_path / result.files["pdf"])
    top, bottom = min(t for t, _ in extent), max(b for _, b in extent)
    assert (bottom - extent[number - 1][1]) / (bottom - top) > 1 / 3


def test_check_reports_an_unfinished_pdf_put_in_place(out: Path, tmp_path: Path) -> None:
    folder = tmp_path / "built"
    shutil.copytree(pdf_path(out, "long", "giant").parent, folder)
    target = folder / pdf_path(out, "long", "giant").name
    unfinished = raw_pdf(load_leaflet(LONG, "en-GB"), "giant")
    with pikepdf.open(io.BytesIO(unfinished)) as pdf:  # keep the source hash: not "stale"
        pdf.docinfo["/lmets-source-hash"] = load_leaflet(LONG, "en-GB").source_hash
        pdf.save(target)
    report = check([folder], today=BEFORE_DUE, allow_edited=True)  # put in place by hand
    codes = {f.code for f in report.findings if f.file == target and f.severity.value == "error"}
    # pdf-footer: the footer is not marked /Artifact, so check finds no running footer.
    assert codes == {"pdf-artifacts", "pdf-running-artifact", "pdf-split-element", "pdf-footer"}


@pytest.mark.parametrize("one_a_line", [True, False])
def test_a_page_painted_in_order_only_has_its_artifacts_marked(one_a_line: bool) -> None:
    pdf = one_page(PAINTED)
    if one_a_line:  # as WeasyPrint writes: then the stream's bytes are not parsed
        lines = pikepdf.unparse_content_stream(pikepdf.parse_content_stream(pdf.pages[0]))
        pdf.pages[0].obj.Contents = pdf.make_stream(lines)
    old = pdf.pages[0].obj.Contents.read_bytes()
    before = pixels(pdf)
    pdf_paint.rewrite(pdf, pdf.pages[0], {0, 4}, [2, 3, 1])
    assert pixels(pdf) == before
    operands = bdc_operands(pdf.pages[0])
    assert [int(ops[1].MCID) for ops in operands if str(ops[0]) == "/Span"] == [2, 3, 1]
    # MCID 0 is painted 40 pt from the top of the page, MCID 4 10 pt from its bottom
    assert [str(ops[1].Subtype) for ops in operands if str(ops[0]) == "/Artifact"] == [
        "/Header", "/Footer"]
    if one_a_line:  # only the two BDC lines were replaced, byte for byte
        new = pdf.pages[0].obj.Contents.read_bytes().splitlines()
        assert len(new) == len(old.splitlines())
        assert sum(a != b for a, b in zip(old.splitlines(), new, strict=True)) == 2


LATE = """<html lang="en"><head><style>@page {{ size: A4; margin: 20mm }}
p {{ margin: 0 }} h2 {{ margin: 0; break-after: avoid }}</style></head><body>
<section id="a"><h2>First</h2><div style="height: {filler}mm"></div></section>
<section id="b"><h2>Second</h2><p>One line.</p><p>Another line.</p></section></body></html>"""


@pytest.mark.parametrize(("filler", "pushed"), [(200, ["b"]), (150, [])])
def test_a_section_that_would_start_in_the_bottom_fifth_starts_a_page(
        filler: int, pushed: list[str]) -> None:
    # The text area is 257 mm high; its bottom fifth starts 205.6 mm down.
    document, moved = lay_out(weasyprint.HTML(string=LATE.format(filler=filler)))
    assert moved == pushed
    starts = [page for page, p in enumerate(document.pages)
              for box in pdf_layout.descendants(pdf_layout.flow_root(p._page_box))
              if box.element_tag == "section" and box.element.get("id") == "b"]
    assert starts[0] == (1 if pushed else 0)


# -- right-to-left PDFs: Urdu and Arabic, judged by the same checkers ------------------------

RTL = {"glossary-leaflet": (DATA / "glossary", "ur"), "clinic-contacts": (DATA / "clinic-contacts",
       "ur"), "arabic-clinic": (DATA / "arabic", "ar")}
RTL_CASES = [(name, profile) for name in RTL for profile in PROFILES]
LETTER_FORM = re.compile(r"uni([0-9A-F]{4})(?:\.\w+)?")


@pytest.fixture(scope="module")
def rtl_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the Urdu and Arabic PDFs in large, then giant print, into one output folder."""
    folder = tmp_path_factory.mktemp("rtl")
    for profile in PROFILES:
        for source, lang in RTL.values():
            build([source], BuildOptions(out=folder, formats=("pdf",), langs=(lang,),
                                         profile=profile, today=BEFORE_DUE, templates=None,
                                         jobs=2))
    return folder


def rtl_path(out: Path, name: str, profile: Profile) -> Path:
    """Return where the build put a right-to-left leaflet's PDF in one profile."""
    return out / name / RTL[name][1] / f"{name}-{profile}-print.pdf"


@pytest.mark.parametrize(("name", "profile"), RTL_CASES)
def test_page_validation_passes_right_to_left_pdfs(rtl_out: Path, name: str,
                                                    profile: Profile) -> None:
    """PDFUA1-FONT-GLYPH-WIDTH-001 and PDFUA1-FONT-UNICODE-MAPPING-001 failed with Noto Sans
    Arabic (a variable font's bold widths, empty /ToUnicode destinations)."""
    report = page_validation.validate_pdf(str(rtl_path(rtl_out, name, profile)))
    assert report.rules.failed == 0, report.to_json()
    assert report.is_compliant


@pytest.mark.parametrize(("name", "profile"), RTL_CASES)
def test_outloud_finds_every_glyph_mapped_in_right_to_left_pdfs(
        rtl_out: Path, name: str, profile: Profile) -> None:
    """No error (TXT-003, glyphs with no text, is gone). The one warning left, TXT-004 "5
    different codes all map to U+0644", is right: each of those glyphs is, by the font's own
    glyph names, a joining form of that letter (lam has four, and two more in lam-alef)."""
    path = rtl_path(rtl_out, name, profile)
    result = outloud.check(str(path))
    assert result.error is None
    problems = [f for f in result.findings if f.severity in ("error", "warning")]
    assert [f"{f.rule}: {f.message}" for f in problems if f.rule != "TXT-004"] == []
    # one warning a font (the contacts' heading is bold): the bold font's forms collide too
    collided = [m.group(1) for f in problems if (m := re.search(r"map to U\+\S+ '(.)'",
                                                                    f.message))]
    assert len(collided) == len(problems)
    assert set(collided) <= joining_forms(path)


def joining_forms(path: Path) -> set[str]:
    """Return the letters that five or more glyphs map to, when every one of those glyphs is,
    by its name in the font file (WeasyPrint keeps glyph ids), a form of that letter."""
    proved: set[str] = set()
    with pikepdf.open(path) as pdf:
        for font in {f.objgen: f for page in pdf.pages for f in page.Resources.Font.values()
                     }.values():
            names = original_glyph_names(str(font.BaseFont))
            cmap = read_to_unicode(font.ToUnicode.read_bytes())
            by_text: dict[str, list[int]] = defaultdict(list)
            for code, text in cmap.texts.items():
                by_text[text].append(code)
            for text, codes in by_text.items():
                if len(codes) >= 5 and names and all(
                        form_of(names[code]) == text for code in codes):
                    proved.add(text)
    return proved


def original_glyph_names(base_font: str) -> list[str]:
    """Return the glyph names of the installed font file a subset font was made from."""
    family = "Noto Naskh Arabic" if "Naskh" in base_font else None
    faces = fontstack.family_faces(family) if family else None
    if not faces:
        return []
    face = faces[1] if "Bold" in base_font else faces[0]
    return list(TTFont(face.path).getGlyphOrder())


def form_of(glyph_name: str) -> str | None:
    """Return the letter a glyph named ``uniFEDF`` or ``uniFEE0.rlig`` is a form of."""
    match = LETTER_FORM.fullmatch(glyph_name)
    return unicodedata.normalize("NFKC", chr(int(match.group(1), 16))) if match else None


@pytest.mark.parametrize(("name", "profile"), RTL_CASES)
def test_check_passes_right_to_left_pdfs(rtl_out: Path, name: str, profile: Profile) -> None:
    report = check([rtl_out / name / RTL[name][1]], BEFORE_DUE, formats={"pdf"})
    assert not report.errors, report.text()
