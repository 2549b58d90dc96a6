"""Match the units a translator's file was made from ("then") to the current source's ("now").

Block ids are positional (``section.3``), so splitting, inserting or deleting one paragraph in
the source renumbers every later block of its section. Units are therefore matched by their
source text, not by id: first the longest runs of units whose shape and text are unchanged,
in order (``difflib``, as ``diff`` does); then a unit whose text is unchanged but which moved
elsewhere, when that text is unique on both sides; then, between two matched units, a unit
whose text was edited (similar enough, or the same title, heading or note). A current unit
left over is new in the source; a unit of the file left over is no longer in the source.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from lmets_docs.model import Leaflet
from lmets_docs.ooxml.ids import Unit, units

Key = tuple[str, str]
SIMILAR = 0.5
"""How alike (``SequenceMatcher.ratio``) an edited unit's texts must be to be the same unit."""
NAMED = ("title", "section", "note")
"""Kinds whose id is a name, not a place: the same id is the same unit, whatever the text."""


@dataclass(frozen=True)
class Alignment:
    """For each current unit, the file's unit it was translated from (if any)."""

    then_of: dict[Key, Unit]
    """Current unit key → the file's unit whose translation it gets."""
    new: tuple[Unit, ...]
    """Current units with no counterpart in the file (to translate)."""
    dropped: tuple[Unit, ...]
    """The file's units the source no longer has."""

    def changed(self, now: Unit) -> bool:
        """Say whether a current unit's text differs from the one its translation was made of."""
        then = self.then_of.get((now.kind, now.id))
        return then is None or then.text != now.text

    def moved(self) -> int:
        """Return how many units kept their text but not their id (renumbered or moved)."""
        return sum(1 for key, then in self.then_of.items()
                   if then.key != key and then.text)


@dataclass(frozen=True)
class Imported:
    """A translated leaflet as imported, and what each unit's translation was made from."""

    leaflet: Leaflet
    origins: dict[Key, str]
    """Current unit key → the source text its translation was made from (absent: the unit
    holds the current source's text, to be translated)."""
    alignment: Alignment
    warnings: tuple[str, ...] = ()
    """What the import says but does not refuse (a heading restyled in the DOCX)."""

    def to_translate(self, source: Leaflet) -> list[Unit]:
        """Return the source's units whose translation is missing or was made from other text."""
        return [u for u in units(source) if u.shape != "list" and self.origins.get(u.key) != u.text]


Likeness = Callable[[Unit, Unit], float]


def align(then: Sequence[Unit], now: Sequence[Unit], likeness: Likeness | None = None
          ) -> Alignment:
    """Return which of ``then`` (the file's units) each of ``now`` (the source's) came from.

    ``likeness`` says how alike an edited unit's texts are (0 to 1); by default their
    ``SequenceMatcher`` ratio (texts that are fingerprints are compared by id instead).
    """
    pairs = _unchanged_runs(then, now)
    _moved(then, now, pairs)
    _edited(then, now, pairs, likeness or text_likeness)
    taken = set(pairs.values())
    return Alignment({(now[j].kind, now[j].id): then[i] for j, i in pairs.items()},
                     tuple(u for j, u in enumerate(now) if j not in pairs),
                     tuple(u for i, u in enumerate(then) if i not in taken))


def _unchanged_runs(then: Sequence[Unit], now: Sequence[Unit]) -> dict[int, int]:
    """Return now index → then index for the runs of units that are the same, in order."""
    matcher = SequenceMatcher(None, [_same(u) for u in then], [_same(u) for u in now],
                              autojunk=False)
    return {block.b + k: block.a + k for block in matcher.get_matching_blocks()
            for k in range(block.size)}


def _same(unit: Unit) -> tuple[str, str, str]:
    # A title, heading or note is the same only under its own name; blocks go by text.
    return (unit.shape, unit.text, unit.id if unit.kind in NAMED else "")


def _moved(then: Sequence[Unit], now: Sequence[Unit], pairs: dict[int, int]) -> None:
    """Pair the units left whose shape and text are unchanged and unique on both sides."""
    taken = set(pairs.values())
    left_then = Counter(_same(u) for i, u in enumerate(then) if i not in taken)
    left_now = Counter(_same(u) for j, u in enumerate(now) if j not in pairs)
    where = {_same(u): i for i, u in enumerate(then) if i not in taken}
    for j, unit in enumerate(now):
        key = _same(unit)
        if j not in pairs and left_then[key] == 1 and left_now[key] == 1:
            pairs[j] = where[key]


def _edited(then: Sequence[Unit], now: Sequence[Unit], pairs: dict[int, int],
            likeness: Likeness) -> None:
    """Pair, between matched neighbours, the units whose text was edited."""
    for j, unit in enumerate(now):
        if j in pairs:
            continue
        low = max((i for b, i in pairs.items() if b < j), default=-1)
        high = min((i for b, i in pairs.items() if b > j), default=len(then))
        taken = set(pairs.values())
        scored = [(likeness(then[i], unit), i) for i in range(low + 1, high)
                  if i not in taken and then[i].shape == unit.shape]
        best = max(scored, default=(0.0, -1))
        if best[0] >= SIMILAR:
            pairs[j] = best[1]


def same_id(then: Unit, now: Unit) -> float:
    """Return 1 for two units of the same id, else 0 (for texts that are fingerprints)."""
    return 1.0 if then.id == now.id and now.kind in (then.kind, "item") else 0.0


def text_likeness(then: Unit, now: Unit) -> float:
    """Return how alike two units' texts are; 1 for the same title, heading or note."""
    if now.kind in NAMED and then.key == now.key:
        return 1.0
    # By words: a few dozen per paragraph, and word-set overlap (quick_ratio) rules most out.
    matcher = SequenceMatcher(None, then.text.split(), now.text.split(), autojunk=False)
    return matcher.ratio() if matcher.quick_ratio() >= SIMILAR else 0.0
