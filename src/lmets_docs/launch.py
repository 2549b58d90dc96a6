"""Start the command line: say "up to date" for an unchanged build without loading click.

``lmets-docs build …`` run again with nothing changed is the command a Makefile, a CI job or an
editor's save hook runs most often, and what it costs is mostly starting up: click alone is a
third of it. So, before the command line (``cli``) is imported, a build command in the plain
forms below is read here, and when its build stamp (``build.stamp``) vouches for every output,
this says exactly what ``cli`` says then (the same lines, warnings and exit status 0) and stops.

Anything else goes to ``cli``, which parses the arguments again, with click, from the start:
another command, ``--help`` or ``--version``, an option not below or a value click would
reject, the options ``cli`` checks further (``--voice``, ``--listen``, ``--scheduler``,
``--store``), text the terminal could not show as it is, and any build that has work to do.

Read here: ``-v``/``-q`` (also ``-vv``) before or after ``build``; after it, leaflet folders
and ``--lang``, ``--format``, ``--out``, ``--profile``, ``--tts``, ``--speech-rate``,
``--jobs``, ``--templates`` and ``--today``, each as ``--name value`` or ``--name=value``;
and ``LMETS_DOCS_TTS``, which sets ``--tts`` when it is not given, as for click.
"""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import logging
import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from lmets_docs.formats import FORMATS
from lmets_docs.options import (
    PROFILES,
    SPEECH_RATES,
    TTS_CHOICES,
    TTS_ENV,
    BuildOptions,
    default_jobs,
)

if TYPE_CHECKING:
    from lmets_docs.build.report import BuildReport

DEFAULT_CONTENT = Path("content")
JOBS = range(1, 65)
"""What ``--jobs`` accepts (``cli``: ``click.IntRange(1, 64)``)."""


def _choice(choices: tuple[str, ...]) -> Callable[[str], str]:
    def read(value: str) -> str:
        if value not in choices:
            raise ValueError(value)
        return value
    return read


def _path(value: str) -> Path:
    if not value:
        raise ValueError(value)
    return Path(value)


def _jobs(value: str) -> int:
    if int(value) not in JOBS:
        raise ValueError(value)
    return int(value)


def _day(value: str) -> dt.date:
    """Read a day as click's ``DateTime(["%Y-%m-%d"])`` does (``datetime.strptime``).

    Its plain form, ``YYYY-MM-DD`` in ASCII digits, is read by ``date.fromisoformat``, which
    gives the same day (or the same refusal, a ValueError) without importing ``_strptime``
    and ``locale`` (about 2 ms of an unchanged build's start); any other form by ``strptime``.
    """
    digits = value[:4] + value[5:7] + value[8:]
    if len(value) == 10 and value[4] == value[7] == "-" and digits.isascii() and digits.isdigit():
        return dt.date.fromisoformat(value)
    return dt.datetime.strptime(value, "%Y-%m-%d").date()


OPTIONS: dict[str, tuple[str, Callable[[str], Any], bool]] = {
    "--lang": ("langs", str, True),
    "--format": ("formats", _choice(tuple(FORMATS)), True),
    "--out": ("out", _path, False),
    "--profile": ("profile", _choice(PROFILES), False),
    "--tts": ("tts", _choice(TTS_CHOICES), False),
    "--speech-rate": ("speech_rate", _choice(SPEECH_RATES), False),
    "--jobs": ("jobs", _jobs, False),
    "--templates": ("templates", _path, False),
    "--today": ("today", _day, False),
}
"""The build options read here: the option, its name in ``BuildOptions``, how its value is
read (a ValueError: leave it to click), and whether it may come more than once."""


class _Format(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        text = record.getMessage()
        if record.levelno >= logging.WARNING:
            return f"{record.levelname}: {text}"
        return text


def setup_logging(verbose: int, quiet: bool, bars: logging.Filter | None = None) -> None:
    """Send lmets-docs' log to stderr: warnings always, steps with -v, debug with -vv.

    ``bars`` (on a terminal) draws the writers' progress steps, even with ``-q``.
    """
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_Format())
    if bars is not None:
        handler.addFilter(bars)
        logging.getLogger("lmets_docs.progress").setLevel(logging.INFO)
    level = logging.WARNING if quiet or verbose == 0 else logging.INFO
    if verbose > 1:
        level = logging.DEBUG
    root = logging.getLogger("lmets_docs")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False


