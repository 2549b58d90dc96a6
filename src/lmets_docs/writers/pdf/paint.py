"""Rewrite a page's content stream: margin content as artifacts, content in the tag tree's order.

A page's content stream is a list of marked-content sequences (``/Span <</MCID n>> BDC … EMC``)
with graphics state set between them. A sequence moves only with the state it was painted
with: it is wrapped in ``q … Q`` with the colours, graphics-state parameters and text state in
force where it was, and where it was taken from, the state it left behind is set again. A
sequence that changes the transformation or the clipping path outside ``q … Q``, or whose new
place has another transformation or clip, stays where it is.
"""

from __future__ import annotations

import itertools
import logging
import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pikepdf

log = logging.getLogger(__name__)

FILL = frozenset({"rg", "g", "k", "cs", "sc", "scn"})
STROKE = frozenset({"RG", "G", "K", "CS", "SC", "SCN"})
OWN = frozenset({"Tc", "Tw", "Tz", "TL", "Tf", "Tr", "Ts", "w", "J", "j", "M", "d", "ri", "i"})
"""Text and line state operators: each sets one parameter, kept by its last use."""
IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
DEFAULTS: dict[str, tuple[str, tuple[Any, ...]]] = {
    "fill": ("g", (0,)), "stroke": ("G", (0,)), "Tc": ("Tc", (0,)), "Tw": ("Tw", (0,)),
    "Tz": ("Tz", (100,)), "TL": ("TL", (0,)), "Tr": ("Tr", (0,)), "Ts": ("Ts", (0,)),
    "w": ("w", (1,)), "J": ("J", (0,)), "j": ("j", (0,)), "M": ("M", (10,)),
    "i": ("i", (0,)), "ri": ("ri", (pikepdf.Name.RelativeColorimetric,)),
}
"""The graphics state's initial values, to undo at a new place what the old place never set."""
Instruction = Any


def instruction(operator: str, operands: Sequence[Any] = ()) -> Instruction:
    """Return one content-stream instruction."""
    return pikepdf.ContentStreamInstruction(list(operands), pikepdf.Operator(operator))


@dataclass
class State:
    """The graphics state that matters for moving content: what set it, the CTM, the clip."""

    setters: dict[str, list[Instruction]] = field(default_factory=dict)
    ctm: tuple[float, ...] = IDENTITY
    clip: int = 0

    def copy(self) -> State:
        """Return a copy that later instructions do not change (``apply`` never edits a list)."""
        return State(dict(self.setters), self.ctm, self.clip)

    def instructions(self) -> list[Instruction]:
        """Return the instructions that set this state's colours and parameters again."""
        return [ins for setters in self.setters.values() for ins in setters]

    def restore_over(self, there: State) -> list[Instruction] | None:
        """Return the instructions that turn ``there``'s state into this one, or None.

        None when ``there`` has something no instruction can undo: a graphics-state
        dictionary this state lacks, a dash pattern or a font it never set.
        """
        extra = set(there.setters) - set(self.setters)
        gs = {tuple(g.operands) for g in there.setters.get("gs", [])}
        if extra - set(DEFAULTS) - {"gs"} or gs - {tuple(g.operands) for g in
                                                    self.setters.get("gs", [])}:
            return None
        undo = [instruction(*DEFAULTS[key]) for key in sorted(extra - {"gs"})]
        return [*undo, *self.instructions()]

    def changed_since(self, before: State) -> list[Instruction]:
        """Return the instructions that turn ``before``'s state into this one."""
        return [ins for key, setters in self.setters.items()
                if before.setters.get(key) != setters for ins in setters]


