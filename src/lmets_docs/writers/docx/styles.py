"""Set up the DOCX styles: built-in ones sized for a print profile, plus four of our own.

Body text, headings and lists use Word's built-in styles (Normal, Heading 1, Heading 2,
List Bullet, Footer), so editors, screen readers and converters recognise them. The font and
language are set once, in the style defaults, and theme fonts and colours are removed so
that every style inherits them. Languages in a complex script (right to left, or Indic) also
name a Noto family as the complex-script font (``w:rFonts/@w:cs``) and their language as the
complex-script language (``w:lang/@w:bidi``), since Arial has none of their letters.
Glossary terms carry a character style of their own (no visible formatting), so that an
import can tell them from the text around them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.styles import BabelFish
from docx.styles.style import BaseStyle, CharacterStyle, ParagraphStyle, StyleFactory
from docx.styles.styles import Styles

from lmets_docs.i18n import script
from lmets_docs.ooxml.styles import (
    FACT_STYLE,
    FIGURE_STYLE,
    GLOSSARY_STYLE,
    HELPLINE_BOX_STYLE,
    HELPLINE_NUMBER_STYLE,
    HYPERLINK_STYLE,
    NOTICE_STYLE,
    REVIEW_DATES_STYLE,
    STRONG_STYLE,
)
from lmets_docs.options import PrintProfile
from lmets_docs.writers.docx import xml as x

FONT = "Arial"
"""A clear sans-serif present wherever Word runs; other programs substitute a metric twin."""
LINE_SPACING = 1.4
FACT_SHADING = "D9D9D9"
"""The grey of a fact's box: black text on it keeps a contrast of 14:1."""
PARAGRAPH_STYLES = ("Heading 1", "Heading 2", "List Bullet", "List Number", "Footer",
                    FIGURE_STYLE, NOTICE_STYLE, HELPLINE_BOX_STYLE, HELPLINE_NUMBER_STYLE,
                    REVIEW_DATES_STYLE)
COMPLEX_SCRIPT_FONTS: Mapping[str, str] = MappingProxyType({
    "Arab": "Noto Naskh Arabic", "Hebr": "Noto Sans Hebrew", "Beng": "Noto Sans Bengali",
    "Guru": "Noto Sans Gurmukhi", "Deva": "Noto Sans Devanagari", "Gujr": "Noto Sans Gujarati",
    "Taml": "Noto Sans Tamil", "Telu": "Noto Sans Telugu", "Knda": "Noto Sans Kannada",
    "Mlym": "Noto Sans Malayalam", "Orya": "Noto Sans Oriya", "Sinh": "Noto Sans Sinhala",
    "Thai": "Noto Sans Thai",
})
"""The complex-script font by script (Word sets these scripts with the ``w:cs`` font)."""
LANGUAGE_FONTS: Mapping[str, str] = MappingProxyType({"ur": "Noto Nastaliq Urdu"})
"""Where a language's readers expect another style: Urdu is written in Nastaliq."""


@dataclass(frozen=True)
class StyleIds:
    """The style ids that runs refer to (python-docx derives ids from names)."""

    fact: str
    strong: str
    hyperlink: str
    glossary: str
    paragraph: Mapping[str, str | None]
    """Paragraph style name → id (None for Normal, the default, which needs no mark)."""


def setup_styles(document: Document, profile: PrintProfile, lang: str, rtl: bool) -> StyleIds:
    """Size the built-in styles for ``profile``, set font and language, add our styles."""
    styles = _ByName(document.styles)
    _defaults(styles.styles, profile, lang, rtl)
    _normal(styles["Normal"], profile)
    _heading(styles["Heading 1"], profile.h1_pt, before=0, after=profile.h1_pt * 0.5)
    _heading(styles["Heading 2"], profile.h2_pt, before=profile.h2_pt, after=profile.h2_pt * 0.35)
    _list_bullet(styles["List Bullet"], profile)
    _list_bullet(styles["List Number"], profile)  # the references, numbered as in the PDF
    _footer(styles["Footer"], profile)
    _figure(styles, profile)
    _notice(styles, profile)
    _first_page(styles, profile)
    return StyleIds(fact=_fact(styles).style_id, strong=styles[STRONG_STYLE].style_id,
                    hyperlink=_hyperlink(styles).style_id, glossary=_glossary(styles).style_id,
                    paragraph=_paragraph_ids(styles))


