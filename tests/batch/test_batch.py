"""Batches on a Dask cluster (``build --scheduler``) through the shared store.

A real ``distributed.LocalCluster`` of two worker processes on loopback builds a small library;
its outputs are compared byte for byte with a local build's.
"""

from __future__ import annotations

import dataclasses
import errno
import hashlib
import json
import logging
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import dask
import pytest
from click.testing import CliRunner
from distributed import Client, LocalCluster

from lmets_docs.batch.cluster import LOCAL, WORKER_CONFIG, connect
from lmets_docs.batch.engine import BatchReport, build_batch
from lmets_docs.build import build, finish, install
from lmets_docs.cli import cli
from lmets_docs.errors import BuildError
from lmets_docs.manifest import read_manifest
from lmets_docs.options import BuildOptions
from tests.batch_faults import FailFor
from tests.conftest import BEFORE_DUE
from tests.library import leaflets_made, make_library, variant

FORMATS = ("docx", "pdf", "audio", "html")


@dataclass(frozen=True)
class Library:
    """Two leaflets built locally and through the cluster, and the store the cluster filled."""

    paths: list[Path]
    options: BuildOptions
    local: Path
    clustered: Path
    store: Path
    report: BatchReport
    address: str
    steps: list[tuple[int, int]]
    """The progress the cluster build reported: (leaflets done, leaflets in all)."""


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    """Start a cluster of two single-threaded worker processes on loopback.

    Configured as the README asks of a cluster's nodes (no MALLOC_TRIM_THRESHOLD_; Dask's
    nanny would also set it in this process's environment).
    """
    with dask.config.set(WORKER_CONFIG), LocalCluster(  # type: ignore[no-untyped-call]
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
        dashboard_address=":0", silence_logs=logging.ERROR,
    ) as running:
        yield running.scheduler_address


@pytest.fixture(scope="module")
def library(cluster: str, tmp_path_factory: pytest.TempPathFactory) -> Library:
    """Build two leaflets (DOCX, PDF, audio, web page) locally, then through the cluster."""
    root = tmp_path_factory.mktemp("library")
    paths = make_library(root / "content", 2)
    options = BuildOptions(out=root / "local", formats=FORMATS, tts="espeak", jobs=2,
                           today=BEFORE_DUE, templates=None, cache_dir=root / "cache")
    build(paths, options)
    clustered = dataclasses.replace(options, out=root / "cluster", cache_dir=None)
    with leaflets_made() as steps:
        report = build_batch(paths, clustered, cluster, str(root / "store"))
    return Library(paths, options, root / "local", root / "cluster", root / "store", report,
                   cluster, steps)


def _files(out: Path) -> dict[str, bytes]:
    """Return every output file's bytes by path, less what legitimately differs.

    Left out: the build stamp and the speech cache (bookkeeping, not outputs). Normalised:
    the manifest's build time and the source folder as seen from the output folder (another
    folder sees it from elsewhere); the narration's counts of speech pieces and tracks made and
    found in the caches, which depend on what the caches held and which leaflet's narration
    got there first. Every PDF is compared byte for byte (its /ID comes from its content).
    """
    files = {}
    for path in sorted(out.rglob("*")):
        rel = path.relative_to(out).as_posix()
        if path.is_file() and not rel.startswith((".stamps/", ".cache/")):
            files[rel] = _normalised(path)
    return files


def _normalised(path: Path) -> bytes:
    data = path.read_bytes()
    if path.name == "manifest.json":
        manifest = json.loads(data)
        manifest["built"] = None
        manifest.pop("source_from_output", None)  # where the source is, seen from this folder
        for entry in manifest["artifacts"].values():
            entry["details"].pop("cached", None)
            entry["details"].pop("synthesized", None)
            entry["details"].pop("tracks_cached", None)
            entry["details"].pop("tracks_encoded", None)
        return json.dumps(manifest, sort_keys=True).encode()
    return data


