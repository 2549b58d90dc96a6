"""Tamper with built files the way a person or a tool would, for the check tests.

DOCX edits go through python-docx (its OPC package for new parts and relationships) and
lxml for the XML Word writes that python-docx has no API for; PDF edits go through pikepdf.
Every function changes one thing and saves the file in place.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pdfplumber
import pikepdf
from docx import Document
from docx.document import Document as DocumentObject
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from mutagen.id3 import ID3
from PIL import Image

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NSDECL = (f'xmlns:w="{W_NS}" '
          'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
          'xmlns:v="urn:schemas-microsoft-com:vml"')
WRONG = "0207 946 1234"
WRONG_E164 = "+442079461234"


def edit_docx(path: Path, edit: Callable[[DocumentObject], None]) -> None:
    """Open the DOCX with python-docx, apply ``edit``, save it in place."""
    document = Document(str(path))
    edit(document)
    document.save(str(path))


def body_paragraph(document: DocumentObject, xml: str) -> None:
    """Insert a paragraph of raw WordprocessingML (``w:`` and ``r:`` prefixes) after the title."""
    element = parse_xml(f"<w:p {NSDECL}>{xml}</w:p>")
    document.paragraphs[0]._p.addnext(element)


def text_paragraph(text: str) -> Callable[[DocumentObject], None]:
    """Return an edit that adds a paragraph saying ``text``."""
    return lambda document: body_paragraph(document, f"<w:r><w:t>{text}</w:t></w:r>")


def comment(document: DocumentObject) -> None:
    """Add a margin comment with the wrong number on the title."""
    document.add_comment(document.paragraphs[0].runs, text=f"Call {WRONG} instead",
                         author="Reviewer")


def _note_part(document: DocumentObject, kind: str) -> None:
    """Add a footnotes or endnotes part with a note holding the wrong number, referenced."""
    tag = kind[:-1]  # footnote, endnote
    xml = (f'<w:{kind} {NSDECL}><w:{tag} w:id="1"><w:p><w:r><w:t>Out of hours: {WRONG}'
           f"</w:t></w:r></w:p></w:{tag}></w:{kind}>").encode()
    content_type = f"application/vnd.openxmlformats-officedocument.wordprocessingml.{kind}+xml"
    part = Part(PackURI(f"/word/{kind}.xml"), content_type, xml, document.part.package)
    document.part.relate_to(part, RT.FOOTNOTES if kind == "footnotes" else RT.ENDNOTES)
    body_paragraph(document, f'<w:r><w:t>See note</w:t></w:r><w:r><w:{tag}Reference w:id="1"/>'
                   "</w:r>")


def footnote(document: DocumentObject) -> None:
    """Add a footnote with the wrong number."""
    _note_part(document, "footnotes")


def endnote(document: DocumentObject) -> None:
    """Add an endnote with the wrong number."""
    _note_part(document, "endnotes")


def picture_alt_text(document: DocumentObject) -> None:
    """Add a picture whose alternative text gives the wrong number."""
    data = io.BytesIO()
    Image.new("RGB", (40, 20), "white").save(data, format="PNG")
    data.seek(0)
    document.paragraphs[1].add_run().add_picture(data)
    doc_pr = document.element.body.findall(".//{*}docPr")[-1]
    doc_pr.set("descr", f"A card that says: call {WRONG}")


def table_description(document: DocumentObject) -> None:
    """Add a table whose alternative text (description) gives the wrong number."""
    table = document.add_table(rows=1, cols=1)
    table.cell(0, 0).text = "Contacts"
    properties = table._tbl.tblPr
    properties.append(parse_xml(f'<w:tblDescription {NSDECL} w:val="Ring {WRONG}"/>'))


def alt_chunk_of(content_type: str, data: bytes) -> Callable[[DocumentObject], None]:
    """Return an edit that imports a part (altChunk) of that type: Word renders it in place."""
    def edit(document: DocumentObject) -> None:
        extension = {"text/html": "htm", "application/rtf": "rtf"}.get(content_type, "bin")
        name = PackURI(f"/word/afchunk1.{extension}")
        part = Part(name, content_type, data, document.part.package)
        rel_id = document.part.relate_to(part, RT.A_F_CHUNK)
        chunk = parse_xml(f'<w:altChunk {NSDECL} r:id="{rel_id}"/>')
        document.paragraphs[0]._p.addnext(chunk)
    return edit


alt_chunk = alt_chunk_of("text/html",
                         f"<html><body><p>Helpline: {WRONG}</p></body></html>".encode())
"""Import an HTML part with the wrong number."""


def edit_part(path: Path, name: str, edit: Callable[[bytes], bytes]) -> None:
    """Change one part's bytes in the zip with ``edit``, leaving every other entry as it is."""
    with zipfile.ZipFile(path) as archive:
        replace_part(path, name, edit(archive.read(name)))


