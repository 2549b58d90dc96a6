"""Each YAML text is parsed once per process, however many readers ask (``yamlsrc.parse_yaml``).

Loading the seed asked PyYAML for its ``leaflet.yaml`` five times (the loader, three fact
checks, the library file's warnings): 40 % of a warm load's CPU.
"""

from __future__ import annotations

import logging
import sys
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from lmets_docs.build import load_library
from lmets_docs.errors import Problem
from lmets_docs.options import BuildOptions
from lmets_docs.source import yamlsrc
from tests.conftest import SEED


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> Counter[tuple[str, int]]:
    """Count PyYAML's parses, by file and first line, from an empty memory."""
    counted: Counter[tuple[str, int]] = Counter()
    parse = yamlsrc._parse

    def counting(text: str, path: Path, first_line: int, lang: str | None) -> yamlsrc.Parsed:
        counted[(path.name, first_line)] += 1
        return parse(text, path, first_line, lang)

    monkeypatch.setattr(yamlsrc, "_PARSED", {})
    monkeypatch.setattr(yamlsrc, "_parse", counting)
    return counted


def test_loading_a_leaflet_parses_each_yaml_text_once(
        parses: Counter[tuple[str, int]], tmp_path: Path) -> None:
    library = load_library([SEED], BuildOptions(out=tmp_path / "out", templates=None))

    assert [leaflet.id for leaflet in library.leaflets] == ["leptomeningeal-metastases"]
    assert parses == {("leaflet.yaml", 1): 1, ("en-GB.md", 2): 1}
    load_library([SEED], BuildOptions(out=tmp_path / "out", templates=None))
    assert parses == {("leaflet.yaml", 1): 1, ("en-GB.md", 2): 1}  # the same texts: kept


def test_an_edited_text_is_parsed_again(parses: Counter[tuple[str, int]], tmp_path: Path,
                                        leaflet_dir: Path) -> None:
    options = BuildOptions(out=tmp_path / "out", templates=None)
    load_library([leaflet_dir], options)
    yaml = leaflet_dir / "leaflet.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace(
        "Cancer Research UK information nurses", "The information nurses"), encoding="utf-8")

    leaflet = load_library([leaflet_dir], options).leaflets[0]

    assert parses[("leaflet.yaml", 1)] == 2
    assert "The information nurses" in repr(leaflet.facts)
    assert "Cancer Research UK information nurses" not in repr(leaflet.facts)


TEXT = "name: x\nlist:\n  - {a: 1, b: [2, 3]}\n  - plain\n"


def test_each_reader_gets_its_own_copy(parses: Counter[tuple[str, int]]) -> None:
    data, lines, problems = yamlsrc.parse_yaml(TEXT, Path("a.yaml"))
    data["name"] = "changed"
    data["list"][0]["b"].append(4)
    data["list"].append("more")
    lines.clear()
    problems.append(Problem(Path("a.yaml"), 1, "made up"))

    again: Any = yamlsrc.parse_yaml(TEXT, Path("a.yaml"))

    assert again == ({"name": "x", "list": [{"a": 1, "b": [2, 3]}, "plain"]},
                     {(): 1, ("name",): 1, ("list",): 2, ("list", 0): 3, ("list", 0, "a"): 3,
                      ("list", 0, "b"): 3, ("list", 0, "b", 0): 3, ("list", 0, "b", 1): 3,
                      ("list", 1): 4}, [])
    assert parses == {("a.yaml", 1): 1}


def test_what_else_a_parse_depends_on_is_part_of_its_key(
        parses: Counter[tuple[str, int]]) -> None:
    text = "note: a\u200bb\n"  # a zero-width space: refused in English, as anywhere
    first = yamlsrc.parse_yaml(text, Path("a.yaml"))
    other_file = yamlsrc.parse_yaml(text, Path("b.yaml"))
    other_line = yamlsrc.parse_yaml(text, Path("a.yaml"), first_line=5)

    assert [str(p) for p in first[2]] == [f"a.yaml:1: {first[2][0].message}"]
    assert [str(p) for p in other_file[2]] == [f"b.yaml:1: {first[2][0].message}"]
    assert [p.line for p in other_line[2]] == [5]
    assert yamlsrc.parse_yaml(text, Path("a.yaml")) == first  # a problem is kept too
    assert parses == {("a.yaml", 1): 1, ("b.yaml", 1): 1, ("a.yaml", 5): 1}


