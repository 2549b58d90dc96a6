"""A library with a broken, duplicated or misplaced leaflet: the others are built, each is said."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

from click.testing import CliRunner, Result

from lmets_docs.cli import cli
from tests.conftest import DATA

MINIMAL = DATA / "minimal"


def _leaflet(content: Path, folder: str, leaflet_id: str, title: str = "") -> Path:
    """Copy the minimal leaflet into ``content/folder`` with its own id (and title)."""
    dest = content / folder
    shutil.copytree(MINIMAL, dest)
    yaml = dest / "leaflet.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace(
        "id: minimal-leaflet", f"id: {leaflet_id}"), encoding="utf-8")
    if title:
        text = dest / "en-GB.md"
        text.write_text(text.read_text(encoding="utf-8").replace(
            "title: A minimal leaflet", f"title: {title}"), encoding="utf-8")
    return dest


def _build(content: Path, out: Path, *more: str) -> Result:
    args = ["build", str(content), "--format", "docx", "--out", str(out),
            "--templates", str(out.parent / "none"), "--today", "2022-06-01", *more]
    return CliRunner(mix_stderr=False).invoke(cli, args)


def _validate(content: Path) -> Result:
    return CliRunner(mix_stderr=False).invoke(cli, ["validate", str(content)])


def _docx(out: Path, leaflet_id: str) -> Path:
    return out / leaflet_id / "en-GB" / f"{leaflet_id}-leaflet.docx"


def _docx_text(path: Path) -> str:
    """Return the DOCX's document XML (its facts are in content controls, not paragraphs)."""
    with zipfile.ZipFile(path) as package:
        return package.read("word/document.xml").decode("utf-8")


def _phone(folder: Path, number: str) -> None:
    yaml = folder / "leaflet.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace("020 7946 0000", number),
                    encoding="utf-8")


def test_a_broken_leaflet_no_longer_stops_the_others(tmp_path: Path) -> None:
    content, out = tmp_path / "content", tmp_path / "out"
    good, broken = _leaflet(content, "a", "alpha"), _leaflet(content, "b", "beta")
    assert _build(content, out).exit_code == 0
    old_beta = (_docx(out, "beta")).read_bytes()
    _phone(good, "020 7946 0999")  # the urgent change
    _phone(broken, "020 7946 0999")
    yaml = broken / "leaflet.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace('opens: "10:00"', "opens: 10:00"),
                    encoding="utf-8")
    result = _build(content, out)
    assert result.exit_code == 1
    assert re.search(r"b/leaflet\.yaml:\d+: ", result.stderr), result.stderr
    assert f"not built {broken} (en-GB)" in result.stderr
    assert "nothing was written" not in result.stderr
    assert f"built {out / 'alpha' / 'en-GB'}" in result.stdout
    assert "020 7946 0999" in _docx_text(_docx(out, "alpha"))
    assert (_docx(out, "beta")).read_bytes() == old_beta
    # Not stamped as up to date: the next build says the broken leaflet again.
    again = _build(content, out)
    assert again.exit_code == 1 and f"not built {broken} (en-GB)" in again.stderr


def test_only_broken_leaflets_write_nothing(tmp_path: Path) -> None:
    content = tmp_path / "content"
    broken = _leaflet(content, "b", "beta")
    (broken / "en-GB.md").write_text("no front matter\n", encoding="utf-8")
    result = _build(content, tmp_path / "out")
    assert result.exit_code == 1 and "nothing was written" in result.stderr
    assert not (tmp_path / "out" / "beta").exists()


def test_a_duplicate_id_names_both_folders_and_neither_is_built(tmp_path: Path) -> None:
    content, out = tmp_path / "content", tmp_path / "out"
    _leaflet(content, "fatigue", "fatigue")
    copy = _leaflet(content, "breathlessness", "fatigue", title="Managing breathlessness")
    _leaflet(content, "other", "other")
    checked = _validate(content)
    assert checked.exit_code == 1
    line = next(n for n, text in enumerate(
        (copy / "leaflet.yaml").read_text(encoding="utf-8").splitlines(), 1)
        if text.startswith("id:"))
    assert (f"{copy}/leaflet.yaml:{line}: id 'fatigue' is also the id of {content / 'fatigue'}"
            in checked.stderr), checked.stderr
    assert f"{content / 'fatigue'}/leaflet.yaml:{line}: id 'fatigue' is also the id of {copy}" \
        in checked.stderr
    result = _build(content, out)
    assert result.exit_code == 1
    assert not (out / "fatigue").exists()
    assert (_docx(out, "other")).is_file()


