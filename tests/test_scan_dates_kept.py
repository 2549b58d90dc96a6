"""The date patterns' text is kept once per user, and is exactly what CLDR's data makes."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import babel
import pytest

from lmets_docs import scan_dates, usercache
from lmets_docs.scan import dates

LANGUAGES = ("en-GB", "cy", "ur", "fr", "ja", "ar")
SAID = {"en-GB": "the twenty-second of November, twenty twenty-five; Nov 22, 2025",
        "cy": "dau ddeg dau Tachwedd dau mil dau ddeg pump",
        "fr": "vingt-deux novembre deux mille vingt-cinq"}


@pytest.fixture
def kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Return the user's cache folder of date patterns, empty; no patterns compiled yet."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    scan_dates._patterns.cache_clear()
    yield tmp_path / "cache" / "lmets-docs" / "dates"
    scan_dates._patterns.cache_clear()


def _refuse_to_spell(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(lang: str) -> dict[str, int]:
        raise AssertionError(f"the numbers of {lang} were spelled again")

    monkeypatch.setattr(scan_dates, "spelled_years", refuse)
    monkeypatch.setattr(scan_dates, "spelled_days", refuse)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_kept_text_is_the_text_cldr_makes_and_is_read_back_without_spelling_numbers(
    kept: Path, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    made = scan_dates._sources(lang)
    assert scan_dates._kept_sources(lang) == made  # made, and kept
    (path,) = kept.iterdir()
    assert json.loads(usercache.read(path) or b"") == made
    _refuse_to_spell(monkeypatch)  # another process: the text is read, not made
    assert scan_dates._kept_sources(lang) == made
    assert [p.pattern for p in scan_dates._patterns(lang)] == made


@pytest.mark.parametrize("lang", sorted(SAID))
def test_dates_are_found_alike_with_the_kept_patterns(kept: Path, lang: str) -> None:
    fresh = list(dates(f"Due {SAID[lang]}.", lang))
    assert fresh and all(isinstance(day, dt.date) for _raw, day in fresh)
    scan_dates._patterns.cache_clear()  # as a new process: compiled from the kept text
    assert list(dates(f"Due {SAID[lang]}.", lang)) == fresh
    assert len(list(kept.iterdir())) == 1


@pytest.mark.parametrize("damage", ["a byte changed", "not JSON", "not three texts", "empty"])
def test_a_damaged_or_strange_kept_file_is_made_again(
    kept: Path, monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    made = scan_dates._kept_sources("en-GB")
    (path,) = kept.iterdir()
    if damage == "a byte changed":
        data = bytearray(path.read_bytes())
        data[-5] ^= 1
        path.write_bytes(bytes(data))
    else:
        usercache.keep(path, {"not JSON": b"[\"(?P<d>", "not three texts": b'["x"]',
                              "empty": b"[]"}[damage])
    assert scan_dates._kept_sources("en-GB") == made
    assert json.loads(usercache.read(path) or b"") == made  # and kept whole again


def test_other_cldr_data_or_code_keeps_its_own_text(
    kept: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scan_dates._kept_sources("en-GB")
    monkeypatch.setattr(babel, "__version__", "0.0-other")
    _refuse_to_spell(monkeypatch)
    with pytest.raises(AssertionError, match="spelled again"):
        scan_dates._kept_sources("en-GB")  # another babel: its text is not the one kept
    monkeypatch.undo()
    monkeypatch.setenv("XDG_CACHE_HOME", str(kept.parent.parent))
    assert scan_dates._key("en-GB") != scan_dates._key("en-US")


def test_a_cache_folder_that_cannot_be_written_costs_only_the_making(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a file").write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "a file"))
    assert scan_dates._kept_sources("cy") == scan_dates._sources("cy")
    with pytest.raises(ValueError, match="unknown language tag"):
        scan_dates._kept_sources("xx-not-a-language")
