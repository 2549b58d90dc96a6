"""The command line: ``lmets-docs build | watch | validate | check | import-docx |
export-xliff | import-xliff``.

Only this module prints and chooses exit codes: 0 all good, 1 a problem in the user's
content or outputs (each as ``file:line: message``), 2 a usage error (click's own).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

import click

from lmets_docs import __version__, launch, progress
from lmets_docs.errors import ContentError, LmetsError, said
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
    from click._termui_impl import ProgressBar

    from lmets_docs.build.report import BuildReport
    from lmets_docs.importer import ImportReport
    from lmets_docs.watch import Gate

log = logging.getLogger("lmets_docs")
F = TypeVar("F", bound=Callable[..., Any])
DEFAULT_CONTENT = launch.DEFAULT_CONTENT


CLEAR_LINE = "\r\x1b[K"
"""Back to the line's start, and erase it (ECMA-48 EL): the bar is drawn again at its next step."""


class _Bars(logging.Filter):
    """Draw the progress steps the writers report (``lmets_docs.progress``) as bars.

    One bar at a time on the one line: while a library's "leaflets" bar is drawn, the steps of
    each leaflet's narration are not (the writer processes, forked after that bar started,
    know it too).
    """

    drawing: ClassVar[list[_Bars]] = []

    def __init__(self) -> None:
        super().__init__()
        self.bars: dict[str, ProgressBar[int]] = {}
        _Bars.drawing.append(self)

    @classmethod
    def end_all(cls) -> None:
        """End every bar still drawn (a build stopped midway): a new line, the cursor shown."""
        for each in cls.drawing:
            for bar in each.bars.values():
                bar.render_finish()
            each.bars.clear()

    def filter(self, record: logging.LogRecord) -> bool:
        """Draw a progress record's bar instead of its line; let every other record through."""
        step: progress.Step | None = getattr(record, "progress", None)
        if step is None:
            if self.bars:  # a warning said while a bar is drawn starts on a line of its own
                sys.stderr.write(CLEAR_LINE)
                sys.stderr.flush()
            return True
        if "leaflets" in self.bars and step.label != "leaflets":
            return False
        bar = self.bars.get(step.label)
        if bar is None:
            bar = self.bars[step.label] = click.progressbar(
                length=step.total, label=step.label, file=sys.stderr)
            bar.render_progress()
        bar.update(step.done - bar.pos)
        if step.done >= step.total:
            bar.render_finish()
            del self.bars[step.label]
        return False


def setup_logging(verbose: int, quiet: bool) -> None:
    """Send lmets-docs' log to stderr: warnings always, steps with -v, debug with -vv.

    On a terminal, the writers' progress steps are drawn as a bar, even with ``-q``.
    """
    launch.setup_logging(verbose, quiet, _Bars() if sys.stderr.isatty() else None)


WRITING_COMMANDS = frozenset({"build", "watch", "import-docx", "import-xliff", "export-xliff"})
"""The commands after whose refusal it is worth saying that nothing was written."""


def plural(singular: str, plural: str, count: int, **values: object) -> str:
    """Return the English form of a message for ``count``, through the catalogue's ngettext."""
    from lmets_docs.i18n import messages  # noqa: PLC0415 (fast --help)

    return messages("en").ngettext(singular, plural, count, **values)


def _fail(exc: LmetsError) -> None:
    tell_failure(exc)
    sys.exit(1)


def tell_failure(exc: LmetsError) -> None:
    """Say what is wrong: each problem in the content as ``file:line: message``, then a sum."""
    if isinstance(exc, ContentError):
        for line in said(exc.problems):  # a message repeated line after line: the first few
            click.echo(line, err=True)
        count = len(exc.problems)
        ctx = click.get_current_context(silent=True)
        if ctx is not None and ctx.info_name in WRITING_COMMANDS:
            summary = plural("{count} problem in the content; nothing was written.",
                             "{count} problems in the content; nothing was written.", count)
        else:
            summary = plural("{count} problem in the content.",
                             "{count} problems in the content.", count)
        click.echo(f"Error: {summary}", err=True)
    else:
        click.echo(f"Error: {exc}", err=True)
        for kept in getattr(exc, "kept", ()):  # the leaflet languages not updated, after why
            click.echo(kept, err=True)


