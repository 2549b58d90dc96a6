"""The build pipeline: manifest, up-to-date detection, and nothing lost on failure."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
import re
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

import pytest
from click.testing import CliRunner

from lmets_docs import build as build_module
from lmets_docs import formats
from lmets_docs.build import build
from lmets_docs.build import plan as plan_module
from lmets_docs.build import stamp as stamp_module
from lmets_docs.build.library import Library
from lmets_docs.check import docx as check_docx
from lmets_docs.check.findings import Finding, error
from lmets_docs.cli import cli
from lmets_docs.errors import BuildError, ContentError
from lmets_docs.model import Leaflet
from lmets_docs.options import BuildOptions
from lmets_docs.review import review_days, review_status
from tests import writers_for_tests
from tests.conftest import BEFORE_DUE


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> None:
    """Register the test writers next to the real ones."""
    patched = dict(formats.FORMATS, txt=formats.Format("txt", "tests.writers_for_tests", None),
                   fail=formats.Format("fail", "tests.fail_writer", None))
    monkeypatch.setattr(formats, "FORMATS", patched)
    monkeypatch.setitem(
        __import__("sys").modules,
        "tests.fail_writer",
        type("M", (), {"WRITER": writers_for_tests.FAILING}),
    )


def _opts(options: BuildOptions, *formats: str, **changes: object) -> BuildOptions:
    return dataclasses.replace(options, formats=formats, jobs=1, **changes)  # type: ignore[arg-type]


def _lang_dir(options: BuildOptions) -> Path:
    return options.out / "leptomeningeal-metastases" / "en-GB"


@pytest.mark.usefixtures("registry")
def test_manifest_records_source_facts_and_artifacts(
    leaflet_dir: Path, options: BuildOptions
) -> None:
    report = build([leaflet_dir], _opts(options, "txt"))
    folder = _lang_dir(options)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert report.folders == [folder]
    assert manifest["leaflet"] == "leptomeningeal-metastases"
    assert manifest["lang"] == "en-GB"
    assert len(manifest["source_hash"]) == 64
    assert manifest["facts"]["contacts.helpline.phone"] == {
        "printed": "0808 800 4040",
        "spoken": "0 8 0 8, 8 0 0, 4 0 4 0",
        "link": "tel:+448088004040",
        "value": None,
    }
    assert manifest["artifacts"]["txt"]["files"] == {"txt": "leptomeningeal-metastases.txt"}
    assert manifest["artifacts"]["txt"]["engines"] == {"txt": "plain"}
    assert manifest["review"]["state"] == "current"
    assert "0808 800 4040" in (folder / "leptomeningeal-metastases.txt").read_text(encoding="utf-8")
    assert not list((options.out / "leptomeningeal-metastases").glob(".tmp-*"))


@pytest.mark.usefixtures("registry")
def test_unchanged_rebuild_writes_nothing(leaflet_dir: Path, options: BuildOptions) -> None:
    build([leaflet_dir], _opts(options, "txt"))
    again = build([leaflet_dir], _opts(options, "txt"))
    assert again.written == [] and again.reused == ["leptomeningeal-metastases/en-GB/txt"]
    text = leaflet_dir / "en-GB.md"
    text.write_text(text.read_text(encoding="utf-8").replace("x-rays", "X-rays"), encoding="utf-8")
    changed = build([leaflet_dir], _opts(options, "txt"))
    assert changed.written == ["leptomeningeal-metastases/en-GB/txt"]
    assert "X-rays" in (_lang_dir(options) / "leptomeningeal-metastases.txt").read_text(
        encoding="utf-8"
    )


@pytest.mark.usefixtures("registry")
def test_tampered_artifact_is_rebuilt(leaflet_dir: Path, options: BuildOptions) -> None:
    build([leaflet_dir], _opts(options, "txt"))
    artifact = _lang_dir(options) / "leptomeningeal-metastases.txt"
    artifact.write_text("edited by hand", encoding="utf-8")
    report = build([leaflet_dir], _opts(options, "txt"))
    assert report.written == ["leptomeningeal-metastases/en-GB/txt"]
    assert "edited by hand" not in artifact.read_text(encoding="utf-8")


@pytest.mark.usefixtures("registry")
def test_failed_build_leaves_last_good_outputs_untouched(
    leaflet_dir: Path, options: BuildOptions
) -> None:
    build([leaflet_dir], _opts(options, "txt"))
    folder = _lang_dir(options)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    text = leaflet_dir / "en-GB.md"
    text.write_text(text.read_text(encoding="utf-8").replace("x-rays", "X-rays"), encoding="utf-8")
    with pytest.raises(BuildError, match="the engine fell over"):
        build([leaflet_dir], _opts(options, "txt", "fail"))
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert not list((options.out / "leptomeningeal-metastases").glob(".tmp-*"))


@pytest.mark.usefixtures("registry")
def test_bad_content_builds_nothing(leaflet_dir: Path, options: BuildOptions) -> None:
    text = leaflet_dir / "en-GB.md"
    text.write_text(
        text.read_text(encoding="utf-8").replace("{{ forum.name }}", "{{ forum }}"),
        encoding="utf-8",
    )
    with pytest.raises(ContentError, match="unknown fact"):
        build([leaflet_dir], _opts(options, "txt"))
    assert not options.out.exists()


@pytest.mark.usefixtures("registry")
def test_overdue_leaflet_builds_with_a_loud_warning(
    leaflet_dir: Path, options: BuildOptions
) -> None:
    report = build([leaflet_dir], _opts(options, "txt", today=dt.date(2026, 11, 23)))
    assert any("OUT OF DATE" in w and "22 November 2022" in w for w in report.warnings)
    manifest = json.loads((_lang_dir(options) / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["review"]["state"] == "overdue"
    assert "OUT OF DATE" in manifest["warnings"][0]


@pytest.mark.usefixtures("registry")
def test_parallel_build_of_two_formats(leaflet_dir: Path, options: BuildOptions) -> None:
    with pytest.raises(BuildError):
        build([leaflet_dir], dataclasses.replace(options, formats=("txt", "fail"), jobs=2))
    assert not _lang_dir(options).exists()


def test_cli_usage_error_exits_2(leaflet_dir: Path) -> None:
    result = CliRunner(mix_stderr=False).invoke(
        cli, ["build", str(leaflet_dir), "--format", "nope"]
    )
    assert result.exit_code == 2
    assert "Invalid value for '--format'" in result.stderr


def test_cli_bad_content_exits_1_without_traceback(leaflet_dir: Path, tmp_path: Path) -> None:
    (leaflet_dir / "leaflet.yaml").write_text("id: [\n", encoding="utf-8")
    result = CliRunner(mix_stderr=False).invoke(
        cli, ["build", str(leaflet_dir), "--out", str(tmp_path / "out")]
    )
    assert result.exit_code == 1
    assert "leaflet.yaml:1: a '[' opened on this line is not closed with ']'" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.usefixtures("registry")
def test_single_format_build_keeps_the_other_formats(
    leaflet_dir: Path, options: BuildOptions
) -> None:
    build([leaflet_dir], _opts(options, "txt"))
    build([leaflet_dir], _opts(options, "docx"))
    manifest = json.loads((_lang_dir(options) / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["artifacts"]) == {"txt", "docx"}


# --- the stamp: an unchanged build loads and writes nothing ------------------------------------


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the builds that loaded their sources (took the full path)."""
    calls: list[int] = []
    real = build_module.load_library

    def counting(paths: Iterable[Path], options: BuildOptions) -> Library:
        calls.append(1)
        return real(paths, options)

    monkeypatch.setattr(build_module, "load_library", counting)
    return calls


