"""The writer processes: forked before the sources are read, one task each, narrations paced."""

from __future__ import annotations

import dataclasses
import json
import multiprocessing
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from lmets_docs import formats
from lmets_docs.build import build
from lmets_docs.build import workers as workers_module
from lmets_docs.errors import BuildError, ContentError
from lmets_docs.model import Leaflet
from lmets_docs.options import BuildOptions
from lmets_docs.writers import WriterResult
from tests.library import make_library

HERE = "tests.build.test_workers"
SLOW_S = 0.4


class TimedWriter:
    """Write when this process ran the task and which modules it had imported ahead."""

    def __init__(self, name: str, pause: float) -> None:
        self.name, self.pause = name, pause

    def write(self, leaflet: Leaflet, out_dir: Path, options: BuildOptions) -> WriterResult:
        """Write ``<name>.json``: process, start, end, and whether ``PRELOADED`` was loaded."""
        start = time.monotonic()
        time.sleep(self.pause)
        path = out_dir / f"{self.name}.json"
        path.write_text(json.dumps({"pid": os.getpid(), "start": start, "end": time.monotonic(),
                                    "preloaded": PRELOADED in __import__("sys").modules}))
        return WriterResult(files={self.name: path.name}, engines={self.name: "clock"})


PRELOADED = "tests.build.slow_writer_module"
WRITER = TimedWriter("quick", 0.05)


@pytest.fixture
def timed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Register a slow format (like the narration; its module ``PRELOADED``) and a quick one."""
    monkeypatch.setattr(formats, "FORMATS", {
        "slow": formats.Format("slow", PRELOADED, None, slow=True),
        "quick": formats.Format("quick", HERE, None),
    })
    # The slow writer's module is imported by name: a real import, so that a process that
    # imported it ahead is told apart from one that did not.
    monkeypatch.setattr(workers_module, "modules", lambda names, options: [
        formats.FORMATS[n].writer for n in names])


@pytest.fixture
def library(tmp_path: Path) -> list[Path]:
    """Return three leaflets, variants of the seed."""
    return make_library(tmp_path / "content", 3)


def _ran(options: BuildOptions, name: str) -> list[dict[str, float]]:
    return sorted((json.loads(p.read_text()) for p in options.out.glob(f"*/*/{name}.json")),
                  key=lambda ran: ran["start"])


def _opts(options: BuildOptions) -> BuildOptions:
    return dataclasses.replace(options, formats=("slow", "quick"), check=False, jobs=2)


@pytest.mark.usefixtures("timed")
def test_the_first_narration_runs_alone_while_the_other_formats_are_written(
    library: list[Path], options: BuildOptions
) -> None:
    options = _opts(options)
    build(library, options)
    slow, quick = _ran(options, "slow"), _ran(options, "quick")
    assert len(slow) == len(quick) == 3
    first = slow[0]
    assert all(later["start"] >= first["end"] for later in slow[1:])
    assert sum(q["start"] < first["end"] for q in quick) >= 2  # the other process kept busy
    assert len({ran["pid"] for ran in slow + quick}) == 2


@pytest.mark.usefixtures("timed")
def test_the_process_that_imported_the_narration_ahead_takes_it(
    leaflet_dir: Path, options: BuildOptions
) -> None:
    options = _opts(options)
    build([leaflet_dir], options)
    [slow], [quick] = _ran(options, "slow"), _ran(options, "quick")
    assert slow["preloaded"] and slow["pid"] != quick["pid"]
    assert not quick["preloaded"]  # the other process did not import it: not its task


@pytest.mark.usefixtures("timed")
def test_a_writer_that_cannot_be_imported_fails_as_usual(
    leaflet_dir: Path, options: BuildOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(formats.FORMATS, "slow",
                        formats.Format("slow", "tests.build.no_such_writer", None, slow=True))
    said = []
    for jobs in (1, 2):
        with pytest.raises(BuildError) as failed:
            build([leaflet_dir], dataclasses.replace(_opts(options), jobs=jobs))
        said.append(str(failed.value))
    assert said[0] == said[1]
    assert "slow: internal error: ModuleNotFoundError: No module named 'tests.build." in said[0]
    assert not (options.out / "leptomeningeal-metastases" / "en-GB").exists()
    assert multiprocessing.active_children() == []


@pytest.mark.usefixtures("timed")
def test_bad_content_stops_the_early_processes_at_once(
    leaflet_dir: Path, options: BuildOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[object] = []
    monkeypatch.setattr(workers_module, "Workers", _Recording(started))
    text = leaflet_dir / "en-GB.md"
    text.write_text(text.read_text(encoding="utf-8").replace("{{ forum.name }}", "{{ forum }}"),
                    encoding="utf-8")
    with pytest.raises(ContentError, match="unknown fact"):
        build([leaflet_dir], _opts(options))
    assert started and multiprocessing.active_children() == []
    assert not options.out.exists()


def test_no_early_processes_when_they_would_not_pay_or_a_thread_runs(
    options: BuildOptions,
) -> None:
    both = ("audio", "pdf")
    assert workers_module.start_early(both, 2, dataclasses.replace(options, jobs=1)) is None
    assert workers_module.start_early(("pdf",), 2, options) is None
    assert workers_module.start_early(both, 1, options) is None
    with _a_thread_running():
        assert workers_module.start_early(both, 2, options) is None


def test_the_narration_process_imports_its_modules_alone(options: BuildOptions) -> None:
    names = ("pdf", "docx", "audio")
    first, *others = workers_module.shares(names, 3, options)
    assert first == ["lmets_docs.writers.audio", "lmets_docs.check", "lmets_docs.check.audio"]
    assert others == [[], []]
    no_narration = workers_module.shares(("pdf", "docx"), 2, dataclasses.replace(options,
                                                                                check=False))
    assert no_narration == [["lmets_docs.writers.pdf"], ["lmets_docs.writers.docx"]]


class _Recording:
    """Make real ``Workers`` and remember them."""

    def __init__(self, made: list[object]) -> None:
        self.made = made
        self.real = workers_module.Workers

    def __call__(self, *args: object) -> object:
        made = self.real(*args)  # type: ignore[arg-type]
        self.made.append(made)
        return made


class _a_thread_running:  # noqa: N801 (used as a context manager)
    def __enter__(self) -> None:
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.stop.wait)
        self.thread.start()

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()


@pytest.fixture(autouse=True)
def _slow_module_not_loaded() -> Iterator[None]:
    """Forget the slow writer's module, so that only a process's own import loads it."""
    import sys  # noqa: PLC0415

    sys.modules.pop(PRELOADED, None)
    yield
    sys.modules.pop(PRELOADED, None)
