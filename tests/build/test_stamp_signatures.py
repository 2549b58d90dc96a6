"""The stamp's signatures: an unchanged build reads neither the package nor the artifacts again,
and a file changed in any way (even its size and modification time kept) is still seen."""

from __future__ import annotations

import dataclasses
import json
import os
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from lmets_docs import build as build_module
from lmets_docs import formats, usercache
from lmets_docs.build import build
from lmets_docs.build import plan as plan_module
from lmets_docs.build import stamp as stamp_module
from lmets_docs.build.library import Library
from lmets_docs.options import BuildOptions

TXT = Path("leptomeningeal-metastases", "en-GB", "leptomeningeal-metastases.txt")


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Register the plain-text test writer; count the builds that loaded their sources."""
    monkeypatch.setattr(formats, "FORMATS", dict(
        formats.FORMATS, txt=formats.Format("txt", "tests.writers_for_tests", None)))
    calls: list[int] = []
    real = build_module.load_library

    def counting(paths: Iterable[Path], options: BuildOptions) -> Library:
        calls.append(1)
        return real(paths, options)

    monkeypatch.setattr(build_module, "load_library", counting)
    return calls


@pytest.fixture
def package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Stand a small package in for lmets-docs' own files (its hash is kept per process)."""
    root = tmp_path / "package"
    (root / "sub" / "__pycache__").mkdir(parents=True)
    (root / "a.py").write_text("A = 1\n", encoding="utf-8")
    (root / "sub" / "b.py").write_text("B = 2\n", encoding="utf-8")
    (root / "sub" / "__pycache__" / "b.pyc").write_bytes(b"bytecode")
    monkeypatch.setattr(stamp_module, "PACKAGE", root)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    real = stamp_module.code_hash
    real.cache_clear()
    monkeypatch.setattr(plan_module, "code_hash", real)
    _next_tick()
    yield root
    real.cache_clear()


def _next_tick() -> None:
    """Wait until the file system's clock has moved on (files written so far are settled)."""
    start = time.clock_gettime_ns(5)
    while time.clock_gettime_ns(5) == start:
        time.sleep(0.001)


def _settled_code_signature() -> str:
    """Return the package's signature once its files have settled (the clock may lag)."""
    for _ in range(200):
        if found := stamp_module.code_signature():
            return found
        _next_tick()
    return ""


def _counted(monkeypatch: pytest.MonkeyPatch, name: str) -> list[int]:
    calls: list[int] = []
    real = getattr(stamp_module, name)

    def counting(*args: object) -> object:
        calls.append(1)
        return real(*args)

    monkeypatch.setattr(stamp_module, name, counting)
    return calls


def _opts(options: BuildOptions) -> BuildOptions:
    return dataclasses.replace(options, formats=("txt",), jobs=1)


def _same_size_edit(path: Path) -> None:
    """Change a byte of a file, keeping its size and its modification time."""
    info = path.stat()
    data = bytearray(path.read_bytes())
    data[0] ^= 0x20
    path.write_bytes(bytes(data))
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert path.stat().st_mtime_ns == info.st_mtime_ns and path.stat().st_size == info.st_size