def _snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir()}


@pytest.mark.usefixtures("registry")
def test_unchanged_build_loads_and_writes_nothing(
    leaflet_dir: Path, options: BuildOptions, loads: list[int]
) -> None:
    opts = _opts(options, "txt")
    build([leaflet_dir], opts)
    before = _snapshot(_lang_dir(options))
    again = build([leaflet_dir], opts)
    assert loads == [1]
    assert again.written == [] and again.reused == ["leptomeningeal-metastases/en-GB/txt"]
    assert again.folders == [_lang_dir(options)]
    assert _snapshot(_lang_dir(options)) == before


@pytest.mark.usefixtures("registry")
@pytest.mark.parametrize(
    "change", ["source", "new file", "template", "option", "code", "missing artifact", "manifest"]
)
def test_any_change_takes_the_full_build(
    leaflet_dir: Path,
    options: BuildOptions,
    loads: list[int],
    monkeypatch: pytest.MonkeyPatch,
    change: str,
) -> None:
    templates = leaflet_dir.parent.parent / "templates"
    (templates / "pdf").mkdir(parents=True)
    opts = _opts(options, "txt", templates=templates)
    build([leaflet_dir], opts)
    text, folder = leaflet_dir / "en-GB.md", _lang_dir(options)
    if change == "source":
        text.write_bytes(text.read_bytes() + b"\n")
    elif change == "new file":
        (leaflet_dir / "figure.png").write_bytes(b"not used yet")
    elif change == "template":
        (templates / "pdf" / "leaflet.css").write_text("body { color: black }", encoding="utf-8")
    elif change == "option":
        opts = dataclasses.replace(opts, profile="giant")
    elif change == "code":
        monkeypatch.setattr(stamp_module, "code_hash", lambda: "changed")
        monkeypatch.setattr(stamp_module, "code_signature", lambda: "changed too")
        monkeypatch.setattr(plan_module, "code_hash", lambda: "changed")
    elif change == "missing artifact":
        (folder / "leptomeningeal-metastases.txt").unlink()
    else:
        manifest = folder / "manifest.json"
        manifest.write_text(manifest.read_text(encoding="utf-8") + " ", encoding="utf-8")
    report = build([leaflet_dir], opts)
    assert loads == [1, 1]
    assert (folder / "leptomeningeal-metastases.txt").is_file()
    if change in {"source", "code", "missing artifact"}:
        assert report.written == ["leptomeningeal-metastases/en-GB/txt"]
    assert build([leaflet_dir], opts).written == []
    assert loads == [1, 1]  # and the next build is quick again


