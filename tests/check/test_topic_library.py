"""A library in topic folders sharing one ``contacts.yaml`` at its top (ut-library finding 2).

Each leaflet looks for a shared contact in the ``contacts.yaml`` of each folder above it,
nearest first, up to the library's root (``libraryfiles``). Real builds (DOCX), the real
check, and the files read back.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lmets_docs.libraryfiles import library_folders
from lmets_docs.source.shared import watched_files
from tests.check.test_library import NEW, OLD, SHARED, build, check, docx_text, leaflet
from tests.test_cli import run

NAMES = "    helpline: helpline\n"


@pytest.fixture
def topics(tmp_path: Path) -> Path:
    """Return ``content/`` with one contacts.yaml at its top and a leaflet in two topics."""
    content = tmp_path / "content"
    (content / "treatment").mkdir(parents=True)
    (content / "support").mkdir()
    (tmp_path / ".git").mkdir()  # the library's root: nothing above it is read
    (content / "contacts.yaml").write_text(SHARED, encoding="utf-8")
    leaflet(content / "treatment", "a", NAMES)
    leaflet(content / "support", "b", NAMES)
    return content


def docx(out: Path, name: str) -> str:
    return docx_text(out / name / "en-GB" / f"{name}-leaflet.docx")


def test_topic_folders_share_the_top_file_and_follow_its_change(topics: Path) -> None:
    out = topics.parent / "out"
    first = build(topics, out)
    assert first.exit_code == 0, first.output + first.stderr
    assert "WARNING" not in first.stderr, first.stderr
    manifest = json.loads((out / "a" / "en-GB" / "manifest.json").read_text(encoding="utf-8"))
    assert list(manifest["source_files"])[-1] == "../../contacts.yaml"
    assert OLD in docx(out, "a") and OLD in docx(out, "b")
    shared = topics / "contacts.yaml"
    shared.write_text(SHARED.replace(OLD, NEW), encoding="utf-8")
    stale = check(out)
    assert stale.exit_code == 1
    assert stale.output.count("[source-facts-changed]") == 2, stale.output
    rebuilt = build(topics, out)
    assert "2 written, 0 up to date" in rebuilt.output, rebuilt.output + rebuilt.stderr
    for name in ("a", "b"):
        assert NEW in docx(out, name) and OLD not in docx(out, name)
    assert check(out).exit_code == 0


def test_a_leaflet_built_on_its_own_reads_the_top_file(topics: Path) -> None:
    out, alone = topics.parent / "out", topics / "support" / "b"
    assert build(alone, out).exit_code == 0
    assert "0 written, 1 up to date" in build(alone, out).output  # the stamp
    (topics / "contacts.yaml").write_text(SHARED.replace(OLD, NEW), encoding="utf-8")
    rebuilt = build(alone, out)
    assert "1 written, 0 up to date" in rebuilt.output, rebuilt.output + rebuilt.stderr
    assert NEW in docx(out, "b")
    assert watched_files([alone]) == [topics / "contacts.yaml"]  # watch looks at it


def test_the_nearest_file_gives_the_contact_and_a_copy_left_behind_is_said(
        topics: Path) -> None:
    out = topics.parent / "out"
    nearer = topics / "support" / "contacts.yaml"
    nearer.write_text(SHARED.replace(OLD, NEW), encoding="utf-8")
    built = build(topics, out)
    assert built.exit_code == 0
    assert OLD in docx(out, "a") and NEW in docx(out, "b")
    assert (f"WARNING: {nearer}: the contact 'helpline' is also in {topics / 'contacts.yaml'}, "
            "given otherwise; the leaflets below this file take it from here") in built.stderr
    assert "no leaflet takes a contact" not in built.stderr
    (topics / "treatment" / "contacts.yaml").write_text(SHARED, encoding="utf-8")
    validated = run("validate", str(topics))
    assert validated.exit_code == 0
    assert (f"WARNING: {topics / 'contacts.yaml'}: no leaflet takes a contact from this file, "
            "so a change here changes no leaflet; its contacts are taken from "
            f"{nearer}, {topics / 'treatment' / 'contacts.yaml'}, nearer to the leaflets"
            ) in validated.stderr, validated.stderr


def test_a_new_nearer_file_after_the_build_is_an_old_fact_for_check(topics: Path) -> None:
    out = topics.parent / "out"
    assert build(topics, out).exit_code == 0
    (topics / "support" / "contacts.yaml").write_text(SHARED.replace(OLD, NEW),
                                                       encoding="utf-8")
    checked = check(out)
    assert checked.exit_code == 1
    [line] = [line for line in checked.output.splitlines() if "[source-facts" in line]
    assert f"built from an older {(topics / 'support' / 'contacts.yaml').resolve()}" in line


def test_a_contact_no_file_has_names_every_file_looked_in(topics: Path) -> None:
    (topics / "support" / "contacts.yaml").write_text(
        SHARED.replace("  helpline:", "  ward:"), encoding="utf-8")
    path = topics / "support" / "b" / "leaflet.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(NAMES, "    helpline: hepline\n"),
                    encoding="utf-8")
    refused = run("validate", str(topics))
    assert refused.exit_code == 1
    assert (f"facts.contacts.helpline: 'hepline' is not a contact in "
            f"{topics / 'support' / 'contacts.yaml'} (it has: ward) nor in "
            f"{topics / 'contacts.yaml'} (it has: helpline); check its spelling"
            ) in refused.stderr, refused.stderr


def test_with_no_file_the_message_names_the_library_root(topics: Path) -> None:
    (topics / "contacts.yaml").unlink()
    refused = run("validate", str(topics))
    assert refused.exit_code == 1
    assert (f"names the shared contact 'helpline', but there is no "
            f"{topics / 'support' / 'contacts.yaml'}, nor a contacts.yaml in any folder above "
            f"it up to the library's root ({topics.parent})") in refused.stderr, refused.stderr


def test_the_walk_stops_at_the_library_root(tmp_path: Path) -> None:
    # All inside this test's own folder: a contacts.yaml written above it would be read by
    # every later test's leaflets that have no .git above them (the pytest folders).
    library = tmp_path / "outer" / "library"
    (library / ".git").mkdir(parents=True)
    (tmp_path / "outer" / "contacts.yaml").write_text(SHARED, encoding="utf-8")
    content = library / "content"
    (content / "support" / "b").mkdir(parents=True)
    assert library_folders(content / "support" / "b") == [
        content / "support", content, library]
