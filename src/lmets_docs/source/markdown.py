"""Parse a language file's Markdown body into model blocks, with markdown-it-py (CommonMark).

Only what a leaflet needs is accepted: ``##`` sections, paragraphs, bullet and numbered lists
(one level), figures on
their own line, bold, links, glossary terms (``[term](glossary:)``) and fact placeholders
(``{{ helpline.phone }}``). Anything else is reported with its line, never silently dropped.
Placeholders are resolved by our own resolver against the known fact names: content is
data, never a template.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markdown_it.tree import SyntaxTreeNode
from mdit_py_plugins.attrs import attrs_block_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from lmets_docs.errors import Problem
from lmets_docs.invisible import refused, refused_message, visible
from lmets_docs.model import (
    Block,
    BulletList,
    FactRef,
    Figure,
    GlossaryTerm,
    Inline,
    Link,
    ListItem,
    Paragraph,
    Section,
    Strong,
    Text,
)
from lmets_docs.source.pause_gc import collector_paused
from lmets_docs.source.textfile import CONTROL, control_message
from lmets_docs.source.typed import Facts, as_said, scan_block

PLACEHOLDER = re.compile(r"\{\{(.*?)\}\}")
LINK_SCHEMES = ("https://", "http://", "tel:", "mailto:")
IMAGE_SCHEME = "image:"
GLOSSARY_SCHEME = "glossary:"
MAX_LEVEL = 32
"""How deep Markdown may nest (a leaflet needs about five levels: list, item, bold, link)."""
MAX_START = 999
"""The highest first number of a numbered list (CommonMark allows nine digits; a leaflet's
steps never need more than three, and Word's start override is a small number)."""
SECTION_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,99}")
"""What a section id may be: it names files (audio tracks) and bookmarks."""


def parser() -> MarkdownIt:
    """Return the CommonMark parser with front matter and ``{#id}`` block attributes."""
    md = MarkdownIt("commonmark", {"html": False})
    return md.use(front_matter_plugin).use(attrs_block_plugin)


@dataclass
class Context:
    """What the body parser needs to know about the leaflet, and the problems it finds."""

    path: Path
    images: Mapping[str, Path | None]
    fact_names: frozenset[str]
    toll_free: frozenset[str]
    """The phone facts whose numbers are free to call (so the text may say "freephone")."""
    region: str = "GB"
    phones: Mapping[str, str] = field(default_factory=dict)
    """Each contact number (E.164) and its fact, to say which placeholder to write."""
    main_contact: str = "helpline"
    addresses: Mapping[str, str] = field(default_factory=dict)
    """Each contact's email address (lower case) and its fact."""
    dates: Mapping[dt.date, tuple[str, ...]] = field(default_factory=dict)
    """Each date of the leaflet and the facts holding it, to say which placeholder to write."""
    hours: Mapping[tuple[str, str], str] = field(default_factory=dict)
    """Each opening and closing time of a contact's hours, and its hours fact."""
    lang: str = "en-GB"
    lines: list[str] = field(default_factory=list)
    terms: list[tuple[GlossaryTerm, int]] = field(default_factory=list)
    """Every glossary term used, with its line, in reading order (checked against the glossary)."""
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    """Warnings as ``file:line: message``: a single time that is none of a contact's."""
    fragments: list[tuple[str, int]] = field(default_factory=list)
    """The text of the block being read, fragment by fragment, with each one's line."""

    def error(self, line: int, message: str) -> None:
        """Record a problem at a line of this file."""
        self.problems.append(Problem(self.path, line, message))

    def end_block(self, say: Callable[[str], str] = as_said) -> None:
        """Scan the text of the block just read for typed facts and markup, in one piece; word
        what it finds with ``say`` (words that are not the body's say where they are)."""
        facts = Facts(self.region, self.lang, self.phones, self.addresses,
                      hours=self.hours, dates=self.dates)
        found, warned = scan_block(self.path, self.fragments, self.lines, facts, say)
        self.problems += found
        self.warnings += warned
        self.fragments = []


