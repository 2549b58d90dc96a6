"""The build stamp: know that a build would change nothing, without loading anything heavy.

After a successful build, a stamp under ``<out>/.stamps/`` records one digest of every input
of that command (each named folder's files, the package's code, the house templates, the
options, the Piper voice files a narration may choose from) and, for each language folder
built, the SHA-256 of its manifest and the days on which that manifest stays true (it states
the review state, which depends on the day).

The same command again first recomputes the digest (a few milliseconds: small files, no
pydantic, no Markdown parser), then checks each manifest and every artifact it lists against
their SHA-256, as the full build does, and the day. If everything holds, nothing is loaded or
written: the build reports every format up to date and repeats the manifest's warnings. Any
difference at all (a byte of a source, a template, the code, an option, an edited or missing
output, another day for an overdue leaflet) takes the full build, which validates the source
and decides format by format as always. This module imports only the standard library,
``options``, ``formats`` and ``speech.voice_files`` (and ``usercache`` when no stamp keeps the
code's hash).

Two inputs are large and change rarely: the package's own files (170 files, about 1 MB) and
the artifacts (the narration's MP3s: megabytes). Reading and hashing them was half of what an
unchanged build cost. So the stamp also keeps what the file system says of each file
(``signature``: size, modification and change times in nanoseconds, inode, device), taken when
it was hashed, and a file whose signature is the same is not read again: as git's index and
make do, but with the change time too, which no program can set back (writing, renaming over,
linking or ``touch`` all move it). A file changed in the same tick of the file system's clock
as its signature was taken could keep it (the "racy" case): a signature is kept only for a file
whose change time is older than that tick (``_coarse_now``: the clock the kernel stamps files
with), so a racy file is simply hashed next time. Outside Linux no signature is kept. ``check``
still hashes every file (it is what proves the outputs are the ones built).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import logging
import os
import stat
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from lmets_docs import __version__, formats
from lmets_docs.build.report import BuildReport
from lmets_docs.libraryfiles import contacts_files, real_path
from lmets_docs.options import BuildOptions
from lmets_docs.speech import voice_files

log = logging.getLogger(__name__)
PACKAGE = Path(__file__).parent.parent
STAMPS = ".stamps"
STAMP_VERSION = 1
MANIFEST = "manifest.json"
"""``manifest.MANIFEST`` (not imported from there: that module brings in pydantic)."""


@dataclass(frozen=True)
class Built:
    """One language folder a build left complete: what to say about it next time."""

    folder: Path
    name: str
    """``<leaflet-id>/<lang>``, as the report names its formats."""
    formats: tuple[str, ...]
    first_day: dt.date | None
    last_day: dt.date | None
    """The days on which its manifest says the same about the review (None: unbounded)."""


@cache
def code_hash() -> str:
    """Return a hash of every file of the package but bytecode (a code change rebuilds).

    Worked out once per process. The files are read unless the user's cache keeps their hash
    with the signature they have now (``code_signature``; as a stamp keeps it for its output
    folder): a build into a new folder, which has no stamp, or the planning of any full build
    then reads no file of the package (1.6 MB, 0.01 s of CPU on the command line's own start,
    before any writer runs).
    """
    sign = code_signature()
    kept = _user_kept(sign)
    if kept is not None:
        return kept
    digest = _read_code()
    if sign:
        _keep_for_user(sign, digest)
    return digest


def _read_code() -> str:
    """Return the hash of every file of the package but bytecode, read now."""
    digest = hashlib.sha256()
    for path in _files(PACKAGE):
        if "__pycache__" not in path.parts:
            digest.update(os.fsencode(path.relative_to(PACKAGE).as_posix()) + path.read_bytes())
    return digest.hexdigest()


def _user_file() -> Path | None:
    """Return where the user's cache keeps this package's hash (one file per installed copy)."""
    from lmets_docs import usercache  # noqa: PLC0415 (not for the unchanged build's shortcut)

    folder = usercache.folder("code")
    name = hashlib.sha256(os.fsencode(PACKAGE.resolve())).hexdigest()[:24]
    return None if folder is None else folder / f"{name}.txt"


def _user_kept(sign: str) -> str | None:
    """Return the package's hash kept in the user's cache for files of signature ``sign``."""
    from lmets_docs import usercache  # noqa: PLC0415

    path = _user_file() if sign else None
    kept = usercache.read(path) if path is not None else None
    if kept is None:
        return None
    kept_sign, _, digest = kept.decode("ascii", errors="replace").partition(" ")
    if kept_sign != sign or len(digest) != 64 or set(digest) - set("0123456789abcdef"):
        return None
    return digest


def _keep_for_user(sign: str, digest: str) -> None:
    """Keep the package's hash, with its files' signature, in the user's cache (if it can)."""
    from lmets_docs import usercache  # noqa: PLC0415

    if (path := _user_file()) is not None:
        usercache.keep(path, f"{sign} {digest}".encode("ascii"))


