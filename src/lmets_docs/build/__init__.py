"""Build leaflets: load and validate everything, run the writers, move results into place.

Read top to bottom, like a recipe: stamp (has anything changed at all?) → discover → load →
plan (``plan``: what is already up to date) → write and check (``run``: in parallel, into a
new folder beside the old one) → manifest (``manifest``) → swap the new folder in
(``finish``, with ``install``'s atomic steps) → stamp (``stamp``). A leaflet language whose
writers did not all succeed, or whose new files fail their check, keeps its previous outputs
untouched: the swap is one atomic step, so a killed build or a full disk cannot leave a mixture.
Each format is checked as ``lmets-docs check`` would check it (not thoroughly) by the process
that wrote it, as soon as it is written, so the reading back of one format overlaps the writing
of the others.

Importing this package is light (the standard library and ``options``): the command line
reads ``build.stamp`` to say "up to date" before anything heavy is loaded, so the steps that
load sources, pydantic or writers, and the lock and errors of a build that writes, are
imported when a build really runs.
"""

from __future__ import annotations

import contextlib
import functools
import logging
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from lmets_docs.build.install import clean_files, clean_stale, later
from lmets_docs.build.report import BuildReport
from lmets_docs.build.stamp import STAMPS, Stamp, say_warnings
from lmets_docs.formats import narrates
from lmets_docs.options import BuildOptions

if TYPE_CHECKING:
    from lmets_docs.build.finish import Run
    from lmets_docs.build.library import Library
    from lmets_docs.build.plan import Job
    from lmets_docs.model import Leaflet

__all__ = ["BuildReport", "build", "load_all", "load_library"]
log = logging.getLogger(__name__)


def build(
    paths: Iterable[Path],
    options: BuildOptions,
    run: Run | None = None,
    loaded: Callable[[], None] | None = None,
) -> BuildReport:
    """Build every leaflet under ``paths``; raise ContentError before writing on bad input.

    ``run`` fills each job's stage and results (default: ``run.run_writers``, here); a batch
    on a cluster passes its own (``lmets_docs.batch``). ``loaded`` is called once the sources
    are loaded, before anything is planned or written (a watch's build waits there for the
    files to settle: ``watch.Ahead``).
    """
    paths = list(paths)
    clean_stale(options.out)
    stamp = Stamp(paths, options)
    if (unchanged := stamp.fresh()) is not None:
        return unchanged
    from lmets_docs.build import early as starting  # noqa: PLC0415 (see the docstring)
    from lmets_docs.build.finish import finish_all  # noqa: PLC0415
    from lmets_docs.build.kept import old_facts_kept, withdrawn_leaflets  # noqa: PLC0415
    from lmets_docs.build.lock import output_lock  # noqa: PLC0415
    from lmets_docs.build.run import run_writers  # noqa: PLC0415
    from lmets_docs.errors import BuildError, NotUpdatedError, said  # noqa: PLC0415
    from lmets_docs.speech import reach  # noqa: PLC0415 (small)

    early = None
    lent: Callable[[], None] | None = None
    try:
        if narrates(options.formats) and options.tts in ("auto", "gtts"):
            # Google is asked once a build; made before the writer processes are forked,
            # which share it
            reach.for_this_build()
        # A writer process forked now shares what a job is made of (imported above), and
        # imports its writer while this one loads the sources (``build.early``).
        early = starting.start(options, paths, held=loaded is not None) if run is None else None
        library = _load(paths, options)
        if loaded is not None:
            loaded()
        with output_lock(options.out):  # another build into it ends first
            jobs = _plan_all(library, options, stamp.said)
            lent = _lend_speech(jobs, options) if run is None else None
            old = old_facts_kept(options.out, library.blocked)
            stamp.withdrawn = withdrawn_leaflets(options.out,
                                                {leaflet.id for leaflet in library.leaflets})
            say_warnings([warning for _folder, warning in stamp.withdrawn])
            try:
                report = finish_all(jobs, stamp, options,
                                    run or functools.partial(run_writers, early=early))
            except BuildError as exc:  # a writer failed: say the content's problems too
                told = "\n".join([*said(library.problems), str(exc)])
                raise NotUpdatedError(told, getattr(exc, "kept", [])) from exc
    finally:
        reach.forget()  # the next build (a watch's, a test's) asks again
        if lent is not None:  # its writer processes have it, or it goes unused
            lent()
            later(reap_lent)
        if early is not None:  # waited for once the build has said what it did
            early.close(wait=False)
            later(early.join)
    if library.problems:  # the next build must look again at the leaflets not built
        stamp.forget()
    report.problems, report.blocked = library.problems, library.blocked
    report.old_facts = old
    return report


