"""``check`` reads a fact printed as a link (``forum.name``) back from each printed format and
names the fact when its address is wrong or missing (the low-vision user test, finding 3).

The repro (``tests/data/fact-link``) and the seed are built once (``test_fact_links.out``);
each test tampers with a copy of the repro's English output as a person or a program could:
a link retargeted in the PDF or the DOCX, the link taken off in each, the address retyped in
the DOCX and in the braille.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pikepdf

from lmets_docs.check import check
from lmets_docs.check.findings import Finding
from tests.docx_edit import edit_docx
from tests.tamper import edit_pdf
from tests.writers.test_fact_links import TODAY, URL, W, _docx, _file, _pdf, _uri, out

__all__ = ["out"]  # the module's build, shared as a fixture


def test_check_passes_the_built_files(out: Path) -> None:
    errors = check([out], TODAY).errors
    assert [f for f in errors if f.code != "review-overdue"] == []  # the seed's is overdue


def _tampered(out: Path, tmp_path: Path) -> Path:
    """Return a copy of the repro's English output, to tamper with."""
    return Path(shutil.copytree(out / "ut-lowvision" / "en-GB", tmp_path / "en-GB"))


def _named(findings: list[Finding], code: str) -> list[Finding]:
    return [f for f in findings if f.code == code and "forum.name" in f.message]


def test_check_fails_a_pdf_link_to_another_address(out: Path, tmp_path: Path) -> None:
    folder = _tampered(out, tmp_path)

    def retarget(pdf: pikepdf.Pdf) -> None:
        for page in pdf.pages:
            for annotation in page.get("/Annots", []):
                action = annotation.get("/A")
                if action is not None and str(action.get("/URI", "")) == URL:
                    action.URI = pikepdf.String("https://www.example.net/chat/")

    edit_pdf(folder / _pdf(out).name, retarget)
    found = _named(check([folder], TODAY, formats={"pdf"}).errors, "pdf-fact-link")
    assert len(found) == 1 and "'https://www.example.net/chat/'" in found[0].message, found


def test_check_fails_a_pdf_fact_with_no_link(out: Path, tmp_path: Path) -> None:
    folder = _tampered(out, tmp_path)

    def unlink(pdf: pikepdf.Pdf) -> None:
        for page in pdf.pages:
            if "/Annots" in page.obj:
                page.obj.Annots = pikepdf.Array(
                    [a for a in page.obj.Annots
                     if _uri(a) != URL])

    edit_pdf(folder / _pdf(out).name, unlink)
    found = _named(check([folder], TODAY, formats={"pdf"}).errors, "pdf-fact-link")
    assert len(found) == 1 and "printed with no link" in found[0].message, found


def test_check_fails_a_docx_link_to_another_address(out: Path, tmp_path: Path) -> None:
    folder = _tampered(out, tmp_path)
    rels = "word/_rels/document.xml.rels"

    def retarget(root: Any) -> None:
        for rel in root:
            if rel.get("Target") == URL:
                rel.set("Target", "https://www.example.net/chat/")

    edit_docx(_docx(out), folder / _docx(out).name, {rels: retarget})
    found = _named(check([folder], TODAY, formats={"docx"}).errors, "docx-fact-link")
    assert len(found) == 1 and "'https://www.example.net/chat/'" in found[0].message, found


def test_check_fails_a_docx_address_retyped(out: Path, tmp_path: Path) -> None:
    folder = _tampered(out, tmp_path)

    def retype(root: Any) -> None:
        for t in root.iter(f"{W}t"):
            t.text = (t.text or "").replace("community/example-chat", "community/chat")

    edit_docx(_docx(out), folder / _docx(out).name, {"word/document.xml": retype})
    found = _named(check([folder], TODAY, formats={"docx"}).errors, "docx-fact-link")
    assert len(found) == 1 and "'(www.example.org/community/chat)'" in found[0].message, found


def test_check_fails_a_docx_fact_with_no_link(out: Path, tmp_path: Path) -> None:
    folder = _tampered(out, tmp_path)

    def unlink(root: Any) -> None:  # the address's link taken off, with the address
        for link in list(root.iter(f"{W}hyperlink")):
            if any(c.find(f"{W}sdtPr/{W}tag").get(f"{W}val") == "link-address"
                   for c in link.iter(f"{W}sdt")):
                link.getparent().remove(link)

    edit_docx(_docx(out), folder / _docx(out).name, {"word/document.xml": unlink})
    found = _named(check([folder], TODAY, formats={"docx"}).errors, "docx-fact-link")
    assert len(found) == 1 and "is not followed by a link" in found[0].message, found


def test_check_fails_a_braille_address_retyped(out: Path, tmp_path: Path) -> None:
    folder = _tampered(out, tmp_path)
    brf = folder / _file(out, "ut-lowvision", "en-GB", "braille", "brf").name
    data = brf.read_bytes()
    assert data.count(b"COMMUNITY_/") == 1  # "community/" in UEB grade 1
    brf.write_bytes(data.replace(b"COMMUNITY_/", b"FORUMS_/"))
    found = _named(check([folder], TODAY, formats={"braille"}).errors, "braille-fact-link")
    assert len(found) == 1 and "'Example Chat'" in found[0].message, found


def test_a_link_whose_words_only_begin_as_the_facts_is_not_the_fact() -> None:
    from lmets_docs.check.pdf_links import _is_fact  # noqa: PLC0415

    assert _is_fact("ExampleChat(www.example.org/community/example-chat)", "Example Chat")
    assert _is_fact("ExampleChat", "Example Chat")
    assert not _is_fact("ExampleChatrules(www.example.org/rules)", "Example Chat")