def _diff(one: bytes, other: bytes) -> str:
    import difflib  # noqa: PLC0415

    return "\n".join(difflib.unified_diff(
        json.dumps(json.loads(one), indent=1, sort_keys=True).splitlines(),
        json.dumps(json.loads(other), indent=1, sort_keys=True).splitlines(), lineterm=""))


def _labels(library: Library) -> list[str]:
    return sorted(f"{p.name}/en-GB/{name}" for p in library.paths for name in FORMATS)


def test_cluster_build_is_identical_to_a_local_build(library: Library) -> None:
    local, clustered = _files(library.local), _files(library.clustered)
    assert sorted(clustered) == sorted(local)
    assert len([f for f in local if f.endswith(".mp3")]) > 10
    different = [rel for rel in local if local[rel] != clustered[rel]]
    assert different == [], _diff(local[different[0]], clustered[different[0]])
    assert sorted(library.report.ran) == _labels(library)
    assert library.report.from_store == []
    assert sorted(library.report.written) == _labels(library)
    assert library.steps == [(0, 2), (1, 2), (2, 2)], "leaflets done, reported as they finish"


def test_speech_pieces_and_artifacts_are_kept_once_in_the_store(library: Library) -> None:
    objects = [p for p in (library.store / "objects").rglob("*") if p.is_file()]
    for path in objects:
        assert hashlib.sha256(path.read_bytes()).hexdigest() == path.name
    records = list((library.store / "artifacts").rglob("*.json"))
    assert len(records) == len(_labels(library))
    pieces = list((library.store / "speech").rglob("*.wav"))
    assert pieces, "the workers keep their speech in the store"
    # The two leaflets share all but a title and a sentence: most pieces were made once.
    local_pieces = list((library.options.cache / "speech").rglob("*.wav"))
    assert len(pieces) == len(local_pieces)


def test_a_second_run_with_the_store_makes_nothing(library: Library, tmp_path: Path) -> None:
    again = dataclasses.replace(library.options, out=tmp_path / "again", cache_dir=None)
    with leaflets_made() as steps:
        report = build_batch(library.paths, again, library.address, str(library.store))
    assert steps == [(2, 2)]
    assert report.ran == []
    assert sorted(report.from_store) == _labels(library)
    assert _files(tmp_path / "again") == _files(library.clustered)