def _lend_speech(jobs: list[Job], options: BuildOptions) -> Callable[[], None] | None:
    """Start an espeak-ng server for each voice a narration about to be written speaks in,
    for the writer process that narrates to take (``espeak_lib.lend``): it loads while the
    writer processes are forked and the narration drafts its script (a watched edit's one
    piece no longer waits for it). Return what lets go of them here; None if none is needed."""
    if options.tts != "espeak" or not any(narrates([name]) for job in jobs
                                          for name in job.todo):
        return None
    from lmets_docs.errors import NarrationError  # noqa: PLC0415
    from lmets_docs.speech import espeak, espeak_lib  # noqa: PLC0415

    voices: set[str] = set()
    for job in jobs:
        if any(narrates([name]) for name in job.todo):
            with contextlib.suppress(NarrationError):  # the narration says what is wrong
                voices.add(espeak.voice_for(job.leaflet.lang))
    return espeak_lib.lend(sorted(voices))


def reap_lent() -> None:
    """Wait for the espeak-ng servers lent to this build's writers (``_lend_speech``)."""
    from lmets_docs.speech import espeak_lib  # noqa: PLC0415

    espeak_lib.reap_lent()


def _load(paths: list[Path], options: BuildOptions) -> Library:
    """Load every leaflet that has no problem; raise ContentError if none did (nothing is
    written); else the others' problems are in the library, for the build's report."""
    library = load_library(paths, options)
    if not library.leaflets:
        library.refuse()
    return library


def _plan_all(library: Library, options: BuildOptions, said: list[str]) -> list[Job]:
    """Plan each loaded leaflet's formats: what is up to date, what to write (``said``: the
    languages' warnings said while loading, kept for the stamp)."""
    from lmets_docs import formats  # noqa: PLC0415 (see the module's docstring)
    from lmets_docs.build.plan import plan  # noqa: PLC0415

    said += [*library.warnings, *language_warnings(library.leaflets, options)]
    # Old temporary files of killed builds: removed once this build has said what it did
    # (``install.later``), not before its writers start (walking the speech cache took 3-5 ms
    # of a watched edit's serial start, a library's cache longer).
    later(functools.partial(clean_files, options.cache))
    later(functools.partial(clean_files, options.out / STAMPS))
    names = formats.with_needs(options.formats or formats.available())
    jobs = [plan(leaflet, names, options) for leaflet in library.leaflets]
    # A language none of the formats asked for can be made in (braille without a table)
    # is left as it is.
    return [job for job in jobs if job.todo or job.reused]


def load_all(paths: Iterable[Path], options: BuildOptions) -> list[Leaflet]:
    """Load and validate every leaflet; raise ContentError with every problem found, if any.

    Every folder is read, and all their problems are reported together (``validate``).
    """
    library = load_library(paths, options)
    library.refuse()
    return library.leaflets


def load_library(paths: Iterable[Path], options: BuildOptions) -> Library:
    """Load every leaflet language that has no problem; keep the others' problems.

    The build's output and cache folders, if under ``paths``, are not searched for leaflets.
    """
    from lmets_docs.build.library import load_library as load  # noqa: PLC0415

    library = load(paths, list(options.langs) or None, skip=[options.out, options.cache])
    for warning in (w for leaflet in library.leaflets for w in leaflet.warnings):
        log.warning("%s", warning)
    return library


def language_warnings(leaflets: list[Leaflet], options: BuildOptions) -> list[str]:
    """Say, and return, the warnings about the languages' fixed words (English stand-ins,
    draft catalogues); the build's stamp keeps them, so an up-to-date build says them too."""
    from lmets_docs.i18n_report import fallback_warnings  # noqa: PLC0415
    from lmets_docs.i18n_review import review_warnings  # noqa: PLC0415

    langs = [leaflet.lang for leaflet in leaflets]
    warnings = [*fallback_warnings(langs, options.templates),
                *review_warnings(langs, options.templates)]
    for warning in warnings:
        log.warning("%s", warning)
    return warnings
