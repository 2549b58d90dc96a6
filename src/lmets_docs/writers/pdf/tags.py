"""Finish WeasyPrint's tagged PDF with pikepdf: the tagging that WeasyPrint leaves undone.

WeasyPrint 70 (the newest release) marks the content of page margins (the running helpline
footer, "Page N of M") as tagged content that no structure element holds (Kozea/WeasyPrint
#1836), gives an element that a page break cuts one structure element per page (#2902, #2903),
leaves the Print flag off link annotations, and paints list markers after the rest of their
page, out of the tag tree's order. ``finish_tags``:

1. merges the pieces of each element a page break cut (how deep each break cuts comes from
   the layout: ``pdf_layout.cut_depths``), so one paragraph or list is one element;
2. marks every piece of content no structure element holds as ``/Artifact /Pagination``
   (``/Header`` or ``/Footer`` by where it is on the page) and drops it from the parent tree;
3. moves each marked-content sequence painted out of the tag tree's order to its place, with
   the colours and text state it was painted with (``pdf_paint``);
4. puts a picture's caption inside its ``/Figure``, whose ``/Alt`` then stands for both: the
   caption prints the same description, which a screen reader would otherwise read twice;
5. sets the Print flag (and clears Hidden and NoView) on every link annotation.
"""

from __future__ import annotations

import io
import itertools
import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pikepdf

from lmets_docs.errors import BuildError, TagTreeError
from lmets_docs.writers.pdf import paint as pdf_paint

log = logging.getLogger(__name__)

PRINT, HIDDEN, NO_VIEW = 4, 2, 32
"""Annotation flags (ISO 32000-1, 12.5.3)."""
MERGED = frozenset({"/Part", "/Art", "/Sect", "/Div", "/NonStruct", "/BlockQuote", "/P",
                    "/L", "/LI", "/LBody"})
"""Elements whose pieces are merged. A table's pieces are not: WeasyPrint repeats its header
row on each page, and a merged table would read that row twice."""


@dataclass
class Tree:
    """The structure tree's parent tree, read once: what holds each marked-content id."""

    nums: dict[int, Any]
    replaced: dict[tuple[int, int], Any] = field(default_factory=dict)


def finish_tags(pdf: pikepdf.Pdf, cuts: Sequence[int], numbered: Sequence[bool] = (),
                continued: Sequence[tuple[int, int, int]] = ()) -> None:
    """Merge split elements, mark untagged content as artifacts, reorder, flag links to print.

    ``numbered`` says of each list of the page, in order, whether it is a numbered list;
    ``continued``, where the rest of a contact's box starts with its name again (page index,
    depth, the name's lines: ``pdf_layout.continued``), which is taken out of the tree
    (``drop_continued``).
    """
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        raise BuildError("WeasyPrint wrote no structure tree to finish")
    tree = Tree(read_nums(root.ParentTree))
    document = root.K[0] if isinstance(root.K, pikepdf.Array) else root.K
    drop_spacers(document)
    for number, depth, lines in continued:
        drop_continued(document, pdf.pages[number].obj, depth, lines)
    for number, depth in enumerate(cuts):
        merge_cut(document, pdf.pages[number + 1].obj, depth, tree)
    redirect(tree)
    caption_figures(document)
    number_lists(document, numbered)
    held: set[tuple[int, int]] = set()
    order = tree_order(document, held)
    for page in pdf.pages:
        artifacts = untagged(page.obj, tree, held)
        pdf_paint.rewrite(pdf, page, artifacts, order.get(page.obj.objgen, []))
    write_nums(root.ParentTree, tree)
    flag_links(pdf)


def read_nums(parent_tree: Any) -> dict[int, Any]:
    """Return the parent tree's flat ``/Nums`` as a dictionary (WeasyPrint writes no /Kids)."""
    if "/Kids" in parent_tree:
        raise BuildError("the PDF's parent tree has /Kids, which lmets-docs does not finish")
    nums = list(parent_tree.Nums)
    return {int(key): value for key, value in zip(nums[::2], nums[1::2], strict=True)}


def write_nums(parent_tree: Any, tree: Tree) -> None:
    """Write the parent tree back, in key order."""
    parent_tree.Nums = pikepdf.Array(
        [item for key in sorted(tree.nums) for item in (key, tree.nums[key])])


def kids(element: Any) -> list[Any]:
    """Return an element's ``/K`` as a list."""
    found = element.get("/K")
    if found is None:
        return []
    return list(found) if isinstance(found, pikepdf.Array) else [found]


def is_element(kid: Any) -> bool:
    """Say whether a ``/K`` entry is a structure element (not content or an annotation)."""
    return isinstance(kid, pikepdf.Dictionary) and "/S" in kid


def on_page(kid: Any, page: Any) -> bool:
    """Say whether a structure element starts on ``page``."""
    return is_element(kid) and kid.get("/Pg") is not None and kid.Pg.objgen == page.objgen