def signature(path: Path) -> list[int] | None:
    """Return what the file system says of a regular file (size, modification and change times
    in ns, inode, device), without reading it; None for anything else or a missing file."""
    try:
        info = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    return [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev]


def _coarse_now() -> int | None:
    """Return the tick of the clock Linux stamps files with (CLOCK_REALTIME_COARSE), in ns; None
    elsewhere. A file whose change time is older than this tick cannot change again and keep
    it: any change from now on is stamped with this tick or a later one."""
    if not sys.platform.startswith("linux"):
        return None
    return time.clock_gettime_ns(5)  # CLOCK_REALTIME_COARSE (not named in ``time``)


def _settled(sign: list[int] | None, tick: int | None) -> bool:
    """Say whether a signature may be kept: a regular file changed before the clock's tick."""
    return sign is not None and tick is not None and sign[2] < tick


def code_signature() -> str:
    """Return a digest of the package's files' signatures (none read), or "".

    Equal digests mean the same files as when the stamp kept the code's hash with it. "" (no
    kept hash will do) when a file is racy (``_settled``), or is not a regular file (a link's
    own signature does not change with what it points to). Every command line's start pays
    this (about 250 files): one ``lstat`` each and the text of their signatures, hashed once.
    """
    tick = _coarse_now()
    if tick is None:
        return ""
    lines = []
    try:
        for name, info in _tree(str(PACKAGE)):
            if not stat.S_ISREG(info.st_mode) or info.st_ctime_ns >= tick:  # ``_settled``
                return ""
            lines.append(f"{name}\0{info.st_size} {info.st_mtime_ns} {info.st_ctime_ns} "
                         f"{info.st_ino} {info.st_dev}\0")
    except OSError:  # a file went while looking: let ``code_hash`` say
        return ""
    return hashlib.sha256(os.fsencode("".join(lines))).hexdigest()


def _tree(root: str, prefix: str = "",
          found: list[tuple[str, os.stat_result]] | None = None
          ) -> list[tuple[str, os.stat_result]]:
    """Return each entry under ``root`` but folders and bytecode, sorted, with its ``lstat``."""
    found = [] if found is None else found
    with os.scandir(root) as entries:
        listed = sorted(entries, key=_name)
    for entry in listed:
        if entry.is_dir(follow_symlinks=False):
            if entry.name != "__pycache__":
                _tree(entry.path, f"{prefix}{entry.name}/", found)
        else:
            found.append((f"{prefix}{entry.name}", entry.stat(follow_symlinks=False)))
    return found


def _name(entry: os.DirEntry[str]) -> str:
    return entry.name


def templates_hash(folder: Path | None) -> str:
    """Return a hash of a user's template overrides (empty when there are none)."""
    if folder is None or not folder.is_dir():
        return ""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(os.fsencode(path.relative_to(folder).as_posix()) + path.read_bytes())
    return digest.hexdigest()


def command(paths: Iterable[Path], options: BuildOptions) -> str:
    """Return, as text, what decides a build's outputs besides the files: paths and options."""
    return json.dumps({
        "stamp": STAMP_VERSION, "tool": __version__,
        "paths": [real_path(p).as_posix() for p in paths],
        "out": real_path(options.out).as_posix(),
        "templates": real_path(options.templates).as_posix() if options.templates else None,
        "formats": list(options.formats), "langs": list(options.langs),
        **{name: _plain(getattr(options, name)) for name in formats.all_options()},
    })


def _plain(value: object) -> object:
    """Return an option's value as JSON can hold it (a path as text)."""
    return str(value) if isinstance(value, Path) else value


def _files(root: Path) -> Iterator[Path]:
    """Yield every file under ``root`` in a stable order, and each link to a folder."""
    for folder, dirs, names in os.walk(root):
        dirs.sort()
        links = [d for d in dirs if Path(folder, d).is_symlink()]
        yield from (Path(folder, name) for name in sorted([*names, *links]))


