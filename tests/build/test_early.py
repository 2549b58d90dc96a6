"""The writer process started before loading (``build.early``), for builds without narration."""

from __future__ import annotations

import dataclasses
import importlib.machinery
import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import threading
import time
import types
from collections.abc import Iterable
from pathlib import Path

import pikepdf
import pytest

from lmets_docs import build as build_module
from lmets_docs import formats
from lmets_docs.build import build, early
from lmets_docs.build import finish as finish_module
from lmets_docs.build import install as install_module
from lmets_docs.build.library import Library
from lmets_docs.errors import BuildError, ContentError
from lmets_docs.manifest import read_manifest
from lmets_docs.options import BuildOptions
from tests.build.test_schedule import TimedWriter, _gone
from tests.library import make_library

PREPARED = "tests.build.prepared_writer"
QUICK = "tests.build.quick_writer"
LANG = Path("leptomeningeal-metastases", "en-GB")
THREADS_AT_FORK: list[int] | None = None
"""While a test records: how many threads this process ran at each fork."""


def _record_fork() -> None:
    if THREADS_AT_FORK is not None:
        THREADS_AT_FORK.append(threading.active_count())


os.register_at_fork(before=_record_fork)


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> None:
    """Register a format with a slow import (first in the table) and a quick one; say a core
    is idle (this machine's other work decides it otherwise: ``test_a_busy_machine_…``)."""
    monkeypatch.setattr(early, "idle_cores", lambda: 1.0)
    monkeypatch.delitem(sys.modules, PREPARED, raising=False)  # imported in this test only
    quick = types.ModuleType(QUICK)
    quick.__spec__ = importlib.machinery.ModuleSpec(QUICK, None)  # found as installed
    quick.WRITER = TimedWriter("quick", 0.05)  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, QUICK, quick)
    monkeypatch.setattr(formats, "FORMATS", {
        "prepared": formats.Format("prepared", PREPARED, None),
        "quick": formats.Format("quick", QUICK, None),
        "slow": formats.Format("slow", QUICK, None, slow=True),
    })


def _opts(options: BuildOptions, *names: str, jobs: int = 2) -> BuildOptions:
    return dataclasses.replace(options, formats=names, check=False, jobs=jobs)


def _timed_load(monkeypatch: pytest.MonkeyPatch, until: Path | None = None) -> list[float]:
    """Record when the build's loading of the sources ends (it still loads them).

    With ``until``, the loading also lasts until that file exists (10 s at most): on a loaded
    machine a process just forked may not run at all while the seed loads (0.05 s).
    """
    ends: list[float] = []

    def load_library(paths: Iterable[Path], options: BuildOptions) -> Library:
        library = real(paths, options)
        deadline = time.monotonic() + 10
        while until is not None and not until.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        ends.append(time.monotonic())
        return library

    real = build_module.load_library
    monkeypatch.setattr(build_module, "load_library", load_library)
    return ends