@pytest.mark.usefixtures("registry")
def test_unchanged_overdue_build_still_warns_and_a_day_later_rebuilds_the_manifest(
    leaflet_dir: Path, options: BuildOptions, loads: list[int], caplog: pytest.LogCaptureFixture
) -> None:
    overdue = _opts(options, "txt", today=dt.date(2026, 11, 23))
    build([leaflet_dir], overdue)
    caplog.clear()
    again = build([leaflet_dir], overdue)
    assert loads == [1]
    assert any("OUT OF DATE" in w and "1462 days ago" in w for w in again.warnings)
    assert [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING] == (
        again.warnings  # the overdue review, then the seed's undefined glossary term
    )
    assert len(again.warnings) == 2 and "glossary term" in again.warnings[1]
    later = build([leaflet_dir], dataclasses.replace(overdue, today=dt.date(2026, 11, 24)))
    assert loads == [1, 1] and later.written == []
    manifest = json.loads((_lang_dir(options) / "manifest.json").read_text(encoding="utf-8"))
    assert "1463 days ago" in manifest["warnings"][0]


@pytest.mark.usefixtures("registry")
def test_artifacts_are_rebuilt_when_the_review_falls_overdue(
    leaflet_dir: Path, options: BuildOptions
) -> None:
    build([leaflet_dir], _opts(options, "txt", today=BEFORE_DUE))
    due_soon = build([leaflet_dir], _opts(options, "txt", today=dt.date(2022, 11, 22)))
    overdue = build([leaflet_dir], _opts(options, "txt", today=dt.date(2022, 11, 23)))
    assert due_soon.written == []
    assert overdue.written == ["leptomeningeal-metastases/en-GB/txt"]


@pytest.mark.parametrize("today", [dt.date(2022, 6, 1), dt.date(2022, 9, 1), dt.date(2023, 1, 9)])
def test_review_days_are_the_days_the_manifest_stays_true(
    seed_leaflet: Leaflet, today: dt.date
) -> None:
    def said(day: dt.date) -> tuple[str, int | None]:
        """Return what a manifest made on ``day`` says: the state, and the days if overdue."""
        status = review_status(seed_leaflet.facts.review, day)
        return status.state.value, status.days_left if status.overdue else None

    first, last = review_days(seed_leaflet.facts.review, today)
    one = dt.timedelta(days=1)
    assert all(said(day) == said(today) for day in (first, last) if day is not None)
    assert all(
        said(day) != said(today)
        for day in (first and first - one, last and last + one)
        if day is not None
    )
    assert last is not None  # every leaflet falls due one day


