"""Spare WeasyPrint's cffi parsing C type names it already knows: ``T *``, ``T **``, ``T[N]``.

Each new C type string WeasyPrint asks cffi for (``ffi.new("hb_codepoint_t[49]")``, one per
length of a font subset; ``"PangoRectangle *"``) is parsed as C by pycparser, after a
declaration of each of the 64 type names of WeasyPrint's cdef: about 3 ms of CPU each, 13 of
them while printing the seed (0.046 s, measured; once per type string and process). When the
string is a pointer to, a pointer to a pointer to, or an array of a type name that the cdef
declared, cffi's parser would build its answer from that declaration: this builds the same
answer with the parser's own model and functions, without the C parse. Any other string is
parsed as before. The shortcut is set on WeasyPrint's parser object only (cffi's and
WeasyPrint's files are unchanged), and only if that parser has what it uses; a test proves
that every type name of the cdef, in each shape, gives the very type object the parse gives.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from cffi import model  # type: ignore[import-untyped]

SHAPE = re.compile(r"\s*(?P<name>[A-Za-z_][A-Za-z_0-9]*)\s*"
                   r"(?:(?P<stars>\*{1,2})|\[\s*(?P<length>0|[1-9][0-9]*)?\s*\])\s*")
"""``name *``, ``name **``, ``name[]`` or ``name[N]`` (N in decimal)."""

Parse = Callable[[str], tuple[Any, int]]


def install(ffi: Any) -> bool:
    """Give ``ffi``'s parser the shortcut; say whether it could (a cffi without its parts: no)."""
    parser = getattr(ffi, "_parser", None)
    needed = ("_declarations", "_get_type_pointer", "parse_type_and_quals")
    if parser is None or not all(hasattr(parser, name) for name in needed):
        return False
    if not getattr(parser.parse_type_and_quals, "lmets_shortcut", False):
        parser.parse_type_and_quals = shortcut(parser, parser.parse_type_and_quals)
    return True


def shortcut(parser: Any, parse: Parse) -> Parse:
    """Return ``parse_type_and_quals`` answering known shapes of declared type names itself."""

    def parse_type_and_quals(cdecl: str) -> tuple[Any, int]:
        found = SHAPE.fullmatch(cdecl) if isinstance(cdecl, str) else None
        declared = parser._declarations.get(f"typedef {found['name']}") if found else None
        if found is None or declared is None:
            return parse(cdecl)
        return shaped(parser, declared, found)

    parse_type_and_quals.lmets_shortcut = True  # type: ignore[attr-defined]
    return parse_type_and_quals


def shaped(parser: Any, declared: tuple[Any, int], found: re.Match[str]) -> tuple[Any, int]:
    """Return the type and qualifiers cffi's parser gives the shape of a declared type name.

    As ``Parser._get_type_and_quals`` does: a pointer is made from the type it points to and
    that type's qualifiers, and has none of its own; an array keeps its item's qualifiers.
    """
    tp, quals = declared
    if found["stars"]:
        for _ in found["stars"]:
            tp, quals = parser._get_type_pointer(tp, quals), 0
        return tp, quals
    length = None if found["length"] is None else int(found["length"])
    return model.ArrayType(tp, length), quals