@dataclass
class Body:
    """The parsed body: front matter text (and its first line), intro blocks and sections."""

    front_matter: str | None
    front_matter_line: int
    intro: tuple[Block, ...]
    sections: tuple[Section, ...]


def parse_body(text: str, ctx: Context) -> Body:
    """Parse a whole language file (front matter + Markdown) into blocks."""
    with collector_paused():
        return _parse_body(text, ctx)


def _parse_body(text: str, ctx: Context) -> Body:
    ctx.lines = text.splitlines()
    tokens = parser().parse(text)
    if (line := _too_deep(tokens)) is not None:  # the tree would recurse that deep
        ctx.error(line, f"Markdown nested more than {MAX_LEVEL} levels deep (emphasis, links "
                  "or lists inside each other)")
        tokens = [t for t in tokens if t.type == "front_matter"]
    root = SyntaxTreeNode(tokens)
    front, front_line = None, 1
    intro: list[Block] = []
    sections: list[Section] = []
    current: tuple[str, str, int, list[Block]] | None = None
    for node in root.children:
        line = _line(node)
        if node.type == "front_matter":
            front, front_line = node.content, line + 1
        elif node.type == "heading":
            if current:
                sections.append(Section(current[0], current[1], tuple(current[3]), current[2]))
            current = _heading(node, ctx, sections)
        else:
            owner = current[3] if current else intro
            section_id = current[0] if current else "intro"
            block = _block(node, ctx, f"{section_id}.{len(owner) + 1}")
            if block is not None:
                owner.append(block)
    if current:
        sections.append(Section(current[0], current[1], tuple(current[3]), current[2]))
    return Body(front, front_line, tuple(intro), tuple(sections))


def _too_deep(tokens: list[Token]) -> int | None:
    """Return the line of the first block nested deeper than ``MAX_LEVEL``, or None.

    Depth counts the open tags around a token and the tokens inside it (an image's
    description is a list of tokens inside the image token, so images nest that way).
    """
    for token in tokens:
        if token.level + _depth_inside(token) > MAX_LEVEL:
            return token.map[0] + 1 if token.map else 1
    return None


def _depth_inside(token: Token) -> int:
    """Return how deep tokens nest inside ``token``, without recursion."""
    deepest = 0
    stack = [(child, 1 + child.level) for child in token.children or ()]
    while stack and deepest <= MAX_LEVEL:
        child, depth = stack.pop()
        deepest = max(deepest, depth)
        stack += [(inner, depth + 1 + inner.level) for inner in child.children or ()]
    return deepest


def _line(node: SyntaxTreeNode) -> int:
    return (node.map[0] + 1) if node.map else 0