def multiply(m: Sequence[float], n: Sequence[float]) -> tuple[float, ...]:
    """Return the product of two PDF matrices, ``m`` then ``n``."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s,
            e * p + f * r + t, e * q + f * s + u)


def colour(setters: list[Instruction], ins: Instruction, op: str) -> list[Instruction]:
    """Return the instructions that set a colour after ``ins``: ``sc`` keeps its ``cs``."""
    if op.lower() in ("sc", "scn"):
        return [*setters[:1], ins] if setters and str(setters[0].operator).lower() == "cs" \
            else [ins]
    return [ins]


def apply(state: State, ins: Instruction, op: str, clips: Iterable[int]) -> None:
    """Update ``state`` with one instruction ``op`` (``q`` and ``Q`` are the caller's)."""
    if op in FILL:
        state.setters["fill"] = colour(state.setters.get("fill", []), ins, op)
    elif op in STROKE:
        state.setters["stroke"] = colour(state.setters.get("stroke", []), ins, op)
    elif op == "gs":
        kept = [g for g in state.setters.get("gs", []) if g.operands != ins.operands]
        state.setters["gs"] = [*kept, ins]
    elif op in OWN:
        state.setters[op] = [ins]
    elif op == "cm":
        state.ctm = multiply([float(v) for v in ins.operands], state.ctm)
    elif op in ("W", "W*"):
        state.clip = next(iter(clips))


@dataclass
class Marked:
    """One marked-content sequence with an MCID, and the state around it."""

    mcid: int
    start: int
    end: int = -1
    before: State = field(default_factory=State)
    after: State = field(default_factory=State)
    movable: bool = True
    height: float | None = None
    """Where its text starts, in points from the bottom of the page."""
    prefix: list[Instruction] = field(default_factory=list)
    """At its new place: what sets the state it was painted with."""


def is_marked(ins: Instruction) -> bool:
    """Say whether an instruction opens marked content with an MCID."""
    return (str(ins.operator) == "BDC" and len(ins.operands) == 2
            and isinstance(ins.operands[1], pikepdf.Dictionary) and "/MCID" in ins.operands[1])


def scan(ops: Sequence[Instruction]) -> list[Marked]:
    """Return the page's outermost marked-content sequences with MCIDs, in paint order."""
    scanner = Scanner()
    for index, ins in enumerate(ops):
        scanner.feed(index, ins)
    return scanner.found


class Scanner:
    """Follow a content stream's graphics state and marked content, one instruction at a time."""

    def __init__(self) -> None:
        self.stack: list[State] = []
        self.state = State()
        self.clips = itertools.count(1)
        self.marks = self.depth = self.opened = 0
        self.current: Marked | None = None
        self.found: list[Marked] = []

    def feed(self, index: int, ins: Instruction) -> None:
        """Take one instruction into account."""
        op = str(ins.operator)
        self.graphics(op, ins)
        if op in ("BDC", "BMC"):
            self.open(index, ins)
        elif op == "EMC":
            self.close(index)
        elif self.current is not None:
            self.note(self.current, op, ins)

    def graphics(self, op: str, ins: Instruction) -> None:
        """Save, restore or change the graphics state."""
        if op == "q":
            self.stack.append(self.state.copy())
        elif op == "Q" and self.stack:
            self.state = self.stack.pop()
        else:
            apply(self.state, ins, op, self.clips)

    def open(self, index: int, ins: Instruction) -> None:
        """Start a sequence at an outermost ``BDC`` with an MCID."""
        if self.current is None and is_marked(ins):
            self.current = Marked(int(ins.operands[1].MCID), index, before=self.state.copy())
            self.depth, self.opened = len(self.stack), self.marks
        self.marks += 1

    def close(self, index: int) -> None:
        """End the current sequence at its own ``EMC``."""
        self.marks -= 1
        current = self.current
        if current is not None and self.marks == self.opened:
            current.end, current.after = index, self.state.copy()
            current.movable &= len(self.stack) == self.depth and _same_place(current)
            self.found.append(current)
            self.current = None

    def note(self, current: Marked, op: str, ins: Instruction) -> None:
        """Note where the sequence's text starts, and whether it leaves its ``q`` level."""
        if len(self.stack) < self.depth:
            current.movable = False
        if op == "Tm" and current.height is None:
            x, y = (float(v) for v in ins.operands[4:6])
            current.height = multiply((1, 0, 0, 1, x, y), self.state.ctm)[5]


def _same_place(current: Marked) -> bool:
    return (current.before.ctm, current.before.clip) == (current.after.ctm, current.after.clip)


def artifact(height: float | None, page_height: float) -> Instruction:
    """Return the ``BDC`` that marks a sequence as a running header or footer."""
    where = "/Header" if height is not None and height > page_height / 2 else "/Footer"
    properties = pikepdf.Dictionary(Type=pikepdf.Name.Pagination, Subtype=pikepdf.Name(where))
    return instruction("BDC", [pikepdf.Name.Artifact, properties])


def in_order(ranks: Sequence[int]) -> set[int]:
    """Return the positions of a longest increasing run through ``ranks`` (they stay put).

    Of several such runs, the one painted earliest stays: content painted late (list markers)
    then moves to earlier places, where less of the graphics state has been set, so it can
    always be set back to what it was.
    """
    last = len(ranks) - 1
    return {last - i for i in _increasing([-r for r in reversed(ranks)])}


def _increasing(ranks: Sequence[int]) -> set[int]:
    tails: list[int] = []
    tail_at: list[int] = []
    back = [-1] * len(ranks)
    for position, rank in enumerate(ranks):
        slot = bisect_left(tails, rank)
        back[position] = tail_at[slot - 1] if slot else -1
        tails[slot:slot + 1] = [rank]
        tail_at[slot:slot + 1] = [position]
    keep, position = set(), tail_at[-1] if tail_at else -1
    while position >= 0:
        keep.add(position)
        position = back[position]
    return keep


@dataclass
class Plan:
    """Where each moved sequence goes: before or after a sequence that stays."""

    before: dict[int, list[Marked]] = field(default_factory=dict)
    after: dict[int, list[Marked]] = field(default_factory=dict)
    moved: dict[int, Marked] = field(default_factory=dict)


def plan(content: Sequence[Marked], order: Sequence[int]) -> Plan:
    """Return where each sequence painted out of the tag tree's order should go.

    A sequence goes just before the first staying sequence that the tree reads after it (or
    just after the last one the tree reads before it); several going to one place keep the
    tree's order.
    """
    rank = {mcid: position for position, mcid in enumerate(order)}
    # Content the tree does not read (none, in a finished PDF) stays where it is.
    ranked = [(rank[s.mcid], s) for s in content if s.mcid in rank]
    keep = in_order([r for r, _ in ranked])
    staying = sorted((pair for j, pair in enumerate(ranked) if j in keep), key=lambda p: p[0])
    result = Plan()
    for r, sequence in sorted((p for j, p in enumerate(ranked) if j not in keep),
                              key=lambda p: p[0]):
        _place(result, sequence, r, staying)
    return result


def _place(result: Plan, sequence: Marked, rank: int, staying: list[tuple[int, Marked]]) -> None:
    later = [s for r, s in staying if r > rank]
    earlier = [s for r, s in staying if r < rank]
    before = bool(later)
    target = later[0] if before else earlier[-1]
    there = target.before if before else target.after
    prefix = sequence.before.restore_over(there)
    if not sequence.movable or prefix is None or (there.ctm, there.clip) != (
            sequence.before.ctm, sequence.before.clip):
        log.info("pdf: marked content %d cannot move to its place", sequence.mcid)
        return
    sequence.prefix = prefix
    places = result.before if before else result.after
    places.setdefault(target.start if before else target.end, []).append(sequence)
    result.moved[sequence.start] = sequence


def wrapped(ops: Sequence[Instruction], sequence: Marked) -> list[Instruction]:
    """Return a moved sequence inside ``q … Q`` with the state it was painted with."""
    return [instruction("q"), *sequence.prefix, *ops[sequence.start:sequence.end + 1],
            instruction("Q")]


def rebuild(ops: Sequence[Instruction], steps: Plan) -> list[Instruction]:
    """Return the page's instructions with the planned sequences moved."""
    out: list[Instruction] = []
    index = 0
    while index < len(ops):
        for sequence in steps.before.get(index, []):
            out += wrapped(ops, sequence)
        moved = steps.moved.get(index)
        if moved is not None:
            out += moved.after.changed_since(moved.before)
            index = moved.end + 1
            continue
        out.append(ops[index])
        for sequence in steps.after.get(index, []):
            out += wrapped(ops, sequence)
        index += 1
    return out


def rewrite(pdf: pikepdf.Pdf, page: pikepdf.Page, artifacts: set[int],
            order: Sequence[int]) -> None:
    """Mark ``artifacts`` as pagination artifacts and paint the rest in ``order``.

    A page already painted in order (most pages) only has its artifacts' ``BDC`` replaced in
    the stream's bytes; a page with content to move is parsed and written anew.
    """
    page.contents_coalesce()
    marks = light_scan(page.obj.Contents.read_bytes())
    if marks is not None and all(h is not None for m, h in marks if m in artifacts):
        content = [mcid for mcid, _ in marks if mcid not in artifacts]
        painted = set(content)
        if content == [mcid for mcid in order if mcid in painted] and (
                not artifacts or mark_in_place(pdf, page, dict(marks), artifacts)):
            return
    rewrite_fully(pdf, page, artifacts, order)


_MARKED = re.compile(rb"/[^\s/<>\[\]()%]+\s*<<\s*/MCID\s+(\d+)\s*>>\s*BDC")
_LIGHT = re.compile(rb"^(q|Q)$|^((?:-?[\d.]+ ){6})(cm|Tm)$|" + _MARKED.pattern, re.MULTILINE)
"""WeasyPrint writes one operator a line: ``q``, ``Q``, ``… cm``, ``… Tm``, marked ``BDC``."""


def light_scan(data: bytes) -> list[tuple[int, float | None]] | None:
    """Return each marked sequence's MCID and text height, in paint order, from the bytes.

    None when the stream is not written one operator a line (a ``BDC`` the pattern misses),
    for the caller to parse it properly.
    """
    stack: list[tuple[float, ...]] = []
    ctm: tuple[float, ...] = IDENTITY
    found: list[tuple[int, float | None]] = []
    for match in _LIGHT.finditer(data):
        save, numbers, op, mcid = match.group(1), match.group(2), match.group(3), match.group(4)
        if save == b"q":
            stack.append(ctm)
        elif save == b"Q" and stack:
            ctm = stack.pop()
        elif mcid is not None:
            found.append((int(mcid), None))
        elif op == b"cm":
            ctm = multiply([float(v) for v in numbers.split()], ctm)
        elif op == b"Tm" and found and found[-1][1] is None:
            x, y = (float(v) for v in numbers.split()[4:6])
            found[-1] = (found[-1][0], multiply((1, 0, 0, 1, x, y), ctm)[5])
    return found if len(found) == data.count(b"BDC") else None


def mark_in_place(pdf: pikepdf.Pdf, page: pikepdf.Page, heights: dict[int, float | None],
                  artifacts: set[int]) -> bool:
    """Replace the artifacts' ``BDC`` in the stream's bytes; False if they cannot be found."""
    data = page.obj.Contents.read_bytes()
    height = float(page.mediabox[3]) - float(page.mediabox[1])
    pieces, last, seen = [], 0, 0
    for match in _MARKED.finditer(data):
        seen += 1
        mcid = int(match.group(1))
        if mcid in artifacts:
            mark = pikepdf.unparse_content_stream([artifact(heights.get(mcid), height)])
            pieces += [data[last:match.start()], mark.rstrip()]
            last = match.end()
    if seen != len(heights) or not artifacts <= heights.keys():
        return False
    page.obj.Contents = pdf.make_stream(b"".join([*pieces, data[last:]]))
    return True


def rewrite_fully(pdf: pikepdf.Pdf, page: pikepdf.Page, artifacts: set[int],
                  order: Sequence[int]) -> None:
    """Parse the page's content, mark the artifacts, move what is out of order, write it."""
    ops = list(pikepdf.parse_content_stream(page))
    sequences = scan(ops)
    page_height = float(page.mediabox[3]) - float(page.mediabox[1])
    for sequence in sequences:
        if sequence.mcid in artifacts:
            ops[sequence.start] = artifact(sequence.height, page_height)
    missing = artifacts - {s.mcid for s in sequences}
    if missing:
        log.warning("pdf: untagged content %s is not in the page's own stream", sorted(missing))
    content = [s for s in sequences if s.mcid not in artifacts]
    steps = plan(content, order)
    if not artifacts and not steps.moved:
        return
    page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(rebuild(ops, steps)))
