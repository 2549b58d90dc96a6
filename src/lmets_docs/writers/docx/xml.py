"""Build the WordprocessingML that python-docx has no API for: runs, content controls, fields.

Every helper returns or edits an oxml element; none knows about leaflets. Child order
follows the schema (ECMA-376 part 1, §17), because Word refuses files that break it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

Element = Any
"""An oxml element (python-docx's lxml subclass; lxml ships no type stubs)."""

PPR_ORDER = (
    "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl",
    "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens",
    "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE",
    "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
    "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection",
    "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr",
    "w:sectPr", "w:pPrChange",
)
RPR_ORDER = (
    "w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps", "w:strike",
    "w:dstrike", "w:outline", "w:shadow", "w:emboss", "w:imprint", "w:noProof", "w:snapToGrid",
    "w:vanish", "w:webHidden", "w:color", "w:spacing", "w:w", "w:kern", "w:position", "w:sz",
    "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd", "w:fitText", "w:vertAlign",
    "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath",
)
THEME_FONT_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
FONT_ATTRS = ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs")
LOCKED = "sdtContentLocked"


def make(tag: str, children: Iterable[Element] = (), **attrs: str) -> Element:
    """Return a new element ``tag`` with ``w:``-prefixed attributes and children."""
    element = OxmlElement(tag)
    for name, value in attrs.items():
        element.set(qn(f"w:{name}"), value)
    for child in children:
        element.append(child)
    return element


def put(parent: Element, child: Element, order: Sequence[str]) -> Element:
    """Insert ``child`` into ``parent`` at its schema position, replacing one of its kind."""
    tag = child.tag
    for old in parent.findall(tag):
        parent.remove(old)
    names = [qn(name) for name in order]
    later = set(names[names.index(tag) + 1:]) if tag in names else set()
    for index, sibling in enumerate(parent):
        if sibling.tag in later:
            parent.insert(index, child)
            return child
    parent.append(child)
    return child


def ppr(p: Element) -> Element:
    """Return the ``w:pPr`` of a paragraph or style, created in its place if missing."""
    return p.get_or_add_pPr()


def rpr(parent: Element) -> Element:
    """Return the ``w:rPr`` of a run, a style or ``w:rPrDefault``, created if missing."""
    if hasattr(parent, "get_or_add_rPr"):
        return parent.get_or_add_rPr()
    found = parent.find(qn("w:rPr"))
    if found is None:
        found = make("w:rPr")
        parent.insert(0, found)
    return found


def run(text: str, style: str | None = None, bold: bool = False, rtl: bool = False) -> Element:
    """Return a ``w:r`` with text, an optional character style, direct bold and RTL marks."""
    r = make("w:r")
    props = []
    if style:
        props.append(make("w:rStyle", val=style))
    if bold:
        props += [make("w:b"), make("w:bCs")]
    if rtl:
        props.append(make("w:rtl"))
    if props:
        r.append(make("w:rPr", props))
    t = make("w:t")
    t.text = text
    if text != text.strip():
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    r.append(t)
    return r


def content_control(tag: str, alias: str, sdt_id: int, runs: Iterable[Element],
                    style: str) -> Element:
    """Return an inline content control, locked, around ``runs``.

    A rich-text control, not a plain-text one (``w:text``): LibreOffice ignores the character
    style of a plain-text control's runs, so its facts would not show as grey boxes.
    """
    props = make("w:sdtPr", [
        make("w:rPr", [make("w:rStyle", val=style)]),
        make("w:alias", val=alias),
        make("w:tag", val=tag),
        make("w:id", val=str(sdt_id)),
        make("w:lock", val=LOCKED),
    ])
    return make("w:sdt", [props, make("w:sdtContent", runs)])


def bookmark_start(bookmark_id: int, name: str) -> Element:
    """Return a ``w:bookmarkStart`` named ``name``."""
    return make("w:bookmarkStart", id=str(bookmark_id), name=name)


def bookmark_end(bookmark_id: int) -> Element:
    """Return the ``w:bookmarkEnd`` that closes bookmark ``bookmark_id``."""
    return make("w:bookmarkEnd", id=str(bookmark_id))


def field(instruction: str, shown: str, rtl: bool = False) -> Element:
    """Return a simple field (``PAGE``, ``NUMPAGES``) with a cached result Word recomputes."""
    return make("w:fldSimple", [run(shown, rtl=rtl)], instr=f" {instruction} ")


def set_bidi(p: Element) -> None:
    """Mark a paragraph right to left (``w:bidi``)."""
    put(ppr(p), make("w:bidi"), PPR_ORDER)


def set_fonts(props: Element, font: str, complex_script: str | None = None) -> None:
    """Set every script's font in a ``w:rPr`` to ``font`` (complex scripts' to their own)."""
    fonts = {a[2:]: font for a in FONT_ATTRS} | ({"cs": complex_script} if complex_script else {})
    put(props, make("w:rFonts", **fonts), RPR_ORDER)


def drop_theme_fonts(props: Element) -> None:
    """Remove theme font references so that the fonts set in the defaults apply."""
    fonts = props.find(qn("w:rFonts"))
    if fonts is None:
        return
    for attr in THEME_FONT_ATTRS:
        fonts.attrib.pop(qn(attr), None)
    if not fonts.attrib:
        props.remove(fonts)


def set_size(props: Element, points: float) -> None:
    """Set the size of Latin and complex-script text (``w:sz``, ``w:szCs``) in points."""
    half_points = str(round(points * 2))
    put(props, make("w:sz", val=half_points), RPR_ORDER)
    put(props, make("w:szCs", val=half_points), RPR_ORDER)


def set_bold(props: Element) -> None:
    """Make text bold in every script (``w:b`` and, for right-to-left text, ``w:bCs``)."""
    put(props, make("w:b"), RPR_ORDER)
    put(props, make("w:bCs"), RPR_ORDER)


def set_black(props: Element) -> None:
    """Make text black, dropping theme colours (headings are blue in the template)."""
    put(props, make("w:color", val="000000"), RPR_ORDER)


def set_shading(props: Element, fill: str) -> None:
    """Shade text (``w:shd``) with a solid ``fill`` colour, as RRGGBB."""
    put(props, make("w:shd", val="clear", color="auto", fill=fill), RPR_ORDER)


def set_lang(props: Element, lang: str, complex_script: bool) -> None:
    """Set the language of text (``w:lang``), also as the complex-script language if asked."""
    attrs = {"val": lang, "eastAsia": lang}
    if complex_script:
        attrs["bidi"] = lang
    put(props, make("w:lang", **attrs), RPR_ORDER)


def set_border(p_props: Element, sides: Sequence[str], eighths: int, space: int = 6) -> None:
    """Draw a single black border of ``eighths``/8 pt on the given sides of a paragraph."""
    borders = [make(f"w:{side}", val="single", sz=str(eighths), space=str(space), color="000000")
               for side in sides]
    put(p_props, make("w:pBdr", borders), PPR_ORDER)


def doc_defaults_rpr(styles: Element) -> Element:
    """Return ``w:docDefaults/w:rPrDefault/w:rPr`` of a styles part, created if missing."""
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = make("w:docDefaults")
        styles.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = make("w:rPrDefault")
        defaults.insert(0, rpr_default)
    return rpr(rpr_default)