def slugify(text: str) -> str:
    """Return a section id made from heading text: ``Help and support`` → ``help-and-support``."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section"


def _heading(
    node: SyntaxTreeNode, ctx: Context, done: list[Section]
) -> tuple[str, str, int, list[Block]]:
    line = _line(node)
    title = " ".join(_plain(node.children[0], ctx).split()) if node.children else ""
    if node.tag == "h1":
        ctx.error(
            line,
            "a level-1 heading ('# ...') is not allowed: the title comes from the "
            "front matter's 'title'; use '## ' for sections",
        )
    elif node.tag != "h2":
        ctx.error(
            line, f"only '## ' section headings are supported, not '{'#' * int(node.tag[1])} '"
        )
    if not title.strip():
        ctx.error(line, "a section heading is empty")
    section_id = str(node.attrs.get("id") or slugify(title))
    if not SECTION_ID.fullmatch(section_id):
        ctx.error(line, f"section id {section_id[:40]!r} may hold only letters, digits, '-' "
                  "and '_' (at most 100, the first a letter or digit): put '{#short-id}' on "
                  "the line before the heading")
    if any(s.id == section_id for s in done):
        ctx.error(
            line,
            f"duplicate section id '{section_id}' (give one of them '{{#other-id}}' "
            "on the line before its heading)",
        )
    return section_id, title, line, []


def _block(node: SyntaxTreeNode, ctx: Context, block_id: str) -> Block | None:
    build = _BLOCKS.get(node.type)
    if build is None:
        ctx.error(
            _line(node),
            f"unsupported Markdown ({node.type.replace('_', ' ')}); leaflets "
            "use sections, paragraphs, lists and figures",
        )
        return None
    return build(node, ctx, block_id)


def _paragraph(node: SyntaxTreeNode, ctx: Context, block_id: str) -> Block | None:
    inline = node.children[0]
    parts = [c for c in inline.children if not (c.type == "text" and not c.content.strip())]
    if len(parts) == 1 and parts[0].type == "image":
        return _figure(parts[0], ctx, block_id, _line(node))
    return Paragraph(block_id, _inlines(inline, ctx, _line(node)), _line(node))


def _bullets(node: SyntaxTreeNode, ctx: Context, block_id: str) -> Block | None:
    items = []
    for number, item in enumerate(node.children, start=1):
        paragraphs = [c for c in item.children if c.type == "paragraph"]
        if len(item.children) != 1 or len(paragraphs) != 1:
            ctx.error(
                _line(item),
                "a list item must be one line of text (no nested lists or several paragraphs)",
            )
            continue
        inlines = _inlines(paragraphs[0].children[0], ctx, _line(item))
        items.append(ListItem(f"{block_id}.{number}", inlines))
    return BulletList(block_id, tuple(items), _line(node), _start(node, ctx))


def _start(node: SyntaxTreeNode, ctx: Context) -> int | None:
    """Return a numbered list's first number (``3.`` starts at 3), or None for bullets."""
    if node.type != "ordered_list":
        return None
    start = int(str(node.attrs.get("start", 1)))
    if start > MAX_START:
        ctx.error(_line(node), f"a numbered list may start at {MAX_START} at most, not {start}")
    return start


def _figure(node: SyntaxTreeNode, ctx: Context, block_id: str, line: int) -> Figure | None:
    src = str(node.attrs.get("src", ""))
    alt = "".join(c.content for c in node.children).strip() if node.children else ""
    if not src.startswith(IMAGE_SCHEME):
        ctx.error(line, f"a figure must name an image of leaflet.yaml as 'image:<id>', not {src!r}")
        return None
    image_id = src.removeprefix(IMAGE_SCHEME)
    if image_id not in ctx.images:
        ctx.error(line, f"unknown image '{image_id}' (add it under 'images:' in leaflet.yaml)")
        return None
    if not alt:
        ctx.error(
            line,
            f"figure '{image_id}' has no alternative text: write it between the "
            "brackets, ![what the picture shows](image:id)",
        )
        return None
    _invisible(alt, ctx, line)
    ctx.fragments.append((visible(alt), line))  # a screen reader says it, and check reads it
    ctx.end_block()
    return Figure(block_id, image_id, alt, ctx.images[image_id], line)


_BLOCKS: Mapping[str, Callable[[SyntaxTreeNode, Context, str], Block | None]] = {
    "paragraph": _paragraph,
    "bullet_list": _bullets,
    "ordered_list": _bullets,
}


def _inlines(inline: SyntaxTreeNode, ctx: Context, line: int) -> tuple[Inline, ...]:
    out: list[Inline] = []
    for child in inline.children:
        for part in _inline(child, ctx, line):
            _check_freephone(out, part, ctx, line)
            out.append(part)
        if child.type in ("softbreak", "hardbreak"):
            ctx.fragments.append((" ", line))
            line += 1
    ctx.end_block()
    return _merge_text(out)


def _inline(node: SyntaxTreeNode, ctx: Context, line: int) -> list[Inline]:
    kind = node.type
    if kind == "text":
        return _placeholders(node.content, ctx, line)
    if kind in ("softbreak", "hardbreak"):
        return [Text(" ")]
    if kind == "strong":
        return [Strong(_children(node, ctx, line))]
    if kind == "link":
        return [_link(node, ctx, line)]
    message = {
        "em": "italics are not used in large print; use **bold** for emphasis",
        "image": "a figure must stand on its own line, not inside text",
        "code_inline": "code is not used in leaflets; write the text plainly",
    }.get(kind, f"unsupported Markdown ({kind})")
    ctx.error(line, message)
    return [Text(node.content)] if node.content else []


