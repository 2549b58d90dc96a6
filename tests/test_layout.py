"""The package's layout holds: readers never import writers, and only FORMATS names a format."""

from __future__ import annotations

import ast
import logging
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import lmets_docs
from lmets_docs.formats import FORMATS

PACKAGE = Path(lmets_docs.__file__).parent
READERS = ("check", "importer", "xliff", "listen", "ooxml", "sound")
"""The packages that read finished files back: they must not depend on how they were written."""
FORMAT_BLIND = ("cli.py", "build", "stamp.py")
"""Where no format is named: what a format is, and does, is a row of FORMATS."""


def _modules(*names: str) -> Iterator[Path]:
    for name in names:
        path = PACKAGE / name
        yield from sorted(path.rglob("*.py")) if path.is_dir() else [path]


def _imports(path: Path) -> Iterator[str]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


@pytest.mark.parametrize("package", READERS)
def test_the_readers_never_import_a_writer(package: str) -> None:
    modules = list(_modules(package))
    assert modules
    found = [f"{path.relative_to(PACKAGE)}: {name}" for path in modules
             for name in _imports(path) if name.startswith("lmets_docs.writers")]
    assert found == []


def test_a_reader_importing_a_writer_is_caught(tmp_path: Path) -> None:
    module = tmp_path / "reader.py"
    module.write_text("def f():\n    from lmets_docs.writers.audio.verify import measure\n")
    assert "lmets_docs.writers.audio.verify" in set(_imports(module))


def test_no_format_is_named_in_the_cli_build_or_stamp() -> None:
    named = [
        f"{path.relative_to(PACKAGE)}:{node.lineno}: {node.value!r}"
        for path in _modules(*FORMAT_BLIND) if path.exists()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and node.value in FORMATS
    ]
    assert named == []


def test_the_formats_table_and_the_stamp_import_nothing_heavy() -> None:
    code = ("import sys, lmets_docs.formats, lmets_docs.cli, lmets_docs.build.stamp; "
            "print(' '.join(m for m in ('pydantic', 'weasyprint', 'docx', 'numpy', 'lxml') "
            "if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True).stdout.split()
    assert loaded == []


def test_every_row_names_modules_that_exist() -> None:
    import importlib.util  # noqa: PLC0415

    for row in FORMATS.values():
        assert importlib.util.find_spec(row.writer), row.writer
        assert row.checker and importlib.util.find_spec(row.checker), row.checker
        assert set(row.needs) <= set(FORMATS)


def _speaks(path: Path) -> Iterator[str]:
    """Yield how a module writes to the terminal itself: print, click, sys.stdout/stderr."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id == "print":
            yield f"{path.name}:{node.lineno}: print"
        elif isinstance(node, ast.Attribute) and node.attr in {"stdout", "stderr"} \
                and isinstance(node.value, ast.Name) and node.value.id == "sys":
            yield f"{path.name}:{node.lineno}: sys.{node.attr}"
    yield from (f"{path.name}: imports {name}" for name in _imports(path)
                if name.split(".")[0] == "click")


COMMAND_LINE = {"cli.py", "launch.py"}
"""The command line: ``launch`` says "up to date" before ``cli`` (click) is imported."""


def test_only_the_command_line_draws_on_the_terminal() -> None:
    drawn = [line for path in sorted(PACKAGE.rglob("*.py")) if path.name not in COMMAND_LINE
             for line in _speaks(path)]
    assert drawn == []


def test_the_narration_reports_its_progress_as_steps_the_cli_draws(
    caplog: pytest.LogCaptureFixture,
) -> None:
    from lmets_docs.cli import _Bars  # noqa: PLC0415
    from lmets_docs.progress import LOGGER, Step, step  # noqa: PLC0415

    with caplog.at_level(logging.INFO, logger=LOGGER):
        step(Step("Narrating", 3, 4), "narrating %d/%d", 3, 4)
    [record] = caplog.records
    assert record.getMessage() == "narrating 3/4"
    assert getattr(record, "progress", None) == Step("Narrating", 3, 4)
    bars = _Bars()
    assert bars.filter(record) is False and bars.bars["Narrating"].pos == 3
    plain = logging.LogRecord("lmets_docs", logging.INFO, __file__, 1, "a step", None, None)
    assert bars.filter(plain) is True


def test_a_library_s_bar_is_the_only_one_drawn_while_it_runs() -> None:
    from lmets_docs.cli import _Bars  # noqa: PLC0415
    from lmets_docs.progress import LOGGER, Step  # noqa: PLC0415

    def record(step: Step) -> logging.LogRecord:
        made = logging.LogRecord(LOGGER, logging.INFO, __file__, 1, "a step", None, None)
        made.progress = step
        return made

    bars = _Bars()
    assert bars.filter(record(Step("leaflets", 0, 2))) is False
    assert bars.filter(record(Step("Narrating", 1, 4))) is False
    assert set(bars.bars) == {"leaflets"}, "a narration's bar would share the library's line"
    bars.filter(record(Step("leaflets", 2, 2)))
    assert bars.bars == {}
    bars.filter(record(Step("Narrating", 1, 4)))
    assert set(bars.bars) == {"Narrating"}


@pytest.mark.parametrize(("asked", "narrated"), [
    ((), True), (("audio",), True), (("html",), True), (("epub",), True),
    (("pdf",), False), (("braille",), False), (("pdf", "docx", "braille"), False),
])
def test_narration_is_said_from_the_rows(asked: tuple[str, ...], narrated: bool) -> None:
    from lmets_docs.formats import narrates  # noqa: PLC0415

    assert narrates(asked) is narrated
