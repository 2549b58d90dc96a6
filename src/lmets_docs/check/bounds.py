"""Find a fact in a text only as a whole: never inside a longer number or word.

A fact's digits are a whole number only where no digit stands right before or after them
(of any script: ``0-9``, Arabic-Indic U+0660-0669, extended Arabic-Indic U+06F0-06F9, Devanagari,
Gurmukhi, Bengali …: Unicode's decimal digits, category ``Nd``), so "1 June" is not in
"21 June", nor "0113 496 0321" in "10113 496 0321" (a misprint that phonenumbers' matcher
finds neither valid nor invalid, so only the fact's bounds catch it). A fact's letters are a
whole word only where no letter, combining mark or digit stands right before or after them
("closed Sunday" is not in "closed Sundays", "help@example.org" not in
"help@example.org2"); a digit at a fact's edge may touch a letter ("9am"), and anything else
(a space, punctuation, a bracket, a line's end) bounds a fact.

This is for text read with its spaces (whitespace folded). A key without spaces
(``bidi.fact_key``, a right-to-left text's letters and digits in order) bounds its numbers
itself (``#21#``) and cannot tell where its words end.
"""

from __future__ import annotations

import unicodedata


def find(text: str, fact: str, start: int = 0) -> int:
    """Return where ``fact`` first stands whole in ``text`` from ``start``, or -1."""
    if not fact:
        return text.find(fact, start)
    at = text.find(fact, start)
    while at >= 0:
        end = at + len(fact)
        if (not at or _apart(fact[0], text[at - 1])) and (
                end == len(text) or _apart(fact[-1], text[end])):
            return at
        at = text.find(fact, at + 1)
    return -1


def holds(text: str, fact: str) -> bool:
    """Say whether ``fact`` stands whole somewhere in ``text``."""
    return find(text, fact) >= 0


def within(text: str, key: str) -> bool:
    """Say whether a key without spaces (``bidi.fact_key``) is in another: its numbers are
    bounded in the key itself, its words cannot be."""
    return key in text


def starts(text: str, fact: str) -> bool:
    """Say whether ``text`` starts with ``fact``, whole."""
    return text.startswith(fact) and (len(text) == len(fact) or not fact
                                      or _apart(fact[-1], text[len(fact)]))


def _apart(edge: str, neighbour: str) -> bool:
    """Say whether a fact's character at its edge (``edge``) is kept apart from the text's
    character next to it (``neighbour``): not a digit beside a digit, nor a letter or mark
    beside a letter, mark or digit."""
    kind, other = unicodedata.category(edge)[0], unicodedata.category(neighbour)
    if unicodedata.category(edge) == "Nd":
        return other != "Nd"
    if kind in "LM":
        return other[0] not in "LM" and other != "Nd"
    return True
