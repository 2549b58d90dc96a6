# ruff: noqa: RUF001  (Arabic-script letters are what is tested)
"""``check.pdf_fonts`` reads a hostile /ToUnicode map quickly, in little memory, to a finding.

Each map below once hung the hand-written reader or ate its memory (an unclosed section, many
wide ranges, arrays never closed, a Flate bomb). Each is now read in well under a second of
CPU (``time.process_time``, asserted against a generous two seconds) and gives a finding,
never an exception. Maps WeasyPrint writes for Urdu and Arabic text read as before.
"""

from __future__ import annotations

import gc
import io
import time
import tracemalloc
import zlib
from collections.abc import Callable

import pikepdf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lmets_docs.check.pdf_fonts import MAX_BYTES, MAX_CODES, ToUnicode, read_stream, read_to_unicode
from lmets_docs.writers.pdf import libs  # noqa: F401  (before weasyprint, as the writer does)

# isort: split
import weasyprint

CPU_BOUND = 2.0
"""Seconds of CPU any map may take: the reader takes a fraction of one (see each test)."""


def _cmap(body: bytes) -> bytes:
    return (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
            b"1 begincodespacerange <0000> <ffff> endcodespacerange\n"
            + body + b"\nendcmap CMapName currentdict /CMap defineresource pop end end")


def _timed(read: Callable[[], ToUnicode]) -> tuple[ToUnicode, float]:
    """Return what ``read`` gives and the CPU its thread took. The garbage collector is held
    off meanwhile: deep in the whole suite its full collections walk every object the earlier
    tests left (an unclosed array's 0.7 s took over 2 s there), which is not the reader's cost."""
    gc.collect()
    gc.disable()
    try:
        start = time.thread_time()
        cmap = read()
        return cmap, time.thread_time() - start
    finally:
        gc.enable()


def _wide(count: int) -> bytes:
    """``count`` ranges of four-byte codes, each 65536 codes wide (5.6 KB for 200)."""
    body = b"".join(b"<%08x> <%08x> <0041>\n" % (i << 16, (i << 16) + 0xFFFF)
                    for i in range(count))
    return _cmap(b"%d beginbfrange\n" % count + body + b"endbfrange")


HOSTILE = {
    "unclosed sections x6k": _cmap(b"beginbfrange <0000> " * 6_000),  # parsed: < MAX_BYTES
    "unclosed sections x10k": _cmap(b"beginbfrange <0000> " * 10_000),
    "unclosed sections x100k": _cmap(b"beginbfrange <0000> " * 100_000),
    "wide ranges x200": _wide(200),
    "one range of 2**32 codes": _cmap(b"1 beginbfrange <00000000> <ffffffff> <0041> endbfrange"),
    "arrays never closed x5k": _cmap(b"beginbfrange\n" + b"".join(
        b"<%04x> <%04x> [<0041>\n" % (i, i) for i in range(5_000)) + b"endbfrange"),
    "arrays never closed x10k": _cmap(b"beginbfrange\n" + b"".join(
        b"<%04x> <%04x> [<0041>\n" % (i, i) for i in range(10_000)) + b"endbfrange"),
    "cidrange of 2**32": _cmap(b"1 begincidrange <00000000> <ffffffff> 0 endcidrange"),
    "usecmap": _cmap(b"/Identity-H usecmap 1 beginbfchar <0001> <0041> endbfchar"),
    "a megabyte of brackets": _cmap(b"[" * (1 << 20)),
    "a long unclosed array": _cmap(b"[" * (MAX_BYTES - 200)),
}
EMPTY = {
    "a long unclosed string": _cmap(b"(" * (MAX_BYTES - 200)),
    "a long unclosed hex string": _cmap(b"<" + b"0" * (MAX_BYTES - 200)),
}
"""Maps that say nothing (no entry is ever closed): read fast, nothing read."""