def test_memory_is_bounded(parses: Counter[tuple[str, int]]) -> None:
    for number in range(yamlsrc.PARSED_KEPT + 5):
        yamlsrc.parse_yaml(f"n: {number}\n", Path("n.yaml"))
    long = "k: " + "x" * yamlsrc.PARSED_MAX_CHARS + "\n"
    yamlsrc.parse_yaml(long, Path("long.yaml"))
    yamlsrc.parse_yaml(long, Path("long.yaml"))
    yamlsrc.parse_yaml("n: 0\n", Path("n.yaml"))  # the oldest: gone
    yamlsrc.parse_yaml(f"n: {yamlsrc.PARSED_KEPT + 4}\n", Path("n.yaml"))  # the newest: kept

    assert len(yamlsrc._PARSED) == yamlsrc.PARSED_KEPT
    assert parses == {("n.yaml", 1): yamlsrc.PARSED_KEPT + 6, ("long.yaml", 1): 2}


def test_a_watch_parses_each_leaflet_file_before_the_first_change(
        parses: Counter[tuple[str, int]], tmp_path: Path, leaflet_dir: Path) -> None:
    """So a watched build after an edit of a language's text parses no ``leaflet.yaml``."""
    options = BuildOptions(out=tmp_path / "out", templates=None, formats=("docx",))

    def warm_then_load() -> tuple[dict[tuple[str, int], int], dict[tuple[str, int], int],
                                  list[str]]:
        from lmets_docs import watch  # noqa: PLC0415

        said: list[str] = []
        handler = logging.Handler()
        handler.emit = lambda record: said.append(record.getMessage())  # type: ignore[method-assign]
        logging.getLogger("lmets_docs").addHandler(handler)
        watch.warm(options, [leaflet_dir, tmp_path / "not a leaflet"])
        logging.getLogger("lmets_docs").removeHandler(handler)
        warmed = dict(parses)
        text = leaflet_dir / "en-GB.md"
        text.write_text(text.read_text(encoding="utf-8").replace(
            "The aim of treatment", "The aim of the treatment", 1), encoding="utf-8")
        load_library([leaflet_dir], options)
        return warmed, dict(parses), said

    from lmets_docs.watch import run_in_own_process  # noqa: PLC0415 (warming freezes the gc)

    status, counted = run_in_own_process(warm_then_load)

    assert status == 0
    assert counted == ({("leaflet.yaml", 1): 1},
                       {("leaflet.yaml", 1): 1, ("en-GB.md", 2): 1},
                       [])  # warming says nothing (the build says the glossary's warning)


def test_threads_parsing_side_by_side_keep_the_memory_whole(
        parses: Counter[tuple[str, int]], monkeypatch: pytest.MonkeyPatch) -> None:
    """A Dask worker's threads load leaflets at once: each gets its parse, the kept stay few.

    (Unlocked, two threads dropping the same oldest parse failed with a KeyError in about one
    run in three of these rounds: a race, so this test catches it only sometimes.)
    """
    monkeypatch.setattr(yamlsrc, "PARSED_KEPT", 4)
    switching = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads switch as often as they can
    try:
        for turn in range(30):
            texts = [f"n: {turn}-{number}\n" for number in range(64)]
            with ThreadPoolExecutor(8) as pool:
                parsed = list(pool.map(
                    lambda text: yamlsrc.parse_yaml(text, Path("n.yaml"))[0], texts))
            assert parsed == [{"n": f"{turn}-{number}"} for number in range(64)]
            assert len(yamlsrc._PARSED) <= 4
    finally:
        sys.setswitchinterval(switching)
