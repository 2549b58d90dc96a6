"""Build again whenever a source changes (``lmets-docs watch``): an author's edit, seen in seconds.

Warm: the writers, their checkers and their libraries (WeasyPrint, python-docx, the audio
stack) are imported here once (``warm``), and frozen out of the garbage collector's sight
(``gc.freeze``, made for processes that fork). Each build forks its writer processes from this
one, so they start with all of that loaded instead of importing it again, and an edit costs
what the writers do, not what starting Python and importing them costs.

Each build runs in its own process, forked from the watching one (``in_own_process``): it
starts from the same warm state every time, and nothing one build learns (the templates,
catalogues and voices it read, which are cached per process) can outlive it into the next.

Polled, and woken: leaflets are often kept on a clinic's shared drive (SMB, NFS), where the
kernel's change notifications do not arrive; a look at every file's size, times and inode
every ``interval`` seconds does (``Sources``), and it needs no thread of Python's: the writer
processes a build forks must not be forked while one runs (``build.run``). Where the kernel
does say that a watched folder changed (Linux's inotify, ``Wake``), the wait for the next look
ends at once, so that a save on a local disk is seen without waiting out the interval; the
look, not the notice, still says what changed. (numpy's OpenBLAS,
imported by ``warm``, keeps threads of its own, which it stops around a fork.) Two saves of
the same length within one tick of the file system's clock (two seconds on FAT and on some
shares) leave the same size and times; so, as git does for its index, a file changed within
``RACY_S`` of a look is also known by its contents' hash, at that look and at the next.

An edit is built once the files have stopped changing for ``SETTLE_S`` (an editor's save
can be several writes, a copied folder many: a build of half of them would only be built
again) and none has just been left empty (a save in place truncates, then writes), and a
build started for a change that altered nothing (an editor's backup file) finds its stamp
fresh and writes nothing.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib
import logging
import multiprocessing
import operator
import os
import signal
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from multiprocessing import connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from lmets_docs import collector, formats
from lmets_docs.options import BuildOptions

log = logging.getLogger(__name__)

BUILD_MODULES = (
    "lmets_docs.build.early", "lmets_docs.build.finish", "lmets_docs.build.plan",
    "lmets_docs.source.loader", "email_validator", "PIL.Image", "lxml.etree",
    "numpy.ma", "numpy.fft", "email.policy",
)
"""What a build imports besides the writers and checkers: to load the sources (and the rarer
sources' libraries); what numpy and the manifest import only when first used."""

SETTLE_S = 0.05
"""How long the files must stay as they are before a change is built."""
SETTLE_MAX = 40
"""How many times to wait ``SETTLE_S`` for that, at most (2 s)."""

AHEAD_MAX = 4
"""How many builds are forked ahead for one change, at most (``Ahead``): each write seen while
the files settle stops the build held for the last one and forks one for this one; a file
written without end then waits for its settling, as without a build ahead."""

RACY_S = 3.0
"""A file changed this recently may change again unseen by its times: its contents are hashed."""
RACY_MAX_BYTES = 4 * 2**20
"""A larger file is known by its size, times and inode alone (a picture is rarely re-saved
within a second at its exact size)."""

Snapshot = dict[str, tuple[int, ...]]
"""Each file's path and what it is known by: size, times, inode; and, when hashed, its
contents' hash and whether it was racy (changed within ``RACY_S``) at that look."""


def warm(options: BuildOptions, folders: list[Path]) -> list[str]:
    """Import what the build's writers and checkers need, then keep it out of the collector;
    return the espeak-ng voices an edit's narration may speak in (``Ahead.voices``).

    Also build each watched language's patterns and words of dates, numbers in words and
    opening hours (``scan.prepare``, ``factcheck.number_words_of``): made from CLDR's data and
    the package's own words alone, unlike the templates and catalogues, which each build reads
    anew (each build's loading built them again, 0.04 s of CPU of a watched edit's 0.1 s on a
    loaded machine, before its writer processes, which inherit them, were forked); parse
    each leaflet's ``leaflet.yaml`` as it is now (``yamlsrc.parse_yaml`` keeps the
    parse by its text: a build after an edit of a language's text, the usual one, reads
    the same text and parses nothing, 3-6 ms less for the seed's); ask espeak-ng its version
    and each language's voice, when it may narrate (``espeak.warm``: a narrating build asked
    them anew, two espeak-ng processes before its first piece of speech; the answers are
    kept while the same program is installed); and hash the code (``stamp.code_hash``): the
    code that runs is the code imported now.
    """
    from lmets_docs import scan  # noqa: PLC0415 (as below: only for a watch)
    from lmets_docs.build.early import prepare  # noqa: PLC0415 (its JOB_MODULES, too)
    from lmets_docs.build.stamp import code_hash  # noqa: PLC0415
    from lmets_docs.source.factcheck import number_words_of  # noqa: PLC0415

    for module in BUILD_MODULES:
        importlib.import_module(module)
    for name in formats.with_needs(options.formats or formats.available()):
        prepare(name)
    langs = options.langs or _languages(folders)
    for lang in langs:
        with contextlib.suppress(ValueError):  # not a language: the build says so
            scan.prepare(lang)
        number_words_of(lang)
    voices: list[str] = []
    if formats.narrates(options.formats) and options.tts in ("espeak", "auto"):
        from lmets_docs.speech import espeak  # noqa: PLC0415

        espeak.warm(langs)  # its version and voices: asked once, not twice in every build
        if options.tts == "espeak":  # as ``build._lend_speech`` lends them
            voices = sorted(_voices(langs, espeak.voice_for))
    _parse_leaflet_files(folders)
    code_hash()  # of the code this process runs, even if its files change meanwhile
    collector.settle()
    return voices


def _voices(langs: Iterable[str], voice_for: Callable[[str], str]) -> set[str]:
    """Return the espeak-ng voice of each language that has one (the build says the others)."""
    from lmets_docs.errors import NarrationError  # noqa: PLC0415

    voices = set()
    for lang in langs:
        with contextlib.suppress(NarrationError):
            voices.add(voice_for(lang))
    return voices


def _parse_leaflet_files(folders: list[Path]) -> None:
    """Parse each leaflet's ``leaflet.yaml`` as a build reads it, saying nothing (its
    problems, if any, are the build's to say)."""
    from lmets_docs.libraryfiles import LEAFLET_FILE  # noqa: PLC0415
    from lmets_docs.source.textfile import read_text  # noqa: PLC0415
    from lmets_docs.source.yamlsrc import parse_yaml  # noqa: PLC0415

    for folder in leaflet_folders(folders):
        path = folder / LEAFLET_FILE
        text, _problems = read_text(path)  # as the loader reads it (``loader._read_yaml``)
        if text is not None:
            parse_yaml(text, path)


def _languages(folders: list[Path]) -> set[str]:
    """Return the languages of the leaflets under ``folders`` (none, if they are not leaflets)."""
    from lmets_docs.source.loader import languages  # noqa: PLC0415

    return {lang for folder in leaflet_folders(folders) for lang in languages(folder)}


def leaflet_folders(folders: list[Path], skip: Iterable[Path] = ()) -> list[Path]:
    """Return the leaflet folders under ``folders`` (what is not a leaflet, the build says)."""
    from lmets_docs.build.library import find_leaflets  # noqa: PLC0415 (the loader's imports)

    return find_leaflets(folders, skip).leaflets


class Sources:
    """The files a build reads, looked at by their sizes and times: the leaflets, the templates.

    Hidden files and folders (an editor's swap files, ``.git``) and the output folder (which
    the build itself writes) are not looked at. A folder linked in twice (or into itself) is
    looked into once.
    """

    def __init__(self, roots: Iterable[Path], skip: Iterable[Path]) -> None:
        self.roots = [Path(root) for root in roots]
        self.skip = set(skip)
        self.folders: dict[str, tuple[int, int]] = {}
        """The folders the last look looked into (and a root that is a file), by path: their
        device and inode."""

    def snapshot(self, previous: Snapshot | None = None) -> Snapshot:
        """Return what every file is known by now (a missing root is left out).

        A file racy at the ``previous`` look is hashed again, to be compared with it.
        """
        look = _Look(previous or {}, time.time_ns())
        visited = {key for path in self.skip if (key := _folder_key(str(path)))}
        self.folders = {}
        for root in self.roots:
            if root.is_dir():
                self._walk(str(root), look, visited)
            else:  # a file named as the source (the build says what is wrong with it)
                look.file(str(root))
                if key := _folder_key(str(root)):
                    self.folders[str(root)] = key
        return look.seen

    def _walk(self, folder: str, look: _Look, visited: set[tuple[int, int]]) -> None:
        key = _folder_key(folder)
        if key is None or key in visited:
            return
        visited.add(key)
        self.folders[folder] = key
        try:
            entries = list(os.scandir(folder))
        except OSError:  # gone, or not a folder: what the build says about it is enough
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                if entry.is_dir():
                    self._walk(entry.path, look, visited)
                    continue
            except OSError:  # removed meanwhile: the next look sees it gone
                continue
            look.file(entry.path)


_stat = os.stat
"""What a look learns a file's size, times and inode from (a test's coarse file system)."""


def _folder_key(folder: str) -> tuple[int, int] | None:
    """Return what tells a folder from every other: its device and inode (None if gone)."""
    try:
        stat = os.stat(folder)
    except OSError:
        return None
    return stat.st_dev, stat.st_ino


class _Look:
    """One look at the files: what each is known by."""

    def __init__(self, previous: Snapshot, now: int) -> None:
        self.previous = previous
        self.now = now
        self.seen: Snapshot = {}

    def file(self, path: str) -> None:
        """Note what the file at ``path`` is known by now (nothing if it is gone)."""
        try:
            stat = _stat(path)
        except OSError:  # gone: the next look sees it
            return
        known: tuple[int, ...] = (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)
        racy = self.now - max(stat.st_mtime_ns, stat.st_ctime_ns) < RACY_S * 1e9
        was_racy = self.previous.get(path, ())[5:] == (1,)
        if (racy or was_racy) and stat.st_size <= RACY_MAX_BYTES:
            known += (_contents(path), int(racy))
        self.seen[path] = known


def _contents(path: str) -> int:
    """Return a hash of a file's contents (0 if it cannot be read: its times then serve)."""
    try:
        with open(path, "rb") as file:
            return int.from_bytes(hashlib.blake2b(file.read(), digest_size=8).digest(), "big")
    except OSError:
        return 0


def changes(sources: Sources, interval: float, ahead: Ahead | None = None
            ) -> Iterator[list[str]]:
    """Yield at once (the first build), then each time the files change and settle.

    Each yield gives the files added, changed or removed since the last one. ``ahead`` is
    told as soon as a change is seen (``Ahead.start``: a build is forked to load the sources
    while they settle) and if they change again before they settle (``Ahead.stop``).
    """
    with Wake() as wake:
        seen = sources.snapshot()
        wake.watch(sources.folders)
        yield []
        yield from _changes(sources, interval, seen, wake, ahead)


def _changes(sources: Sources, interval: float, seen: Snapshot, wake: Wake,
             ahead: Ahead | None = None) -> Iterator[list[str]]:
    warned = False
    while True:
        wake.wait(interval)
        start = time.perf_counter()
        now = sources.snapshot(seen)
        wake.watch(sources.folders)  # a folder made since the last look, too
        if not warned and (took := time.perf_counter() - start) > interval:
            log.warning("a look at %d files takes %.2f s, longer than --interval %g: watch "
                        "fewer leaflets, or give a longer interval", len(now), took, interval)
            warned = True
        if _same(now, seen):
            continue
        ahead_of = AHEAD_MAX if ahead is not None else 0
        if ahead is not None:
            ahead.start()
        for _ in range(SETTLE_MAX):  # a file written without end is built as it stands
            if _same(settled := _after(SETTLE_S, sources, now), now):
                if not emptied(seen, settled):
                    break
                continue  # a save that empties a file before it writes it: wait for the write
            if ahead is not None and ahead_of:  # a save in several writes: ahead of the last
                ahead.stop()
                ahead_of -= 1
                if ahead_of:
                    ahead.start()
            now = settled
        yield changed(seen, now)
        seen = now


class Wake:
    """End a wait for the next look as soon as the kernel says a watched folder changed.

    Linux's inotify, through ``inotify_simple`` (a thin wrapper of the system calls): no
    thread, one file descriptor. Where there is none (another system, or the user's limit of
    watches reached), or for changes it is never told of (a share's), a wait lasts its
    whole interval, as a plain poll.

    A folder removed (or renamed away) loses its watch: the kernel says so (``IGNORED``) and
    the folder is forgotten, so that one made again at that path is watched anew at the next
    look, even with the same inode number (ext4 and tmpfs give a new folder the number the
    old one freed).
    """

    CHANGES = ("MODIFY", "ATTRIB", "CLOSE_WRITE", "MOVED_FROM", "MOVED_TO", "CREATE", "DELETE",
               "DELETE_SELF", "MOVE_SELF")
    """What is noticed in a watched folder: a file changed, made, removed or renamed, and the
    folder itself removed or renamed."""

    def __init__(self) -> None:
        self.notices: Any = None
        self.mask = self.ignored = 0
        self.watched: dict[str, tuple[int, int]] = {}
        self._descriptors: dict[str, int] = {}
        with contextlib.suppress(ImportError, OSError):
            import inotify_simple  # noqa: PLC0415 (only for a watch)

            self.mask = functools.reduce(operator.or_, (inotify_simple.flags[name]
                                                        for name in self.CHANGES))
            self.ignored = inotify_simple.flags.IGNORED
            self.notices = inotify_simple.INotify()

    def __enter__(self) -> Wake:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.notices is not None:
            self.notices.close()
            self.notices = None

    def watch(self, folders: dict[str, tuple[int, int]]) -> None:
        """Be told of changes in each folder (path: device and inode) not watched yet."""
        for folder, key in folders.items():
            if self.notices is None:
                return
            if self.watched.get(folder) != key:
                self._add(folder, key)

    def _add(self, folder: str, key: tuple[int, int]) -> None:
        try:
            self._descriptors[folder] = self.notices.add_watch(folder, self.mask)
            self.watched[folder] = key
        except (FileNotFoundError, NotADirectoryError):  # gone meanwhile: the look says so
            pass
        except OSError as exc:  # the user's limit of watches: look every interval only
            log.info("no change notices (%s): looking every interval", exc)
            self.__exit__()

    def wait(self, seconds: float) -> None:
        """Wait ``seconds``, or less if a change was noticed (since the last wait, too)."""
        if self.notices is None:
            time.sleep(seconds)
        else:
            self._forget(self.notices.read(timeout=max(1, round(seconds * 1000))))

    def _forget(self, notices: Iterable[Any]) -> None:
        """Forget each folder whose watch the kernel has dropped (the folder is gone)."""
        dropped = {notice.wd for notice in notices if notice.mask & self.ignored}
        for folder, descriptor in list(self._descriptors.items()):
            if descriptor in dropped:
                del self._descriptors[folder]
                self.watched.pop(folder, None)


def _after(seconds: float, sources: Sources, previous: Snapshot) -> Snapshot:
    time.sleep(seconds)
    return sources.snapshot(previous)


def changed(before: Snapshot, after: Snapshot) -> list[str]:
    """Return the files added, changed or removed between two snapshots, sorted."""
    return sorted(path for path in before.keys() | after.keys()
                  if not _known_same(before.get(path), after.get(path)))


def emptied(before: Snapshot, after: Snapshot) -> list[str]:
    """Return the files empty now that were not (or were not there) before, sorted.

    An editor that saves in place truncates the file, then writes it: under load the two can
    be further apart than ``SETTLE_S``. No leaflet, voice or picture is an empty file, so one
    that has just become empty is taken for a save under way and waited for (up to
    ``SETTLE_MAX`` waits); one left empty is then built as it stands, and said to be empty.
    """
    return sorted(path for path, known in after.items()
                  if known[0] == 0 and before.get(path, (1,))[0] != 0)


def _same(before: Snapshot, after: Snapshot) -> bool:
    return before.keys() == after.keys() and all(
        _known_same(before[path], after[path]) for path in before)


def _known_same(before: tuple[int, ...] | None, after: tuple[int, ...] | None) -> bool:
    """Say whether a file is the same: its size, times, inode, and its contents' hash when
    both looks took one (one that was racy at the first look is hashed at the second)."""
    if before is None or after is None:
        return before is after
    return before[:4] == after[:4] and (len(before) < 5 or len(after) < 5
                                        or before[4] == after[4])


def shown(path: str) -> str:
    """Return a file's name as it can be printed (bytes that are not UTF-8 as U+FFFD)."""
    return os.fsencode(path).decode("utf-8", errors="replace")


def stop_on_hangup() -> None:
    """Take SIGTERM and SIGHUP (a closed terminal) as Ctrl-C, here and in the builds forked.

    A build interrupted so stops as ``build`` stops on Ctrl-C, its outputs untouched, instead
    of being killed outright in the middle of installing them.
    """
    for number in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, _interrupt)