def test_cli_unchanged_build_imports_no_parser_and_writes_nothing(
    leaflet_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    args = [
        "build",
        str(leaflet_dir),
        "--format",
        "docx",
        "--tts",
        "espeak",
        "--out",
        str(out),
        "--templates",
        str(tmp_path / "none"),
        "--today",
        "2022-06-01",  # not due: an overdue review is an error, which ``cli`` says (``check``)
    ]
    first = CliRunner(mix_stderr=False).invoke(cli, args)
    assert first.exit_code == 0, first.stderr
    assert "1 written, 0 up to date" in first.output
    assert re.search(r"check: 0 errors, \d+ warnings? in 2 files", first.output)
    manifest = out / "leptomeningeal-metastases" / "en-GB" / "manifest.json"
    before = manifest.stat().st_mtime_ns
    probe = (
        "import sys; from lmets_docs.cli import main; sys.argv = ['lmets-docs', *sys.argv[1:]]\n"
        "try:\n    main()\nexcept SystemExit as exit:\n    assert not exit.code\n"
        "heavy = {'pydantic', 'markdown_it', 'babel', 'phonenumbers', 'docx'} & set(sys.modules)\n"
        "assert not heavy, heavy"
    )
    again = subprocess.run(
        [sys.executable, "-c", probe, *args], capture_output=True, text=True, check=False
    )
    assert again.returncode == 0, again.stderr
    assert "built " not in again.stdout  # nothing was built: it is not said to be
    assert "0 written, 1 up to date" in again.stdout and "check:" not in again.stdout
    assert "WARNING: " in again.stderr and "glossary term 'lumbar puncture'" in again.stderr
    assert manifest.stat().st_mtime_ns == before


def test_cli_bad_source_after_a_good_build_is_reported_with_file_and_line(
    leaflet_dir: Path, tmp_path: Path
) -> None:
    args = [
        "build",
        str(leaflet_dir),
        "--format",
        "docx",
        "--out",
        str(tmp_path / "out"),
        "--templates",
        str(tmp_path / "none"),
        "--today",
        "2022-06-01",  # not overdue (an error, though the build installs it)
    ]
    assert CliRunner(mix_stderr=False).invoke(cli, args).exit_code == 0
    text = leaflet_dir / "en-GB.md"
    text.write_text(
        text.read_text(encoding="utf-8").replace("{{ forum.name }}", "{{ forum }}"),
        encoding="utf-8",
    )
    result = CliRunner(mix_stderr=False).invoke(cli, args)
    assert result.exit_code == 1
    assert re.search(r"en-GB\.md:\d+: .*unknown fact", result.stderr)
    assert "nothing was written" in result.stderr


@pytest.mark.usefixtures("registry")
def test_build_checks_each_format_where_its_files_end_up(
    leaflet_dir: Path, options: BuildOptions
) -> None:
    report = build([leaflet_dir], _opts(options, "txt"))
    manifest = _lang_dir(options) / "manifest.json"
    assert [(f.file, f.code) for f in report.findings] == [(manifest, "unknown-format")]
    unchecked = build([leaflet_dir], _opts(options, "txt", check=False, profile="giant"))
    assert unchecked.findings == []


def test_cli_build_fails_on_what_checking_the_new_files_found(
    leaflet_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(path: Path, *_args: object, **_kwargs: object) -> list[Finding]:
        return [error(path, "body", "broken on purpose", "test-broken")]

    monkeypatch.setattr(check_docx, "accessibility", broken)
    out = tmp_path / "out"
    result = CliRunner(mix_stderr=False).invoke(
        cli,
        [
            "build",
            str(leaflet_dir),
            "--format",
            "docx",
            "--out",
            str(out),
            "--templates",
            str(tmp_path / "none"),
            "--today",
            BEFORE_DUE.isoformat(),
        ],
    )
    docx = out / "leptomeningeal-metastases" / "en-GB" / "leptomeningeal-metastases-leaflet.docx"
    assert result.exit_code == 1
    assert f"{docx}\n  error: body: broken on purpose [test-broken]" in result.output
    assert "check: 1 error, 0 warnings in 1 file" in result.output
    assert ".tmp-" not in result.output
    assert f"not installed {docx.parent}" in result.output
    assert not docx.parent.exists(), "a build that fails its own check installs nothing"


def test_unwritable_output_is_an_error_not_a_traceback(leaflet_dir: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    result = CliRunner(mix_stderr=False).invoke(
        cli, ["build", str(leaflet_dir), "--format", "docx", "--out", str(blocker / "out")]
    )
    assert result.exit_code == 1
    assert f"{blocker / 'out'}: not a folder: a file" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_build_whose_check_fails_keeps_failing(leaflet_dir: Path, tmp_path: Path) -> None:
    """A house template that prints a wrong number fails every build, not only the first."""
    templates = tmp_path / "templates" / "pdf"
    templates.mkdir(parents=True)
    (templates / "leaflet.html").write_text(
        '{% extends "builtin/leaflet.html" %}{% block title_page_extra %}'
        "<p>Out of hours: 0800 500 3000</p>{% endblock %}",
        encoding="utf-8",
    )
    args = [
        "build",
        str(leaflet_dir),
        "--format",
        "pdf",
        "--out",
        str(tmp_path / "out"),
        "--today",
        "2022-06-01",  # not overdue (an error of its own)
        "--templates",
        str(tmp_path / "templates"),
    ]
    good = CliRunner(mix_stderr=False).invoke(cli, [*args[:-1], str(tmp_path / "none")])
    assert good.exit_code == 0, good.output
    folder = tmp_path / "out" / "leptomeningeal-metastases" / "en-GB"
    before = {p: p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
    for _ in range(2):
        result = CliRunner(mix_stderr=False).invoke(cli, args)
        assert result.exit_code == 1, result.output
        assert "'0800 500 3000' is not the helpline's '0808 800 4040'" in result.output
        assert f"not installed {folder}" in result.output
        # Nothing of the rejected build is installed: every file as the good build left it.
        assert {p: p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()} == before
        assert [p.name for p in folder.parent.iterdir()] == ["en-GB"]