def _guard(func: F) -> F:
    """Turn lmets-docs errors into messages and exit status 1 (no traceback)."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except LmetsError as exc:
            _fail(exc)

    wrapper.__name__ = func.__name__
    wrapper.__doc__ = func.__doc__
    return wrapper  # type: ignore[return-value]


def _verbosity(ctx: click.Context, param: click.Parameter, value: int | bool) -> None:
    """Add ``-v``/``-q`` wherever they were given (before or after the command); set the log."""
    meta = ctx.meta
    if param.name == "verbose":
        meta["lmets_docs.verbose"] = meta.get("lmets_docs.verbose", 0) + int(value)
    else:
        meta["lmets_docs.quiet"] = meta.get("lmets_docs.quiet", False) or bool(value)
    setup_logging(meta.get("lmets_docs.verbose", 0), meta.get("lmets_docs.quiet", False))


def verbosity(func: F) -> F:
    """Give a command (or the group) the ``-v`` and ``-q`` options."""
    func = click.option("-q", "--quiet", is_flag=True, expose_value=False, callback=_verbosity,
                        help="Say only warnings and errors.")(func)
    return click.option("-v", "--verbose", count=True, expose_value=False, callback=_verbosity,
                        help="Say each step (-vv: debug).")(func)


def quiet() -> bool:
    """Say whether ``-q`` was given, before or after the command."""
    return bool(click.get_current_context().meta.get("lmets_docs.quiet", False))


def say(text: str) -> None:
    """Print what went well (``-q`` leaves it out: only warnings and errors are said)."""
    if not quiet():
        click.echo(text)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="lmets-docs")
@verbosity
def cli() -> None:
    """Turn one leaflet source into large-print PDF, editable DOCX and audio narration."""


def _paths(paths: tuple[Path, ...]) -> list[Path]:
    return list(paths) or [DEFAULT_CONTENT]


PATHS = click.argument("paths", nargs=-1, type=click.Path(path_type=Path))


@cli.command()
@PATHS
@verbosity
@_guard
def validate(paths: tuple[Path, ...]) -> None:
    """Check leaflet sources and report every problem; write nothing."""
    from lmets_docs.build import language_warnings, load_library  # noqa: PLC0415 (fast --help)
    from lmets_docs.build.library import find_leaflets  # noqa: PLC0415
    from lmets_docs.importer.wronglanguage import wrong_language_warnings  # noqa: PLC0415
    from lmets_docs.review import overdue_message, review_status  # noqa: PLC0415
    from lmets_docs.source.brailleable import unbrailled  # noqa: PLC0415
    from lmets_docs.source.drawable import undrawable  # noqa: PLC0415
    from lmets_docs.source.library import library_warnings  # noqa: PLC0415

    folders = _paths(paths)
    library = load_library(folders, BuildOptions())
    language_warnings(library.leaflets, BuildOptions())
    # What the PDF's fonts cannot draw, after the content's problems.
    leaflet_folders = find_leaflets(folders).leaflets
    library.problems += undrawable(leaflet_folders)
    for problem in unbrailled(leaflet_folders):  # braille is built only when asked for
        log.warning("%s", problem)
    for leaflet in library.leaflets:
        status = review_status(leaflet.facts.review, dt.date.today())
        if status.overdue:
            log.warning("%s", overdue_message(leaflet, -status.days_left))
        sections = plural("{count} section", "{count} sections", len(leaflet.sections))
        say(f"{leaflet.source_file}: ok ({leaflet.id}, {leaflet.lang}, {sections})")
    for warning in library_warnings(library.leaflets):  # one contact, the same in every leaflet
        log.warning("%s", warning)
    for warning in wrong_language_warnings(library.leaflets):
        log.warning("%s", warning)
    library.refuse()  # every problem, together


def _format_help() -> str:
    """Return the help of ``build --format``, saying which formats reuse which (``FORMATS``)."""
    users = [row.name for row in FORMATS.values() if row.needs]
    needed = dict.fromkeys(need for row in FORMATS.values() for need in row.needs)
    reuse = (f"; {' and '.join(users)} reuse the {' and '.join(needed)}, which is then built too"
             if users else "")
    asked = [row.name for row in FORMATS.values() if not row.default]
    only = f" but {', '.join(asked)}, built only when asked for" if asked else ""
    return f"Build only this format (repeatable{reuse}). Default: every format{only}."


class _EnvironmentChoice(click.Option):
    """An option with choices whose environment variable, when it is what is read (the option
    not given), is refused in its own name: click's message names only the option."""

    def resolve_envvar_value(self, ctx: click.Context) -> str | None:
        """Return the variable's value, or refuse it as a usage error (exit 2)."""
        value = super().resolve_envvar_value(ctx)
        choices = getattr(self.type, "choices", ())
        if value is not None and value not in choices:
            shown = value if value.isprintable() else repr(value)
            raise click.UsageError(f"{self.envvar}={shown}: not one of {', '.join(choices)} "
                                   f"(the environment variable sets {self.opts[0]})", ctx)
        return value