def _interrupt(number: int, frame: object) -> None:
    raise KeyboardInterrupt


_ENDING: list[BaseProcess] = []
"""The process of the last build, which may still be removing the old outputs it replaced."""


class Unsettled(BaseException):
    """Raised in a build held at its gate (``Gate.wait``) when the watch shuts the gate: the
    files it loaded changed again before they settled. The build ends without a word: not an
    ``Exception``, so nothing on its way out takes it for a failure to report."""


class Gate:
    """Where a build forked ahead (``Ahead``) waits, once it has loaded its sources, for the
    watch's word that they settled as it read them.

    A pipe: the watch writes one byte to open the gate, or closes its end without a word to
    shut it. Until the build has passed the gate, what it logs is held back (``holding``): a
    build of a half-saved file, shut out, has said nothing.
    """

    def __init__(self) -> None:
        self._read, self._write = os.pipe()
        self._passed = self._shut = False
        self._held: _Held | None = None

    def open(self) -> None:
        """In the watch: let the build go on (before it is forked, too).

        A build that has ended meanwhile (killed while the files settled, with the writer
        process it had forked early) has left no reader: the word is lost, and what ended
        the build is said from its exit status (``_Started.result``)."""
        with contextlib.suppress(BrokenPipeError):
            os.write(self._write, b"1")
        self._close_write()

    def shut(self) -> None:
        """In the watch: have the build end at its gate without a word."""
        self._close_write()

    def forked(self) -> None:
        """In the watch, once the build is forked: its end of the pipe is the build's."""
        if self._read >= 0:
            os.close(self._read)
            self._read = -1

    def entered(self) -> None:
        """In the build, first: the watch's end of the pipe is the watch's alone (else its
        closing would not be seen here)."""
        self._close_write()

    def _close_write(self) -> None:
        if self._write >= 0:
            os.close(self._write)
            self._write = -1

    @contextlib.contextmanager
    def holding(self) -> Iterator[None]:
        """In the build: hold back what lmets-docs logs until the gate is passed (dropped if
        it is shut); a process forked meanwhile (an early writer process) says its own."""
        logger = logging.getLogger("lmets_docs")
        self._held = _Held(logger.handlers[:])
        logger.handlers[:] = [self._held]
        try:
            yield
        finally:
            logger.handlers[:] = self._held.handlers
            self._held = None

    def wait(self) -> None:
        """In the build: return once the gate is open; raise Unsettled if it is shut."""
        if self._passed:
            return
        if not self._shut:
            word = os.read(self._read, 1)
            os.close(self._read)
            self._read = -1
            self._shut = word != b"1"
        if self._shut:
            raise Unsettled
        self._passed = True
        if self._held is not None:
            logging.getLogger("lmets_docs").handlers[:] = self._held.handlers
            for record in self._held.records:
                _pass_on(record, self._held.handlers)


