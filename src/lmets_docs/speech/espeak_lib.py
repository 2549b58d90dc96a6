"""espeak-ng without a process per piece: one initialised library that forks a child per piece.

Starting ``espeak-ng`` reads its whole voice list and phoneme tables before it says a word,
for every piece of the narration. Here a small server process (``espeak_server``, run as
a lean script: no ``site``, no package) loads libespeak-ng with ctypes and initialises it
exactly as the ``espeak-ng`` program does (synchronous output, the voice chosen by name, else by
language); then, for each piece, it forks a child that sets the rate, speaks, and writes the
WAV the program would write to stdout. Each child starts from the same state, so every
piece is byte-identical to ``espeak-ng --stdout`` (tests/speech/test_espeak_lib.py compares them).
One library saying pieces one after another is not: it keeps state from piece to piece
(intonation, the wave generator), and the sound changes a little (measured; initialising
the library again, choosing the voice again or cancelling between pieces does not undo it).

The narrator says two pieces at once, so up to two servers per voice run, each serving one
piece at a time; they end when the process that started them does (their stdin closes),
and it waits for them: also a writer process, which ends with ``os._exit`` (no ``atexit``),
through multiprocessing's exit (``util.Finalize``). Else they outlived it, were reaped by
init, and their CPU (the pieces', 0.35 s of the seed's narration) was in no one's account
of the build's. When the library cannot be loaded the caller falls back to one
``espeak-ng`` per piece.
"""

from __future__ import annotations

import array
import atexit
import contextlib
import fcntl
import logging
import os
import subprocess
import sys
import termios
import threading
from collections.abc import Callable, Iterable

from lmets_docs.speech import espeak_server
from lmets_docs.speech.espeak_server import LIBRARY, REPLY, REQUEST, TIMEOUT_S

log = logging.getLogger(__name__)
SERVER = espeak_server.__file__
"""The server, run as a script: lean, so that forking a child per piece costs little."""

class Server:
    """A running server for one voice, used by one thread at a time.

    ``ready``: wait now for the server to say it has loaded the library (else at its first
    piece: a lent server loads while its user is forked and starts).
    """

    def __init__(self, voice: str, ready: bool = True) -> None:
        _close_at_exit()
        self.process = subprocess.Popen(
            [sys.executable, "-I", "-S", SERVER, voice, LIBRARY], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.ready = False
        if ready:
            self._await_ready()

    def _await_ready(self) -> None:
        if not self.ready:
            status, data = self._reply()
            if status != 0:
                self.close()
                raise OSError(data.decode(errors="replace"))
            self.ready = True

    def speak(self, text: str, wpm: int) -> bytes:
        """Return ``text`` said at ``wpm`` as WAV bytes; OSError if the server failed."""
        self._await_ready()
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
_lent: dict[str, tuple[Server, int]] = {}
"""Servers started by a process that forks their users (a build), by voice, each with the
read end of a pipe holding one byte: the first process to read it adopts the server."""
_lent_away: list[subprocess.Popen[bytes]] = []
"""The lender's lent servers, once it has let go of them: waited for by ``reap_lent``."""
_lock = threading.Lock()
_broken: set[str] = set()
_closing: set[int] = set()
"""The processes that will end their servers when they end (by pid: a fork is another)."""


def _close_at_exit() -> None:
    """Have this process end its servers, and wait for them, when it ends in any way it can.

    ``atexit`` covers an ordinary exit; a multiprocessing child ends with ``os._exit`` after
    running its ``Finalize`` callbacks, so one is registered too (``close_all`` twice is
    harmless: the second finds nothing idle).
    """
    if os.getpid() not in _closing:
        _closing.add(os.getpid())
        from multiprocessing import util  # noqa: PLC0415 (a writer process has it already)

        util.Finalize(None, close_all, exitpriority=10)


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
        server = pool.pop() if pool else _adopt(voice)
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


def lend(voices: Iterable[str]) -> Callable[[], None]:
    """Start a server for each voice now, for the processes forked from this one to adopt:
    the first of them that speaks with a voice takes its server (``speak``), the others
    start their own. Return what lets go of them here, once those processes are forked.

    A build lends one per voice its narrations speak in before it forks its writer processes
    (``build._lend_speech``): the server's start (a Python process loading libespeak-ng,
    about 0.03 s) then overlaps their start and the script's drafting, instead of delaying a
    watched edit's one piece. Each piece is said by a child forked from the initialised
    library, as ever, so the audio is the same.
    """
    for voice in voices:
        if voice in _lent or voice in _broken:
            continue
        try:
            server = Server(voice, ready=False)
        except OSError:  # the narration will say what is wrong
            continue
        claim, given = os.pipe()
        os.write(given, b"1")
        os.close(given)
        os.set_blocking(claim, False)
        _lent[voice] = server, claim
    return lent_away


def lent_away() -> None:
    """In the lender, once the users are forked: the lent servers are theirs (``reap_lent``
    waits for their end, which comes when the last of them has ended)."""
    for server, claim in _lent.values():
        os.close(claim)
        _let_go(server)
        _lent_away.append(server.process)
    _lent.clear()


def let_go_taken() -> None:
    """In a lender that lends for one build after another (a watch), between its builds: let
    go of each server lent that a process took (it ends with that process: ``reap_lent``) or
    that has ended; keep the others, still unclaimed, for the next build forked from here.

    So a server lent for a build that ends without narrating (stopped at its gate: its files
    changed again; or nothing to say) is not started again for the next.
    """
    for voice, (server, claim) in list(_lent.items()):
        if _unclaimed(claim) and server.process.poll() is None:
            continue
        del _lent[voice]
        os.close(claim)
        _let_go(server)
        _lent_away.append(server.process)


def _unclaimed(claim: int) -> bool:
    """Say whether the byte that gives a lent server away is still in its pipe."""
    waiting = array.array("i", [0])
    try:
        fcntl.ioctl(claim, termios.FIONREAD, waiting)
    except OSError:
        return False
    return waiting[0] > 0


def reap_lent() -> None:
    """Wait for the servers lent and let go of (their users have ended, or are ending)."""
    while _lent_away:
        server = _lent_away.pop()
        try:
            server.wait(timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired:  # a user stuck with its pipe open: not a watch's end
            server.kill()
            server.wait()


def _adopt(voice: str) -> Server | None:
    """Return the server lent for ``voice`` if this process is the first to claim it."""
    lent = _lent.pop(voice, None)
    if lent is None:
        return None
    server, claim = lent
    try:
        won = os.read(claim, 1) == b"1"
    except BlockingIOError:  # another process took it
        won = False
    os.close(claim)
    if won:
        return server
    _let_go(server)
    return None


def _let_go(server: Server) -> None:
    """Close this process's ends of a server's pipes, without waiting for it."""
    for pipe in (server.process.stdin, server.process.stdout):
        if pipe is not None:
            with contextlib.suppress(OSError):
                pipe.close()


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