def drop_spacers(element: Any) -> None:
    """Take out of the tree under ``element`` each section's empty first ``/NonStruct``.

    WeasyPrint tags every box, so the empty block that opens a section to keep it off the
    foot of a page (the template's ``section[id]::before``) would be an element holding
    nothing; other elements are left as they are.
    """
    found = kids(element)
    for kid in found:
        if is_element(kid):
            drop_spacers(kid)
    if str(element.get("/S")) == "/Sect" and found and _empty(found[0]):
        element.K = pikepdf.Array(found[1:])


def _empty(kid: Any) -> bool:
    return is_element(kid) and str(kid.S) == "/NonStruct" and not kids(kid)


def drop_continued(document: Any, page: Any, depth: int, lines: int = 1) -> None:
    """Take out of the tree the contact's name that heads the rest of its box on ``page``.

    The paragraph that starts the page, ``depth`` levels down (each level's first element),
    opens with the name and "continued" (its ``::before``), on ``lines`` lines: WeasyPrint
    tags each line's piece of it as a ``/NonStruct`` of its own, its paragraph's first
    elements. Out of the tree, their content is marked as an artifact, as the page's header
    is: the name's heading is once in the tree and the outline, and a screen reader reads on
    from the number to the hours as the box's lines. Only those pieces are taken: what
    follows may be a ``/NonStruct`` too (a link's). An element left holding nothing is taken
    out too: the anonymous block in which WeasyPrint lays out the name heading a house
    template's list of lines (``<ul>``, tagged ``/L`` as its list is), which would otherwise
    be an empty list inside the list.
    """
    parent, element = document, next((kid for kid in kids(document) if on_page(kid, page)),
                                     None)
    for level in range(1, depth):
        if element is None:
            raise TagTreeError(
                f"the rest of a contact's box is laid out {depth} levels down, but the "
                f"structure tree ends {level} levels down, so the name heading it cannot be "
                "marked as an artifact")
        parent, element = element, next((kid for kid in kids(element) if is_element(kid)),
                                        None)
    first = [kid for kid in kids(element) if is_element(kid)][:lines] if element else []
    if element is None or len(first) < lines or any(str(kid.S) != "/NonStruct"
                                                    for kid in first):
        found = ", ".join(str(kid.S) for kid in first) or "nothing"
        raise TagTreeError(
            f"the rest of a contact's box starts with the name on {lines} line(s), but the "
            f"structure tree holds {found} where the layout put it, so the name cannot be "
            "marked as an artifact")
    element.K = pikepdf.Array([kid for kid in kids(element)
                               if not any(_same(kid, one) for one in first)])
    if not kids(element) and parent is not document:
        parent.K = pikepdf.Array([kid for kid in kids(parent) if not _same(kid, element)])


def merge_cut(document: Any, after: Any, depth: int, tree: Tree) -> None:
    """Merge, ``depth`` levels down, the elements a page break before ``after`` cut in two.

    The top-level element before the first one that starts on ``after`` holds the first piece
    (it may start pages earlier, if it was merged already); each level down, the last child
    element of the first piece meets the first child element of the second.
    """
    parent, elements = document, kids(document)
    first = next((i for i, kid in enumerate(elements) if on_page(kid, after)), None)
    if depth == 0 or first is None or first == 0:
        return
    one, two = elements[first - 1], elements[first]
    for _level in range(depth):
        if str(one.S) != str(two.S) or str(one.S) not in MERGED:
            log.info("pdf: a page break cuts %s, continued as %s: left apart", one.S, two.S)
            return
        last = [k for k in kids(one) if is_element(k)][-1:]
        head = [k for k in kids(two) if is_element(k)][:1]
        merge(parent, one, two, tree)
        if not last or not head:
            return
        parent, one, two = one, last[0], head[0]


def merge(parent: Any, one: Any, two: Any, tree: Tree) -> None:
    """Append ``two``'s children to ``one`` and take ``two`` out of ``parent``."""
    joined = kids(one)
    for kid in kids(two):
        if is_element(kid):
            kid.P = one
        # A bare marked-content id belongs to the element's page: say which, explicitly.
        joined.append(pikepdf.Dictionary(Type=pikepdf.Name.MCR, Pg=two.Pg, MCID=kid)
                      if isinstance(kid, int) else kid)
    one.K = pikepdf.Array(joined)
    parent.K = pikepdf.Array([k for k in kids(parent) if not _same(k, two)])
    tree.replaced[two.objgen] = one


def _same(one: Any, two: Any) -> bool:
    return isinstance(one, pikepdf.Object) and one.is_indirect and one.objgen == two.objgen


def redirect(tree: Tree) -> None:
    """Point every parent-tree entry that named a merged-away element at what absorbed it."""

    def final(value: Any) -> Any:
        while isinstance(value, pikepdf.Dictionary) and value.objgen in tree.replaced:
            value = tree.replaced[value.objgen]
        return value

    for key, value in tree.nums.items():
        if isinstance(value, pikepdf.Array):
            tree.nums[key] = pikepdf.Array([final(v) for v in value])
        else:
            tree.nums[key] = final(value)


