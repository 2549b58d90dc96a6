"""The shared store (verified, atomic) and --scheduler's usage errors.

No cluster here: these run in milliseconds.
"""

from __future__ import annotations

import errno
import hashlib
import logging
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from lmets_docs.batch import cluster
from lmets_docs.batch.store import Record, Store, StoredFinding
from lmets_docs.cli import cli
from lmets_docs.errors import StoreError
from lmets_docs.manifest import ArtifactEntry
from tests.library import SEED

KEY = "ab" + "0" * 62


def _made(folder: Path, text: str = "a finished format\n") -> Record:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "leaflet.txt").write_text(text, encoding="utf-8")
    sha = hashlib.sha256(text.encode()).hexdigest()
    entry = ArtifactEntry(files={"txt": "leaflet.txt"}, sha256={"txt": sha}, key=KEY)
    finding = StoredFinding("warning", "leaflet.txt", "p 1", "due soon", "review-due", True)
    return Record("txt", entry, [finding], ["leaflet.txt"])


@pytest.fixture(params=["folder", "memory"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Store:
    """Return an empty store in a folder, or at an fsspec URL (memory://)."""
    if request.param == "folder":
        return Store(str(tmp_path / "store"))
    return Store(f"memory://lmets-{tmp_path.name}")


def test_a_record_and_its_files_come_back_verified(store: Store, tmp_path: Path) -> None:
    record = _made(tmp_path / "made")
    store.put_artifact(KEY, record, tmp_path / "made")
    back = store.get_record(KEY)
    assert back == record
    assert store.get_artifact(back, tmp_path / "copy")
    assert (tmp_path / "copy" / "leaflet.txt").read_text(encoding="utf-8") == "a finished format\n"
    assert store.get_record("cd" + "0" * 62) is None
    assert (store.folder is None) == store.url.startswith("memory://")


def test_a_damaged_object_is_said_removed_and_missed(
    store: Store, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    record = _made(tmp_path / "made")
    store.put_artifact(KEY, record, tmp_path / "made")
    sha = record.entry.sha256["txt"]
    path = f"{store.root}/objects/{sha[:2]}/{sha}"
    store.fs.pipe_file(path, b"a finished format, changed\n")
    with caplog.at_level(logging.WARNING, logger="lmets_docs.batch.store"):
        assert not store.get_artifact(record, tmp_path / "copy")
    assert f"{path}: damaged store entry: its bytes do not match its SHA-256" in caplog.text
    assert not store.fs.exists(path), "removed, so that the next put repairs it"
    assert not (tmp_path / "copy" / "leaflet.txt").exists(), "nothing half copied"
    store.put_artifact(KEY, record, tmp_path / "made")
    assert store.get_artifact(record, tmp_path / "copy")


@pytest.mark.parametrize("damage", [
    lambda text: text[: len(text) // 2],                       # truncated
    lambda text: text.replace("due soon", "due later"),        # edited, digest no longer holds
    lambda text: text.replace(KEY, "cd" + KEY[2:]),            # another format's record
    lambda text: "",                                           # emptied
])
def test_a_damaged_record_is_said_removed_and_missed(
    store: Store, tmp_path: Path, caplog: pytest.LogCaptureFixture, damage: Any
) -> None:
    store.put_artifact(KEY, _made(tmp_path / "made"), tmp_path / "made")
    path = f"{store.root}/artifacts/{KEY[:2]}/{KEY}.json"
    store.fs.pipe_file(path, damage(store.fs.cat_file(path).decode()).encode())
    with caplog.at_level(logging.WARNING, logger="lmets_docs.batch.store"):
        assert store.get_record(KEY) is None
    assert f"{path}: damaged store entry: unreadable record" in caplog.text
    assert not store.fs.exists(path)


def test_a_write_that_fails_leaves_nothing_in_the_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(str(tmp_path / "store"))

    def full(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(store.fs, "mv", full)
    with pytest.raises(StoreError, match=r"cannot write the store.*No space left"):
        store.put_artifact(KEY, _made(tmp_path / "made"), tmp_path / "made")
    assert [p for p in (tmp_path / "store").rglob("*") if p.is_file()] == []


def test_a_store_that_cannot_be_opened_is_an_error() -> None:
    with pytest.raises(StoreError, match="not a store this machine can open"):
        Store("nosuchprotocol://bucket/store")


def _build(*args: str) -> Any:
    return CliRunner(mix_stderr=False).invoke(cli, ["build", "--out", "/nonexistent", *args])


def test_scheduler_usage_errors_exit_2(monkeypatch: pytest.MonkeyPatch) -> None:
    result = _build("--store", "/tmp/store")
    assert result.exit_code == 2 and "--store needs --scheduler" in result.stderr
    result = _build("--scheduler", "yarn")
    assert result.exit_code == 2 and "use 'dask' or a scheduler address" in result.stderr
    result = _build("--scheduler", "tcp://127.0.0.1:8786")
    assert result.exit_code == 2 and "a running cluster needs --store" in result.stderr
    monkeypatch.setattr(cluster, "available", lambda: False)
    result = _build("--scheduler", "dask")
    assert result.exit_code == 2
    assert "pip install 'lmets-docs[dask]'" in result.stderr and "Traceback" not in result.stderr


def test_an_unreachable_scheduler_is_an_error_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT_S", 1)
    result = CliRunner(mix_stderr=False).invoke(cli, [
        "build", str(SEED), "--format", "docx", "--out", str(tmp_path / "out"),
        "--scheduler", "tcp://127.0.0.1:9", "--store", str(tmp_path / "store")])
    assert result.exit_code == 1
    assert "tcp://127.0.0.1:9: cannot reach the Dask scheduler" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out" / "leptomeningeal-metastases" / "en-GB").exists()
