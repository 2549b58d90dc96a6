"""A library's leaflet languages are installed one by one, as each one's formats are written."""

from __future__ import annotations

import dataclasses
import errno
import json
import multiprocessing
import time
from pathlib import Path

import pytest

from lmets_docs.build import build, finish, install
from lmets_docs.errors import BuildError
from lmets_docs.options import BuildOptions
from tests.build.test_schedule import SLOW, _register
from tests.library import make_library

LEAFLETS = ("leaflet-01", "leaflet-02", "leaflet-03")


@pytest.fixture
def library(tmp_path: Path) -> list[Path]:
    """Return three leaflets, variants of the seed."""
    return make_library(tmp_path / "content", len(LEAFLETS))


def _opts(options: BuildOptions, jobs: int) -> BuildOptions:
    return dataclasses.replace(options, formats=("slow", "quick"), check=False, jobs=jobs)


def _swaps(monkeypatch: pytest.MonkeyPatch, fail_at: int = 0) -> list[tuple[str, float]]:
    """Record each swap (leaflet, when); make the ``fail_at``-th one (from 1) fail: disk full."""
    swaps: list[tuple[str, float]] = []

    def swap(stage: install.Stage) -> None:
        swaps.append((stage.folder.parent.name, time.monotonic()))
        if len(swaps) == fail_at:
            raise OSError(errno.ENOSPC, "No space left on device", str(stage.folder))
        real(stage)

    real = install.swap
    monkeypatch.setattr(finish, "swap", swap)
    return swaps


def _ended(options: BuildOptions) -> dict[str, float]:
    """Return when each leaflet's last format was written (the writers record it)."""
    ends: dict[str, float] = {}
    for path in options.out.glob("*/*/*.json"):
        if path.name != "manifest.json":
            leaflet = path.parent.parent.name
            ends[leaflet] = max(ends.get(leaflet, 0.0), json.loads(path.read_text())["end"])
    return ends


def _files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes()
            for p in sorted(out.rglob("*")) if p.is_file() and ".stamps" not in p.parts}


@pytest.mark.parametrize("jobs", [1, 2])
def test_each_leaflet_is_installed_as_soon_as_its_formats_are_written(
    library: list[Path], options: BuildOptions, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    _register(monkeypatch, SLOW)
    swaps = _swaps(monkeypatch)
    options = _opts(options, jobs)
    report = build(library, options)
    ended = _ended(options)
    assert sorted(leaflet for leaflet, _ in swaps) == list(LEAFLETS)
    first, when = swaps[0]
    assert ended[first] < when < max(ended.values())  # while the others were being written
    assert [f.parent.name for f in report.folders] == list(LEAFLETS)  # the report in job order
    assert [written.split("/")[0] for written in report.written] == [
        leaflet for leaflet in LEAFLETS for _ in ("slow", "quick")]
    assert multiprocessing.active_children() == []


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_full_disk_at_one_install_keeps_each_leaflet_old_or_new_never_a_mixture(
    library: list[Path], options: BuildOptions, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    _register(monkeypatch, SLOW)
    options = _opts(options, jobs)
    build(library, options)
    old = _files(options.out)
    for folder in library:  # every leaflet changed: each will be written again
        text = folder / "en-GB.md"
        text.write_text(text.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    swaps = _swaps(monkeypatch, fail_at=2)
    with pytest.raises(BuildError, match=r"^not written: the disk is full \("):
        build(library, options)
    assert len(swaps) == 2  # the build stopped at the failed one
    new = _files(options.out)
    installed = swaps[0][0]
    for leaflet in LEAFLETS:
        mine = {rel for rel in {*old, *new} if rel.startswith(f"{leaflet}/")}
        kept = all(old.get(rel) == new.get(rel) for rel in mine)
        assert kept != (leaflet == installed)  # the first one new, the others as they were
        assert not list((options.out / leaflet).glob(".tmp-*"))
    assert multiprocessing.active_children() == []
    monkeypatch.undo()
    _register(monkeypatch, SLOW)
    report = build(library, options)  # no stamp was written: the next build looks again
    assert sorted(report.written) == [f"{leaflet}/en-GB/{name}" for leaflet in LEAFLETS[1:]
                                      for name in ("quick", "slow")]