class _Call:
    """A build command as read here: its leaflet folders, options, verbosity."""

    def __init__(self) -> None:
        self.paths: list[Path] = []
        self.values: dict[str, Any] = {"langs": [], "formats": []}
        self.verbose = 0
        self.quiet = False

    def flags(self, arg: str) -> bool:
        """Count ``-v``, ``-vv``, ``--verbose``, ``-q``, ``--quiet``; False for anything else."""
        if arg in ("--verbose", "--quiet"):
            arg = arg[1:3]
        if len(arg) < 2 or arg[0] != "-" or set(arg[1:]) - {"v", "q"}:
            return False
        self.verbose += arg.count("v")
        self.quiet = self.quiet or "q" in arg
        return True

    def option(self, args: list[str]) -> bool:
        """Read one option and its value from the front of ``args``; False if not one of ours."""
        name, has_value, value = args.pop(0).partition("=")
        if name not in OPTIONS or (not has_value and not args):
            return False
        field, read, many = OPTIONS[name]
        if not has_value and args[0].startswith("-"):
            return False  # click's reading of it is left to click
        try:
            parsed = read(value if has_value else args.pop(0))
        except ValueError:
            return False
        if many:
            self.values[field].append(parsed)
        else:
            self.values[field] = parsed
        return True

    def options(self) -> BuildOptions:
        """Return the options ``cli build`` makes of the same arguments."""
        values = dict(self.values)
        values["langs"], values["formats"] = tuple(values["langs"]), tuple(values["formats"])
        values.setdefault("jobs", default_jobs())
        values.setdefault("today", dt.date.today())
        values.setdefault("templates", Path("templates"))
        if os.environ.get(TTS_ENV):  # as click reads it (empty: not set)
            values.setdefault("tts", os.environ[TTS_ENV])
        return BuildOptions(**values)


def read_build(argv: list[str]) -> _Call | None:
    """Read a build command of the plain forms (see the module's docstring), or return None."""
    if os.environ.get(TTS_ENV, TTS_CHOICES[0]) not in (*TTS_CHOICES, ""):
        return None  # refused by ``cli``, in the variable's name
    call, args = _Call(), list(argv)
    while args and call.flags(args[0]):
        args.pop(0)
    if not args or args.pop(0) != "build":
        return None
    while args:
        if call.flags(args[0]):
            args.pop(0)
        elif args[0].startswith("-"):
            if not call.option(args):
                return None
        else:
            call.paths.append(Path(args.pop(0)))
    return call


def _report(call: _Call) -> BuildReport | None:
    """Return the report of an unchanged build (its warnings not yet said), or None."""
    from lmets_docs.build.install import clean_stale  # noqa: PLC0415
    from lmets_docs.build.stamp import Stamp  # noqa: PLC0415 (after reading argv)

    options = call.options()
    try:
        clean_stale(options.out)  # as ``cli`` does first
        return Stamp(call.paths or [DEFAULT_CONTENT], options).fresh(say=False)
    except Exception:  # anything unusual: ``cli`` does it again, and says what is wrong
        return None


def _plain(lines: list[str]) -> bool:
    """Say whether ``print`` shows these lines as ``click.echo`` does (no terminal codes)."""
    encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
    try:
        "".join(lines).encode(encoding)
    except UnicodeEncodeError:
        return False
    return "\x1b" not in "".join(lines)


def shortcut(argv: list[str]) -> bool:
    """Say "up to date" for an unchanged build as ``cli`` would; False: let ``cli`` run it."""
    call = read_build(argv)
    if call is None:
        return False
    setup_logging(call.verbose, call.quiet)
    report = _report(call)
    if report is None or report.overdue:  # an error, as ``cli`` says it (and exits 1)
        return False
    # Nothing was written: no folder is "built", as ``cli.tell_built`` says it.
    lines = [f"{len(report.written)} written, {len(report.reused)} up to date"]
    if not _plain(lines):
        return False
    from lmets_docs.build.stamp import say_warnings  # noqa: PLC0415

    say_warnings(report.warnings)
    for line in [] if call.quiet else lines:
        print(line, flush=True)
    return True


def command() -> None:
    """Run the command line: the unchanged build's shortcut, or else ``cli``."""
    if shortcut(sys.argv[1:]):
        sys.exit(0)
    from lmets_docs.cli import main as full  # noqa: PLC0415 (the shortcut did not apply)

    full()


def main() -> NoReturn:
    """Run the command line (``command``), then leave without tearing the interpreter down."""
    leave(status(command))


def status(run: Callable[[], None]) -> int:
    """Run ``run``; return the exit status its end asks for, as Python would exit with it.

    ``sys.exit(None)`` and returning are 0, an integer is itself, anything else is printed
    to stderr and is 1. Any other exception goes on as usual (a traceback, status 1).
    """
    try:
        run()
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            return exc.code or 0
        print(exc.code, file=sys.stderr)
        return 1
    return 0


def leave(code: int) -> NoReturn:
    """Exit with ``code`` now: the exit handlers run, but the interpreter is not torn down.

    Python's own exit frees every module and object one by one before the process ends,
    which the kernel does at once: 0.01 s of the unchanged build's 0.07 s of CPU, 0.06 s at
    the end of a cold one (measured; on a busy machine 0.1-0.2 s of wall). Nothing is lost:
    everything a command writes is closed (a build's files flushed to disk) before it says what
    it did, the handlers registered with ``atexit`` (logging's, multiprocessing's, the speech
    servers') run here, and the standard streams are flushed. While another thread runs (a
    non-daemon thread would be waited for) Python exits as usual.
    """
    if threading.active_count() > 1:
        sys.exit(code)
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # closed, or a pipe no one reads
            stream.flush()
    os._exit(code)
