"""The espeak-ng server: one initialised libespeak-ng that forks a child per piece.

Run as a script by ``espeak_lib.Server`` (``python -I -S espeak_server.py VOICE LIBRARY``):
it imports nothing but a few standard modules, neither ``site`` nor this package. A fork
costs by how much the process has to copy and undo: a lean server forks a child for about a
third of what the same server started as ``python -m lmets_docs.speech.espeak_lib`` cost
(it imported logging, threading and subprocess, whose fork handlers run in every child).
What each child does, and so every byte it writes, is unchanged (``espeak_lib``'s docstring
says why a child per piece).
"""

from __future__ import annotations

import ctypes
import os
import select
import signal
import struct
import sys
from functools import partial
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import IO, BinaryIO

LIBRARY = "libespeak-ng.so.1"
"""The soname, opened directly: ``ctypes.util.find_library`` would start ldconfig."""
SYNCHRONOUS = 0x0001
RATE = 1
POS_CHARACTER = 1
FLAGS = 0x1000 | 0x100 | 1
"""What ``espeak-ng -b 1`` passes: espeakENDPAUSE | espeakPHONEMES | espeakCHARS_UTF8."""
TIMEOUT_S = 120
REQUEST = struct.Struct("<II")
"""A request: words per minute, and the length of the UTF-8 text that follows."""
REPLY = struct.Struct("<iI")
"""A reply: 0 or an error status, and the length of the WAV (or the message) that follows."""


class Voice(ctypes.Structure):
    """libespeak-ng's ``espeak_VOICE``, to choose a voice by language."""

    _fields_ = [("name", ctypes.c_char_p), ("languages", ctypes.c_char_p),
                ("identifier", ctypes.c_char_p), ("gender", ctypes.c_ubyte),
                ("age", ctypes.c_ubyte), ("variant", ctypes.c_ubyte), ("xx1", ctypes.c_ubyte),
                ("score", ctypes.c_int), ("spare", ctypes.c_void_p)]


CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int,
                            ctypes.c_void_p)


def wav_header(rate: int) -> bytes:
    """Return the header ``espeak-ng --stdout`` writes (lengths unknown: a pipe cannot seek)."""
    return (b"RIFF\x24\xf0\xff\x7fWAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00"
            + struct.pack("<ii", rate, rate * 2) + b"\x02\x00\x10\x00data\x00\xf0\xff\x7f")


class Library:
    """libespeak-ng, initialised as the ``espeak-ng`` program does, with one voice."""

    def __init__(self, voice: str, library: str = LIBRARY) -> None:
        self.lib = ctypes.CDLL(library)
        self.chunks: list[bytes] = []
        self.opened = False
        self.callback = CALLBACK(self._collect)
        self.lib.espeak_ng_InitializePath(None)
        context = ctypes.c_void_p()
        if self.lib.espeak_ng_Initialize(ctypes.byref(context)) != 0:
            raise OSError("espeak_ng_Initialize failed")
        if self.lib.espeak_ng_InitializeOutput(SYNCHRONOUS, 0, None) != 0:
            raise OSError("espeak_ng_InitializeOutput failed")
        self.rate = int(self.lib.espeak_ng_GetSampleRate())
        self.lib.espeak_SetSynthCallback(self.callback)
        self._choose(voice)

    def _choose(self, voice: str) -> None:
        if self.lib.espeak_SetVoiceByName(voice.encode()) == 0:
            return
        wanted = Voice(languages=voice.encode())
        if self.lib.espeak_SetVoiceByProperties(ctypes.byref(wanted)) != 0:
            raise OSError(f"no espeak-ng voice {voice!r}")

    def _collect(self, wav: ctypes._Pointer[ctypes.c_short], count: int, _events: int) -> int:
        if wav:  # the program opens its WAV (writes the header) at the first call with sound
            self.opened = True
            if count > 0:
                self.chunks.append(ctypes.string_at(wav, count * 2))
        return 0

    def speak(self, text: bytes, wpm: int) -> bytes:
        """Return ``text`` said at ``wpm`` as the program's WAV bytes (empty if it said nothing)."""
        self.lib.espeak_SetParameter(RATE, wpm, 0)
        self.lib.espeak_Synth(text, len(text) + 1, 0, POS_CHARACTER, 0, FLAGS, None, None)
        self.lib.espeak_Synchronize()
        if not self.opened:
            return b""
        return wav_header(self.rate) + b"".join(self.chunks)


def forked(work: Callable[[], bytes]) -> tuple[int, bytes]:
    """Run ``work`` in a child forked from this process; return (status, what it wrote)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: do the work, hand the bytes over, and vanish
        os.close(read)
        code = 1
        try:
            with os.fdopen(write, "wb") as out:
                out.write(work())
            code = 0
        finally:
            os._exit(code)
    os.close(write)
    data, status = _drain(read, pid), 0
    _, code = os.waitpid(pid, 0)
    if code != 0 or data is None:
        status = code or -1
    return status, data or b""


def _drain(fd: int, pid: int) -> bytes | None:
    """Read a child's pipe to its end; None (and the child killed) after TIMEOUT_S."""
    chunks: list[bytes] = []
    with os.fdopen(fd, "rb", buffering=0) as pipe:
        while select.select([pipe], [], [], TIMEOUT_S)[0]:
            chunk = pipe.read(1 << 16)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
    os.kill(pid, signal.SIGKILL)
    return None


def serve(voice: str, library_name: str, requests: BinaryIO, replies: BinaryIO) -> None:
    """Answer requests until ``requests`` ends: the server's main loop."""
    try:
        library = Library(voice, library_name)
    except OSError as exc:
        _reply(replies, 1, str(exc).encode())
        return
    _reply(replies, 0, str(library.rate).encode())
    while header := requests.read(REQUEST.size):
        wpm, size = REQUEST.unpack(header)
        text = requests.read(size)
        status, data = forked(partial(library.speak, text, wpm))
        _reply(replies, status, data if status == 0 else b"the espeak-ng child failed")


def _reply(out: IO[bytes], status: int, data: bytes) -> None:
    out.write(REPLY.pack(status, len(data)) + data)
    out.flush()


if __name__ == "__main__":  # the server: its stdin and stdout are pipes from ``Server``
    with os.fdopen(0, "rb", closefd=False) as requests, os.fdopen(1, "wb", closefd=False) as out:
        serve(sys.argv[1], sys.argv[2], requests, out)
