"""Run the writers of a planned build: in parallel processes, each format checked as it is written.

Each process is given one task at a time, the most urgent ready one (``_Schedule``): the slow
one (the narration) first; a format that reuses another's files (``formats.needs``) when those
are written; in a library, the other narrations once the first has filled the speech cache.
A writer's failure is its job's failure, never the other leaflets'. A leaflet language whose
tasks have all ended is handed at once to ``installed`` (``finish``: its manifest, and the swap
into place), between tasks, while the writer processes write the next ones: a library's last
leaflets are then the only ones installed after the writing ends.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import logging
import os
import shutil
import statistics
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, BrokenExecutor, Future, wait
from pathlib import Path
from typing import TYPE_CHECKING

from lmets_docs import collector, formats, progress
from lmets_docs.build import install
from lmets_docs.build.early import WriterProcess
from lmets_docs.build.failures import failed, waited_for
from lmets_docs.build.manifest import make_manifest
from lmets_docs.build.plan import Job, Produced
from lmets_docs.errors import BuildError, LmetsError
from lmets_docs.manifest import ArtifactEntry, sha256_file
from lmets_docs.model import Leaflet
from lmets_docs.options import BuildOptions
from lmets_docs.writers import WriterResult

if TYPE_CHECKING:
    from lmets_docs.build.early import EarlyStart
    from lmets_docs.check.findings import Finding

log = logging.getLogger(__name__)
Installer = Callable[[Job], None]
"""What takes a job whose tasks have all ended (``finish.finish``: manifest, swap)."""


def run_writers(jobs: list[Job], options: BuildOptions, installed: Installer | None = None,
                early: EarlyStart | None = None) -> None:
    """Run every pending writer, in parallel processes when there is more than one.

    A format that reuses another's files (``formats.needs``) starts when those are written.
    ``installed`` is given each job whose tasks have all ended, as soon as they have (and
    after the writer processes were given their next tasks). ``early``: a writer process
    started before loading (``build.early``), used first for the format it prepared for; the
    other processes are forked now.
    """
    tasks = [(job, name) for job in jobs for name in job.todo]
    for job in jobs:
        job.stage.open()
        if job.todo:
            _bring_needed(job)
    tally = _Tally(jobs, installed)
    if early is None and (len(tasks) <= 1 or options.jobs <= 1):
        for job, name in _heaviest_first(tasks):
            if not _needs_failed(job, name):
                _collect(job, name, lambda j=job, n=name: produce_job(j, n, options))
            tally.ended(job)
            tally.install()
        return
    pools = [] if early is None else [_Pool(early.submit, 1, early.name, early.release)]
    with contextlib.ExitStack() as stack:
        for _ in range(min(options.jobs, len(tasks)) - len(pools)):
            # Forked now, before any thread starts here: they share what this one has loaded.
            worker = WriterProcess()
            stack.callback(_end, worker)
            pools.append(_Pool(worker.submit, 1, release=worker.release))
        _Schedule(_heaviest_first(tasks), pools, options, tally).run()


def _end(worker: WriterProcess) -> None:
    """Stop a writer process, and wait for its end once the build has said what it did
    (``install.later``: its last process, the narration's, ends as its espeak-ng servers do,
    0.01-0.09 s after its task, which a watched edit's "done" waited for)."""
    worker.close(wait=False)
    install.later(worker.join)


class _Tally:
    """Count the leaflet languages whose every task has ended, and report it for a library.

    A build of several leaflets (or languages) reports each one made through
    ``lmets_docs.progress``: the command line draws it as a bar with an estimate of the time
    left, on a terminal only. One leaflet reports nothing (its narration has its own bar).
    """

    def __init__(self, jobs: list[Job], installed: Installer | None = None) -> None:
        self.left = {id(job): len(job.todo) for job in jobs}
        self.total = len(jobs)
        self.done = sum(1 for count in self.left.values() if count == 0)
        self.installed = installed
        self.ready: list[Job] = []
        if self.total > 1:
            progress.leaflets(self.done, self.total)

    def ended(self, job: Job) -> None:
        """Count one task of ``job`` as ended (written, failed or not started)."""
        self.left[id(job)] -= 1
        if self.left[id(job)] == 0:
            self.done += 1
            self.ready.append(job)
            if self.total > 1:
                progress.leaflets(self.done, self.total)

    def install(self) -> None:
        """Hand each job whose tasks have all ended since the last call to ``installed``."""
        ready, self.ready = self.ready, []
        for job in ready:
            if self.installed is not None:
                self.installed(job)


def _stay() -> None:
    """Release nothing (a pool whose processes end with the build)."""


@dataclasses.dataclass
class _Pool:
    """A writer process: how many tasks it takes at once, and the format it prepared for.

    ``release`` lets it end as soon as its task is done (none is left to give it), while the
    other processes still write or the build installs, rather than after the build: an 8x
    leaflet's PDF process, done after a third of the narration, held 118 MB to the end, the
    summed peak (a process's end also took the build 0.01-0.03 s at its end).
    """

    submit: Callable[..., Future[Produced]]
    slots: int
    prepared: str = ""
    release: Callable[[], None] = _stay
    running: int = 0
    released: bool = False
    dead: bool = False
    """Its process ended abruptly (killed): it is given no more tasks while another lives."""
    wrote: set[str] = dataclasses.field(default_factory=set)
    """The formats given to it so far (and the one it prepared for): their writers are warm."""

    def __post_init__(self) -> None:
        if self.prepared:
            self.wrote.add(self.prepared)


class _Schedule:
    """Give the writer processes one task each at a time, the most urgent ready one first
    of the formats each has written (``_next``).

    Ready: the formats it reuses are written (or failed), and, for a narration, the first
    narration in its language is done: the leaflets of a library share sentences, and the
    first narration fills the speech cache that the others then read instead of speaking
    them again (two narrations started together would both speak them). Until then the other
    processes write the other formats. Narrations in different languages share nothing, and
    wait for nothing.
    """

    def __init__(self, tasks: list[tuple[Job, str]], pools: list[_Pool],
                 options: BuildOptions, tally: _Tally) -> None:
        self.waiting = tasks
        self.pools = pools
        self.options = options
        self.tally = tally
        self.running: dict[Future[Produced], tuple[Job, str, _Pool]] = {}
        self.done: set[tuple[int, str]] = set()
        self.first_slow: dict[str, tuple[int, str]] = {}
        for job, name in tasks:
            if formats.FORMATS[name].slow:
                self.first_slow.setdefault(job.leaflet.lang, (id(job), name))
        self.started: dict[Future[Produced], tuple[float, bool]] = {}
        """When each running task was given, and whether its process had written its format."""
        self.took: dict[str, list[float]] = {}
        """How long each task given to a process warm for its format took, by format."""

    def run(self) -> None:
        """Run every task; each result goes to its job as soon as it comes."""
        while self.waiting or self.running:
            self._submit_ready()
            self._release_idle()
            self.tally.install()  # after the processes have their tasks: a swap waits for disks
            finished, _ = wait(self.running, return_when=FIRST_COMPLETED)
            for future in finished:
                self.ended(future)
        self._release_idle()
        self.tally.install()

    def ended(self, future: Future[Produced]) -> None:
        """Take a finished task's result (or failure) to its job, and free its process."""
        job, name, pool = self.running.pop(future)
        given, warm = self.started.pop(future, (0.0, False))
        if warm:
            self.took.setdefault(name, []).append(_now() - given)
        pool.running -= 1
        pool.dead = pool.dead or isinstance(future.exception(), BrokenExecutor)
        _collect(job, name, future.result)
        self.done.add((id(job), name))
        self.tally.ended(job)

    def _release_idle(self) -> None:
        """Let each pool with nothing running end, once no task waits for any."""
        if self.waiting:
            return
        for pool in self.pools:
            if pool.running == 0 and not pool.released:
                pool.released = True
                pool.release()

    def _submit_ready(self) -> None:
        while (given := self._next()) is not None:
            pool, (job, name) = given
            if _needs_failed(job, name):
                self.done.add((id(job), name))
                self.tally.ended(job)
                continue
            pool.running += 1
            warm = name in pool.wrote
            pool.wrote.add(name)
            future = _submit(pool.submit, job, name, self.options)
            self.running[future] = (job, name, pool)
            self.started[future] = (_now(), warm)

    def _free(self) -> Iterator[_Pool]:
        # Once every process has died, the dead take the tasks left and fail each at once
        # (``_submit``), so that the build ends and says what was not written.
        alive = [pool for pool in self.pools if not pool.dead] or self.pools
        return (pool for pool in alive if pool.running < pool.slots)

    def _next(self) -> tuple[_Pool, tuple[Job, str]] | None:
        """Take the next task off the list, and the free process to give it to (None: none).

        A free process takes the most urgent ready task of a format it has written (its
        writer and checker imported, their caches warm) or that no process has written yet;
        only when there is none does it take one another process writes, the shortest (its
        import costs least), and only if it would end it before the processes that write
        that format could (``_worth_taking``); else it waits (a task ending frees it again).
        So in a library one process narrates and the other prints, each importing and warming
        only its own writers, as ``--jobs 1`` does once: the second process's first PDF cost
        0.3 s more CPU than the others (WeasyPrint, pdfium, fonts), its first narration 0.2 s.
        A task goes to the process that prepared for its format if that one is free
        (``build.early``).
        """
        free = list(self._free())
        ready = [index for index, (job, name) in enumerate(self.waiting)
                 if self._ready(job, name)]
        if not ready and self.waiting and not self.running:
            ready = [0]  # nothing runs that could make a task ready: run the next one
        if not free or not ready:
            return None
        if self._tail():
            ready.sort(key=lambda index: _longest_first(self.waiting[index][1]))
        wrote = {name for pool in self.pools for name in pool.wrote}
        for index in ready:
            name = self.waiting[index][1]
            warm = [pool for pool in free if name in pool.wrote]
            if warm or name not in wrote:
                pool = min(warm or free, key=lambda p: (p.prepared != name, bool(p.wrote)))
                return pool, self.waiting.pop(index)
        # None of its own: the shortest, whose import costs least, if taking it cold ends
        # sooner than leaving it to a process that has written its format (``_worth_taking``)
        index = max(ready, key=lambda i: (_longest_first(self.waiting[i][1]), -i))
        if not self._worth_taking(free[0], self.waiting[index][1]):
            return None
        return free[0], self.waiting.pop(index)

    def _worth_taking(self, pool: _Pool, name: str) -> bool:
        """Say whether ``pool``, which has not written format ``name``, should take a task of
        it now rather than wait: whether the processes that have written it (busy, alive)
        have more work queued each than twice that task's time (the task, and what a
        process's first of a format costs more: its writer's import, about as long:
        WeasyPrint's 0.37 s of CPU against a warm PDF's 0.4, a narration's 0.2-0.3 against
        0.5). Else a warm process ends it sooner, and the cold one would end the batch: in a
        library the narrating process, its narrations and the DOCXs done, took the last PDF
        cold while the printing process was about to print it (a PDF's time, twice, at the
        end). A task's time is the median of its format's given to a warm process in this
        build; while none is known, or no warm process is busy, the task is taken (rather
        than idle). Queued: what is left of their running tasks, and the tasks waiting of
        the formats they have written and ``pool`` has not.
        """
        took = self.took.get(name)
        warm = [other for other in self.pools if other is not pool and not other.dead
                and other.running and name in other.wrote]
        if not took or not warm:
            return True
        now, queued = _now(), 0.0
        for future, (_job, other_name, other) in self.running.items():
            if other in warm:
                queued += max(0.0, self._took(other_name) - (now - self.started[future][0]))
        theirs = {n for other in warm for n in other.wrote} - pool.wrote
        queued += sum(self._took(n) for _job, n in self.waiting if n in theirs)
        return 2 * statistics.median(took) <= queued / len(warm)

    def _took(self, name: str) -> float:
        """Return how long a warm task of ``name`` takes here (0 while none is known)."""
        took = self.took.get(name)
        return statistics.median(took) if took else 0.0

    def _tail(self) -> bool:
        """Say whether the tasks left belong to no more leaflet languages than there are
        processes: the batch's tail, where its tasks are taken longest first (``_next``).

        Before, each leaflet language's tasks come one leaflet after another (so each is
        installed as soon as it can be); at the end that left the last leaflet's PDF (0.3-0.4
        s) alone on one process while the other had nothing left to do. Taken longest first,
        the last tasks are the short ones (a DOCX, 0.1 s), which whichever process is free
        takes: the processes end closer together. A process that has none of its own formats
        left takes the shortest task instead (a DOCX rather than a PDF): the narrating
        process taking the last PDF imported WeasyPrint first, and ended 0.5-1.1 s after the
        other (three builds of 16 leaflets in four, session 32, load 6-9).
        """
        return len({id(job) for job, _ in self.waiting}) <= len(self.pools)

    def _ready(self, job: Job, name: str) -> bool:
        after = [(id(job), need) for need in formats.needs(name) if need not in job.reused]
        first = self.first_slow.get(job.leaflet.lang)
        if formats.FORMATS[name].slow and first is not None and first != (id(job), name):
            after.append(first)
        return all(task in self.done for task in after)


def _now() -> float:
    """Return the clock the schedule times its tasks by."""
    return time.monotonic()


def _submit(submit: Callable[..., Future[Produced]], job: Job, name: str, options: BuildOptions
            ) -> Future[Produced]:
    """Give a task to a pool; one whose process died already fails the task, as a crash does."""
    try:
        return submit(produce_job, job, name, options)
    except BrokenExecutor as exc:
        failed: Future[Produced] = Future()
        failed.set_exception(exc)
        return failed


def produce_job(job: Job, name: str, options: BuildOptions) -> Produced:
    """Write, hash and check one format of a job (in a writer process, or in this one)."""
    return produce(name, job.leaflet, job.tmp, job.folder, job.keys[name], options)


def _bring_needed(job: Job) -> None:
    # A format that is up to date but needed by one being written is linked into the
    # temporary folder, where the writer finds it as if it had just been written.
    needed = {need for name in job.todo for need in formats.needs(name)}
    for need in needed & set(job.reused):
        for rel in job.reused[need].files.values():
            (job.tmp / rel).parent.mkdir(parents=True, exist_ok=True)
            _link_or_copy(job.folder / rel, job.tmp / rel)


def _link_or_copy(source: Path, dest: Path) -> None:
    try:
        os.link(source, dest)
    except OSError:
        shutil.copy2(source, dest)


def _needs_failed(job: Job, name: str) -> bool:
    have = set(job.results) | set(job.reused)
    missing = [n for n in formats.needs(name) if n not in have]
    if missing:
        waited_for(job, name, missing)
    return bool(missing)


def _heaviest_first(tasks: list[tuple[Job, str]]) -> list[tuple[Job, str]]:
    # One leaflet language after another, so that each is installed as soon as it can be
    # (a library's progress moves; a build killed late keeps what it finished). Within
    # one: the narration, longest, first, so the other writers fill the second core; what
    # reuses it last; between, in the table's order (the PDF, longer, before the DOCX). The
    # schedule skips a narration not yet ready (``_Schedule``) for the next leaflet's formats.
    jobs: dict[int, int] = {}
    for job, _ in tasks:
        jobs.setdefault(id(job), len(jobs))
    return sorted(tasks, key=lambda task: (jobs[id(task[0])], *_longest_first(task[1])))


def _longest_first(name: str) -> tuple[bool, bool, int]:
    """Order formats by how long they take: the narration, then each in the table's order
    (the PDF before the DOCX), those that reuse another's files last."""
    return (not formats.FORMATS[name].slow, bool(formats.needs(name)),
            list(formats.FORMATS).index(name))


def _collect(job: Job, name: str, get: object) -> None:
    try:
        job.results[name] = get()  # type: ignore[operator]
    except LmetsError as exc:
        failed(job, name, exc, str(exc))
    except Exception as exc:  # a writer's bug must not lose the other leaflets' outputs
        log.debug("writer %s failed", name, exc_info=True)
        failed(job, name, exc, _why(exc))


ABRUPT_CAUSES = ("a message it left as it ended, a crash's, is above this error; a full disk "
                 "is said once, as 'not written: the disk is full'; a process killed for want "
                 "of memory leaves none")
"""Where to look for why a writer process ended: true whether a full disk (said once, at the
start of the build's error: ``failures.not_updated``) was met before or after it ended."""


def _why(exc: Exception) -> str:
    """Say why a writer failed: a dead writer process by its cause (a full disk: ``failures``)."""
    if isinstance(exc, OSError) and exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return f"not written: {exc.filename or 'a file'} cannot be written ({exc.strerror})"
    if isinstance(exc, BrokenExecutor):
        return ("not written: a writer process ended abruptly while this was written or "
                f"waiting ({ABRUPT_CAUSES})")
    return f"internal error: {exc.__class__.__name__}: {exc}"


def produce(
    name: str, leaflet: Leaflet, tmp: Path, folder: Path, key: str, options: BuildOptions,
    flush: bool = True,
) -> Produced:
    """Write one format into ``tmp`` (in this process or a worker), hash it, and check it.

    Findings name the files where they will be, in ``folder``. The files are flushed to disk
    here, in the writer's process (started as soon as they are written, waited for once they
    are checked), so that installing them waits for no disk; not if ``flush`` is False (a
    batch's worker: its files go to the store, and from there into a stage that the install
    flushes whole).
    """
    result = write_one(name, leaflet, tmp, options)
    files = [tmp / rel for rel in result.files.values()] if flush else []
    install.flush_soon(files)
    entry = ArtifactEntry(
        files=result.files,
        sha256={role: sha256_file(tmp / rel) for role, rel in result.files.items()},
        key=key,
        engines=result.engines,
        warnings=result.warnings,
        details=result.details,
    )
    if options.listen and formats.FORMATS[name].heard:
        listen_new(leaflet, name, entry, tmp, options)
    produced = Produced(entry)
    if options.check:
        # What the writer left (WeasyPrint's boxes, a narration's buffers) is not walked by
        # the collector while the file is read back, nor in the child checking aside, which
        # inherits the freeze (``collector``): the 8x leaflet's PDF check, 0.26 -> 0.17 s of
        # CPU reading its text and facts, 0.36 -> 0.25 s checking its rules aside.
        with collector.fewer_collections():
            produced.findings, produced.checked = check_one(leaflet, name, entry, tmp, folder,
                                                            options)
    install.flush(files)
    produced.flushed = [path.relative_to(tmp).as_posix() for path in files]
    return produced


def listen_new(
    leaflet: Leaflet, name: str, entry: ArtifactEntry, tmp: Path, options: BuildOptions
) -> None:
    """Hear the narration just written (``--listen``); BuildError if a fact was heard wrong.

    What was heard goes into the manifest; a narration heard wrong is never installed.
    """
    from lmets_docs.listen.hear import listen  # noqa: PLC0415 (the optional extra)

    heard = listen(tmp, entry, make_manifest(leaflet, {name: entry}, options))
    entry.details["listened"] = heard.lines()
    wrong = [f.line().strip() for f in heard.findings if f.severity.value == "error"]
    if wrong:
        raise BuildError("the narration was heard wrong, so it is not installed:\n"
                         + "\n".join(wrong))


def check_one(
    leaflet: Leaflet,
    name: str,
    entry: ArtifactEntry,
    tmp: Path,
    folder: Path,
    options: BuildOptions,
) -> tuple[list[Finding], list[Path]]:
    """Check one format's new files as ``check`` would (not thoroughly).

    Return the findings and the files read, named where they will be once in ``folder``.
    """
    from lmets_docs.check import check_artifact  # noqa: PLC0415 (readers, only to check)
    from lmets_docs.check.findings import Report  # noqa: PLC0415

    read = Report()
    manifest = make_manifest(leaflet, {name: entry}, options)
    findings = check_artifact(tmp, name, entry, manifest, read, thorough=False)
    return (
        [dataclasses.replace(f, file=_moved(f.file, tmp, folder)) for f in findings],
        [_moved(path, tmp, folder) for path in read.files],
    )


def _moved(path: Path, tmp: Path, folder: Path) -> Path:
    return folder / path.relative_to(tmp) if path.is_relative_to(tmp) else path


def write_one(name: str, leaflet: Leaflet, tmp: Path, options: BuildOptions) -> WriterResult:
    """Run one writer (in this process or a worker) and time it."""
    start = time.perf_counter()
    with collector.no_collections():  # a writer process's first task imports its writer
        writer = formats.load(name)
    result = writer.write(leaflet, tmp, options)
    log.info(
        "%s: %s (%s) written in %.1f s", name, leaflet.id, leaflet.lang, time.perf_counter() - start
    )
    return result
