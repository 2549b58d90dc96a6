"""mutagen's ID3 frames, with UTF-16 text read in one go instead of a byte at a time.

ID3v2.3 has no UTF-8, so every text the writer tags (the transcript in USLT, titles, review
dates) is UTF-16. To find where such a text ends, mutagen feeds it to an incremental decoder
one byte at a time (about 1 µs a character): the 50 tags of a leaflet 8 times the seed's
length took 0.1 s to parse, 85 % of it there. A UTF-16 text ends at the first NUL code unit
at an even offset from its start: no UTF-16 character contains one (a surrogate is
0xD800-0xDFFF), so that is where the incremental decoder stops too. Found with
``bytes.find`` and decoded whole, it is the same text: 0.016 s for those 50 tags.

Only that step changes: the frames are mutagen's own classes (subclassed under the same
names), passed to ``ID3`` through its documented ``known_frames``. Text that is not UTF-16,
has no such end, or does not decode goes to mutagen's reading unchanged, repairs included.
tests/check/test_check_audio_tags.py compares the parses with mutagen's own, odd texts too.
"""

# mutagen is untyped: its specs and frames are used as it defines them.
# mypy: disable-error-code="no-untyped-call"
from __future__ import annotations

from typing import Any

from mutagen.id3 import Frames
from mutagen.id3._specs import EncodedTextSpec, MultiSpec

UTF16_END = b"\x00\x00"


def text_end(data: bytes) -> int:
    """Return where UTF-16 text in ``data`` ends: its first NUL code unit (even offset); or -1."""
    at = data.find(UTF16_END)
    while at > 0 and at % 2:
        at = data.find(UTF16_END, at + 1)
    return at


class Utf16TextSpec(EncodedTextSpec):
    """mutagen's encoded text, whose UTF-16 end is found at once (``text_end``)."""

    def read(self, header: Any, frame: Any, data: bytes) -> tuple[str, bytes]:
        """Return the text and what follows it, as ``EncodedTextSpec.read`` does."""
        codec, end = self._encodings[frame.encoding]
        at = text_end(data) if end == UTF16_END else -1
        try:
            text = data[:at].decode(codec) if at >= 0 else None
        except UnicodeDecodeError:
            text = None
        if text is None:
            value: tuple[str, bytes] = super().read(header, frame, data)
            return value
        rest = data[at + len(end):]
        # As mutagen: before ID3v2.4, zeros after the last text are padding, not more texts.
        if header.version < header._V24 and not rest.strip(b"\x00"):
            rest = b""
        return text, rest


def _swapped(spec: Any) -> Any:
    """Return ``spec`` with each encoded text in it read by ``Utf16TextSpec``."""
    if type(spec) is EncodedTextSpec:
        return Utf16TextSpec(spec.name, spec.default)
    inner = [_swapped(one) for one in spec.specs] if type(spec) is MultiSpec else []
    if inner != list(getattr(spec, "specs", [])):
        return MultiSpec(spec.name, *inner, sep=spec.sep, default=spec.default)
    return spec


def _frame_class(cls: type) -> type:
    """Return ``cls``, or a subclass of the same name reading its texts with ``Utf16TextSpec``."""
    specs = {name: [_swapped(spec) for spec in getattr(cls, name)]
             for name in ("_framespec", "_optionalspec")}
    if all(new == list(getattr(cls, name)) for name, new in specs.items()):
        return cls
    return type(cls.__name__, (cls,), {**specs, "__module__": cls.__module__,
                                       "__doc__": cls.__doc__})


FRAMES: dict[str, type] = {name: _frame_class(cls) for name, cls in Frames.items()}
"""Every ID3v2.3/2.4 frame mutagen knows, for ``ID3(…, known_frames=FRAMES)``."""
VERSIONS = frozenset({3, 4})
"""The tag versions ``FRAMES`` are for (an ID3v2.2 tag has other frame names)."""