BUILD_OPTIONS = (
    click.option("--lang", "langs", multiple=True, help="Build only this language (repeatable)."),
    click.option(
        "--format",
        "formats",
        multiple=True,
        type=click.Choice(list(FORMATS)),
        help=_format_help(),
    ),
    click.option(
        "--out",
        type=click.Path(path_type=Path),
        default=Path("output"),
        show_default=True,
        help="Folder for the results.",
    ),
    click.option(
        "--profile",
        type=click.Choice(PROFILES),
        help="Print profile: clear (14 pt), large (18 pt), giant (22 pt). "
        "Default: large for the PDF, clear for the DOCX (for editing; a low-vision reader's "
        "DOCX: --profile large).",
    ),
    click.option(
        "--tts",
        cls=_EnvironmentChoice,
        type=click.Choice(TTS_CHOICES),
        default="auto",
        show_default=True,
        envvar=TTS_ENV,
        show_envvar=True,
        help="Speech engine: auto (gTTS when reachable, else Piper when a voice of the "
        "leaflet's language and region is installed, else espeak-ng), or one of them by name. "
        f"A site with no network use allowed sets {TTS_ENV}=espeak (or piper) once, for every "
        "command; --tts still wins.",
    ),
    click.option(
        "--voice",
        type=click.Path(exists=True, path_type=Path),
        help="A Piper voice: an .onnx model (with its .onnx.json beside it) or a folder of "
        "them. Default: the project's voices/ folder, then voice packages.",
    ),
    click.option(
        "--listen",
        is_flag=True,
        help="Hear the new narration with the offline recogniser; a fact heard wrong fails the "
        "build and the audio is not installed (needs the 'listen' extra).",
    ),
    click.option(
        "--speech-rate",
        type=click.Choice(SPEECH_RATES),
        default="normal",
        show_default=True,
        help="Narration speed.",
    ),
    click.option("--jobs", type=click.IntRange(1, 64),
                 help="Writers to run at once. Default: cores."),
    click.option(
        "--templates",
        type=click.Path(path_type=Path),
        default=Path("templates"),
        show_default=True,
        help="Folder of house templates overriding the built-in ones.",
    ),
    click.option(
        "--cache",
        type=click.Path(file_okay=False, path_type=Path),
        help="Folder for the speech and audio caches, which make rebuilds fast. Default: "
        "OUT/.cache; give another to publish OUT without them.",
    ),
    click.option("--today", type=click.DateTime(["%Y-%m-%d"]), metavar="YYYY-MM-DD",
                 help="Judge the review dates as on this day, not today (to see what a "
                 "leaflet says once its review is overdue, or to make a build repeatable)."),
)
"""The options of ``build`` and ``watch``: what to build, how, and where."""


