"""Write hostile zip files by hand, for the import's safety tests.

``bomb`` is a real zip bomb: one entry of a gibibyte of zeros in about a megabyte of valid
deflate data (the same full-flush block repeated). ``crowd`` lists tens of thousands of
entries that all point at one local file (overlapping entries). ``liar`` declares a small
entry whose data unpacks to far more.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path

MIB = 1 << 20


def zeros_deflated(mebibytes: int) -> tuple[bytes, int]:
    """Return raw deflate data for ``mebibytes`` MiB of zeros, and its CRC-32."""
    chunk = b"\0" * MIB
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(mebibytes):
        crc = zlib.crc32(chunk, crc)
    return block * mebibytes + compressor.flush(), crc


def local_header(name: bytes, crc: int, packed: int, size: int) -> bytes:
    """Return a zip local file header for a deflated entry."""
    return struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, packed, size,
                       len(name), 0) + name


def central_header(name: bytes, crc: int, packed: int, size: int, offset: int) -> bytes:
    """Return a zip central directory header pointing at the local header at ``offset``."""
    return struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, crc, packed,
                       size, len(name), 0, 0, 0, 0, 0, offset) + name


def end_record(count: int, directory: int, offset: int) -> bytes:
    """Return the end-of-central-directory record."""
    return struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, directory, offset, 0)


def bomb(path: Path, mebibytes: int = 1024) -> Path:
    """Write a zip whose word/document.xml unpacks to ``mebibytes`` MiB of zeros."""
    data, crc = zeros_deflated(mebibytes)
    name, size = b"word/document.xml", mebibytes * MIB
    local = local_header(name, crc, len(data), size) + data
    central = central_header(name, crc, len(data), size, 0)
    path.write_bytes(local + central + end_record(1, len(central), len(local)))
    return path


def crowd(path: Path, count: int = 60000) -> Path:
    """Write a zip whose directory lists ``count`` entries, all pointing at one local file."""
    data = zlib.compress(b"<x/>")[2:-4]
    crc, name = zlib.crc32(b"<x/>"), b"a.xml"
    local = local_header(name, crc, len(data), 4) + data
    central = b"".join(central_header(f"e{i}.xml".encode(), crc, len(data), 4, 0)
                       for i in range(count))
    path.write_bytes(local + central + end_record(count, len(central), len(local)))
    return path


def liar(source: Path, path: Path, mebibytes: int = 64) -> Path:
    """Write a copy of a DOCX whose document part unpacks to ``mebibytes`` MiB of zeros while
    the zip's headers declare the original part's small size."""
    name = "word/document.xml"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        declared = old.getinfo(name).file_size
        for info in old.infolist():
            data = b"\0" * (mebibytes * MIB) if info.filename == name else old.read(info)
            new.writestr(info.filename, data)
        offset = new.getinfo(name).header_offset
    raw = bytearray(path.read_bytes())
    struct.pack_into("<I", raw, offset + 22, declared)
    central = raw.rfind(name.encode()) - 46
    assert raw[central:central + 4] == b"PK\x01\x02"
    struct.pack_into("<I", raw, central + 24, declared)
    path.write_bytes(bytes(raw))
    return path