class _Held(logging.Handler):
    """Keep this process's log records; pass on those of a process forked from it."""

    def __init__(self, handlers: list[logging.Handler]) -> None:
        super().__init__()
        self.pid = os.getpid()
        self.handlers = handlers
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if os.getpid() == self.pid:
            self.records.append(record)
        else:
            _pass_on(record, self.handlers)


def _pass_on(record: logging.LogRecord, handlers: list[logging.Handler]) -> None:
    for handler in handlers:
        if record.levelno >= handler.level:
            handler.handle(record)


class Ahead:
    """The build of an edit, forked as soon as the change is seen: it loads the sources while
    they settle.

    The watch waits ``SETTLE_S`` after a change for the files to stop changing (a save can be
    several writes) before it builds them; an edit's build does not wait to be forked: it
    loads the sources meanwhile, on the core the wait leaves idle, then waits at its gate
    (``Gate``). If the files settled as they were when it was forked, it goes on (the seed's
    loading, 0.04-0.05 s, is then off the edit's wait); if they changed again, it ends there
    without a word, having written nothing, and one is forked for the files as they are then
    (``AHEAD_MAX`` at most: ``_changes``). ``build`` makes a build held at the gate it is
    given.

    An espeak-ng server for each of ``voices`` (``warm``) is started here before the build is
    forked (``espeak_lib.lend``), if a core is idle, so that it loads while the files settle,
    on the core the wait leaves idle, and the edit's narration takes it ready: started by the
    build itself (``build._lend_speech``, which lends only the voices not lent already), it
    loaded after the gate, beside the writers starting (0.03-0.05 s of CPU), and the
    narration's one piece waited for it. A server no build took (one stopped at its gate) is
    kept for the next (``espeak_lib.let_go_taken``, between builds: ``reap``); ``close`` lets
    go of the rest.
    """

    def __init__(self, build: Callable[[Gate], Callable[[], object]],
                 voices: Iterable[str] = ()) -> None:
        self.build = build
        self.voices = list(voices)
        self.held: tuple[Gate, _Started] | None = None

    def _fork(self, gate: Gate) -> _Started:
        return _Started(self.build(gate), gate)

    def start(self) -> None:
        """Fork a build of the files as they are now, held at its gate."""
        self.stop()
        gate = Gate()
        if self.voices and self._core_idle():
            from lmets_docs.speech import espeak_lib  # noqa: PLC0415 (imported by ``warm``)

            espeak_lib.lend(self.voices)  # each voice not lent already (kept from the last)
        self.held = gate, self._fork(gate)

    @staticmethod
    def _core_idle() -> bool:
        """Say whether a core is idle now (``build.early.idle_cores``): else the server's
        start would take turns with the build's loading, not fill the wait (measured at load
        9: the gate passed 0.1-0.2 s later), and the build lends it after its gate instead."""
        from lmets_docs.build.early import idle_cores  # noqa: PLC0415 (imported by ``warm``)

        return idle_cores() >= 1

    def stop(self) -> None:
        """Shut the held build's gate (the files changed again), and wait for its end."""
        if self.held is not None:
            (gate, started), self.held = self.held, None
            gate.shut()
            started.join()
            _reap_speech()

    def close(self) -> None:
        """Stop the held build, if any, and let go of the espeak-ng servers kept for the next
        (the watch ends)."""
        self.stop()
        if "lmets_docs.speech.espeak_lib" in sys.modules:
            from lmets_docs.speech import espeak_lib  # noqa: PLC0415

            espeak_lib.lent_away()
            espeak_lib.reap_lent()

    def run(self) -> tuple[int, object]:
        """Let the held build go on, or fork one, its gate open; return as
        ``run_in_own_process`` does."""
        if self.held is None:
            gate = Gate()
            gate.open()
            return self._fork(gate).result()
        (gate, started), self.held = self.held, None
        gate.open()
        return started.result()