def build_options(func: F) -> F:
    """Give a command the build's options (``BUILD_OPTIONS``), in their order in ``--help``."""
    for option in reversed(BUILD_OPTIONS):
        func = option(func)
    return func


def no_format_words(paths: tuple[Path, ...]) -> None:
    """Stop with exit status 2 when a leaflet path is a format's name and no such folder
    exists: ``--format pdf docx`` takes ``docx`` for a leaflet folder (``--format`` takes one
    format; it is repeated for each)."""
    for path in paths:
        if path.as_posix() in FORMATS and not path.exists():
            raise click.UsageError(
                f"'{path}' is a format: write --format {path} for each format")


def options_from(given: dict[str, Any]) -> BuildOptions:
    """Return the build options the command line was given (``build_options``' values)."""
    if given["listen"]:
        _need_listening(f"{click.get_current_context().info_name} --listen")
    today: dt.datetime | None = given["today"]
    return BuildOptions(
        out=given["out"],
        formats=given["formats"],
        langs=given["langs"],
        profile=given["profile"],
        tts=given["tts"],
        voice=given["voice"],
        listen=given["listen"],
        speech_rate=given["speech_rate"],
        templates=given["templates"],
        jobs=given["jobs"] or default_jobs(),
        cache_dir=given["cache"],
        today=today.date() if today else dt.date.today(),
    )


@cli.command()
@PATHS
@build_options
@click.option(
    "--scheduler",
    help="Build on a Dask cluster: 'dask' starts one of --jobs processes here; "
    "tcp://HOST:8786 uses a running one (needs the 'dask' extra).",
)
@click.option(
    "--store",
    help="With --scheduler: the shared store of finished artifacts and speech (a folder or an "
    "fsspec URL). Default: OUT/.cache.",
)
@verbosity
@_guard
def build(paths: tuple[Path, ...], scheduler: str | None, store: str | None, **given: Any) -> None:
    """Build leaflets into OUT/<leaflet>/<lang>/ (default: everything under content/)."""
    no_format_words(paths)
    options = options_from(given)
    if scheduler or store:
        _need_dask(scheduler, store)
    try:
        _build(paths, scheduler, store, options)
    except KeyboardInterrupt as exc:  # Ctrl-C, SIGTERM, SIGHUP (``build.stop``)
        how = getattr(exc, "name", "Ctrl-C")
        click.echo(f"Error: stopped by {how}; the leaflet languages already installed are "
                   "kept, the others keep their previous outputs", err=True)
        sys.exit(1)


def _build(paths: tuple[Path, ...], scheduler: str | None, store: str | None,
           options: BuildOptions) -> None:
    """Build as ``build`` says; exit 1 if checking found an error or a leaflet was not built."""
    from lmets_docs.build.install import clean_stale  # noqa: PLC0415 (fast --help)
    from lmets_docs.build.stamp import Stamp  # noqa: PLC0415
    from lmets_docs.build.stop import stop_on_signals  # noqa: PLC0415

    stop_on_signals()
    clean_stale(options.out)  # what killed builds left behind
    # Nothing changed since the last build: say so before importing the heavy machinery.
    report = Stamp(_paths(paths), options).fresh()
    if report is None and scheduler:
        report = _build_batch(_paths(paths), options, scheduler, store)
    if report is not None:
        ok = tell_built(report, options.today)
    else:
        from lmets_docs.build import build as run_build  # noqa: PLC0415 (only when building)
        from lmets_docs.build.install import removed_last  # noqa: PLC0415

        with removed_last():  # the old outputs go once the build has said what it did
            ok = tell_built(run_build(_paths(paths), options), options.today)
    if not ok:
        sys.exit(1)


