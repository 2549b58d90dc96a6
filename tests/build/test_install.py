"""All or nothing: a real build under injected faults leaves the last good outputs as they were.

Each case builds version 1 of a leaflet, edits its text (version 2), and builds again under
``strace -e inject=…``: a full disk or an I/O error on writes and flushes, or SIGKILL at a
rename. Afterwards the output folder is byte for byte version 1 (or, when the fault came after
the swap, a complete version 2), ``check`` says exactly what it said before, and the next build
without faults is correct and removes what the killed one left behind.

Every write and rename of a real build is also aimed at by its own path (``TARGETS``: strace's
``-P``), with ENOSPC, EIO and SIGKILL each, and strace's log shows that the fault landed
there; a traced build of all three formats proves that no write or rename is left out.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from lmets_docs.build import install
from lmets_docs.manifest import sha256_file
from tests.conftest import BEFORE_DUE, DATA

LEAFLET = "short-leaflet"
CLI = [sys.executable, "-m", "lmets_docs"]
STRACE = shutil.which("strace") or "/usr/bin/strace"
TIMEOUT_S = 120


@dataclass(frozen=True)
class World:
    """Version 1 built into ``out``; the bytes of its files and what ``check`` said of it."""

    root: Path
    source: Path
    out: Path
    files: dict[str, bytes]
    check_output: str
    v2_hash: str


def _args(source: Path, out: Path, *extra: str) -> list[str]:
    # The faults are placed for a build of these three formats (the web formats add writes).
    formats = () if "--format" in extra else ("--format", "pdf", "--format", "docx",
                                               "--format", "audio")
    return ["build", str(source), "--tts", "espeak", "--out", str(out), "--templates", "none",
            "--today", BEFORE_DUE.isoformat(), *formats, *extra]


def _run(
    args: list[str], cwd: Path, prefix: list[str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*(prefix or []), *CLI, *args], cwd=cwd, capture_output=True, text=True,
                          timeout=TIMEOUT_S, check=False)


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _check(out: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return _run(["check", str(out), "--today", BEFORE_DUE.isoformat()], cwd)


def _edit(source: Path) -> None:
    text = (source / "en-GB.md").read_text(encoding="utf-8")
    (source / "en-GB.md").write_text(text.replace("relieve symptoms.", "relieve symptoms. "
                                                  "It may also help you feel better."),
                                     encoding="utf-8")


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    """Build version 1, and version 2 elsewhere (its speech goes into version 1's cache)."""
    root = tmp_path_factory.mktemp("install")
    source = root / "src"
    shutil.copytree(DATA / LEAFLET, source)
    out = root / "v1"
    assert _run(_args(source, out), root).returncode == 0
    checked = _check(out, root)
    assert checked.returncode == 0, checked.stdout
    files = _files(out / LEAFLET)
    _edit(source)
    spare = root / "v2"
    assert _run(_args(source, spare), root).returncode == 0
    v2 = json.loads((spare / LEAFLET / "en-GB" / "manifest.json").read_bytes())["source_hash"]
    shutil.copytree(spare / ".cache", out / ".cache", dirs_exist_ok=True)
    return World(root, source, out, files, checked.stdout, v2)


@pytest.fixture
def copy(world: World, tmp_path: Path) -> Iterator[Path]:
    """Return a copy of version 1's output folder (warm speech cache) for one faulted build."""
    out = tmp_path / "out"
    shutil.copytree(world.out, out, symlinks=True)
    yield out


def _faulted(
    world: World, out: Path, inject: list[str], cold: bool = False, *extra: str
) -> int:
    if cold:
        shutil.rmtree(out / ".cache")
    calls = ",".join(dict.fromkeys(rule.split(":")[0] for rule in inject))
    prefix = [STRACE, "-f", "-qq", "-o", os.devnull, "-e", "signal=none", "-e", f"trace={calls}"]
    for rule in inject:
        prefix += ["-e", f"inject={rule}"]
    return _run(_args(world.source, out, *extra), world.root, prefix).returncode


def _manifest(out: Path) -> dict[str, object]:
    data: dict[str, object] = json.loads((out / LEAFLET / "en-GB" / "manifest.json").read_bytes())
    return data


def _assert_all_or_nothing(world: World, out: Path, status: int) -> None:
    """Assert the outputs are version 1 byte for byte, or a whole version 2, and check agrees."""
    folder = out / LEAFLET
    installed = _files(folder / "en-GB")
    if _manifest(out)["source_hash"] == world.v2_hash:
        _assert_complete(out)  # the fault came after the swap
    else:
        assert {f"en-GB/{k}": v for k, v in installed.items()} == {
            k: v for k, v in world.files.items() if k.startswith("en-GB/")
        }, f"exit {status}: the previous outputs changed"
        checked = _check(out, world.root)
        assert (checked.returncode, checked.stdout.replace(str(out), str(world.out))) == (
            0, world.check_output)


def _assert_complete(out: Path) -> None:
    folder = out / LEAFLET / "en-GB"
    manifest = _manifest(out)
    artifacts = manifest["artifacts"]
    assert isinstance(artifacts, dict) and set(artifacts) == {"pdf", "docx", "audio"}
    for entry in artifacts.values():
        for role, rel in entry["files"].items():
            assert sha256_file(folder / rel) == entry["sha256"][role], rel


def _assert_next_build_correct(world: World, out: Path) -> None:
    result = _run(_args(world.source, out), world.root)
    assert result.returncode == 0, result.stderr
    assert _manifest(out)["source_hash"] == world.v2_hash
    _assert_complete(out)  # and the build's own check passed: exit status 0
    left = [p.name for p in (out / LEAFLET).iterdir() if p.name.startswith((".tmp-", ".old-"))]
    assert left == []


KILLS = {
    # (the build's own renames with a warm cache, each aimed by its path: TARGETS below)
    # cold cache: the narration worker killed while filing a piece of speech
    "speech cache": (["rename:signal=KILL:when=1"], True, "old"),
    # no RENAME_EXCHANGE: the two-rename fallback, killed at each of its renames
    "fallback: old folder aside": (
        ["renameat2:error=EINVAL", "rename:signal=KILL:when=2"], False, "old"),
    "fallback: new folder in": (
        ["renameat2:error=EINVAL", "rename:signal=KILL:when=3"], False, "old"),
    "fallback: the stamp": (["renameat2:error=EINVAL", "rename:signal=KILL:when=4"], False, "new"),
}
PDF_ONLY_KILLS = {
    # only the PDF rebuilt, in this process: the DOCX and the audio are linked into the new folder
    "linking the kept files": (["link:signal=KILL:when=3"], False, "old"),
}


@pytest.mark.parametrize("case", [*KILLS, *PDF_ONLY_KILLS])
def test_sigkill_at_every_rename_leaves_old_or_new_never_a_mixture(
    world: World, copy: Path, case: str
) -> None:
    if case in PDF_ONLY_KILLS:
        rules, cold, left = PDF_ONLY_KILLS[case]
        status = _faulted(world, copy, rules, cold, "--format", "pdf")
    else:
        rules, cold, left = KILLS[case]
        status = _faulted(world, copy, rules, cold)
    assert status != 0  # the build was killed, or its narration worker was
    if case == "fallback: new folder in":
        # Between the two renames there is no en-GB folder: the next build puts it back first.
        assert not (copy / LEAFLET / "en-GB").exists()
        install.clean_stale(copy)
    _assert_all_or_nothing(world, copy, status)
    assert (_manifest(copy)["source_hash"] == world.v2_hash) == (left == "new")
    _assert_next_build_correct(world, copy)


WRITE_FAULTS = {
    "ENOSPC from the 1st write": ["write:error=ENOSPC:when=1+"],
    "ENOSPC from the 10th write": ["write:error=ENOSPC:when=10+"],
    "EIO from the 25th write": ["write:error=EIO:when=25+"],
    "EIO flushing the first file": ["fsync:error=EIO:when=1"],
    "ENOSPC creating the new folder": ["mkdir:error=ENOSPC"],
}
PDF_ONLY_FAULTS = {
    # Only the PDF is rebuilt: the DOCX and the audio are linked into the new folder, or
    # copied where links are refused; the copy meets a full disk.
    "links refused, full disk copying": ["link:error=EPERM", "sendfile:error=ENOSPC"],
}


@pytest.mark.parametrize("case", [*WRITE_FAULTS, *PDF_ONLY_FAULTS])
def test_full_disk_or_io_error_keeps_the_last_good_outputs(
    world: World, copy: Path, case: str
) -> None:
    if case in PDF_ONLY_FAULTS:
        status = _faulted(world, copy, PDF_ONLY_FAULTS[case], False, "--format", "pdf")
    else:
        status = _faulted(world, copy, WRITE_FAULTS[case])
    assert status != 0
    _assert_all_or_nothing(world, copy, status)
    assert _manifest(copy)["source_hash"] != world.v2_hash
    _assert_next_build_correct(world, copy)


def test_a_stale_folder_of_a_running_build_is_left_alone(tmp_path: Path) -> None:
    folder = tmp_path / "out" / LEAFLET / "en-GB"
    running = install.Stage(folder)
    running.open()
    dead = tmp_path / "out" / LEAFLET / ".tmp-en-GB-deadbeef"
    (dead / "audio").mkdir(parents=True)
    install.clean_stale(tmp_path / "out")
    assert running.path.is_dir() and not dead.exists()
    running.close()
    assert not (tmp_path / "out" / LEAFLET).exists()


def test_temporary_files_of_killed_builds_are_removed_once_old(tmp_path: Path) -> None:
    cache = tmp_path / "cache" / "speech" / "ab"
    cache.mkdir(parents=True)
    old = cache / ".abcdef.wav.0123abcd"
    new = cache / ".abcdef.json.89abcdef"
    kept = cache / "abcdef.wav"
    for path in (old, new, kept):
        path.write_bytes(b"RIFF")
    os.utime(old, (1, 1))
    os.utime(kept, (1, 1))
    install.clean_files(tmp_path / "cache")
    assert not old.exists() and new.exists() and kept.exists()


def test_a_build_removes_old_temporary_files_once_it_has_said_what_it_did(
    tmp_path: Path
) -> None:
    """The walk for killed builds' temporary files is no part of the wait for the outputs."""
    from lmets_docs.build import build  # noqa: PLC0415
    from lmets_docs.options import BuildOptions  # noqa: PLC0415

    options = BuildOptions(out=tmp_path / "out", cache_dir=tmp_path / "cache", formats=("docx",),
                           today=BEFORE_DUE)
    left = [options.cache / "speech" / "ab" / ".abcdef.wav.0123abcd",
            options.out / ".stamps" / ".build.json.0123abcd"]
    for path in left:
        path.parent.mkdir(parents=True)
        path.write_bytes(b"RIFF")
        os.utime(path, (1, 1))
    with install.removed_last():
        report = build([DATA / "minimal"], options)
        assert report.written and all(path.exists() for path in left)
    assert not any(path.exists() for path in left)


def test_builds_running_at_once_into_one_folder_each_install_whole(tmp_path: Path) -> None:
    """Three builds at once: none removes another's new folder; the last swap wins whole."""
    source = tmp_path / "src"
    shutil.copytree(DATA / "minimal", source)
    out = tmp_path / "out"
    runs = [subprocess.Popen([*CLI, *_args(source, out, "--format", "pdf", "--format", "docx",
                                           "--profile", profile)],
                             cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for profile in ("large", "giant", "large")]
    errors = [run.communicate(timeout=TIMEOUT_S)[1] for run in runs]
    assert [run.returncode for run in runs] == [0, 0, 0], errors
    assert _check(out, tmp_path).returncode == 0
    assert [p.name for p in (out / "minimal-leaflet").iterdir()] == ["en-GB"]


def test_a_phone_number_typed_into_the_title_installs_nothing(tmp_path: Path) -> None:
    """The issue's reproducer: the source's scan refuses a number typed in the title (since
    the hostile-input lane; before, only the build's own check found it): nothing installed."""
    source = tmp_path / "src"
    shutil.copytree(DATA / "minimal", source)
    out = tmp_path / "out"
    args = _args(source, out, "--format", "pdf", "--format", "docx")
    assert _run(args, tmp_path).returncode == 0
    before, checked = _files(out / "minimal-leaflet"), _check(out, tmp_path)
    text = source / "en-GB.md"
    text.write_text(text.read_text(encoding="utf-8").replace(
        "title: A minimal leaflet", "title: A minimal leaflet, call 0800 500 3000"),
        encoding="utf-8")
    result = _run(args, tmp_path)
    assert result.returncode == 1
    assert "title: phone number '0800 500 3000' typed in the title" in result.stderr
    assert "Error: 1 problem in the content; nothing was written." in result.stderr
    assert _files(out / "minimal-leaflet") == before  # (the stamp is forgotten: not an output)
    assert _check(out, tmp_path).stdout == checked.stdout


# Every write and rename of a real build, aimed by path. strace's -P picks the one file (or
# folder) a fault is for; the build runs with Python's uuid4 made a counter, so the folder a
# build stages into (and the stamp's temporary file) has a name known in advance.
PINNED = ("import itertools, sys, uuid; count = itertools.count(1); "
          "uuid.uuid4 = lambda: uuid.UUID(int=(0xFA170000 + next(count)) << 96); "
          "sys.argv[0] = 'lmets-docs'; from lmets_docs.cli import main; main()")
STAGE = f"{LEAFLET}/.tmp-en-GB-fa170001"
AUDIO = f"{STAGE}/audio"
TARGETS: dict[str, tuple[str, str, str]] = {
    # name: (the format built, the call, the path from the output folder: a pattern)
    "the PDF": ("pdf", "write", f"{STAGE}/{LEAFLET}-large-print.pdf"),
    "the DOCX": ("docx", "write", f"{STAGE}/{LEAFLET}-leaflet.docx"),
    "the narration": ("audio", "write", f"{AUDIO}/{LEAFLET}-narration.mp3"),
    "track 1": ("audio", "write", f"{AUDIO}/01-introduction.mp3"),
    "track 2": ("audio", "write", f"{AUDIO}/02-chemotherapy.mp3"),
    "track 3": ("audio", "write", f"{AUDIO}/03-help-and-support.mp3"),
    "track 4": ("audio", "write", f"{AUDIO}/04-closing.mp3"),
    "the playlist": ("audio", "write", f"{AUDIO}/playlist.m3u8"),
    "the timings": ("audio", "write", f"{AUDIO}/timings.json"),
    "the transcript": ("audio", "write", f"{AUDIO}/transcript.txt"),
    "the manifest": ("docx", "write", f"{STAGE}/.manifest.json.tmp"),
    "the manifest into place": ("docx", "rename", f"{STAGE}/.manifest.json.tmp"),
    "the swap": ("docx", "renameat2", STAGE),
    "the stamp": ("docx", "write", r"\.stamps/\.[0-9a-f]+\.json\.fa17000[0-9a-f]"),
    "the stamp into place": ("docx", "rename", r"\.stamps/\.[0-9a-f]+\.json\.fa17000[0-9a-f]"),
}
AFTER_SWAP = {"the stamp", "the stamp into place"}
FAULTS = {"ENOSPC": "error=ENOSPC", "EIO": "error=EIO", "SIGKILL": "signal=KILL"}
_CALL = re.compile(r'^\d+\s+(write|rename|renameat2)\('  # pid, call, then its file:
                   r'(?:\d+<([^>]+)>|AT_FDCWD<[^>]*>, )?(?:"([^"]+)")?')  # fd<path> or "path"


def _traced(
    world: World, out: Path, formats: list[str], *strace: str, jobs: int = 0
) -> tuple[int, str, str]:
    """Build version 2 into ``out`` under strace (with ``jobs`` writer processes, unless 0);
    return its exit status, strace's log and what the build said.

    The build's own error output may be a message, never a traceback.
    """
    log = out.parent / "strace.log"
    extra = [arg for f in formats for arg in ("--format", f)]
    extra += ["--jobs", str(jobs)] if jobs else []
    command = [STRACE, "-f", "-qq", "-y", "-o", str(log), "-e", "signal=none", *strace,
               sys.executable, "-c", PINNED, *_args(world.source, out, *extra)]
    result = subprocess.run(command, cwd=world.root, capture_output=True, text=True,
                            timeout=TIMEOUT_S, check=False)
    assert "Traceback" not in result.stderr, result.stderr
    return (result.returncode, log.read_text(encoding="utf-8", errors="replace"),
            result.stdout + result.stderr)


def _calls(log: str, out: Path) -> set[tuple[str, str]]:
    """Return each (call, path from ``out``) that wrote or renamed something in ``out``."""
    found = set()
    for line in log.splitlines():
        if (match := _CALL.match(line)) and (path := match.group(2) or match.group(3)):
            full = Path(path) if Path(path).is_absolute() else Path(path).absolute()
            if full.is_relative_to(out):
                found.add((match.group(1), full.relative_to(out).as_posix()))
    return found


@pytest.fixture(scope="module")
def written(world: World) -> dict[str, set[tuple[str, str]]]:
    """Return the writes and renames of version 2's build of each format, and of all three."""
    found = {}
    for formats in (["pdf"], ["docx"], ["audio"], ["pdf", "docx", "audio"]):
        out = world.root / f"traced-{'-'.join(formats)}" / "out"
        shutil.copytree(world.out, out, symlinks=True)
        status, log, _said = _traced(world, out, formats, "-e", "trace=write,rename,renameat2")
        assert status == 0, log[-2000:]
        found["+".join(formats)] = _calls(log, out)
    return found


def _target(written: dict[str, set[tuple[str, str]]], name: str) -> tuple[str, str]:
    fmt, call, pattern = TARGETS[name]
    paths = sorted(p for c, p in written[fmt] if c == call and re.fullmatch(pattern, p))
    assert len(paths) == 1, f"{name}: {paths} in {sorted(written[fmt])}"
    return call, paths[0]


def test_every_write_and_rename_of_a_build_is_a_target(
    written: dict[str, set[tuple[str, str]]]
) -> None:
    """What the whole three-format build writes or renames is each aimed at by a case below."""
    every = written["pdf+docx+audio"]
    missed = {(c, p) for c, p in every
              if not any(c == call and re.fullmatch(pattern, p)
                         for _f, call, pattern in TARGETS.values())}
    assert not missed, f"writes or renames no fault case aims at: {sorted(missed)}"
    for name in TARGETS:  # and each case's own build makes its call
        _target(written, name)


@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize("target", TARGETS)
def test_a_fault_at_each_write_and_rename_keeps_old_or_installs_new(
    world: World, copy: Path, written: dict[str, set[tuple[str, str]]], target: str, fault: str
) -> None:
    """ENOSPC, EIO or SIGKILL at one write or rename, aimed at its path and nowhere else."""
    fmt = TARGETS[target][0]
    if target in AFTER_SWAP:  # the stamp's name depends on the output folder: trace it there
        status, log, _said = _traced(world, copy, [fmt], "-e", "trace=write,rename")
        assert status == 0, log[-2000:]
        written = {fmt: _calls(log, copy)}
        shutil.rmtree(copy)
        shutil.copytree(world.out, copy, symlinks=True)
    call, path = _target(written, target)
    status, log, said = _traced(world, copy, [fmt], "-e", f"trace={call}", "-P", str(copy / path),
                          "-e", f"inject={call}:{FAULTS[fault]}:when=1")
    hit = [line for line in log.splitlines() if path.split("/")[-1] in line]
    assert hit, f"the fault did not reach {path}: {log[-2000:]}"
    if fault == "SIGKILL":
        assert status == -9 and hit[0].endswith("= ?"), (status, hit)
    else:
        assert f"-1 {fault}" in hit[0] and "(INJECTED)" in hit[0], hit
    if target in AFTER_SWAP:
        _assert_complete(copy)  # the new folder was already in place: it stays whole
        assert _manifest(copy)["source_hash"] == world.v2_hash
        if fault != "SIGKILL":  # only the shortcut for the next build is lost, and said so
            assert status == 0 and "the build stamp could not be written" in said, said
            assert not list((copy / ".stamps").glob(".*"))
    else:
        assert status != 0
        _assert_unchanged(world, copy)
    if fault == "SIGKILL":
        _assert_next_build_correct(world, copy)


def _assert_unchanged(world: World, out: Path) -> None:
    installed = {f"en-GB/{k}": v for k, v in _files(out / LEAFLET / "en-GB").items()}
    assert installed == {k: v for k, v in world.files.items() if k.startswith("en-GB/")}


_FLUSH = re.compile(r"^(\d+)\s+(fsync|renameat2)\((?:\d+|AT_FDCWD)<([^>]+)>")


def _flushes_before_swap(log: str, out: Path) -> tuple[dict[str, set[str]], int]:
    """Return each path fsynced before the swap and by which processes; and the swapper."""
    flushed: dict[str, set[str]] = {}
    for line in log.splitlines():
        if (match := _FLUSH.match(line)) is None:
            continue
        pid, call, path = match.groups()
        if call == "renameat2":
            return flushed, int(pid)
        if Path(path).is_relative_to(out / STAGE) and line.endswith("= 0"):
            flushed.setdefault(Path(path).relative_to(out / STAGE).as_posix(), set()).add(pid)
    raise AssertionError(f"no swap in the build: {log[-2000:]}")


def test_every_new_file_and_folder_is_on_disk_before_the_swap_each_file_by_its_writer(
    world: World, copy: Path
) -> None:
    """A power cut after the swap finds every installed file whole: each was fsynced first.

    The formats' files are flushed by the writer processes that wrote them (the build's own
    process only flushes what they did not: the manifest, and the folders).
    """
    status, log, said = _traced(world, copy, ["pdf", "docx", "audio"], "-e",
                                "trace=fsync,renameat2", jobs=2)
    assert status == 0, said
    flushed, swapper = _flushes_before_swap(log, copy)
    folder = copy / LEAFLET / "en-GB"
    installed = {p.relative_to(folder).as_posix() for p in folder.rglob("*")}
    assert installed | {"."} <= set(flushed), sorted(installed | {"."} - set(flushed))
    formats_files = set(installed) - {"manifest.json", "audio"}
    by_main = sorted(rel for rel in formats_files if str(swapper) in flushed[rel])
    assert len(formats_files) == 10 and by_main == [], by_main  # PDF, DOCX, 8 of audio


FLUSH_FAULTS = {"EIO": "error=EIO", "SIGKILL": "signal=KILL"}
FLUSHED = {"the PDF": ("pdf", f"{STAGE}/{LEAFLET}-large-print.pdf"),
           "track 3": ("audio", f"{AUDIO}/03-help-and-support.mp3")}


@pytest.mark.parametrize("fault", FLUSH_FAULTS)
@pytest.mark.parametrize("target", FLUSHED)
def test_a_file_its_writer_cannot_flush_is_never_installed(
    world: World, copy: Path, target: str, fault: str
) -> None:
    """EIO (the disk lost the writes) or SIGKILL at a writer's fsync of one file: old kept."""
    fmt, path = FLUSHED[target]
    status, log, said = _traced(world, copy, [fmt, "docx"], "-e", "trace=fsync",
                                "-P", str(copy / path),
                                "-e", f"inject=fsync:{FLUSH_FAULTS[fault]}:when=1", jobs=2)
    assert [line for line in log.splitlines() if "INJECTED" in line or "= ?" in line], log
    assert status == 1, said
    assert f"{LEAFLET} (en-GB) {fmt}: " in said, said
    _assert_unchanged(world, copy)
    _assert_next_build_correct(world, copy)


def test_a_new_folder_the_build_cannot_flush_is_never_installed(
    world: World, copy: Path
) -> None:
    """EIO at the fsync of the new folder itself (its entries not on disk): old kept.

    Aimed at the folder by its path: strace counts a ``when=`` per thread, so "the 9th fsync"
    fell in whichever thread made nine, and under load in none (the build then succeeded).
    """
    status, log, said = _traced(world, copy, ["pdf", "docx", "audio"], "-e", "trace=fsync",
                                "-P", str(copy / STAGE),
                                "-e", "inject=fsync:error=EIO:when=1", jobs=2)
    assert [line for line in log.splitlines() if "(INJECTED)" in line], log[-2000:]
    assert status == 1, said
    _assert_unchanged(world, copy)
    _assert_next_build_correct(world, copy)


def test_a_refused_hint_to_start_flushing_changes_nothing(world: World, copy: Path) -> None:
    """``sync_file_range`` is only a hint: refused, the build flushes and installs as always."""
    status, log, said = _traced(world, copy, ["pdf"], "-e", "trace=sync_file_range",
                                "-e", "inject=sync_file_range:error=EIO")
    assert status == 0 and "(INJECTED)" in log, said
    _assert_complete(copy)
    assert _manifest(copy)["source_hash"] == world.v2_hash


@pytest.mark.parametrize("jobs", [0, 2])
def test_a_full_disk_at_the_pdf_is_said_as_a_full_disk(
    world: World, copy: Path, written: dict[str, set[tuple[str, str]]], jobs: int
) -> None:
    """qpdf saves into memory and Python writes the file: ENOSPC is said, nothing crashes."""
    call, path = _target(written, "the PDF")
    status, log, said = _traced(world, copy, ["pdf", "docx"], "-e", f"trace={call}", "-P",
                                str(copy / path), "-e", f"inject={call}:error=ENOSPC:when=1",
                                jobs=jobs)
    assert "(INJECTED)" in log, log[-2000:]
    assert status == 1
    assert (f"Error: not written: the disk is full ({copy / path}); free some space and build "
            f"again\n{LEAFLET} (en-GB): not updated; the previous outputs are kept") in said, said
    assert said.count("the disk is full") == 1 and "Errno" not in said, said
    assert "internal error" not in said and "terminate called" not in said
    _assert_unchanged(world, copy)
