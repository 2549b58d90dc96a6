"""espeak-ng without a process per piece: one initialised library that forks a child per piece.

Starting ``espeak-ng`` reads its whole voice list and phoneme tables before it says a word,
for every piece of the narration. Here a small server process (this module, run with
``python -m``) loads libespeak-ng with ctypes and initialises it exactly as the
``espeak-ng`` program does (synchronous output, the voice chosen by name, else by
language); then, for each piece, it forks a child that sets the rate, speaks, and writes the
WAV the program would write to stdout. Each child starts from the same state, so every
piece is byte-identical to ``espeak-ng --stdout`` (tests/speech/test_espeak_lib.py compares them).
One library saying pieces one after another is not: it keeps state from piece to piece
(intonation, the wave generator), and the sound changes a little (measured).

The narrator says two pieces at once, so up to two servers per voice run, each serving one
piece at a time; they end when the process that started them does (their stdin closes).
When the library cannot be loaded the caller falls back to one ``espeak-ng`` per piece.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import logging
import os
import select
import signal
import struct
import subprocess
import sys
import threading
from collections.abc import Callable
from functools import partial
from typing import IO, BinaryIO

log = logging.getLogger(__name__)

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


class Server:
    """A running server for one voice, used by one thread at a time."""

    def __init__(self, voice: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", __name__, voice, LIBRARY], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        status, data = self._reply()
        if status != 0:
            self.close()
            raise OSError(data.decode(errors="replace"))

    def speak(self, text: str, wpm: int) -> bytes:
        """Return ``text`` said at ``wpm`` as WAV bytes; OSError if the server failed."""
        data = text.encode()
        assert self.process.stdin is not None
        self.process.stdin.write(REQUEST.pack(wpm, len(data)) + data)
        self.process.stdin.flush()
        status, reply = self._reply()
        if status != 0:
            raise OSError(reply.decode(errors="replace"))
        return reply

    def _reply(self) -> tuple[int, bytes]:
        assert self.process.stdout is not None
        header = self.process.stdout.read(REPLY.size)
        if len(header) < REPLY.size:
            raise OSError("the espeak-ng server stopped")
        status, size = REPLY.unpack(header)
        return status, self.process.stdout.read(size)

    def abandon(self) -> None:
        """Kill a server that failed, and let go of its pipes."""
        self.process.kill()
        self.close()

    def close(self) -> None:
        """End the server (it ends by itself when its input closes)."""
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe is not None:
                with contextlib.suppress(OSError):
                    pipe.close()
        self.process.wait(timeout=TIMEOUT_S)


_idle: dict[str, list[Server]] = {}
_lock = threading.Lock()
_broken: set[str] = set()


def speak(voice: str, wpm: int, text: str) -> bytes | None:
    """Return ``text`` said by ``voice`` at ``wpm`` (WAV bytes), or None if no server can run.

    Empty text gives no bytes at all, as ``espeak-ng --stdin`` gives for empty input.
    """
    if voice in _broken:
        return None
    if not text:
        return b""
    with _lock:
        pool = _idle.setdefault(voice, [])
        server = pool.pop() if pool else None
    try:
        server = server or Server(voice)
        audio = server.speak(text, wpm)
    except OSError as exc:
        log.info("espeak-ng in process is not available (%s); one process per piece", exc)
        with _lock:
            _broken.add(voice)
            others = _idle.pop(voice, [])
        for failed in [server, *others] if server else others:
            failed.abandon()
        return None
    with _lock:
        _idle.setdefault(voice, []).append(server)
    return audio


def close_all() -> None:
    """End every idle server."""
    with _lock:
        servers = [server for pool in _idle.values() for server in pool]
        _idle.clear()
    for server in servers:
        server.close()


def _forget() -> None:
    """Forget the parent's servers in a forked child: their pipes are the parent's."""
    _idle.clear()


atexit.register(close_all)
os.register_at_fork(after_in_child=_forget)

if __name__ == "__main__":  # the server: its stdin and stdout are pipes from ``Server``
    with os.fdopen(0, "rb", closefd=False) as requests, os.fdopen(1, "wb", closefd=False) as out:
        serve(sys.argv[1], sys.argv[2], requests, out)