def complex_script_font(lang: str) -> str | None:
    """Return the Noto family for a language in a complex script, or None (Latin, Cyrillic …)."""
    base = lang.split("-", maxsplit=1)[0]
    return LANGUAGE_FONTS.get(base) or COMPLEX_SCRIPT_FONTS.get(script(lang))


class _ByName:
    """A document's styles by name, each name read once.

    ``Styles[name]`` compiles and runs an XPath over every style (Word's template has about
    160), and ``Styles.add_style`` first reads every style's name to refuse a second of the
    same name: the 25 look-ups and 8 new styles here were a third of the DOCX writer's time
    before its body. The same styles, the first of a name as ``Styles[name]`` finds it, and
    the same new ones (python-docx's own ``add_style_of_type``, as ``add_style`` makes them).
    """

    def __init__(self, styles: Styles) -> None:
        self.styles = styles
        self.named: dict[str, BaseStyle] = {}
        for style in styles:
            if style.name is not None:
                self.named.setdefault(style.name, style)

    def __getitem__(self, name: str) -> BaseStyle:
        return self.named[name]

    def add(self, name: str, kind: WD_STYLE_TYPE, base: str) -> Any:
        """Add a style named ``name`` based on ``base``, as ``Styles.add_style`` does."""
        if name in self.named:
            raise ValueError(f"document already contains style '{name}'")
        element = self.styles.element.add_style_of_type(BabelFish.ui2internal(name), kind, False)
        style: Any = StyleFactory(element)  # a paragraph or a character style
        style.base_style = self.named[base]
        self.named[name] = style
        return style


def _paragraph_ids(styles: _ByName) -> Mapping[str, str | None]:
    ids = {name: styles[name].style_id for name in PARAGRAPH_STYLES}
    return MappingProxyType({**ids, "Normal": None})


def _defaults(styles: Styles, profile: PrintProfile, lang: str, rtl: bool) -> None:
    props = x.doc_defaults_rpr(styles.element)
    complex_font = complex_script_font(lang)
    x.set_fonts(props, FONT, complex_font)
    x.set_size(props, profile.body_pt)
    x.set_lang(props, lang, rtl or complex_font is not None)
    for style in styles.element.findall(qn("w:style")):
        style_props = style.find(qn("w:rPr"))
        if style_props is not None:
            x.drop_theme_fonts(style_props)


def _normal(style: BaseStyle, profile: PrintProfile) -> None:
    assert isinstance(style, ParagraphStyle)
    x.set_size(x.rpr(style.element), profile.body_pt)
    fmt = style.paragraph_format
    fmt.line_spacing = LINE_SPACING
    fmt.space_after = Pt(round(profile.body_pt * 0.6))
    fmt.widow_control = True


def _heading(style: BaseStyle, size: float, before: float, after: float) -> None:
    assert isinstance(style, ParagraphStyle)
    props = x.rpr(style.element)
    x.set_size(props, size)
    x.set_black(props)
    x.set_bold(props)
    style.font.italic = False
    fmt = style.paragraph_format
    fmt.space_before, fmt.space_after = Pt(round(before)), Pt(round(after))
    fmt.line_spacing = 1.15
    fmt.keep_with_next = True


def _list_bullet(style: BaseStyle, profile: PrintProfile) -> None:
    # Keep a small gap between items: contextual spacing would remove it, and items wrap.
    assert isinstance(style, ParagraphStyle)
    props = x.ppr(style.element)
    for old in props.findall(qn("w:contextualSpacing")):
        props.remove(old)
    style.paragraph_format.space_after = Pt(round(profile.body_pt * 0.35))


def _footer(style: BaseStyle, profile: PrintProfile) -> None:
    # The helpline on every page at the body's size, never smaller: Footer is based on Normal
    # and sets no size of its own, so making Normal larger in Word makes the footer larger too.
    assert isinstance(style, ParagraphStyle)
    props = x.rpr(style.element)
    for old in props.findall(qn("w:sz")) + props.findall(qn("w:szCs")):
        props.remove(old)
    style.paragraph_format.space_after = Pt(round(profile.body_pt * 0.3))


def _figure(styles: _ByName, profile: PrintProfile) -> None:
    # A figure with no image file: its description, set off by a bar so it reads as a figure.
    style: ParagraphStyle = _new_style(styles, FIGURE_STYLE, WD_STYLE_TYPE.PARAGRAPH, "Normal")
    style.quick_style = True
    style.paragraph_format.left_indent = Pt(round(profile.body_pt))
    x.set_border(x.ppr(style.element), ["left"], eighths=24, space=8)