def inputs_digest(paths: list[Path], options: BuildOptions, code: str | None = None,
                  text: str | None = None) -> str | None:
    """Return the digest of everything a build reads, or None if the full build must look.

    Only regular files are read (a symbolic link, a FIFO or a device could point anywhere,
    block or never end): anything else takes the full build, whose validation judges it.
    ``code``: the package's hash, if known already (else ``code_hash``); ``text``: the
    ``command``, if made already (each of its paths resolved, link by link).
    """
    digest = hashlib.sha256((command(paths, options) if text is None else text).encode())
    code = code_hash() if code is None else code
    digest.update(f"\0{code}\0{templates_hash(options.templates)}\0"
                  f"{voice_files.fingerprint(options)}".encode())
    for root in paths:
        if not root.is_dir():
            return None  # the full build says what is wrong with it
        for path in _files(root):
            digest.update(b"\0" + os.fsencode(path.relative_to(root).as_posix()) + b"\0")
            if not _hash_regular(path, digest):
                return None
        for shared in contacts_files(root):  # the library's, above the folder given
            if not _hash_regular(shared, digest):
                return None
    return digest.hexdigest()


def _hash_regular(path: Path, digest: Any) -> bool:
    """Add a regular file's bytes to ``digest``; False (nothing read) for anything else."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:  # a symbolic link, or gone
        return False
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return False
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return True


class Stamp:
    """The stamp of one build command: read it, trust it, or replace it."""

    def __init__(self, paths: Iterable[Path], options: BuildOptions) -> None:
        self.paths = list(paths)
        self.options = options
        text = command(self.paths, options)
        key = hashlib.sha256(text.encode()).hexdigest()[:24]
        self.path = options.out / STAMPS / f"{key}.json"
        self.recorded = self._read()
        sign = code_signature()
        self.code = (sign, self._code_hash(sign))
        self.digest = inputs_digest(self.paths, options, self.code[1], text)
        self.said: list[str] = []
        """The languages' warnings the build said while loading (fixed words in English or
        from a draft): they depend on the catalogues and templates, which the digest covers."""
        self.withdrawn: list[tuple[Path, str]] = []
        """The output's leaflet folders whose source is gone, each with its warning: said
        again while the folder is there (the digest covers the library, not the output)."""

    def _code_hash(self, sign: str) -> str:
        """Return the package's hash: this process's if it has hashed its code already (the
        watch: the code it runs, whatever its files say later), else the one kept in the
        stamp if the files' signatures are the same (``sign``), else ``code_hash``."""
        kept = (self.recorded or {}).get("code")
        hashed = getattr(code_hash, "cache_info", None)
        if hashed is not None and hashed().currsize:
            return code_hash()
        if sign and isinstance(kept, list) and len(kept) == 2 and kept[0] == sign:
            return str(kept[1])
        return code_hash()

    def fresh(self, *, say: bool = True) -> BuildReport | None:
        """Return the report of a build that would change nothing, or None if it would.

        ``say``: log the manifests' warnings, as the full build does (else ``say_warnings``).
        """
        recorded = self.recorded
        if self.digest is None or recorded is None or recorded.get("inputs") != self.digest:
            return None
        try:
            manifests = [self._trusted(entry) for entry in recorded["folders"]]
        except (KeyError, TypeError, ValueError):  # a stamp from another version, or damaged
            return None
        report = BuildReport()
        said = recorded.get("said", [])
        report.warnings += [w for w in said if isinstance(w, str)] if isinstance(said, list) else []
        report.warnings += _still_withdrawn(self.options.out, recorded.get("withdrawn"))
        for entry, manifest in zip(recorded["folders"], manifests, strict=True):
            if manifest is None:
                return None
            report.folders.append(self.options.out / entry["folder"])
            report.reused += [f"{entry['name']}/{name}" for name in entry["formats"]]
            report.warnings += [*manifest["warnings"], *self._review_warning(manifest)]
            if manifest["review"].get("state") == "overdue":
                report.overdue.append(self.options.out / entry["folder"])
        if say:
            say_warnings(report.warnings)
        return report

    def _review_warning(self, manifest: dict[str, Any]) -> list[str]:
        """Return the due-soon warning a writing build says today, from a manifest (or none).

        Only a manifest whose review is due soon (the stamp holds it only while that is so)
        needs the review's words: the other up-to-date builds do not import them.
        """
        if manifest["review"].get("state") != "due-soon":
            return []
        from lmets_docs.review import due_soon_warning  # noqa: PLC0415

        due = dt.date.fromisoformat(manifest["review"]["next_review_due"])
        printed = manifest["facts"]["review.next_review_due"]["printed"]
        label = f"{manifest['leaflet']} ({manifest['lang']})"
        soon = due_soon_warning(label, due, printed, self.options.today)
        return [soon] if soon else []

    def _trusted(self, entry: dict[str, Any]) -> dict[str, Any] | None:
        folder = self.options.out / entry["folder"]
        return _trusted_manifest(folder, entry, self.options.today)

    def forget(self) -> None:
        """Remove the stamp (before a build changes what it vouched for)."""
        self.path.unlink(missing_ok=True)

    def record(self, built: list[Built]) -> None:
        """Write the stamp of a build that finished, with the digest taken before it started."""
        if self.digest is None:
            return
        tick = _coarse_now()
        folders = [self._entry(b, tick) for b in built]
        import uuid  # noqa: PLC0415 (not for the unchanged build's shortcut)

        tmp = self.path.with_name(f".{self.path.name}.{uuid.uuid4().hex[:8]}")
        record = {"inputs": self.digest, "code": list(self.code), "folders": folders,
                  "said": self.said, "withdrawn": [[folder.relative_to(self.options.out).as_posix(),
                                                    warning] for folder, warning in self.withdrawn]}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_text(json.dumps(record, indent=1), encoding="utf-8")
            os.replace(tmp, self.path)
        except OSError as exc:  # the outputs are in place; only the shortcut is lost
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)
            log.warning("%s: the build stamp could not be written (%s); the outputs are "
                        "complete, and the next build will check them again", self.path,
                        exc.strerror or exc)

    def _entry(self, built: Built, tick: int | None) -> dict[str, Any]:
        text = (built.folder / MANIFEST).read_bytes()
        return {"folder": built.folder.relative_to(self.options.out).as_posix(),
                "name": built.name, "formats": list(built.formats),
                "manifest": _sha256(text),
                "days": [_iso(built.first_day), _iso(built.last_day)],
                "seen": _seen(built.folder, json.loads(text), tick)}

    def _read(self) -> dict[str, Any] | None:
        try:
            data = json.loads(self.path.read_bytes())
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None