def test_a_damaged_store_entry_is_found_said_and_made_again(
    library: Library, tmp_path: Path
) -> None:
    store = tmp_path / "store"
    shutil.copytree(library.store, store)
    manifest = read_manifest(library.clustered / "leaflet-01" / "en-GB")
    docx = manifest.artifacts["docx"]
    damaged = store / "objects" / docx.sha256["docx"][:2] / docx.sha256["docx"]
    data = bytearray(damaged.read_bytes())
    data[len(data) // 2] ^= 0xFF
    damaged.write_bytes(bytes(data))
    record = store / "artifacts" / docx.key[:2] / f"{docx.key}.json"
    pdf_key = manifest.artifacts["pdf"].key
    pdf_record = store / "artifacts" / pdf_key[:2] / f"{pdf_key}.json"
    pdf_record.write_text(pdf_record.read_text().replace('"pdf"', '"PDF"', 1))
    result = CliRunner(mix_stderr=False).invoke(cli, [
        "build", *map(str, library.paths), *(a for f in FORMATS for a in ("--format", f)),
        "--tts", "espeak", "--templates", str(tmp_path / "none"), "--today",
        BEFORE_DUE.isoformat(), "--out", str(tmp_path / "out"),
        "--scheduler", library.address, "--store", str(store),
    ])
    assert result.exit_code == 0, result.output + result.stderr
    assert f"WARNING: {damaged}: damaged store entry: its bytes do not match" in result.stderr
    assert f"WARNING: {pdf_record}: damaged store entry: unreadable record" in result.stderr
    assert "8 written (6 from the store), 0 up to date" in result.output
    assert "leaflets" not in result.stderr, "no progress bar or line when not on a terminal"
    assert _files(tmp_path / "out") == _files(library.clustered)
    assert hashlib.sha256(damaged.read_bytes()).hexdigest() == damaged.name, "repaired"
    assert record.is_file() and json.loads(pdf_record.read_text())["name"] == "pdf"


def test_a_failing_job_installs_nothing_for_its_leaflet_and_the_rest_all(
    library: Library, tmp_path: Path
) -> None:
    content = tmp_path / "content"
    paths = [*make_library(content, 2, prefix="good"), variant(content, "broken", 3)]
    args = ["build", str(content), "--format", "docx", "--tts", "espeak", "--templates",
            str(tmp_path / "none"), "--today", BEFORE_DUE.isoformat(), "--out",
            str(tmp_path / "out"), "--scheduler", library.address, "--store",
            str(tmp_path / "store")]
    assert CliRunner(mix_stderr=False).invoke(cli, args).exit_code == 0
    before = {p: _files(tmp_path / "out" / p.name) for p in paths}
    for path in paths:  # every leaflet changes, so every one is built again
        text = path / "en-GB.md"
        text.write_text(text.read_text().replace("part ", "Part "), encoding="utf-8")
    with Client(library.address) as client:  # type: ignore[no-untyped-call]
        client.register_plugin(FailFor("broken"))
        try:
            result = CliRunner(mix_stderr=False).invoke(cli, args)
        finally:
            client.unregister_worker_plugin(FailFor.name)
    assert result.exit_code == 1
    assert "Error: broken (en-GB) docx: the engine fell over" in result.stderr
    assert "Traceback" not in result.stderr
    assert _files(tmp_path / "out" / "broken") == before[paths[2]], "the old outputs are kept"
    for path in paths[:2]:
        folder = tmp_path / "out" / path.name / "en-GB"
        assert _files(folder.parent) != before[path]
        assert "Part 1" in read_manifest(folder).title or "Part 2" in read_manifest(folder).title
        checked = CliRunner(mix_stderr=False).invoke(cli, ["check", str(folder), "--today",
                                                           BEFORE_DUE.isoformat()])
        assert checked.exit_code == 0, checked.output
    assert not list((tmp_path / "out").rglob(".tmp-*")), "no stage is left behind"


def test_a_full_disk_at_one_install_keeps_the_leaflets_not_yet_installed_as_they_were(
    library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each leaflet language is installed as its last task comes in; the second one fails."""
    paths = make_library(tmp_path / "content", 3)
    options = BuildOptions(out=tmp_path / "out", formats=("docx",), tts="espeak", jobs=2,
                           today=BEFORE_DUE, templates=None)
    build_batch(paths, options, library.address, str(tmp_path / "store"))
    before = {p.name: _files(options.out / p.name) for p in paths}
    for path in paths:
        text = path / "en-GB.md"
        text.write_text(text.read_text().replace("part ", "Part "), encoding="utf-8")
    swaps: list[str] = []
    made_then: list[int] = []

    def swap(stage: install.Stage) -> None:
        swaps.append(stage.folder.parent.name)
        made_then.append(steps[-1][0])
        if len(swaps) == 2:
            raise OSError(errno.ENOSPC, "No space left on device", str(stage.folder))
        real(stage)

    real = install.swap
    monkeypatch.setattr(finish, "swap", swap)
    with leaflets_made() as steps, pytest.raises(
            BuildError, match=r"^not written: the disk is full \("):
        build_batch(paths, options, library.address, str(tmp_path / "store"))
    assert made_then == [1, 2]  # each as soon as it was made, the others still being made
    for path in paths:
        assert (_files(options.out / path.name) == before[path.name]) == (path.name != swaps[0])
    assert not list(options.out.rglob(".tmp-*")), "no stage is left behind"


def test_a_local_cluster_has_single_threaded_workers_without_the_trim_threshold() -> None:
    """``--scheduler dask``: Dask's MALLOC_TRIM_THRESHOLD_ made the narration 2.2x the CPU."""
    with connect(LOCAL, 2) as client:
        environ = client.run(lambda: os.environ.get("MALLOC_TRIM_THRESHOLD_"))
        threads = client.nthreads()  # type: ignore[no-untyped-call]
    assert list(environ.values()) == [None, None]
    assert list(threads.values()) == [1, 1]
