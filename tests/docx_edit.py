"""Edit a built DOCX as a translator would in Word, for the import tests.

``translate_docx`` replaces the text of every run outside the locked facts (body, headers,
footers) and every picture's alternative text, keeping runs, styles, bookmarks, content
controls and the source map. ``edit_docx`` hands a part's XML to a function to change it.
The translations are fixtures: a pseudo-translation and short neutral sentences.
"""

from __future__ import annotations

import itertools
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WP_DOCPR = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
TEXT_PARTS = re.compile(r"word/(document|header\d*|footer\d*)\.xml")
BIDI = "\u202a\u202b\u202c\u202d\u202e"
PSEUDO = str.maketrans("aceinosuyACEINOSUYtTlLgGrR", "àçéîñöšüýÀÇÉÎÑÖŠÜÝţŢļĻğĞŕŔ")

SENTENCES: dict[str, tuple[str, ...]] = {
    lang: tuple(pool) for lang, pool in yaml.safe_load(
        (Path(__file__).parent / "data" / "sentences.yaml").read_text(encoding="utf-8")).items()}
"""Short neutral sentences by language: fixtures, not a translation of the leaflet."""

Translate = Callable[[str], str]


def pseudo(text: str) -> str:
    """Return a pseudo-translation: accented letters in double brackets, edge spaces kept."""
    core = text.strip()
    if not core:
        return text
    return text[:len(text) - len(text.lstrip())] + f"[[{core.translate(PSEUDO)}]]" + \
        text[len(text.rstrip()):]


DIGITS = {"ur": str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")}
"""Numbers are written in the language's own digits where it has them (Urdu: ۱۲)."""
COUNT_LETTERS = {"ur": "ابپتٹثجچحخ"}
"""The letters a sentence's count is written in, one for each digit (else ``a`` to ``j``)."""
NUMBER = re.compile(r"\d+(?:\.\d+)?")


def sentences(lang: str) -> Translate:
    """Return a translator that replaces each piece of text by a fixture sentence of ``lang``.

    The sentences are told apart by a count in letters (``Mae'r dŵr yn oer h``), so every
    piece is different, and say the numbers of the text they stand for, in the language's
    digits: a translation must say its source's numbers (``source.samenumbers``).
    """
    pool, counter = SENTENCES[lang], itertools.count(1)
    letters = str.maketrans("0123456789", COUNT_LETTERS.get(lang, "abcdefghij"))

    def translate(text: str) -> str:
        if not text.strip():
            return text
        number = next(counter)
        kept = "".join(f" {n}" for n in NUMBER.findall(text))
        sentence = f"{pool[number % len(pool)]} {str(number).translate(letters)}{kept}"
        sentence = sentence.translate(DIGITS.get(lang, {}))
        return text[:len(text) - len(text.lstrip())] + sentence + text[len(text.rstrip()):]

    return translate


def is_fact(node: Any) -> bool:
    """Say whether an element lies inside a locked fact's content control, or a link's
    printed address (locked too, ``link-address``: no translator types over it)."""
    return any(str(tag.get(f"{W}val", "")).startswith(("fact:", "link-address"))
               for sdt in node.iterancestors(f"{W}sdt")
               for tag in sdt.iterfind(f"{W}sdtPr/{W}tag"))


def translate_part(root: Any, translate: Translate) -> None:
    """Translate every text outside the facts, and every picture description, in a part."""
    for t in root.iter(f"{W}t"):
        if t.text and t.text.strip(BIDI + " ") and not is_fact(t):
            t.text = translate(t.text)
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    for props in root.iter(WP_DOCPR):
        if props.get("descr"):
            props.set("descr", translate(props.get("descr")))


def edit_docx(source: Path, target: Path, edits: dict[str, Callable[[Any], None]]) -> Path:
    """Copy a DOCX, passing the parsed XML of each part named in ``edits`` to its function."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info.filename)
            edit = edits.get(info.filename)
            if edit is not None:
                root = etree.fromstring(data)
                edit(root)
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                      standalone=True)
            new.writestr(info, data)
    return target


def translate_docx(source: Path, target: Path, translate: Translate) -> Path:
    """Write a copy of a DOCX with every translatable text translated."""
    with zipfile.ZipFile(source) as package:
        names = [n for n in package.namelist() if TEXT_PARTS.fullmatch(n)]
    return edit_docx(source, target, dict.fromkeys(
        names, lambda root: translate_part(root, translate)))