@pytest.mark.parametrize("data", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_hostile_map_is_a_finding_read_fast(data: bytes) -> None:
    cmap, seconds = _timed(lambda: read_to_unicode(data))
    assert seconds < CPU_BOUND
    assert cmap.malformed


@pytest.mark.parametrize("data", EMPTY.values(), ids=EMPTY.keys())
def test_a_map_that_says_nothing_is_read_fast(data: bytes) -> None:
    cmap, seconds = _timed(lambda: read_to_unicode(data))
    assert seconds < CPU_BOUND
    assert (cmap.texts, cmap.empty) == ({}, set())


def test_many_ranges_in_arrays_are_read_in_linear_time() -> None:
    """5,000 one-code ranges with array destinations (the old reader sliced the tokens
    once per range): all read, fast, and nothing wrong."""
    body = b"".join(b"<%04x> <%04x> [<%04x>]\n" % (i, i, 0x4E00 + i) for i in range(5_000))
    cmap, seconds = _timed(lambda: read_to_unicode(_cmap(b"beginbfrange\n" + body
                                                         + b"endbfrange")))
    assert seconds < CPU_BOUND
    assert len(cmap.texts) == 5_000 and cmap.texts[5] == chr(0x4E05)
    assert (cmap.empty, cmap.malformed) == (set(), [])


def test_a_whole_two_byte_map_is_read_and_one_code_more_is_not() -> None:
    full = _cmap(b"1 beginbfrange <0000> <ffff> <0041> endbfrange")
    assert len(read_to_unicode(full).texts) == MAX_CODES
    assert not read_to_unicode(full).malformed
    more = full.replace(b"endbfrange", b"endbfrange 1 beginbfchar <0000> <0042> endbfchar")
    assert read_to_unicode(more).malformed == [f"the map gives more than {MAX_CODES} codes"]


@pytest.mark.parametrize(("body", "empty", "malformed"), [
    (b"1 beginbfchar <0013> <0628> endbfchar 1 beginbfchar <0013> <> endbfchar", {0x13}, False),
    (b"1 beginbfchar <0013> <> endbfchar 1 beginbfchar <0013> <0628> endbfchar", set(), False),
    (b"1 beginbfchar <00 1> <0628> endbfchar", set(), True),              # odd digits
    (b"1 beginbfchar <0013> <zz> endbfchar", set(), True),                # not hex
    (b"1 beginbfchar (ab) /B endbfchar", set(), True),                    # not a string
    (b"1 beginbfrange <0010> <0011> [<0041> 7] endbfrange", set(), True),  # not a string
    (b"1 beginbfrange <0010> <0011> <> endbfrange", set(), True),          # empty base
    (b"1 beginbfchar <0013> <0628>", set(), True),                        # never closed
], ids=["empty-wins", "text-wins", "odd", "not-hex", "name", "array-int", "empty-base",
        "unclosed"])
def test_each_entry_is_read_strictly(body: bytes, empty: set[int], malformed: bool) -> None:
    cmap = read_to_unicode(_cmap(body))
    assert bool(cmap.malformed) is malformed
    assert cmap.empty == empty or malformed  # what a malformed entry maps to is no matter
    assert not set(cmap.texts) & cmap.empty


PIECES = st.sampled_from([
    b"beginbfchar", b"endbfchar", b"beginbfrange", b"endbfrange", b"begincidrange",
    b"endcidrange", b"usecmap", b"def", b"begincmap", b"endcmap", b"[", b"]", b"<<", b">>",
    b"<>", b"<0041>", b"<00", b"0041>", b"<zz>", b"<D800>", b"<ffff>", b"<0000>",
    b"<00000000>", b"<ffffffff>", b" ", b"\n", b"3", b"-1", b"1e400", b"(x)", b"(", b")",
    b"/Name", b"%", b"\x00", b"\\", b"{", b"}", b"<06440627>", b"<0 0 4 1>"])


@given(st.lists(PIECES, max_size=600).map(b" ".join) | st.binary(max_size=4096))
@settings(max_examples=300, derandomize=True, database=None, deadline=None)
def test_any_few_kilobytes_are_read_fast_without_an_error(data: bytes) -> None:
    """A hostile map of up to a few kilobytes: no exception, a fraction of a second, no code
    both text and no text, no text empty, never more than ``MAX_CODES`` codes."""
    cmap, seconds = _timed(lambda: read_to_unicode(data))
    assert seconds < CPU_BOUND
    assert all(cmap.texts.values())
    assert not set(cmap.texts) & cmap.empty
    assert len(cmap.texts) + len(cmap.empty) <= MAX_CODES


# -- the stream: decoded with a bound ----------------------------------------------------------

PDF = pikepdf.new()
"""The document the streams below are made in (a stream lives as long as its document)."""


def _stream(data: bytes, **keys: object) -> pikepdf.Stream:
    stream = pikepdf.Stream(PDF, data)
    for key, value in keys.items():
        stream[f"/{key}"] = value
    return stream


def test_a_flate_bomb_is_not_inflated() -> None:
    """256 MB of zeros, a quarter of a megabyte compressed: read in a bounded buffer."""
    squeeze = zlib.compressobj(9)
    chunk = b"\0" * (1 << 20)
    bomb = b"".join(squeeze.compress(chunk) for _ in range(256)) + squeeze.flush()
    stream = _stream(bomb, Filter=pikepdf.Name.FlateDecode)
    tracemalloc.start()
    try:
        cmap, seconds = _timed(lambda: read_stream(stream))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert seconds < CPU_BOUND
    assert peak < 16 * MAX_BYTES
    assert cmap.malformed == [f"the map is longer than {MAX_BYTES} bytes"]


@pytest.mark.parametrize(("keys", "found"), [
    ({"Filter": pikepdf.Name.LZWDecode}, "not decoded"),
    ({"Filter": pikepdf.Array([pikepdf.Name.FlateDecode, pikepdf.Name.FlateDecode])},
     "not decoded"),
    ({"Filter": pikepdf.Name.FlateDecode, "DecodeParms": pikepdf.Dictionary(Predictor=12)},
     "not decoded"),
    ({"Filter": pikepdf.Name.FlateDecode}, "cannot be inflated"),
], ids=["lzw", "flate-twice", "predictor", "not-flate"])
def test_a_stream_not_read_is_a_finding(keys: dict[str, object], found: str) -> None:
    cmap = read_stream(_stream(b"not zlib at all", **keys))
    assert len(cmap.malformed) == 1 and found in cmap.malformed[0]


def test_plain_and_flate_streams_are_read() -> None:
    data = _cmap(b"1 beginbfchar <0001> <0628> endbfchar")
    for stream in (_stream(data), _stream(zlib.compress(data), Filter=pikepdf.Name.FlateDecode)):
        assert read_stream(stream).texts == {1: "ب"}


# -- WeasyPrint's own maps ---------------------------------------------------------------------

def _maps(family: str, text: str) -> list[pikepdf.Stream]:
    """Return the /ToUnicode maps of a PDF WeasyPrint writes of ``text`` in ``family``."""
    html = (f'<html lang="ur" dir="rtl"><body style="font-family:{family!r}"><p>{text}</p>'
            "</body></html>")
    pdf = pikepdf.open(io.BytesIO(weasyprint.HTML(string=html).write_pdf()))
    MADE.append(pdf)
    maps = [o.get("/ToUnicode") for o in pdf.objects if isinstance(o, pikepdf.Dictionary)]
    return [m for m in maps if isinstance(m, pikepdf.Stream)]


MADE: list[pikepdf.Pdf] = []
"""The PDFs ``_maps`` opened, kept open while their streams are read."""


URDU = "پیر سے جمعہ تک، 10 صبح – 4 سہ پہر، 15 جنوری، 2025"


def test_weasyprints_naskh_map_gives_every_letter_its_text() -> None:
    maps = _maps("Noto Naskh Arabic", URDU)
    assert maps
    cmaps = [read_stream(m) for m in maps]
    assert all(c == read_to_unicode(m.read_bytes()) for c, m in zip(cmaps, maps, strict=True))
    assert all((c.empty, c.malformed) == (set(), []) for c in cmaps)
    read = {ch for c in cmaps for text in c.texts.values() for ch in text}
    assert set(URDU.replace(" ", "")) <= read