def test_an_unchanged_build_reads_neither_the_package_nor_the_artifacts(
    leaflet_dir: Path, options: BuildOptions, loads: list[int], package: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    opts = _opts(options)
    with monkeypatch.context() as later:
        # The test's writer is quick: a file it wrote within the clock's tick of the stamp's
        # making would (rightly) not be vouched for by its signature. The stamp is made as if
        # a second later, every file settled (the racy case has its own test below).
        later.setattr(stamp_module, "_coarse_now", lambda: time.clock_gettime_ns(5) + 10**9)
        build([leaflet_dir], opts)
    _next_tick()
    stamp_module.code_hash.cache_clear()  # as in a new process
    hashed, sha256 = _counted(monkeypatch, "code_hash"), _counted(monkeypatch, "_sha256")
    again = build([leaflet_dir], opts)
    assert loads == [1] and again.written == []
    assert hashed == []  # the code's hash came from the stamp
    assert len(sha256) == 1  # the manifest's; the artifact was not read


def test_an_artifact_changed_in_place_is_seen_though_its_size_and_time_are_kept(
    leaflet_dir: Path, options: BuildOptions, loads: list[int], package: Path,
) -> None:
    opts = _opts(options)
    build([leaflet_dir], opts)
    built = (options.out / TXT).read_bytes()
    _next_tick()
    _same_size_edit(options.out / TXT)
    report = build([leaflet_dir], opts)
    assert loads == [1, 1] and report.written == ["leptomeningeal-metastases/en-GB/txt"]
    assert (options.out / TXT).read_bytes() == built


def test_a_package_file_changed_in_place_is_seen_though_its_size_and_time_are_kept(
    leaflet_dir: Path, options: BuildOptions, loads: list[int], package: Path,
) -> None:
    opts = _opts(options)
    build([leaflet_dir], opts)
    _next_tick()
    _same_size_edit(package / "sub" / "b.py")
    stamp_module.code_hash.cache_clear()  # as in a new process: the code is read anew
    report = build([leaflet_dir], opts)
    assert loads == [1, 1] and report.written == ["leptomeningeal-metastases/en-GB/txt"]


@pytest.mark.parametrize("change", ["new file", "removed file", "bytecode"])
def test_the_package_s_signature_follows_its_files_but_not_its_bytecode(
    package: Path, change: str
) -> None:
    before = _settled_code_signature()
    if change == "new file":
        (package / "sub" / "c.py").write_text("C = 3\n", encoding="utf-8")
    elif change == "removed file":
        (package / "a.py").unlink()
    else:
        (package / "sub" / "__pycache__" / "b.pyc").write_bytes(b"other bytecode")
    _next_tick()
    assert before != ""
    assert (stamp_module.code_signature() == before) == (change == "bytecode")


def test_a_file_changed_in_the_clock_s_current_tick_is_not_trusted(
    package: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Racy: a change in the same tick could keep the signature, so it is never kept."""
    changed = max((package / name).stat().st_ctime_ns for name in ("a.py", "sub/b.py"))
    monkeypatch.setattr(stamp_module, "_coarse_now", lambda: changed)
    assert stamp_module.code_signature() == ""
    monkeypatch.setattr(stamp_module, "_coarse_now", lambda: changed + 1)
    assert stamp_module.code_signature() != ""


def test_an_artifact_changed_in_the_tick_of_the_stamp_is_hashed_next_time(
    leaflet_dir: Path, options: BuildOptions, loads: list[int], package: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The artifact's signature is not kept when the stamp is written in its tick."""
    def tick() -> int:  # the artifact's own tick once it is written
        txt = options.out / TXT
        return txt.stat().st_ctime_ns if txt.exists() else time.clock_gettime_ns(5)

    monkeypatch.setattr(stamp_module, "_coarse_now", tick)
    opts = _opts(options)
    build([leaflet_dir], opts)
    stamp = json.loads(next((options.out / ".stamps").glob("*.json")).read_text("utf-8"))
    assert stamp["folders"][0]["seen"] == {}
    monkeypatch.setattr(stamp_module, "_coarse_now", lambda: time.clock_gettime_ns(5))
    sha256 = _counted(monkeypatch, "_sha256")
    assert stamp_module.Stamp([leaflet_dir], opts).fresh() is not None
    assert len(sha256) == 2  # the manifest and the artifact


@pytest.mark.parametrize("seen", [[], "text", {"leptomeningeal-metastases.txt": "x"}])
def test_a_damaged_list_of_signatures_only_costs_the_hashing(
    leaflet_dir: Path, options: BuildOptions, loads: list[int], package: Path, seen: object,
) -> None:
    opts = _opts(options)
    build([leaflet_dir], opts)
    path = next((options.out / ".stamps").glob("*.json"))
    stamp = json.loads(path.read_text("utf-8"))
    stamp["folders"][0]["seen"] = seen
    path.write_text(json.dumps(stamp), encoding="utf-8")
    assert build([leaflet_dir], opts).written == []
    assert loads == [1]


def test_a_process_that_hashed_its_code_keeps_that_hash(
    leaflet_dir: Path, options: BuildOptions, loads: list[int], package: Path,
) -> None:
    """The watch hashes the code it runs when it starts: a stamp that another process left
    for the files as they are now does not speak for it."""
    opts = _opts(options)
    build([leaflet_dir], opts)  # this process's hash of the code is kept (``functools.cache``)
    path = next((options.out / ".stamps").glob("*.json"))
    stamp = json.loads(path.read_text("utf-8"))
    stamp["code"] = [stamp_module.code_signature(), "another process's hash of these files"]
    path.write_text(json.dumps(stamp), encoding="utf-8")
    assert build([leaflet_dir], opts).written == []
    assert loads == [1]


def _key(out: Path) -> str:
    manifest = json.loads((out / TXT).parent.joinpath("manifest.json").read_text("utf-8"))
    return str(manifest["artifacts"]["txt"]["key"])


def test_a_build_into_a_new_folder_reads_no_package_file_the_user_s_cache_vouches_for(
    leaflet_dir: Path, options: BuildOptions, loads: list[int], package: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No stamp there to keep the code's hash: the user's cache keeps it, for files as they
    are (their signature); a file changed in any way, or a kept hash for other files or
    damaged, has the package read again."""
    first = _opts(options)
    assert _settled_code_signature()
    build([leaflet_dir], first)
    stamp_module.code_hash.cache_clear()  # as in a new process
    read = _counted(monkeypatch, "_read_code")
    second = dataclasses.replace(first, out=options.out.parent / "another-out")
    assert build([leaflet_dir], second).written == ["leptomeningeal-metastases/en-GB/txt"]
    assert read == [] and _key(second.out) == _key(first.out)
    _same_size_edit(package / "a.py")
    assert _settled_code_signature()
    stamp_module.code_hash.cache_clear()
    third = dataclasses.replace(first, out=options.out.parent / "third-out")
    build([leaflet_dir], third)
    assert read == [1] and _key(third.out) != _key(first.out)


@pytest.mark.parametrize("kept", ["other signature", "damaged", "not a hash"])
def test_a_code_hash_kept_for_other_files_or_damaged_is_not_trusted(
    package: Path, monkeypatch: pytest.MonkeyPatch, kept: str,
) -> None:
    sign = _settled_code_signature()
    real = stamp_module.code_hash()
    path = stamp_module._user_file()
    assert path is not None and stamp_module._user_kept(sign) == real
    payload = {"other signature": f"{'0' * 64} {real}", "damaged": f"{sign} {real}",
               "not a hash": f"{sign} {'z' * 64}"}[kept].encode()
    usercache.keep(path, payload)
    if kept == "damaged":
        path.write_bytes(path.read_bytes()[:-1] + b"0")
    stamp_module.code_hash.cache_clear()
    read = _counted(monkeypatch, "_read_code")
    assert stamp_module.code_hash() == real and read == [1]
    assert stamp_module._user_kept(sign) == real  # kept right again


def test_a_user_cache_that_cannot_be_written_costs_only_the_reading(
    package: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    (tmp_path / "a file").write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "a file"))
    _settled_code_signature()
    read = _counted(monkeypatch, "_read_code")
    first = stamp_module.code_hash()
    stamp_module.code_hash.cache_clear()
    assert stamp_module.code_hash() == first and read == [1, 1]