def in_own_process(run: Callable[[], object]) -> int:
    """Run ``run`` in a process forked from this one; return its exit status once it has run.

    0 when ``run`` returned: the process says so at once, then removes the old outputs its
    build swapped out (``install.removed_last``) and ends (``reap`` waits for that). Else
    what killed it (minus the signal's number), or 1 if it raised.
    """
    return run_in_own_process(run)[0]


def run_in_own_process(run: Callable[[], object]) -> tuple[int, object]:
    """Run ``run`` as ``in_own_process`` does; return its exit status and what ``run`` returned
    (None if it did not return; it must be picklable)."""
    return _Started(run).result()


class _Started:
    """``run`` in a process forked from this one (after the last build's has ended)."""

    def __init__(self, run: Callable[[], object], gate: Gate | None = None) -> None:
        reap()
        self.said, says = multiprocessing.get_context("fork").Pipe(duplex=False)
        self.process = multiprocessing.get_context("fork").Process(
            target=_quietly, args=(run, os.getpid(), says, gate))
        self.process.start()
        says.close()
        if gate is not None:
            gate.forked()

    def result(self) -> tuple[int, object]:
        """Wait until it has run; return its exit status and what ``run`` returned."""
        with self.said as said:
            connection.wait([said, self.process.sentinel])
            with contextlib.suppress(EOFError):  # ended without saying it ran
                if said.poll() and (ran := said.recv()):
                    _ENDING.append(self.process)
                    return 0, ran[1]
        self.process.join()
        return self.process.exitcode or 0, None

    def join(self) -> None:
        """Wait for its end, whatever it says."""
        self.said.close()
        self.process.join()