def caption_style(styles: Styles, body_pt: float) -> str:
    """Size Word's built-in Caption style for large print; return its id.

    It is set up only for a leaflet with a picture (a DOCX without one stays as it was): at
    the body's size, upright and black (the template's is small, italic and blue-grey).
    """
    style = styles["Caption"]
    assert isinstance(style, ParagraphStyle)
    props = x.rpr(style.element)
    for old in props.findall(qn("w:bCs")) + props.findall(qn("w:iCs")):
        props.remove(old)  # the template's bold right-to-left captions
    x.set_size(props, body_pt)
    x.set_black(props)
    style.font.italic = style.font.bold = False
    style.hidden, style.quick_style = False, True
    style.paragraph_format.line_spacing = LINE_SPACING
    style.paragraph_format.space_after = Pt(round(body_pt))
    return str(style.style_id)


def _notice(styles: _ByName, profile: PrintProfile) -> None:
    style: ParagraphStyle = _new_style(styles, NOTICE_STYLE, WD_STYLE_TYPE.PARAGRAPH, "Normal")
    style.quick_style = True
    x.set_bold(x.rpr(style.element))
    x.set_border(x.ppr(style.element), ["top", "left", "bottom", "right"], eighths=24, space=6)
    style.paragraph_format.space_after = Pt(round(profile.body_pt))


def _first_page(styles: _ByName, profile: PrintProfile) -> None:
    """The helpline box and review dates at the top, as the large-print PDF's first page.

    Word and LibreOffice draw one border round consecutive paragraphs with the same borders,
    so the box's lines (the number's too, whose style is based on the box's) make one box.
    """
    box: ParagraphStyle = _new_style(styles, HELPLINE_BOX_STYLE, WD_STYLE_TYPE.PARAGRAPH,
                                     "Normal")
    box.quick_style = True
    x.set_border(x.ppr(box.element), ["top", "left", "bottom", "right"], eighths=24, space=6)
    box.paragraph_format.space_after = Pt(0)
    box.paragraph_format.keep_with_next = True
    number: ParagraphStyle = _new_style(styles, HELPLINE_NUMBER_STYLE, WD_STYLE_TYPE.PARAGRAPH,
                                        HELPLINE_BOX_STYLE)
    number.quick_style = True
    x.set_size(x.rpr(number.element), profile.h2_pt)
    x.set_bold(x.rpr(number.element))
    dates: ParagraphStyle = _new_style(styles, REVIEW_DATES_STYLE, WD_STYLE_TYPE.PARAGRAPH,
                                       "Normal")
    dates.quick_style = True
    dates.paragraph_format.space_before = Pt(round(profile.body_pt))
    dates.paragraph_format.space_after = Pt(round(profile.body_pt))
    # No gap between the two dates: spacing applies only where the style changes.
    x.put(x.ppr(dates.element), x.make("w:contextualSpacing"), x.PPR_ORDER)


def _fact(styles: _ByName) -> CharacterStyle:
    # Bold on a grey box for readers and editors alike (Word, LibreOffice); no proofing marks on
    # numbers and names; its name tells editors why.
    style: CharacterStyle = _new_style(styles, FACT_STYLE, WD_STYLE_TYPE.CHARACTER,
                                       "Default Paragraph Font")
    style.quick_style = True
    x.set_bold(x.rpr(style.element))
    x.put(x.rpr(style.element), x.make("w:noProof"), x.RPR_ORDER)
    x.set_shading(x.rpr(style.element), FACT_SHADING)
    return style


def _glossary(styles: _ByName) -> CharacterStyle:
    # No formatting of its own: the name is what an import (and an editor) goes by.
    style: CharacterStyle = _new_style(styles, GLOSSARY_STYLE, WD_STYLE_TYPE.CHARACTER,
                                       "Default Paragraph Font")
    style.quick_style = True
    return style


def _hyperlink(styles: _ByName) -> CharacterStyle:
    style: CharacterStyle = _new_style(styles, HYPERLINK_STYLE, WD_STYLE_TYPE.CHARACTER,
                                       "Default Paragraph Font")
    x.put(x.rpr(style.element), x.make("w:color", val="0B3D91"), x.RPR_ORDER)
    x.put(x.rpr(style.element), x.make("w:u", val="single"), x.RPR_ORDER)
    return style


def _new_style(styles: _ByName, name: str, kind: WD_STYLE_TYPE, base: str) -> Any:
    return styles.add(name, kind, base)