def _children(node: SyntaxTreeNode, ctx: Context, line: int) -> tuple[Inline, ...]:
    out: list[Inline] = []
    for child in node.children:
        out.extend(_inline(child, ctx, line))
    return _merge_text(out)


def _link(node: SyntaxTreeNode, ctx: Context, line: int) -> Inline:
    href = str(node.attrs.get("href", ""))
    children = _children(node, ctx, line)
    if href.startswith(GLOSSARY_SCHEME):
        text = "".join(c.text for c in children if isinstance(c, Text))
        term = GlossaryTerm(text, unquote(href.removeprefix(GLOSSARY_SCHEME)))
        ctx.terms.append((term, line))
        return term
    if (hidden := refused(unquote(href))) is not None:  # printed after the link's words
        ctx.error(line, "the link's address: " + refused_message(hidden[1]).removeprefix(
            "this line has "))
    if not href.startswith(LINK_SCHEMES):
        ctx.error(
            line,
            f"link {href!r} must start with https://, tel: or mailto: "
            "(or be glossary: for a glossary term)",
        )
    return Link(children, href)


def _placeholders(text: str, ctx: Context, line: int) -> list[Inline]:
    if (found := CONTROL.search(text)) is not None:  # from a character reference: &#27;
        ctx.error(line, control_message(found.group()))
    _invisible(text, ctx, line)
    if "\t" in text:  # indentation is read by Markdown; a tab left in the text is layout
        ctx.error(line, "a tab inside the text: use a space (a tab is layout, which the "
                  "DOCX and a screen reader each treat differently)")
    ctx.fragments.append((visible(text), line))  # scanned as a reader sees it
    out: list[Inline] = []
    last = 0
    for match in PLACEHOLDER.finditer(text):
        out.append(Text(text[last : match.start()]))
        name = match.group(1).strip()
        if name in ctx.fact_names:
            out.append(FactRef(_canonical(name, ctx)))
        else:
            known = ", ".join(sorted(ctx.fact_names))
            ctx.error(line, f"unknown fact '{{{{ {name} }}}}' (known facts: {known})")
        last = match.end()
    rest = text[last:]
    if "{{" in rest or "}}" in rest:
        ctx.error(line, "unclosed fact placeholder: write it as {{ contacts.<id>.phone }}")
    out.append(Text(rest))
    return [part for part in out if not (isinstance(part, Text) and not part.text)]


def _invisible(text: str, ctx: Context, line: int) -> None:
    """Refuse an invisible character the language's text may not hold (``invisible``), as
    typed or written as a character reference (``&#x202E;``)."""
    if (hidden := refused(text, ctx.lang)) is not None:
        ctx.error(line, refused_message(hidden[1], ctx.lang))


def _canonical(name: str, ctx: Context) -> str:
    """Return a fact's own name: ``helpline.x`` is the main contact's ``x``."""
    if name.startswith("helpline."):
        return f"contacts.{ctx.main_contact}.{name.removeprefix('helpline.')}"
    return name


def _check_freephone(before: list[Inline], part: Inline, ctx: Context, line: int) -> None:
    """Refuse "freephone" just before a number that is not free to call ("freephone" and
    the number may be on two lines of the source)."""
    name = part.name if isinstance(part, FactRef) else ""
    if not name.endswith(".phone") or name in ctx.toll_free:
        return
    text = ""
    for item in reversed(before):
        if not isinstance(item, Text):
            break
        text = item.text + text
    if text.rstrip().lower().endswith("freephone"):
        ctx.error(
            line,
            "the text calls the helpline 'freephone' but its number is not "
            "toll-free; remove the word or correct the number",
        )


def _merge_text(inlines: list[Inline]) -> tuple[Inline, ...]:
    out: list[Inline] = []
    for item in inlines:
        if isinstance(item, Text) and out and isinstance(out[-1], Text):
            out[-1] = Text(out[-1].text + item.text)
        else:
            out.append(item)
    return tuple(out)


def _plain(inline: SyntaxTreeNode, ctx: Context) -> str:
    parts = _children(inline, ctx, _line(inline))
    ctx.end_block()
    return "".join(p.text for p in parts if isinstance(p, Text)).strip()