def reap() -> None:
    """Wait until the last build's process, which has said it ran, has ended (and the
    espeak-ng servers lent to it and taken: ``Ahead``)."""
    while _ENDING:
        _ENDING.pop().join()
    _reap_speech()


def _reap_speech() -> None:
    """Between builds: let go of the servers lent (``Ahead``) that a build took, and wait for
    them (their users have ended); keep those no build took."""
    if "lmets_docs.speech.espeak_lib" in sys.modules:  # imported if anything was lent
        from lmets_docs.speech import espeak_lib  # noqa: PLC0415

        espeak_lib.let_go_taken()
        espeak_lib.reap_lent()


def _quietly(run: Callable[[], object], watcher: int, says: connection.Connection,
             gate: Gate | None = None) -> None:
    """Run ``run``, ended with ``watcher``, and say when it returned; on Ctrl-C (which the
    watcher says) end quietly, as when its gate is shut (``Unsettled``)."""
    from lmets_docs.build.install import removed_last  # noqa: PLC0415 (small)
    from lmets_docs.build.lifeline import tie_to_parent  # noqa: PLC0415

    if gate is not None:
        gate.entered()
    tie_to_parent(watcher)
    with contextlib.suppress(KeyboardInterrupt, Unsettled), removed_last():
        result = run()  # (which flushes what it said: the watcher's "done" comes after it)
        says.send(("ran", result))
        # What is left (removing the old outputs, ending) is short: the Ctrl-C that stops
        # the watch meanwhile must neither leave the old folder behind nor print a traceback
        # from the process's ending.
        for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(number, signal.SIG_IGN)
