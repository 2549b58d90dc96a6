"""The build pipeline: manifest, up-to-date detection, and nothing lost on failure."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from lmets_docs import writers
from lmets_docs.build import build
from lmets_docs.cli import cli
from lmets_docs.errors import BuildError, ContentError
from lmets_docs.options import BuildOptions

from . import writers_for_tests


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> None:
    """Register the test writers next to the real ones."""
    patched = dict(writers.WRITERS, txt="tests.writers_for_tests", fail="tests.fail_writer")
    monkeypatch.setattr(writers, "WRITERS", patched)
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
    assert manifest["facts"]["helpline.phone"] == {
        "printed": "0808 800 4040",
        "spoken": "0 8 0 8, 8 0 0, 4 0 4 0",
        "link": "tel:+448088004040",
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
    assert "leaflet.yaml:2: malformed YAML" in result.stderr
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