def test_folders_that_are_not_leaflets_are_named_and_topics_are_searched(tmp_path: Path
                                                                         ) -> None:
    content, out = tmp_path / "content", tmp_path / "out"
    _leaflet(content, "a", "alpha")
    misnamed = _leaflet(content, "hair-loss", "hair-loss")
    (misnamed / "leaflet.yaml").rename(misnamed / "leaflet.yml")
    _leaflet(content / "support", "money-worries", "money-worries")
    (content / "images").mkdir()
    (content / ".git").mkdir()
    (content / ".git" / "x.md").write_text("not a leaflet", encoding="utf-8")
    checked = _validate(content)
    assert checked.exit_code == 1
    assert f"{misnamed}: not a leaflet: its file is named leaflet.yml" in checked.stderr
    assert "money-worries" in checked.stdout and ".git" not in checked.stderr
    assert f"{content / 'images'}: holds no leaflet" in checked.stderr
    result = _build(content, out)
    assert result.exit_code == 1
    assert f"not built {misnamed}" in result.stderr
    assert (_docx(out, "money-worries")).is_file()
    assert (_docx(out, "alpha")).is_file()


def test_the_output_folder_inside_the_content_is_not_a_leaflet(tmp_path: Path) -> None:
    content = tmp_path / "content"
    _leaflet(content, "a", "alpha")
    assert _build(content, content / "output").exit_code == 0
    again = _build(content, content / "output")
    assert again.exit_code == 0, again.stderr
    assert "holds no leaflet" not in again.stderr


def test_up_to_date_leaflets_are_not_said_to_be_built(tmp_path: Path) -> None:
    content, out = tmp_path / "content", tmp_path / "out"
    _leaflet(content, "a", "alpha")
    changed = _leaflet(content, "b", "beta")
    assert _build(content, out).exit_code == 0
    _phone(changed, "020 7946 0999")
    result = _build(content, out)
    assert result.exit_code == 0, result.stderr
    assert f"built {out / 'beta' / 'en-GB'}" in result.stdout
    assert f"built {out / 'alpha' / 'en-GB'}" not in result.stdout
    assert "1 written, 1 up to date" in result.stdout


def test_a_linked_leaflet_is_found_and_a_loop_is_looked_into_once(tmp_path: Path) -> None:
    content = tmp_path / "content"
    _leaflet(content, "a", "alpha")
    _leaflet(tmp_path / "elsewhere", "b", "beta")
    (content / "beta").symlink_to(tmp_path / "elsewhere" / "b")
    (content / "topic").mkdir()
    (content / "topic" / "loop").symlink_to(content)
    checked = _validate(content)
    assert checked.exit_code == 0, checked.stderr
    assert checked.stdout.count("(alpha, en-GB") == 1 and "(beta, en-GB" in checked.stdout


def test_a_broken_translation_stops_only_its_language(tmp_path: Path) -> None:
    content, out = tmp_path / "content", tmp_path / "out"
    folder = content / "clinic-contacts"
    shutil.copytree(DATA / "clinic-contacts", folder)
    welsh = folder / "cy.md"
    welsh.write_text(welsh.read_text(encoding="utf-8").replace(
        "{{ contacts.triage.phone }}", "{{ contacts.triage.fone }}", 1), encoding="utf-8")
    result = _build(content, out)
    assert result.exit_code == 1
    assert re.search(r"cy\.md:\d+: ", result.stderr), result.stderr
    assert f"not built {folder} (cy)" in result.stderr
    assert f"not built {folder} (en-GB)" not in result.stderr
    assert (out / "clinic-contacts" / "en-GB" / "manifest.json").is_file()
    assert (out / "clinic-contacts" / "ur" / "manifest.json").is_file()
    assert not (out / "clinic-contacts" / "cy").exists()