def _seen(folder: Path, manifest: dict[str, Any], tick: int | None) -> dict[str, list[int]]:
    """Return the signature of each artifact a manifest lists, where it may be kept (settled)."""
    seen = {}
    for artifact in manifest["artifacts"].values():
        for rel in artifact["files"].values():
            sign = signature(folder / rel)
            if sign is not None and _settled(sign, tick):
                seen[rel] = sign
    return seen


def _trusted_manifest(folder: Path, entry: dict[str, Any], today: dt.date) -> dict[str, Any] | None:
    """Return a folder's manifest if it and every artifact it lists are as built, and still true.

    An artifact is hashed unless its signature is the one kept when it was hashed last.
    """
    first, last = (dt.date.fromisoformat(d) if d else None for d in entry["days"])
    if (first and today < first) or (last and today > last):
        return None
    seen = entry.get("seen")
    seen = seen if isinstance(seen, dict) else {}
    try:
        text = (folder / MANIFEST).read_bytes()
        if _sha256(text) != entry["manifest"]:
            return None
        manifest: dict[str, Any] = json.loads(text)
        intact = all(_intact(folder / rel, seen.get(rel), artifact["sha256"].get(role))
                     for artifact in manifest["artifacts"].values()
                     for role, rel in artifact["files"].items())
    except OSError:  # a file is missing
        return None
    return manifest if intact else None


def _intact(path: Path, kept: list[int] | None, sha256: str | None) -> bool:
    """Say whether a file is as built: its signature as kept, or else its SHA-256 as listed."""
    if kept is not None and signature(path) == kept:
        return True
    return _sha256(path.read_bytes()) == sha256


def _still_withdrawn(out: Path, recorded: Any) -> list[str]:
    """Return the warnings of the withdrawn leaflets a stamp recorded whose folder is still in
    the output folder."""
    if not isinstance(recorded, list):
        return []
    return [str(entry[1]) for entry in recorded if isinstance(entry, list) and len(entry) == 2
            and (out / str(entry[0])).is_dir()]


def say_warnings(warnings: list[str]) -> None:
    """Log the manifests' warnings, each once, as the full build does (overdue, glossary …)."""
    for warning in dict.fromkeys(warnings):
        log.warning("%s", warning)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None