def tell_built(report: BuildReport, today: dt.date) -> bool:
    """Say what a build installed, kept and found; return False if checking found an error,
    or a problem in the content kept a leaflet language from being built."""
    written = {Path(name).parent.as_posix() for name in report.written}
    for folder in report.folders:  # a folder whose formats were all up to date is not "built"
        if f"{folder.parent.name}/{folder.name}" in written:
            say(f"built {folder}")
    for folder in report.rejected:  # an error: said even with -q
        click.echo(f"not installed {folder}: its new files failed their check; the previous "
                   "outputs are kept")
    stored = len(getattr(report, "from_store", ()))
    copied = f" ({stored} from the store)" if stored else ""
    say(f"{len(report.written)} written{copied}, {len(report.reused)} up to date")
    if not (report.written or report.rejected):
        judged = _tell_overdue(report, today)  # said whether or not a language was blocked
        return _tell_blocked(report) and judged
    checked = _check_built(report, today)
    return _tell_blocked(report) and checked  # said last: what was not built


_KEPT = "its previous outputs, if any, are kept"


def _kept(folder: Path, facts: list[str]) -> str:
    """Say that the previous outputs kept give an old fact (``build.kept``)."""
    known = f" ({'; '.join(facts)})" if facts else ""
    return (f"its previous outputs in {folder} are kept, and give an OLD FACT{known}: its "
            "source changed since they were built; fix the problem and build again")


def _tell_blocked(report: BuildReport) -> bool:
    """Say each problem that kept a leaflet language from being built; False if there was one."""
    for line in said(report.problems):
        click.echo(line, err=True)
    old = {blocked: (folder, facts) for blocked, folder, facts in report.old_facts}
    for blocked in report.blocked:
        click.echo(f"not built {blocked}: a problem in its content (above); "
                   f"{_kept(*old[blocked]) if blocked in old else _KEPT}", err=True)
    if report.problems:
        count = plural("{count} problem in the content.", "{count} problems in the content.",
                       len(report.problems))
        click.echo(f"Error: {count} Every other leaflet language was built.", err=True)
    return not report.problems


@cli.command()
@PATHS
@build_options
@click.option("--interval", type=click.FloatRange(0.05, 60), default=0.2, show_default=True,
              help="Seconds between looks at the sources.")
@verbosity
@_guard
def watch(paths: tuple[Path, ...], interval: float, **given: Any) -> None:
    """Build, then build again each time a leaflet, a template or a voice changes (Ctrl-C stops).

    A problem in a source is said as ``build`` says it; the last good outputs stay, and the
    watch goes on. Ctrl-C, a closed terminal (SIGHUP) or SIGTERM stop it as a Ctrl-C stops a
    build: exit status 0.
    """
    from lmets_docs import watch as watching  # noqa: PLC0415 (fast --help)
    from lmets_docs.build.install import clean_stale  # noqa: PLC0415
    from lmets_docs.source.shared import watched_files  # noqa: PLC0415
    from lmets_docs.speech import voice_files  # noqa: PLC0415

    no_format_words(paths)
    options = options_from(given)
    folders = _paths(paths)
    templates = [options.templates] if options.templates else []
    voices = voice_files.places(options)  # a voice put there changes which voice reads
    shared = watched_files(folders)  # a library's contacts.yaml beside the leaflet folders
    sources = watching.Sources([*folders, *shared, *templates, *voices], skip=[options.out])
    watching.stop_on_hangup()

    def held(gate: watching.Gate) -> Callable[[], object]:
        dated = options  # a watch may outlive its day
        if given["today"] is None:
            dated = dataclasses.replace(options, today=dt.date.today())
        return partial(_watched_build, folders, dated, gate)

    ahead = watching.Ahead(held)  # an edit's build loads its sources while they settle
    try:
        clean_stale(options.out)  # what killed builds left behind
        ahead.voices = watching.warm(options, folders)
        for names in watching.changes(sources, interval, ahead):
            if names:
                say(f"changed: {', '.join(map(watching.shown, names))}")
            start = time.perf_counter()
            status, blocked = ahead.run()
            if status:
                how = f"was killed (signal {-status})" if status < 0 else "failed"
                click.echo(f"Error: the build {how}; the last good outputs are kept", err=True)
            leaflets = len(watching.leaflet_folders(folders, skip=[options.out]))
            say(f"{_watch_done(status, blocked, time.perf_counter() - start)}; watching "
                f"{plural('{count} leaflet', '{count} leaflets', leaflets)} (Ctrl-C stops)")
            watching.reap()  # the build's process, removing the old outputs once it said "done"
    except KeyboardInterrupt:
        say("stopped watching")
    finally:
        ahead.close()  # a build held while the files settled ends at its gate


