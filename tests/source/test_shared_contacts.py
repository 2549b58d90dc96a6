"""A library's ``contacts.yaml``: read as strictly as ``leaflet.yaml``, every problem at its line.

Finding H1 of the charity's user test: a helpline written in every leaflet.yaml. The shared
file is a new input, so it gets the hostile inputs ``leaflet.yaml`` gets, and a fuzzer.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import given

from lmets_docs.source.loader import load_folder
from lmets_docs.source.shared import watched_files
from tests.check.test_library import OWN, SHARED, leaflet
from tests.source.test_fuzz import BOUND_S, FUZZ, _invoke, mutated
from tests.test_cli import run

VALID = SHARED


def library(root: Path, shared: str | bytes | None, contacts: str = "    helpline: helpline\n"
            ) -> Path:
    """Return a library of one leaflet (``a``) naming ``contacts``, with this shared file."""
    content = root / "content"
    shutil.rmtree(content, ignore_errors=True)
    content.mkdir(parents=True)
    if isinstance(shared, str):
        (content / "contacts.yaml").write_text(shared, encoding="utf-8")
    elif shared is not None:
        (content / "contacts.yaml").write_bytes(shared)
    leaflet(content, "a", contacts)
    return content


def refused(content: Path) -> str:
    result = run("validate", str(content))
    assert result.exit_code == 1, result.output + result.stderr
    assert "Traceback" not in result.stderr
    return result.stderr


def test_a_leaflet_takes_the_shared_contact_and_the_file_is_one_of_its_sources(
        tmp_path: Path) -> None:
    content = library(tmp_path, VALID)
    [loaded] = load_folder(content / "a")
    assert loaded.facts.contacts["helpline"].phone == "020 7946 0000"
    assert loaded.shared_files == (content / "contacts.yaml",)
    before = loaded.source_hash
    shared = content / "contacts.yaml"
    shared.write_text(VALID.replace("0000", "0123"), encoding="utf-8")
    assert load_folder(content / "a")[0].source_hash != before
    assert watched_files([content / "a"]) == [shared]  # watch looks at it
    assert watched_files([content]) == []  # already inside the folder watched


def test_a_leaflet_that_names_no_shared_contact_does_not_depend_on_the_file(
        tmp_path: Path) -> None:
    content = library(tmp_path, VALID, OWN)
    [loaded] = load_folder(content / "a")
    assert loaded.shared_files == ()
    hashed = loaded.source_hash
    (content / "contacts.yaml").write_text(VALID.replace("0000", "0123"), encoding="utf-8")
    assert load_folder(content / "a")[0].source_hash == hashed


@pytest.mark.parametrize(("shared", "said"), [
    (VALID.replace('"020 7946 0000"', '"020 7946 000"'),
     "contacts.yaml:4: contacts.helpline.phone: '020 7946 000' is not a valid number"),
    (VALID + "  helpline:\n    name: Again\n    phone: \"020 7946 0001\"\n",
     "contacts.yaml:8: helpline: this key is given twice (first on line 2); keep one"),
    ("contacts:\n  a: &x {name: A, phone: \"020 7946 0000\"}\n  b: *x\n",
     "contacts.yaml:3: malformed YAML: an alias (*x) is not allowed"),
    (VALID.replace("Example support line", '"Example \\x1b line"'), "contacts.yaml:3: "),
    (VALID.replace("Example support line", "Example \x1b line"), "contacts.yaml:3: "),
    (VALID.replace('"020 7946 0000"', '"020 7946 0000'), "contacts.yaml:"),
    ("- helpline\n", "contacts.yaml:1: expected a mapping with one key, contacts:"),
    ("contact:\n  helpline: {name: A, phone: \"020 7946 0000\"}\n", "contacts.yaml:1: "),
    (VALID.replace('"020 7946 0000"', "!!binary MDIwIDc5NDYgMDAwMA=="),
     "contacts.yaml:4: malformed YAML: a YAML tag (!!binary) is not allowed"),
    (VALID.replace('"020 7946 0000"', '!!int "0207946"'),
     "contacts.yaml:4: malformed YAML: a YAML tag (!!int) is not allowed"),
    (VALID.replace("Example support line", '"Example \\u202e line"'),
     "contacts.yaml:3: this line has an invisible character, U+202E"),
    (VALID.replace("Example support line", "Example\u200b line"),
     "contacts.yaml:3: this line has an invisible character, U+200B"),
    (b"\xff\xfe" + VALID.encode(), "contacts.yaml:1: file is not UTF-8 text"),
    (b"", "contacts.yaml: file is empty"),
    ("# " + "x" * 1_100_000 + "\n" + VALID, "contacts.yaml: "),
])
def test_a_bad_shared_file_is_refused_at_its_line(tmp_path: Path, shared: str | bytes,
                                                  said: str) -> None:
    assert said in refused(library(tmp_path, shared))


def test_a_bad_shared_file_is_said_once_for_the_library(tmp_path: Path) -> None:
    content = library(tmp_path, VALID.replace("0000", "000"))
    leaflet(content, "b", "    helpline: helpline\n")
    leaflet(content, "c", OWN)  # names none: not blocked by it
    stderr = refused(content)
    assert stderr.count("contacts.yaml:4: contacts.helpline.phone:") == 1, stderr
    assert "c/" not in stderr and "1 problem in the content" in stderr


def test_a_folder_or_fifo_in_place_of_the_file_is_refused_without_hanging(tmp_path: Path
                                                                          ) -> None:
    content = library(tmp_path, None)
    (content / "contacts.yaml").mkdir()
    assert "contacts.yaml: not a regular file: it is a folder" in refused(content)
    (content / "contacts.yaml").rmdir()
    os.mkfifo(content / "contacts.yaml")
    assert "contacts.yaml: not a regular file: it is a FIFO" in refused(content)


def test_a_reference_to_nothing_names_the_contacts_there_are(tmp_path: Path) -> None:
    stderr = refused(library(tmp_path, VALID, "    helpline: hepline\n"))
    assert ("a/leaflet.yaml:7: facts.contacts.helpline: 'hepline' is not a contact in "
            f"{tmp_path / 'content' / 'contacts.yaml'} (it has: helpline)") in stderr


def test_a_reference_without_a_shared_file_says_where_it_should_be(tmp_path: Path) -> None:
    stderr = refused(library(tmp_path, None))
    assert ("a/leaflet.yaml:7: facts.contacts.helpline: names the shared contact 'helpline', "
            f"but there is no {tmp_path / 'content' / 'contacts.yaml'}") in stderr


def test_a_contact_written_out_under_a_shared_id_is_a_clash(tmp_path: Path) -> None:
    stderr = refused(library(tmp_path, VALID, OWN.replace("own:", "helpline:")))
    assert ("a/leaflet.yaml:7: facts.contacts.helpline: 'helpline' is also a contact in "
            f"{tmp_path / 'content' / 'contacts.yaml'}") in stderr


@FUZZ
@given(text=mutated(VALID))
def test_fuzzed_contacts_yaml(tmp_path_factory: pytest.TempPathFactory, text: str) -> None:
    content = library(tmp_path_factory.getbasetemp() / "fuzz-shared", text)
    assert _invoke("validate", str(content))[1] < BOUND_S