def caption_figures(element: Any) -> None:
    """Move each ``/Caption`` that follows a ``/Figure`` with ``/Alt`` into that figure.

    WeasyPrint tags ``<figure><img><figcaption>`` as a ``/NonStruct`` holding a ``/Figure``
    and a ``/Caption``; the ``/Alt`` of an element stands for it and its children (ISO
    32000-1, 14.9.3), and a caption may be a figure's last child.
    """
    found = kids(element)
    for kid in found:
        if is_element(kid):
            caption_figures(kid)
    for figure, caption in itertools.pairwise(found):
        if _is(figure, "/Figure") and "/Alt" in figure and _is(caption, "/Caption"):
            caption.P = figure
            figure.K = pikepdf.Array([*kids(figure), caption])
            element.K = pikepdf.Array([k for k in kids(element) if not _same(k, caption)])


def number_lists(document: Any, numbered: Sequence[bool]) -> None:
    """Give each numbered list the attribute ``/ListNumbering /Decimal`` (ISO 32000-1,
    14.8.5.5): a screen reader may say it is a numbered list, whose labels (``/Lbl``) are
    its numbers. WeasyPrint sets no list attributes."""
    if not any(numbered):
        return
    lists = [element for element in _elements(document) if _is(element, "/L")]
    if len(lists) != len(numbered):  # a house template's list in an HTML comment, say
        log.info("not marking numbered lists: the PDF has %d lists, the page %d",
                 len(lists), len(numbered))
        return
    for element, flag in zip(lists, numbered, strict=True):
        if flag:
            element.A = pikepdf.Dictionary(O=pikepdf.Name.List,
                                           ListNumbering=pikepdf.Name.Decimal)


def _elements(element: Any) -> Iterator[Any]:
    """Yield the structure elements under ``element``, in the tree's order."""
    for kid in kids(element):
        if is_element(kid):
            yield kid
            yield from _elements(kid)


def _is(kid: Any, role: str) -> bool:
    return is_element(kid) and str(kid.S) == role


def tree_order(document: Any, held: set[tuple[int, int]]) -> dict[tuple[int, int], list[int]]:
    """Return, per page, the marked-content ids in the order the structure tree reads them.

    Add to ``held`` the object id of every element of the tree.
    """
    order: dict[tuple[int, int], list[int]] = {}
    for page, mcid in content_refs(document, held):
        order.setdefault(page, []).append(mcid)
    return order


def content_refs(element: Any, held: set[tuple[int, int]]) -> Iterator[tuple[tuple[int, int], int]]:
    """Yield (page id, marked-content id) for every piece of content under an element."""
    held.add(element.objgen)
    for kid in kids(element):
        if isinstance(kid, int):
            yield element.Pg.objgen, kid
        elif is_element(kid):
            yield from content_refs(kid, held)
        elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
            yield kid.get("/Pg", element.Pg).objgen, int(kid.MCID)


def untagged(page: Any, tree: Tree, held: set[tuple[int, int]]) -> set[int]:
    """Return the page's marked-content ids that no element of the tree holds; forget them."""
    key = page.get("/StructParents")
    if key is None or int(key) not in tree.nums:
        return set()
    parents = list(tree.nums[int(key)])
    loose = {mcid for mcid, parent in enumerate(parents)
             if not isinstance(parent, pikepdf.Dictionary) or parent.objgen not in held}
    tree.nums[int(key)] = pikepdf.Array(
        [None if mcid in loose else parent
         for mcid, parent in enumerate(parents)])
    return loose


def flag_links(pdf: pikepdf.Pdf) -> None:
    """Set the Print flag and clear Hidden and NoView on every link annotation."""
    for page in pdf.pages:
        for annotation in page.obj.get("/Annots", []):
            if annotation.get("/Subtype") == "/Link":
                flags = int(annotation.get("/F", 0))
                annotation.F = (flags | PRINT) & ~(HIDDEN | NO_VIEW)


def finish_pdf(data: bytes, cuts: Sequence[int], target: Path,
               numbered: Sequence[bool] = (), continued: Sequence[tuple[int, int, int]] = ()
               ) -> None:
    """Finish the tags of WeasyPrint's PDF ``data`` and write it to ``target``.

    qpdf saves into memory, and Python writes the file: qpdf's own writing throws a C++
    exception on a full disk that can end the whole process; Python's raises OSError, which
    the build says as a full disk.
    """
    finished = io.BytesIO()
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            finish_tags(pdf, cuts, numbered, continued)
            # The file identifier from the content, not at random: the same source gives
            # the same PDF, byte for byte (a rebuild, a batch on a cluster, a golden file).
            pdf.save(finished, deterministic_id=True)
    except pikepdf.PdfError as exc:
        raise BuildError(f"could not finish the PDF's tags: {exc}") from exc
    target.write_bytes(finished.getbuffer())