def _watch_done(status: int, blocked: object, seconds: float) -> str:
    """Say how a watched build ended: "done" only if every leaflet language was built."""
    if status or not isinstance(blocked, list):
        return f"not built ({seconds:.2f} s)"
    if blocked:
        return (f"built the others in {seconds:.2f} s; not built: {', '.join(blocked)} "
                "(a problem in its content, above)")
    return f"done in {seconds:.2f} s"


def _watched_build(folders: list[Path], options: BuildOptions, gate: Gate) -> list[str] | None:
    """Build once as ``build`` does and say every problem (in its own process: ``watch``).

    Return the leaflet languages not built for a problem in their content (None: nothing
    was built). Nothing is said, planned or written before ``gate`` is passed (once the
    sources are loaded: ``watch.Ahead``); shut, the build ends there without a word.
    """
    from lmets_docs.build import build as run_build  # noqa: PLC0415 (imported by ``warm``)

    try:
        with gate.holding():
            try:
                report = run_build(folders, options, loaded=gate.wait)
            except KeyboardInterrupt:
                raise
            except BaseException:
                gate.wait()  # a build shut out says nothing, not even what went wrong
                raise
            gate.wait()  # (an unchanged build returns before loading)
        tell_built(report, options.today)
        return report.blocked
    except LmetsError as exc:
        tell_failure(exc)
        return None
    finally:  # all of it said before the watcher says "done in"
        sys.stdout.flush()
        sys.stderr.flush()


def _need_dask(scheduler: str | None, store: str | None) -> None:
    """Stop with exit status 2 when --scheduler/--store cannot be used as given."""
    from lmets_docs.batch import cluster as batch  # noqa: PLC0415 (fast --help)

    problem = None
    if scheduler is None:
        problem = "--store needs --scheduler (dask, or tcp://HOST:8786)"
    elif not batch.valid(scheduler):
        problem = f"--scheduler {scheduler}: use 'dask' or a scheduler address (tcp://HOST:8786)"
    elif not batch.available():
        problem = f"--scheduler needs Dask, which is not installed; {batch.INSTALL_HINT}"
    elif batch.is_remote(scheduler) and store is None:
        problem = ("a running cluster needs --store: a folder or URL that every worker and this "
                   "machine can reach")
    if problem:
        click.echo(f"Error: {problem}", err=True)
        sys.exit(2)


def _build_batch(
    paths: list[Path], options: BuildOptions, scheduler: str, store: str | None
) -> BuildReport:
    """Build on a Dask cluster (its progress is drawn as the writers' is)."""
    from lmets_docs.batch.engine import build_batch  # noqa: PLC0415 (only when building)

    return build_batch(paths, options, scheduler, store)