def replace_part(path: Path, name: str, data: bytes) -> None:
    """Replace one part's bytes in the zip, leaving every other entry as it is."""
    with zipfile.ZipFile(path) as archive:
        items = [(info, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, old in items:
            archive.writestr(info, data if info.filename == name else old)


def field_code(document: DocumentObject) -> None:
    """Add a HYPERLINK field that dials the wrong number while showing the helpline."""
    body_paragraph(document, (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> HYPERLINK "tel:{WRONG_E164}" </w:instrText>'
        '</w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        "<w:r><w:t>0808 800 4040</w:t></w:r>"
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'))


def tracked_deletion(number: str) -> Callable[[DocumentObject], None]:
    """Return an edit that adds a tracked deletion of ``number``."""
    return lambda document: body_paragraph(document, (
        '<w:r><w:t xml:space="preserve">Call us </w:t></w:r>'
        '<w:del w:id="900" w:author="Editor" w:date="2025-01-01T00:00:00Z">'
        f"<w:r><w:delText>{number}</w:delText></w:r></w:del>"))


def bound_control(document: DocumentObject) -> None:
    """Add a content control showing the helpline but bound to custom XML with another number.

    Word replaces the control's text with the bound value when it opens the file.
    """
    item_id = "{6A1D2C3B-0000-4000-8000-00000000BEEF}"
    package = document.part.package
    item = Part(PackURI("/customXml/item9.xml"), "application/xml",
                f'<r xmlns="urn:x-clinic"><phone>{WRONG}</phone></r>'.encode(), package)
    props = Part(PackURI("/customXml/itemProps9.xml"),
                 "application/vnd.openxmlformats-officedocument.customXmlProperties+xml",
                 ('<ds:datastoreItem xmlns:ds="http://schemas.openxmlformats.org/officeDocument/'
                  f'2006/customXml" ds:itemID="{item_id}"/>').encode(), package)
    item.relate_to(props, RT.CUSTOM_XML_PROPS)
    document.part.relate_to(item, RT.CUSTOM_XML)
    body_paragraph(document, (
        '<w:sdt><w:sdtPr><w:dataBinding w:prefixMappings="xmlns:ns0=\'urn:x-clinic\'" '
        f'w:xpath="/ns0:r[1]/ns0:phone[1]" w:storeItemID="{item_id}"/><w:text/></w:sdtPr>'
        "<w:sdtContent><w:r><w:t>0808 800 4040</w:t></w:r></w:sdtContent></w:sdt>"))


def chart(document: DocumentObject) -> None:
    """Add a chart part whose title gives the wrong number."""
    xml = ('<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
           'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><c:chart><c:title>'
           f"<c:tx><c:rich><a:p><a:r><a:t>Calls to {WRONG}</a:t></a:r></a:p></c:rich></c:tx>"
           "</c:title></c:chart></c:chartSpace>").encode()
    part = Part(PackURI("/word/charts/chart1.xml"),
                "application/vnd.openxmlformats-officedocument.drawingml.chart+xml", xml,
                document.part.package)
    document.part.relate_to(part, RT.CHART)


def embedded_object(document: DocumentObject) -> None:
    """Embed an OLE object (a binary check cannot read)."""
    part = Part(PackURI("/word/embeddings/oleObject1.bin"),
                "application/vnd.openxmlformats-officedocument.oleObject", b"\xd0\xcf\x11\xe0",
                document.part.package)
    document.part.relate_to(part, RT.OLE_OBJECT)


def tel_hyperlink_to(target: str) -> Callable[[DocumentObject], None]:
    """Return an edit adding a link that shows the helpline but goes to ``target``."""
    def edit(document: DocumentObject) -> None:
        rel_id = document.part.relate_to(target, RT.HYPERLINK, is_external=True)
        body_paragraph(document, f'<w:hyperlink r:id="{rel_id}"><w:r><w:t>0808 800 4040</w:t>'
                       "</w:r></w:hyperlink>")
    return edit


tel_hyperlink = tel_hyperlink_to(f"tel:{WRONG_E164}")
"""A link that shows the helpline but dials the wrong number."""


def mailto_hyperlink(document: DocumentObject) -> None:
    """Add a mail link to an address that is no fact of the leaflet."""
    rel_id = document.part.relate_to("mailto:help@example.org", RT.HYPERLINK, is_external=True)
    body_paragraph(document, f'<w:hyperlink r:id="{rel_id}"><w:r><w:t>Write to us</w:t>'
                   "</w:r></w:hyperlink>")


def text_box(document: DocumentObject) -> None:
    """Add a VML text box holding the wrong number."""
    body_paragraph(document, (
        '<w:r><w:pict><v:shape style="width:200pt;height:40pt"><v:textbox><w:txbxContent>'
        f"<w:p><w:r><w:t>Urgent: {WRONG}</w:t></w:r></w:p>"
        "</w:txbxContent></v:textbox></v:shape></w:pict></w:r>"))


def header(document: DocumentObject) -> None:
    """Give the document a header with the wrong number."""
    document.sections[0].header.paragraphs[0].text = f"Switchboard {WRONG}"


def edit_pdf(path: Path, edit: Callable[[pikepdf.Pdf], None]) -> None:
    """Open the PDF with pikepdf, apply ``edit``, save it in place."""
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        edit(pdf)
        pdf.save(path)


def pdf_tel_uri(pdf: pikepdf.Pdf) -> None:
    """Point the first tel: link at the wrong number; the text over it stays right."""
    for page in pdf.pages:
        for annotation in page.obj.get("/Annots", []):
            action = annotation.get("/A")
            if action is not None and str(action.get("/URI", "")).startswith("tel:"):
                action.URI = pikepdf.String(f"tel:{WRONG_E164}")
                return
    raise AssertionError("no tel: link in the PDF")


FOOTER = "Helpline: 0808 800 4040, 9 am to 5 pm, Monday to Friday"


def pdf_mailto_uri(pdf: pikepdf.Pdf) -> None:
    """Turn the forum's web link into a mail link to an address that is no fact."""
    for page in pdf.pages:
        for annotation in page.obj.get("/Annots", []):
            action = annotation.get("/A")
            if action is not None and str(action.get("/URI", "")).startswith("https:"):
                action.URI = pikepdf.String("mailto:help@example.org")
                return
    raise AssertionError("no web link in the PDF")


def docx_subject(document: DocumentObject) -> None:
    """Put the wrong number in the document's subject (File > Info)."""
    document.core_properties.subject = f"Helpline {WRONG}"


def footer_as_paths(where: str) -> Callable[[pikepdf.Pdf], None]:
    """Return an edit that redraws page 2's helpline footer as shapes, told in alt text.

    The footer is the lowest line of page 2 that shows the helpline (found with pdfplumber,
    which knows each character's marked content); its text is removed and bars are drawn
    instead. ``where`` says where the right number goes for screen readers:
    ``"marked-content"`` (an /ActualText in the properties of the marked content that draws
    the bars) or ``"structure"`` (/Alt on a structure element that owns that marked content).
    """
    def edit(pdf: pikepdf.Pdf) -> None:
        page = pdf.pages[1]
        marks, artifact = _footer_marks(pdf, 1)
        new = _without_text(pikepdf.parse_content_stream(page), marks, artifact)
        if where == "structure":
            properties = pikepdf.Dictionary(MCID=999)
            _add_element(pdf, page, pikepdf.Dictionary(
                Type=pikepdf.Name.StructElem, S=pikepdf.Name.Span, K=999, Pg=page.obj,
                Alt=pikepdf.String(FOOTER)))
        else:
            properties = pikepdf.Dictionary(ActualText=pikepdf.String(FOOTER))
        new.append(pikepdf.ContentStreamInstruction([pikepdf.Name.Span, properties],
                                                    pikepdf.Operator("BDC")))
        new += _shapes()
        new.append(pikepdf.ContentStreamInstruction([], pikepdf.Operator("EMC")))
        page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(new))
    return edit


def _footer_marks(pdf: pikepdf.Pdf, index: int) -> tuple[set[int], bool]:
    """Return the MCIDs of the footer line's characters, and whether it is an Artifact."""
    data = io.BytesIO()
    pdf.save(data)
    with pdfplumber.open(data) as plumber:
        page = plumber.pages[index]
        top = max(match["top"] for match in page.search("0808 800 4040"))
        chars = [c for c in page.chars if abs(c["top"] - top) < 2]
    mcids = {int(c["mcid"]) for c in chars if c.get("mcid") is not None}
    return mcids, any(c.get("tag") == "Artifact" for c in chars)


def _without_text(instructions: list[Any], marks: set[int], artifact: bool) -> list[Any]:
    """Return the instructions less the text drawn in ``marks`` (or in Artifacts)."""
    new: list[Any] = []
    stack: list[str] = []
    for operands, operator in instructions:
        name = str(operator)
        if name in ("BDC", "BMC"):
            props = operands[1] if len(operands) > 1 else None
            mcid = props.get("/MCID") if isinstance(props, pikepdf.Dictionary) else None
            stack.append("footer" if (mcid is not None and int(mcid) in marks) or (
                artifact and str(operands[0]) == "/Artifact") else "")
        elif name == "EMC" and stack:
            stack.pop()
        if name in ("TJ", "Tj") and "footer" in stack:
            continue
        new.append(pikepdf.ContentStreamInstruction(operands, operator))
    return new


def _add_element(pdf: pikepdf.Pdf, page: pikepdf.Page, element: pikepdf.Dictionary) -> None:
    """Hang a new structure element under the document's top element."""
    root = pdf.Root.StructTreeRoot
    top = root.K[0] if isinstance(root.K, pikepdf.Array) else root.K
    element.P = top
    kids = top.K if isinstance(top.K, pikepdf.Array) else pikepdf.Array([top.K])
    kids.append(pdf.make_indirect(element))
    top.K = kids


def _shapes() -> list[Any]:
    """Return path operators that draw a few bars where the footer's glyphs were."""
    out = []
    for x in range(60, 300, 20):
        out.append(pikepdf.ContentStreamInstruction([x, 40, 12, 16], pikepdf.Operator("re")))
    out.append(pikepdf.ContentStreamInstruction([], pikepdf.Operator("f")))
    return out


def invisible_text(pdf: pikepdf.Pdf) -> None:
    """Draw page 1's text in render mode 3 (invisible), as an OCR layer would be."""
    page = pdf.pages[0]
    instructions: list[Any] = pikepdf.parse_content_stream(page)
    new: list[Any] = []
    for operands, operator in instructions:
        new.append(pikepdf.ContentStreamInstruction(operands, operator))
        if str(operator) == "BT":
            new.append(pikepdf.ContentStreamInstruction([3], pikepdf.Operator("Tr")))
    page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(new))


def invisible_text_in_a_form(pdf: pikepdf.Pdf) -> None:
    """Move page 1's content, drawn invisibly, into a Form XObject that the page draws."""
    invisible_text(pdf)
    page = pdf.pages[0]
    form = pdf.make_stream(page.obj.Contents.read_bytes())
    form.Type, form.Subtype = pikepdf.Name.XObject, pikepdf.Name.Form
    form.BBox, form.Resources = page.mediabox, page.obj.Resources
    page.obj.Resources.XObject = pikepdf.Dictionary(LmetsForm=form)
    page.obj.Contents = pdf.make_stream(b"q /LmetsForm Do Q")


def looping_structure(pdf: pikepdf.Pdf) -> None:
    """Make the top structure element its own child, with alternative text to follow."""
    root = pdf.Root.StructTreeRoot
    top = root.K[0] if isinstance(root.K, pikepdf.Array) else root.K
    kids = top.K if isinstance(top.K, pikepdf.Array) else pikepdf.Array([top.K])
    kids.append(top)
    top.K = kids
    top.Alt = pikepdf.String("The whole leaflet")


def edit_id3(path: Path, frame: Any) -> None:
    """Add one ID3 frame to an MP3 (a comment, a link) and save it in place."""
    tags: Any = ID3(path)  # type: ignore[no-untyped-call]
    tags.add(frame)
    tags.save(path)


def hidden_layer(pdf: pikepdf.Pdf) -> None:
    """Put all of page 1 in a layer (optional content) that viewers hide on opening."""
    group = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.OCG,
                                                 Name=pikepdf.String("Print only")))
    pdf.Root.OCProperties = pikepdf.Dictionary(
        OCGs=pikepdf.Array([group]),
        D=pikepdf.Dictionary(ON=pikepdf.Array(), OFF=pikepdf.Array([group])))
    page = pdf.pages[0]
    resources = page.obj.Resources
    resources.Properties = pikepdf.Dictionary(L1=group)
    instructions: list[Any] = pikepdf.parse_content_stream(page)
    new = [pikepdf.ContentStreamInstruction([pikepdf.Name.OC, pikepdf.Name.L1],
                                            pikepdf.Operator("BDC"))]
    new += [pikepdf.ContentStreamInstruction(ops, op) for ops, op in instructions]
    new.append(pikepdf.ContentStreamInstruction([], pikepdf.Operator("EMC")))
    page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(new))


def attachment(pdf: pikepdf.Pdf) -> None:
    """Attach a text file with the wrong number."""
    pdf.attachments["numbers.txt"] = pikepdf.AttachedFileSpec(pdf, f"Call {WRONG}".encode())


def form_field(pdf: pikepdf.Pdf) -> None:
    """Add a filled-in form field on page 1 whose value is the wrong number."""
    field = pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Widget, FT=pikepdf.Name.Tx,
        T=pikepdf.String("phone"), V=pikepdf.String(WRONG),
        Rect=pikepdf.Array([60, 60, 300, 90]), P=pdf.pages[0].obj))
    page = pdf.pages[0].obj
    page.Annots = pikepdf.Array([*page.get("/Annots", []), field])
    pdf.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array([field]))