def _starts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record the format each early process is started for ("" when none is), build by build."""
    started: list[str] = []

    def start(options: BuildOptions, paths: Iterable[Path], held: bool = False
              ) -> early.EarlyStart | None:
        begun = real(options, paths, held)
        started.append(begun.name if begun else "")
        return begun

    real = early.start
    monkeypatch.setattr(early, "start", start)
    return started


@pytest.mark.usefixtures("registry")
def test_the_first_writer_imports_while_the_sources_load(
    leaflet_dir: Path, options: BuildOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    started = options.out.parent / "import-started"
    monkeypatch.setenv("LMETS_TEST_IMPORT_STARTED", str(started))
    loaded = _timed_load(monkeypatch, until=started)
    options = _opts(options, "quick", "prepared")
    build([leaflet_dir], options)
    ran = json.loads((options.out / LANG / "prepared.json").read_text())
    quick = json.loads((options.out / LANG / "quick.json").read_text())
    assert ran["pid"] == ran["imported"]["pid"] != os.getpid()  # in the process that prepared
    assert ran["imported"]["start"] < loaded[0]  # its import began while this one loaded
    assert quick["pid"] not in (ran["pid"], os.getpid())  # the other task, alongside
    assert PREPARED not in sys.modules  # this process never imported it
    assert multiprocessing.active_children() == []


@pytest.mark.usefixtures("registry")
def test_no_writer_process_is_forked_while_a_thread_of_the_build_runs(
    leaflet_dir: Path, options: BuildOptions
) -> None:
    """A lock a thread holds at a fork stays held in the child (Python 3.12 warns of it)."""
    global THREADS_AT_FORK  # noqa: PLW0603 (read by the fork hook above)
    before, THREADS_AT_FORK = threading.active_count(), []
    try:
        build([leaflet_dir], _opts(options, "quick", "prepared"))
        forks = THREADS_AT_FORK
    finally:
        THREADS_AT_FORK = None
    assert len(forks) == 2 and set(forks) == {before}  # the early process, then the other


@pytest.mark.usefixtures("registry")
@pytest.mark.parametrize(("fail", "said"), [
    ("engine", "prepared: the engine fell over"),
    ("unpicklable", "prepared: internal error: RuntimeError: UnpicklableError('held a lock') "
                    "(not sent back: cannot pickle '_thread.lock' object)"),
])
def test_a_failing_task_in_the_early_process_fails_as_elsewhere(
    leaflet_dir: Path, options: BuildOptions, monkeypatch: pytest.MonkeyPatch, fail: str,
    said: str
) -> None:
    monkeypatch.setenv("LMETS_TEST_FAIL", fail)
    with pytest.raises(BuildError) as failed:
        build([leaflet_dir], _opts(options, "quick", "prepared"))
    assert str(failed.value) == f"leptomeningeal-metastases (en-GB) {said}"
    assert not (options.out / LANG).exists()
    assert multiprocessing.active_children() == []


@pytest.mark.usefixtures("registry")
def test_one_task_left_is_written_by_the_early_process(
    leaflet_dir: Path, options: BuildOptions
) -> None:
    build([leaflet_dir], _opts(options, "quick"))
    options = _opts(options, "quick", "prepared")  # the quick one is up to date
    report = build([leaflet_dir], options)
    assert report.written == [f"{LANG.as_posix()}/prepared"]
    ran = json.loads((options.out / LANG / "prepared.json").read_text())
    assert ran["pid"] == ran["imported"]["pid"] != os.getpid()


@pytest.mark.usefixtures("registry")
def test_a_build_of_one_format_writes_it_in_its_own_process(
    leaflet_dir: Path, options: BuildOptions
) -> None:
    """As before: no process to fork (``test_install``'s faults kill the build's process)."""
    assert early.start(_opts(options, "prepared")) is None
    options = _opts(options, "prepared")
    build([leaflet_dir], options)
    ran = json.loads((options.out / LANG / "prepared.json").read_text())
    assert ran["pid"] == ran["imported"]["pid"] == os.getpid()


@pytest.mark.usefixtures("registry")
def test_only_builds_that_leave_a_core_idle_start_early(options: BuildOptions) -> None:
    assert early.start(_opts(options, "quick", "slow")) is None  # a narration: both busy
    assert early.start(_opts(options)) is None  # every format: the narration among them
    assert early.start(_opts(options, "prepared", jobs=1)) is None
    started = early.start(_opts(options, "quick", "prepared"))
    assert started is not None and started.name == "prepared"  # first in the table
    started.close()
    assert multiprocessing.active_children() == []


@pytest.mark.usefixtures("registry")
def test_a_narrated_build_starts_early_only_if_its_sources_take_long_to_load(
    leaflet_dir: Path, options: BuildOptions, tmp_path: Path
) -> None:
    """Loading a library, or one leaflet 8 times the seed's length, lasts as long as the PDF's
    import; one seed's loading is over long before it (``early.LONG_SOURCES``)."""
    narrated = _opts(options, "prepared", "slow")
    assert sum(early.source_sizes([leaflet_dir])) < early.LONG_SOURCES
    assert early.start(narrated, [leaflet_dir]) is None
    library = tmp_path / "library"
    make_library(library, 6)
    assert sum(early.source_sizes([library])) >= early.LONG_SOURCES  # a folder of leaflet folders
    started = early.start(narrated, [library])
    assert started is not None and started.name == "prepared"  # not the narration
    started.close()
    every = early.start(_opts(options), [library])  # no --format: every format
    assert every is not None and every.name == "prepared"
    every.close()
    long = tmp_path / "long" / "leaflet"  # one leaflet as long as a library
    long.mkdir(parents=True)
    (long / "en-GB.md").write_text("Words. " * (early.LONG_SOURCES // 6), encoding="utf-8")
    assert early.start(narrated, [long]) is None  # narrated from nothing: the longest task
    (options.cache / "speech").mkdir(parents=True)  # an edit: its narration mostly cached
    edited = early.start(narrated, [long])
    assert edited is not None and edited.name == "prepared"
    edited.close()
    assert early.start(_opts(options, "prepared", "slow", jobs=1), [library]) is None
    assert multiprocessing.active_children() == []


@pytest.mark.usefixtures("registry")
def test_a_watched_edit_s_build_starts_early_whatever_its_sources_length(
    leaflet_dir: Path, options: BuildOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build held after loading (``watch.Ahead``) loads while the files settle, a core idle:
    the PDF's process is forked then, even for the seed's short text and a narration."""
    narrated = _opts(options, "prepared", "slow")
    assert early.start(narrated, [leaflet_dir]) is None  # as a new process: the narration
    held = early.start(narrated, [leaflet_dir], held=True)
    assert held is not None and held.name == "prepared"
    held.close()
    assert early.start(_opts(options, "prepared", "slow", jobs=1), [leaflet_dir], held=True) is None
    monkeypatch.setattr(early, "idle_cores", lambda: 0.9)
    assert early.start(narrated, [leaflet_dir], held=True) is None  # a busy machine: as ever
    monkeypatch.setattr(early, "idle_cores", lambda: 1.0)
    started = _starts(monkeypatch)
    imported = options.out.parent / "import-started"
    monkeypatch.setenv("LMETS_TEST_IMPORT_STARTED", str(imported))
    loaded = _timed_load(monkeypatch, until=imported)
    waited: list[float] = []
    build([leaflet_dir], narrated, loaded=lambda: waited.append(time.monotonic()))
    ran = json.loads((narrated.out / LANG / "prepared.json").read_text())
    assert started == ["prepared"] and waited and waited[0] >= loaded[0]
    assert ran["pid"] == ran["imported"]["pid"] != os.getpid()  # the early process wrote it
    assert ran["imported"]["start"] < waited[0]  # forked before the build passed its gate
    assert multiprocessing.active_children() == []


@pytest.mark.usefixtures("registry")
def test_a_busy_machine_starts_nothing_early(
    leaflet_dir: Path, options: BuildOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(early, "idle_cores", lambda: 0.9)
    assert early.start(_opts(options, "quick", "prepared")) is None
    loaded = _timed_load(monkeypatch)
    options = _opts(options, "quick", "prepared")
    build([leaflet_dir], options)
    ran = json.loads((options.out / LANG / "prepared.json").read_text())
    assert ran["pid"] == ran["imported"]["pid"] != os.getpid()
    assert ran["imported"]["start"] > loaded[0]  # forked after loading, as before


def test_idle_cores_are_this_process_s_cores_less_the_threads_running_now() -> None:
    cores = len(os.sched_getaffinity(0))
    idle = early.idle_cores()
    assert idle <= cores and idle == int(idle)
    spinning = [multiprocessing.get_context("fork").Process(target=_spin) for _ in range(2)]
    for process in spinning:
        process.start()
    try:
        time.sleep(0.2)
        assert early.idle_cores() <= cores - 2  # these two at least
    finally:
        for process in spinning:
            process.kill()
            process.join()


def _spin() -> None:
    while True:
        pass


@pytest.mark.usefixtures("registry")
def test_bad_sources_stop_the_early_process_and_write_nothing(
    leaflet_dir: Path, options: BuildOptions
) -> None:
    page = leaflet_dir / "en-GB.md"
    page.write_text(page.read_text(encoding="utf-8").replace("title:", "titel:", 1),
                    encoding="utf-8")
    with pytest.raises(ContentError):
        build([leaflet_dir], _opts(options, "quick", "prepared"))
    assert multiprocessing.active_children() == []
    assert not options.out.exists() or not any(options.out.glob("*/*/*"))


@pytest.mark.usefixtures("registry")
def test_an_early_process_killed_as_it_starts_fails_its_leaflet_keeps_the_old(
    leaflet_dir: Path, options: BuildOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    build([leaflet_dir], _opts(options, "quick", "prepared"))
    before = {p.name: p.read_bytes() for p in (options.out / LANG).iterdir()}
    (leaflet_dir / "en-GB.md").write_text(
        (leaflet_dir / "en-GB.md").read_text(encoding="utf-8") + "\nOne more line.\n",
        encoding="utf-8")
    monkeypatch.setenv("LMETS_TEST_DIE_ON_IMPORT", "1")
    with pytest.raises(BuildError) as failed:
        build([leaflet_dir], _opts(options, "quick", "prepared"))
    assert "prepared: not written: a writer process ended abruptly" in str(failed.value)
    assert {p.name: p.read_bytes() for p in (options.out / LANG).iterdir()} == before
    assert [p.name for p in (options.out / LANG.parent).iterdir()] == ["en-GB"]
    assert multiprocessing.active_children() == []


@pytest.mark.usefixtures("registry")
def test_a_writer_that_cannot_be_imported_fails_as_it_does_without(
    leaflet_dir: Path, options: BuildOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(formats.FORMATS, "prepared",
                        formats.Format("prepared", "tests.build.no_such_writer", None))
    said = []
    for jobs in (1, 2):
        with pytest.raises(BuildError) as failed:
            build([leaflet_dir], _opts(options, "quick", "prepared", jobs=jobs))
        said.append(str(failed.value))
    assert said[0] == said[1]
    assert "prepared: internal error: ModuleNotFoundError: No module named 'tests.build.no_" \
        in said[0]


def test_real_pdf_and_docx_are_the_same_bytes_as_written_one_after_another(
    leaflet_dir: Path, options: BuildOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The PDF's writer process started early writes what the build's own process writes."""
    monkeypatch.setattr(early, "idle_cores", lambda: 1.0)
    started = _starts(monkeypatch)
    files = {}
    for jobs in (1, 2):
        opts = dataclasses.replace(options, formats=("pdf", "docx"), jobs=jobs,
                                   out=options.out.with_name(f"out-{jobs}"))
        report = build([leaflet_dir], opts)
        assert sorted(report.written) == [f"{LANG.as_posix()}/docx", f"{LANG.as_posix()}/pdf"]
        manifest = read_manifest(opts.out / LANG)
        files[jobs] = {n: a.sha256 for n, a in manifest.artifacts.items()}
        shutil.rmtree(opts.cache, ignore_errors=True)
    assert started == ["", "pdf"]  # one after another, then with the PDF's process early
    assert files[1] == files[2] and set(files[1]) == {"pdf", "docx"}


KILLED = """
import os, signal, sys, time
from lmets_docs.build import early
started = early.EarlyStart(sys.argv[1])
if sys.argv[2] == "working":
    started.submit(time.sleep, 1.0)
    time.sleep(0.2)  # the task handed over
if sys.argv[2] != "after":
    os.kill(os.getpid(), signal.SIGKILL)
started.close()
"""


@pytest.mark.parametrize("when", ["preparing", "working", "after"])
def test_the_early_process_ends_quietly_with_the_build_s_process(when: str) -> None:
    """The build's process killed while the early one prepares or works, or ended normally:
    the early process ends too, without a word."""
    ran = subprocess.run([sys.executable, "-c", KILLED, "pdf", when], capture_output=True,
                         text=True, timeout=60, check=False)  # waits for its stderr's last holder
    assert ran.returncode == (0 if when == "after" else -9)
    assert ran.stderr == ""


def test_a_library_narrated_with_the_pdf_s_process_early_is_the_same_bytes(
    tmp_path: Path, options: BuildOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Real PDF, DOCX and narration of two leaflets: one after another in this process, and in
    two processes with the PDF's started before loading (forced: these sources are short)."""
    monkeypatch.setattr(early, "idle_cores", lambda: 1.0)
    monkeypatch.setattr(early, "LONG_SOURCES", 0)
    started = _starts(monkeypatch)
    library = make_library(tmp_path / "content", 2)
    files = {}
    for jobs in (1, 2):
        opts = dataclasses.replace(options, formats=("pdf", "docx", "audio"), jobs=jobs,
                                   out=options.out.with_name(f"out-{jobs}"))
        build(library, opts)
        manifests = {f.name: read_manifest(opts.out / f.name / "en-GB") for f in library}
        files[jobs] = {(leaflet, name): artifact.sha256 for leaflet, m in manifests.items()
                       for name, artifact in m.artifacts.items()}
        shutil.rmtree(opts.cache, ignore_errors=True)  # the second speaks everything again
    assert started == ["", "pdf"]
    assert files[1] == files[2] and len(files[1]) == 6
    assert multiprocessing.active_children() == []


@pytest.mark.usefixtures("registry")
def test_the_early_process_is_let_go_before_the_build_installs(
    leaflet_dir: Path, options: BuildOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No task left for it, it ends while the build installs, not after (about 10 ms)."""
    events: list[str] = []
    release, swap = early.EarlyStart.release, install_module.swap  # finish's own name for it

    def released(self: early.EarlyStart) -> None:
        events.append(f"released {self.name}")
        release(self)

    def swapped(*args: object, **kwargs: object) -> object:
        events.append("swapped")
        return swap(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(early.EarlyStart, "release", released)
    monkeypatch.setattr(finish_module, "swap", swapped)
    build([leaflet_dir], _opts(options, "quick", "prepared"))
    assert events == ["released prepared", "swapped"]
    assert multiprocessing.active_children() == []



@pytest.mark.usefixtures("registry")
def test_an_idle_writer_process_ends_before_the_build_installs(
    leaflet_dir: Path, options: BuildOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The quick format's process has no task left once it is written: it ends while the
    early process still writes, not after the build has installed (0.01-0.03 s there)."""
    ended: list[bool] = []
    swap = install_module.swap

    def swapped(*args: object, **kwargs: object) -> object:
        quick = json.loads((next(options.out.glob("**/.tmp-*")) / "quick.json").read_text())
        ended.append(_gone(quick["pid"]))
        return swap(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(finish_module, "swap", swapped)
    report = build([leaflet_dir], _opts(options, "quick", "prepared"))
    assert ended == [True] and len(report.written) == 2
    assert multiprocessing.active_children() == []


def _slow_answer(seconds: float) -> str:
    time.sleep(seconds)
    return "written"


def test_a_writer_closed_while_its_task_runs_hands_back_the_answer_then_ends() -> None:
    """A build that stops while a task still runs (a full disk at an install) closes its
    writer processes then: the thread waiting for the answer must get it whole, not read a
    pipe closed under it (CI saw ``TypeError`` in that thread, between header and body)."""
    errors: list[threading.ExceptHookArgs] = []
    old_hook = threading.excepthook
    threading.excepthook = errors.append
    try:
        writer = early.WriterProcess()
        future = writer.submit(_slow_answer, 0.5)  # type: ignore[arg-type]
        time.sleep(0.2)  # the thread now waits for the answer
        writer.close()
        answer: object = future.result(timeout=5)
        assert answer == "written"
    finally:
        threading.excepthook = old_hook
    assert errors == []
    assert multiprocessing.active_children() == []


def _arenas_after_a_thread(report: str) -> Path:
    """In a writer process: allocate in a thread, then write glibc's malloc_info to ``report``."""
    import ctypes  # noqa: PLC0415 (in the writer process)

    def allocate() -> None:
        kept = [bytearray(4096) for _ in range(1000)]
        del kept

    thread = threading.Thread(target=allocate)
    thread.start()
    thread.join()
    libc = ctypes.CDLL(None)
    libc.fopen.restype = ctypes.c_void_p
    libc.fopen.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
    libc.malloc_info.argtypes = [ctypes.c_int, ctypes.c_void_p]
    libc.fclose.argtypes = [ctypes.c_void_p]
    stream = libc.fopen(report.encode(), b"w")
    libc.malloc_info(0, stream)
    libc.fclose(stream)
    return Path(report)


def _glibc() -> bool:
    try:
        return os.confstr("CS_GNU_LIBC_VERSION") is not None
    except (ValueError, OSError):
        return False


ARENAS = """
import sys
from pathlib import Path
from lmets_docs.build import early
from tests.build.test_early import _arenas_after_a_thread

writer = early.WriterProcess()
try:
    writer.submit(_arenas_after_a_thread, sys.argv[1]).result(timeout=30)
finally:
    writer.close()
"""


@pytest.mark.skipif(not _glibc(), reason="glibc's malloc arenas")
def test_a_writer_process_allocates_from_one_malloc_arena(tmp_path: Path) -> None:
    """Its threads share the process's one arena (the batch's memory, ``one_malloc_arena``).

    Read back from glibc's own report (``malloc_info``): one ``<heap nr=...>`` per arena. The
    writer is forked from a new process (the arenas of this one's past threads would be
    copied into it), as the command's are.
    """
    report = tmp_path / "malloc.xml"
    subprocess.run([sys.executable, "-c", ARENAS, str(report)], check=True, timeout=60,
                   cwd=Path(__file__).resolve().parents[2])
    heaps = [line for line in report.read_text().splitlines() if "<heap nr=" in line]
    assert heaps == ['<heap nr="0">']


LOADER_MODULES = ("lmets_docs.source.loader", "markdown_it", "yaml")
"""What loading the sources imports and a writer process printing a PDF never needs."""
PRINTS_WITHOUT_THE_LOADER = """
import datetime as dt, json, sys
from pathlib import Path
import lmets_docs.build.early, lmets_docs.build.finish, lmets_docs.build.kept
import lmets_docs.build.run
from lmets_docs.build import early, run
from lmets_docs.options import BuildOptions

def write(leaflet, out):
    options = BuildOptions(out=out, templates=None, today=dt.date(2022, 6, 1), formats=("pdf",))
    (out / "tmp").mkdir(parents=True)
    produced = run.produce("pdf", leaflet, out / "tmp", out / "folder", "key", options)
    return ([m for m in json.loads(sys.argv[3]) if m in sys.modules],
            [f.code for f in produced.findings if f.severity.value == "error"],
            produced.entry.files["pdf"])

process = early.EarlyStart("pdf")  # forked as a build forks it, before the sources load
from lmets_docs.source import load_leaflet
leaflet = load_leaflet(Path(sys.argv[1]), "en-GB")
try:
    print(json.dumps(process.submit(write, leaflet, Path(sys.argv[2])).result(timeout=120)))
finally:
    process.close()
"""


def test_the_early_pdf_process_prints_and_checks_without_importing_the_loader(
        tmp_path: Path) -> None:
    """The early process imports what the PDF's task needs while the build's process loads
    the sources; the loader (markdown-it, PyYAML, the source checks: about 0.03 s of CPU) is
    not among it, though the writer uses some of ``lmets_docs.source``'s small modules
    (``numbers``), and ``yamlsrc`` only to place a rare error."""
    root = Path(__file__).resolve().parents[2]
    ran = subprocess.run(
        [sys.executable, "-c", PRINTS_WITHOUT_THE_LOADER, str(root / "content" / LANG.parent),
         str(tmp_path), json.dumps(LOADER_MODULES)],
        capture_output=True, text=True, timeout=180, check=True, cwd=root)
    imported, errors, name = json.loads(ran.stdout)
    assert imported == []
    assert errors == []
    with pikepdf.open(tmp_path / "tmp" / name) as pdf:  # the real PDF, read back
        assert len(pdf.pages) >= 5