def _tell_overdue(report: BuildReport, today: dt.date) -> bool:
    """Give ``check``'s verdict on the up-to-date leaflets past their review date (an error);
    False if there is one. The others need no verdict: nothing of theirs was written."""
    if not report.overdue:
        return True
    from lmets_docs.check import Report, review_findings  # noqa: PLC0415 (only if overdue)
    from lmets_docs.manifest import MANIFEST, read_manifest  # noqa: PLC0415

    result = Report()
    for folder in report.overdue:
        result.files.append(folder / MANIFEST)
        result.findings += review_findings(folder / MANIFEST, read_manifest(folder), today)
    click.echo(result.text())
    return not result.errors


def _check_built(report: BuildReport, today: dt.date) -> bool:
    """Show what checking the new files found, each finding once; False if one is an error.

    The build checked each format as soon as it was written (as ``check`` does, less the
    slow measurements); the review dates are judged here, from each manifest, as ``check``
    judges them: an overdue review is an error (the leaflet is written and installed all
    the same, and says on its first page that it is out of date), shown as ``check`` shows
    it. A due-soon review has already been said by the build (as an up-to-date build says
    it): it is counted but not said again.
    """
    from lmets_docs.check import Report, review_findings  # noqa: PLC0415 (only after a build)
    from lmets_docs.check.languages import built_leaflet_findings  # noqa: PLC0415
    from lmets_docs.manifest import MANIFEST, read_manifest  # noqa: PLC0415

    result = Report()
    for folder in report.folders:
        result.files.append(folder / MANIFEST)
        result.files += [path for path in report.checked if path.is_relative_to(folder)]
        result.findings += review_findings(folder / MANIFEST, read_manifest(folder), today)
        result.findings += [f for f in report.findings if f.file.is_relative_to(folder)]
    result.findings += built_leaflet_findings(report.folders)  # as ``check`` judges them
    for folder in report.rejected:  # not installed: no manifest to judge
        result.files += [path for path in report.checked if path.is_relative_to(folder)]
        result.findings += [f for f in report.findings if f.file.is_relative_to(folder)]
    shown = [f for f in result.findings if f.code != "review-due-soon"]
    if shown:
        click.echo(result.text(shown))
    elif not quiet():
        click.echo(result.summary())
    return not result.errors


@cli.command(name="check")
@click.argument("outputs", nargs=-1, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON (for CI).")
@click.option("--allow-edited", is_flag=True,
              help="Report files changed since the build as warnings, not errors.")
@click.option("--listen", is_flag=True,
              help="Also hear each narration with the offline recogniser and prove that it "
              "says every fact (needs the 'listen' extra).")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), metavar="YYYY-MM-DD",
              help="Judge the review dates as on this day, not today (is a leaflet overdue, "
              "or due soon, on that day?).")
@verbosity
@_guard
def check_command(
    outputs: tuple[Path, ...], as_json: bool, allow_edited: bool, listen: bool,
    today: dt.datetime | None,
) -> None:
    """Read built leaflets back and prove every format says the same facts."""
    from lmets_docs.check import check  # noqa: PLC0415 (fast --help)

    if listen:
        _need_listening("check --listen")
    day = today.date() if today else None
    result = check(list(outputs) or [Path("output")], day, allow_edited=allow_edited, listen=listen)
    if as_json or result.findings or not quiet():
        click.echo(result.to_json() if as_json else result.text())
    sys.exit(1 if result.errors else 0)


def _need_listening(command: str) -> None:
    """Stop with exit status 2 and the way to install it when the recogniser is missing."""
    from lmets_docs.listen import INSTALL_HINT, available  # noqa: PLC0415 (fast --help)

    if not available():
        click.echo(f"Error: {command} needs the offline speech recogniser, which is not "
                   f"installed; {INSTALL_HINT}", err=True)
        sys.exit(2)


def _language(_ctx: click.Context, _param: click.Parameter, value: str) -> str:
    from lmets_docs.i18n import babel_locale  # noqa: PLC0415 (fast --help)

    try:
        babel_locale(value)
    except ValueError as exc:
        raise click.BadParameter(f"{exc} (use a BCP 47 tag such as cy, ur or en-GB)") from exc
    return value


