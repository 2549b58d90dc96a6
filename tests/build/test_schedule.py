"""The writer processes: one task each at a time; in a library, the first narration alone."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import multiprocessing
import os
import pty
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from types import SimpleNamespace
from typing import cast

import pytest

from lmets_docs import formats
from lmets_docs.build import build
from lmets_docs.build import finish as finish_module
from lmets_docs.build import install as install_module
from lmets_docs.build import run as run_module
from lmets_docs.build.plan import Job, Produced
from lmets_docs.errors import BuildError
from lmets_docs.model import Leaflet
from lmets_docs.options import BuildOptions
from lmets_docs.writers import WriterResult
from tests.conftest import DATA
from tests.library import leaflets_made, make_library

SLOW_S = 0.4
FIRST = "leaflet-01"


class TimedWriter:
    """Write which process ran the task, and when; fail for ``fail_for`` as an engine would."""

    def __init__(self, name: str, pause: float, fail_for: str = "") -> None:
        self.name, self.pause, self.fail_for = name, pause, fail_for

    def write(self, leaflet: Leaflet, out_dir: Path, options: BuildOptions) -> WriterResult:
        """Write ``<name>.json``: the process, the start and the end of the task."""
        start = time.monotonic()
        time.sleep(self.pause)
        if leaflet.id == self.fail_for:
            raise BuildError("the engine fell over")
        path = out_dir / f"{self.name}.json"
        path.write_text(json.dumps({"pid": os.getpid(), "start": start, "end": time.monotonic()}))
        return WriterResult(files={self.name: path.name}, engines={self.name: "clock"})


WRITER = TimedWriter("quick", 0.05)
SLOW = TimedWriter("slow", SLOW_S)
FAILING_FIRST = TimedWriter("slow", SLOW_S, fail_for=FIRST)


def _register(monkeypatch: pytest.MonkeyPatch, slow: TimedWriter | None) -> None:
    """Register a slow format (as the narration is) and a quick one."""
    module = "tests.build.slow_writer"
    if slow is not None:
        monkeypatch.setitem(__import__("sys").modules, module, type("M", (), {"WRITER": slow}))
    monkeypatch.setattr(formats, "FORMATS", {
        "slow": formats.Format("slow", module, None, slow=True),
        "quick": formats.Format("quick", __name__, None),
    })


@pytest.fixture
def library(tmp_path: Path) -> list[Path]:
    """Return three leaflets, variants of the seed."""
    return make_library(tmp_path / "content", 3)


def _ran(options: BuildOptions, name: str) -> list[dict[str, float]]:
    return sorted((json.loads(p.read_text()) for p in options.out.glob(f"*/*/{name}.json")),
                  key=lambda ran: ran["start"])


def _opts(options: BuildOptions, jobs: int = 2) -> BuildOptions:
    return dataclasses.replace(options, formats=("slow", "quick"), check=False, jobs=jobs)


def test_the_first_narration_runs_alone_while_the_other_formats_are_written(
    library: list[Path], options: BuildOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    _register(monkeypatch, SLOW)
    options = _opts(options)
    build(library, options)
    slow, quick = _ran(options, "slow"), _ran(options, "quick")
    assert len(slow) == len(quick) == 3
    first = slow[0]
    assert all(later["start"] >= first["end"] for later in slow[1:])
    assert sum(q["start"] < first["end"] for q in quick) >= 2  # the other process kept busy
    assert len({ran["pid"] for ran in slow + quick}) == 2


def test_narrations_in_different_languages_wait_for_nothing(
    options: BuildOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    _register(monkeypatch, SLOW)
    options = _opts(options)
    build([DATA / "clinic-contacts"], options)  # en-GB, cy and ur
    slow = _ran(options, "slow")
    assert len(slow) == 3
    assert slow[1]["start"] < slow[0]["end"]  # two at once, one in each process


def test_a_first_narration_that_fails_holds_up_nothing(
    library: list[Path], options: BuildOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    _register(monkeypatch, FAILING_FIRST)
    options = _opts(options)
    with pytest.raises(BuildError) as failed:
        build(library, options)
    assert str(failed.value) == f"{FIRST} (en-GB) slow: the engine fell over"
    assert len(_ran(options, "slow")) == 2 and len(_ran(options, "quick")) == 2
    assert not (options.out / FIRST).exists()


def test_a_writer_that_cannot_be_imported_fails_as_usual(
    leaflet_dir: Path, options: BuildOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    _register(monkeypatch, None)  # its module is not there
    said = []
    for jobs in (1, 2):
        with pytest.raises(BuildError) as failed:
            build([leaflet_dir], _opts(options, jobs))
        said.append(str(failed.value))
    assert said[0] == said[1]
    assert "slow: internal error: ModuleNotFoundError: No module named 'tests.build." in said[0]
    assert not (options.out / "leptomeningeal-metastases").exists()
    assert multiprocessing.active_children() == []


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_library_reports_each_leaflet_made_once_all_its_formats_are(
    library: list[Path], options: BuildOptions, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    _register(monkeypatch, SLOW)
    options = _opts(options, jobs)
    with leaflets_made() as steps:
        build(library, options)
    assert steps == [(0, 3), (1, 3), (2, 3), (3, 3)]
    (library[1] / "en-GB.md").write_text(  # one leaflet changed: the others are made already
        (library[1] / "en-GB.md").read_text(encoding="utf-8") + "\nOne more line.\n",
        encoding="utf-8")
    with leaflets_made() as steps:
        build(library, options)
    assert steps == [(2, 3), (3, 3)]


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_leaflet_whose_format_failed_or_was_not_started_is_counted_as_ended(
    library: list[Path], options: BuildOptions, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    _register(monkeypatch, FAILING_FIRST)
    monkeypatch.setitem(formats.FORMATS, "after", formats.Format(  # reuses the failing one's
        "after", __name__, None, needs=("slow",)))
    options = dataclasses.replace(_opts(options, jobs), formats=("slow", "quick", "after"))
    with leaflets_made() as steps, pytest.raises(BuildError) as failed:
        build(library, options)
    assert f"{FIRST} (en-GB) after: not written, because slow failed" in str(failed.value)
    assert steps == [(0, 3), (1, 3), (2, 3), (3, 3)]


def test_one_leaflet_reports_no_library_progress(
    leaflet_dir: Path, options: BuildOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    _register(monkeypatch, SLOW)
    with leaflets_made() as steps:
        build([leaflet_dir], _opts(options))
    assert steps == []


def test_on_a_terminal_a_library_build_draws_its_leaflets_bar_and_nothing_else(
    library: list[Path], tmp_path: Path
) -> None:
    """The real command line, its error stream on a terminal (a pty): one bar, with its ETA."""
    main, terminal = pty.openpty()
    command = [sys.executable, "-m", "lmets_docs", "-q", "build", *map(str, library[:2]),
               "--format", "docx", "--format", "audio", "--tts", "espeak",
               "--today", "2022-06-01",  # the seed's variants not yet overdue (an error)
               "--out", str(tmp_path / "out"), "--jobs", "2"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=terminal) as run:
        os.close(terminal)
        drawn = b""
        with contextlib.suppress(OSError):  # EIO once the terminal's last writer is gone
            while chunk := os.read(main, 4096):
                drawn += chunk
        assert run.wait() == 0
    os.close(main)
    shown = drawn.decode()
    assert re.search(r"leaflets +\[#+-+\] +50% +\d\d:\d\d:\d\d", shown), shown  # estimate
    assert re.search(r"leaflets +\[#+\] +100%", shown), shown
    assert "Narrating" not in shown, "a narration's bar would share the library's line"
    plain = subprocess.run([*command[:-4], "--out", str(tmp_path / "piped"), "--jobs", "2"],
                           capture_output=True, text=True, check=True)
    assert "leaflets" not in plain.stderr and "Narrating" not in plain.stderr


def test_leaflet_languages_are_finished_one_after_another(
    tmp_path: Path, options: BuildOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    _register(monkeypatch, SLOW)
    module = "tests.build.second_writer"
    monkeypatch.setitem(sys.modules, module, type("M", (), {"WRITER": TimedWriter("second",
                                                                                   0.05)}))
    monkeypatch.setitem(formats.FORMATS, "second", formats.Format("second", module, None))
    library = make_library(tmp_path / "content", 4)
    options = dataclasses.replace(options, formats=("slow", "quick", "second"), check=False,
                                  jobs=2)
    build(library, options)

    def ran(leaflet: str, name: str) -> dict[str, float]:
        path = options.out / leaflet / "en-GB" / f"{name}.json"
        return dict(json.loads(path.read_text()))

    # The first leaflet's quick formats are both written before the last one's start (not
    # every leaflet's first quick format, then every leaflet's second).
    assert ran(FIRST, "second")["end"] <= ran("leaflet-04", "quick")["start"]
    assert ran(FIRST, "quick")["end"] <= ran(FIRST, "second")["start"]



def test_a_writer_process_with_no_task_left_ends_while_another_still_writes(
    leaflet_dir: Path, options: BuildOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The quick format's process, done long before the narration, does not hold its memory
    until the build's end (an 8x leaflet's PDF process: 118 MB of the summed peak)."""
    _register(monkeypatch, SLOW)
    ended: list[bool] = []
    swap = install_module.swap

    def swapped(*args: object, **kwargs: object) -> object:
        stage = next(options.out.glob("**/.tmp-*"))
        quick, slow = (json.loads((stage / f"{n}.json").read_text()) for n in ("quick", "slow"))
        assert quick["pid"] != slow["pid"] and quick["end"] < slow["end"]
        ended.append(_gone(quick["pid"]))
        return swap(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(finish_module, "swap", swapped)
    opts = dataclasses.replace(options, formats=("slow", "quick"), jobs=2, check=False)
    assert len(build([leaflet_dir], opts).written) == 2
    assert ended == [True]
    assert multiprocessing.active_children() == []


def _gone(pid: int, seconds: float = 10) -> bool:
    """Say whether process ``pid`` has ended within ``seconds`` (reaped, or a zombie: its
    memory freed, its status not yet collected)."""
    deadline = time.monotonic() + seconds
    while _state(pid) not in ("", "Z"):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def _state(pid: int) -> str:
    """Return a process's state letter (``R``, ``S``, ``Z`` …), or "" once it is gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return ""


def _fake_job(number: int) -> Job:
    """A leaflet's job as the schedule sees it: its formats to write, its language."""
    leaflet = SimpleNamespace(id=f"leaflet-{number:02d}", lang="en-GB")
    return cast(Job, SimpleNamespace(leaflet=leaflet, todo=["audio", "pdf", "docx"],
                                     reused={}, results={}, stage=None))


def _stepped(monkeypatch: pytest.MonkeyPatch, options: BuildOptions, count: int,
             clock: list[float] | None = None,
             ) -> tuple[list[tuple[str, str, str]], Callable[[str], None]]:
    """A schedule of ``count`` leaflets (audio, PDF, DOCX) and two processes, A and B (B: as
    the early process, for the PDF), driven step by step: what was given to which process
    (process, format, leaflet), and a call that ends a process's task (the free ones then
    take the next). The schedule's clock reads ``clock[0]`` (still, if not given: every task
    then takes no time)."""
    monkeypatch.setattr(run_module, "_collect", lambda job, name, get: None)
    now = clock if clock is not None else [0.0]
    monkeypatch.setattr(run_module, "_now", lambda: now[0])
    given: list[tuple[str, str, str]] = []

    def pool(process: str, prepared: str = "") -> run_module._Pool:
        def submit(fn: object, job: Job, name: str, opts: BuildOptions) -> Future[Produced]:
            given.append((process, name, job.leaflet.id))
            return Future()
        return run_module._Pool(submit, 1, prepared)

    jobs = [_fake_job(n) for n in range(1, count + 1)]
    tasks = run_module._heaviest_first([(job, name) for job in jobs for name in job.todo])
    pools = {"A": pool("A"), "B": pool("B", "pdf")}
    schedule = run_module._Schedule(tasks, list(pools.values()), options,
                                    run_module._Tally(jobs))

    def end(process: str) -> None:
        future = next(future for future, (_, _, pool) in schedule.running.items()
                      if pool is pools[process])
        future.set_result(cast(Produced, None))
        schedule.ended(future)
        schedule._submit_ready()

    schedule._submit_ready()
    return given, end


def test_each_process_keeps_to_the_formats_it_has_written(
        options: BuildOptions, monkeypatch: pytest.MonkeyPatch) -> None:
    """In a library one process narrates and the other prints: each imports and warms only its
    own writers (WeasyPrint's import, its fonts: the second process's first PDF cost 0.3 s
    more CPU), until one has nothing of its own left and takes the other's rather than idle."""
    given, end = _stepped(monkeypatch, options, 4)
    assert given == [("A", "audio", "leaflet-01"), ("B", "pdf", "leaflet-01")]
    end("B")  # a format no process has written yet goes to the free one
    assert given[-1] == ("B", "docx", "leaflet-01")
    end("B")  # the narrations wait for the first, which fills the speech cache
    assert given[-1] == ("B", "pdf", "leaflet-02")
    end("A")
    assert given[-1] == ("A", "audio", "leaflet-02")
    end("B")
    assert given[-1] == ("B", "docx", "leaflet-02")
    end("B")  # the next narration is ready, and more urgent, but this process prints
    assert given[-1] == ("B", "pdf", "leaflet-03")
    end("B")  # (the tail, two leaflets left: longest first)
    assert given[-1] == ("B", "pdf", "leaflet-04")
    end("B")
    end("B")
    assert given[-2:] == [("B", "docx", "leaflet-03"), ("B", "docx", "leaflet-04")]
    end("B")  # nothing of its own is left: it narrates rather than idle
    assert given[-1] == ("B", "audio", "leaflet-03")
    assert [g for g in given if g[0] == "A"] == [("A", "audio", "leaflet-01"),
                                                 ("A", "audio", "leaflet-02")]


def test_the_tail_is_taken_longest_first_so_the_processes_end_together(
        options: BuildOptions, monkeypatch: pytest.MonkeyPatch) -> None:
    """Once the tasks left are of no more leaflets than there are processes, they are taken
    longest first, the PDFs before the DOCXs: the batch ends with a short task on each
    process, not with the last leaflet's PDF on one while the other has nothing left."""
    given, end = _stepped(monkeypatch, options, 3)
    end("B")
    assert given[-1] == ("B", "docx", "leaflet-01")
    end("B")  # leaflets 02 and 03 left: the tail
    assert given[-1] == ("B", "pdf", "leaflet-02")
    end("A")
    assert given[-1] == ("A", "audio", "leaflet-02")
    end("B")  # the PDF of the last leaflet before the DOCX of the one before
    assert given[-1] == ("B", "pdf", "leaflet-03")
    end("A")
    assert given[-1] == ("A", "audio", "leaflet-03")
    end("B")
    end("A")  # nothing of its own left: it takes the last DOCX rather than idle
    assert given[-2:] == [("B", "docx", "leaflet-02"), ("A", "docx", "leaflet-03")]
    tail = [name for _, name, leaflet in given if leaflet != "leaflet-01"]
    assert tail.index("docx") > max(n for n, name in enumerate(tail) if name != "docx")


def test_in_the_tail_a_process_with_none_of_its_formats_left_takes_the_shortest_task(
        options: BuildOptions, monkeypatch: pytest.MonkeyPatch) -> None:
    """The narrating process, its narrations done, takes the DOCXs, not the last PDF, which
    would cost it WeasyPrint's import (0.4 s, and its memory) while the printing process,
    warm, prints it."""
    given, end = _stepped(monkeypatch, options, 3)
    end("B")
    end("B")
    assert given[-1] == ("B", "pdf", "leaflet-02")
    end("A")
    end("A")
    assert given[-1] == ("A", "audio", "leaflet-03")
    end("A")  # its own formats all given; the printing process still prints leaflet 02
    assert given[-1] == ("A", "docx", "leaflet-02")
    end("A")
    assert given[-1] == ("A", "docx", "leaflet-03")
    end("B")
    assert given[-1] == ("B", "pdf", "leaflet-03")
    assert [name for process, name, _ in given if process == "A"] == ["audio"] * 3 + ["docx"] * 2


def _clocked(monkeypatch: pytest.MonkeyPatch, options: BuildOptions, count: int,
             seconds: dict[str, float]) -> tuple[list[tuple[str, str, str]], dict[str, float]]:
    """Run ``_stepped``'s schedule on its clock: each task takes ``seconds[format]`` (a
    narration ``seconds["first"]`` as the first, which fills the speech cache; a format's
    first in a process that has not written it twice its time: its writer's import). Return
    what was given to which process, and when each process ended its last task."""
    clock = [0.0]
    given, end = _stepped(monkeypatch, options, count, clock)
    ends = {"A": 0.0, "B": 0.0}
    busy: dict[str, float] = {}
    wrote: dict[str, set[str]] = {"A": set(), "B": {"pdf"}}
    seen = 0
    while True:
        for process, name, leaflet in given[seen:]:
            first = name == "audio" and leaflet == FIRST
            cold = name not in wrote[process] and not first
            busy[process] = clock[0] + seconds["first" if first else name] * (2 if cold else 1)
            wrote[process].add(name)
        seen = len(given)
        if not busy:
            return given, ends
        process = min(busy, key=lambda p: busy[p])
        clock[0] = ends[process] = busy.pop(process)
        end(process)


def test_a_process_with_none_of_its_own_left_leaves_a_task_to_a_warm_one_ending_it_sooner(
        options: BuildOptions, monkeypatch: pytest.MonkeyPatch) -> None:
    """The narrating process, its narrations and the DOCXs done, does not take the last PDF
    cold (its writer's import about as long as the PDF) when the printing process, warm,
    ends it sooner: it waits, and the batch ends 0.3 s sooner (taken cold: 2.7 s)."""
    given, ends = _clocked(monkeypatch, options, 4,
                           {"first": 0.4, "audio": 0.2, "pdf": 0.6, "docx": 0.1})
    assert [name for process, name, _ in given if process == "B"] == ["pdf"] * 4
    assert max(ends.values()) == pytest.approx(2.4)


def test_a_process_with_none_of_its_own_left_takes_one_cold_when_the_warm_one_has_more(
        options: BuildOptions, monkeypatch: pytest.MonkeyPatch) -> None:
    """With more PDFs queued for the printing process than twice a PDF's time, the narrating
    process takes one cold rather than idle, and the two end within a PDF of each other."""
    given, ends = _clocked(monkeypatch, options, 8,
                           {"first": 0.3, "audio": 0.2, "pdf": 0.8, "docx": 0.1})
    assert ("A", "pdf", "leaflet-08") in given
    assert abs(ends["A"] - ends["B"]) <= 0.8


class KillingWriter(TimedWriter):
    """The slow writer, whose process is killed outright (as the OOM killer's SIGKILL ends it)
    while it writes ``kill_for`` in a writer process; in the build's own, it writes as usual."""

    def __init__(self, kill_for: str, name: str = "slow") -> None:
        super().__init__(name, 0.05)
        self.kill_for = kill_for

    def write(self, leaflet: Leaflet, out_dir: Path, options: BuildOptions) -> WriterResult:
        """Write as ``TimedWriter`` does, unless this is the leaflet to die on."""
        if leaflet.id == self.kill_for and multiprocessing.parent_process() is not None:
            os.kill(os.getpid(), signal.SIGKILL)
        return super().write(leaflet, out_dir, options)


def _outputs(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _built_then_edited(tmp_path: Path, options: BuildOptions, monkeypatch: pytest.MonkeyPatch
                       ) -> tuple[list[Path], BuildOptions, dict[str, dict[str, bytes]]]:
    """Build a library of 4 leaflets with the slow writer, then change every leaflet's text
    (all are written again by the next build); return the library, the options and each
    leaflet's outputs as built."""
    library = make_library(tmp_path / "content", 4)
    _register(monkeypatch, TimedWriter("slow", 0.05))
    options = _opts(options)
    build(library, options)
    before = {folder.name: _outputs(options.out / folder.name) for folder in library}
    for folder in library:
        text = folder / "en-GB.md"
        text.write_text(text.read_text(encoding="utf-8") + "\nOne more line.\n",
                        encoding="utf-8")
    return library, options, before


def _assert_all_or_nothing(out: Path, before: dict[str, dict[str, bytes]], kept: str) -> None:
    """Assert the leaflet ``kept`` has its previous outputs byte for byte, and every other
    leaflet only new ones: none is a mixture."""
    for name, files in before.items():
        after = _outputs(out / name)
        assert after.keys() == files.keys(), name
        same = [after[rel] == files[rel] for rel in files]
        assert all(same) if name == kept else not any(same), (name, same)


def test_a_narrating_process_killed_mid_batch_leaves_the_last_good_outputs(
    tmp_path: Path, options: BuildOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The process that narrates a library (every narration after the first goes to it) is
    killed while it narrates the second leaflet: that leaflet keeps its previous outputs byte
    for byte; the other process, given every task left, writes the others anew; none is a
    mixture, nothing is left behind."""
    library, options, before = _built_then_edited(tmp_path, options, monkeypatch)
    names = list(before)
    _register(monkeypatch, KillingWriter("leaflet-02"))
    with pytest.raises(BuildError) as failed:
        build(library, options)
    said = str(failed.value)
    assert said.startswith("leaflet-02 (en-GB) slow: not written: a writer process ended "
                           "abruptly"), said
    assert "leaflet-01" not in said and "leaflet-03" not in said and "leaflet-04" not in said
    _assert_all_or_nothing(options.out, before, kept="leaflet-02")
    ran = [json.loads((options.out / name / "en-GB" / "slow.json").read_bytes())["pid"]
           for name in names[2:]]
    assert len(set(ran)) == 1  # by the process still alive
    assert not list(options.out.rglob(".tmp-*"))
    assert multiprocessing.active_children() == []


def test_a_process_killed_in_the_tail_leaves_the_last_good_outputs(
    tmp_path: Path, options: BuildOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A process killed while it writes the last leaflet's quick format, in the batch's tail
    (taken longest first, by whichever process is free): that leaflet keeps its previous
    outputs byte for byte, every other leaflet is new, none is a mixture."""
    library, options, before = _built_then_edited(tmp_path, options, monkeypatch)
    names = list(before)
    killing = KillingWriter("leaflet-04", "quick")
    monkeypatch.setattr(sys.modules[__name__], "WRITER", killing)  # the quick format's writer
    with pytest.raises(BuildError) as failed:
        build(library, options)
    said = str(failed.value)
    assert said.startswith("leaflet-04 (en-GB) quick: not written: a writer process ended "
                           "abruptly"), said
    assert all(name not in said for name in names[:3])
    _assert_all_or_nothing(options.out, before, kept="leaflet-04")
    assert not list(options.out.rglob(".tmp-*"))
    assert multiprocessing.active_children() == []