@cli.command(name="import-docx")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--lang", required=True, callback=_language,
              help="The language the DOCX was translated into (BCP 47: cy, ur …).")
@click.option("--leaflet", "folder", type=click.Path(file_okay=False, path_type=Path),
              help="The leaflet folder. Default: the one under content/ the DOCX was made from.")
@click.option("--force", is_flag=True, help="Replace an existing translation (shows the diff).")
@click.option("--accept-numbers", "accept", multiple=True, metavar="UNIT",
              help="Accept that this unit's numbers differ from the source's (a number "
                   "written in words), once checked; recorded in the file. Repeatable.")
@verbosity
@_guard
def import_docx_command(file: Path, lang: str, folder: Path | None, force: bool,
                        accept: tuple[str, ...]) -> None:
    """Write <leaflet>/<LANG>.md from a translated copy of the leaflet's DOCX."""
    from lmets_docs.importer import import_docx  # noqa: PLC0415 (fast --help)

    _say_imported(import_docx(file, lang, folder, force, accept=accept))


def _say_imported(report: ImportReport) -> None:
    """Say what an import wrote (the diff first, when it replaced a translation)."""
    if report.diff:
        say(report.diff)
    verb = "replaced" if report.replaced else "wrote"
    same = ", unchanged" if report.replaced and not report.diff else ""
    sections = plural("{count} section", "{count} sections", report.sections)
    blocks = plural("{count} block", "{count} blocks", report.blocks)
    say(f"{verb} {report.path} ({sections}, {blocks}{same})")


@cli.command(name="export-xliff")
@click.argument("leaflet", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--to", "to_lang", required=True, callback=_language,
              help="The language to translate into (BCP 47: cy, ur …).")
@click.option("--from", "from_lang", callback=lambda c, p, v: v and _language(c, p, v),
              help="The language to translate from. Default: the leaflet's original.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="The file to write. Default: <leaflet-id>-<LANG>.xlf here.")
@verbosity
@_guard
def export_xliff_command(leaflet: Path, to_lang: str, from_lang: str | None,
                         out: Path | None) -> None:
    """Write an XLIFF 2.0 file to translate LEAFLET (a leaflet folder) in a translation tool."""
    from lmets_docs.source.untranslated import words_outside  # noqa: PLC0415 (fast --help)
    from lmets_docs.xliff import export_xliff  # noqa: PLC0415

    report = export_xliff(leaflet, to_lang, out, from_lang)
    units = plural("{count} unit", "{count} units", report.units)
    say(f"wrote {report.path} ({report.source_lang} to {report.target_lang}: {units}, "
        f"{report.to_translate} to translate)")
    for warning in words_outside(leaflet, report.source_lang, report.target_lang):
        log.warning("%s", warning)  # a contact's name or note: not in the file, one text


@cli.command(name="import-xliff")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--leaflet", "folder", type=click.Path(file_okay=False, path_type=Path),
              help="The leaflet folder. Default: the one under content/ the file was made from.")
@click.option("--force", is_flag=True, help="Replace an existing translation (shows the diff).")
@click.option("--accept-numbers", "accept", multiple=True, metavar="UNIT",
              help="Accept that this unit's numbers differ from the source's (a number "
                   "written in words), once checked; recorded in the file. Repeatable.")
@verbosity
@_guard
def import_xliff_command(file: Path, folder: Path | None, force: bool,
                         accept: tuple[str, ...]) -> None:
    """Write <leaflet>/<LANG>.md from a translated XLIFF file (LANG: the file's target)."""
    from lmets_docs.xliff import import_xliff  # noqa: PLC0415 (fast --help)

    _say_imported(import_xliff(file, folder, force, accept=accept))


def main() -> None:
    """Run the command line; show the terminal's cursor again if a bar hid it."""
    try:
        cli(prog_name="lmets-docs")
    finally:
        _Bars.end_all()
