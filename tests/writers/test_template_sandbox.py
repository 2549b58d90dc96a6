"""Templates run in Jinja's immutable sandbox: a house template cannot run code.

The user test's template (``ut-hostile.md`` 1b) called ``os.popen`` through
``cycler.__init__.__globals__`` and ran a shell; now the build stops at the template's line.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from lmets_docs.errors import BuildError
from lmets_docs.model import Leaflet
from lmets_docs.writers.html import web
from tests import pdfread
from tests.test_cli import MINIMAL
from tests.writers.pdf.test_pdf import extending, user_templates, write

SHELL = '{{{{ cycler.__init__.__globals__.os.popen("touch {mark}").read() }}}}'


def test_a_house_template_that_runs_a_shell_stops_the_build_at_its_line(
        tmp_path: Path) -> None:
    mark = tmp_path / "RAN"
    templates = user_templates(
        tmp_path, extending("title_page_extra", "<p>Ward 7</p>\n" + SHELL.format(mark=mark)))
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "lmets_docs", "build", str(MINIMAL), "--format", "pdf",
         "--out", str(out), "--templates", str(templates)], capture_output=True, text=True,
        check=False)
    text = result.stdout + result.stderr
    assert result.returncode == 1, text
    assert not mark.exists()
    assert (f"template {templates / 'pdf' / 'leaflet.html'}:2: access to attribute "
            "'__init__' of 'type' object is unsafe") in text
    assert "Traceback" not in text
    assert not list(out.rglob("*.pdf"))


@pytest.mark.parametrize("expression", [
    "''.__class__.__mro__[1].__subclasses__()",  # the usual route to os
    "leaflet.sections.__len__()",
    "leaflet.__dict__",
    "leaflet.glossary.clear()",  # the immutable sandbox: nothing is changed
])
def test_internals_and_changes_are_refused(seed_leaflet: Leaflet, tmp_path: Path,
                                           expression: str) -> None:
    templates = user_templates(tmp_path, extending("title_page_extra",
                                                   f"{{{{ {expression} }}}}"))
    with pytest.raises(BuildError, match=r"leaflet\.html:1: .*(unsafe|undefined).*sandbox"):
        write(seed_leaflet, tmp_path / "out", templates=templates)


def test_a_house_template_may_still_use_every_value(seed_leaflet: Leaflet,
                                                    tmp_path: Path) -> None:
    block = ("<p>{{ leaflet.title|upper }}: {{ contacts|length }} contacts, "
             "{{ _('Page {page} of {pages}') }}</p>")
    built = write(seed_leaflet, tmp_path / "out",
                  templates=user_templates(tmp_path, extending("title_page_extra", block)))
    assert f"{seed_leaflet.title.upper()}:" in " ".join(pdfread.page_texts(built.path)[0].split())


@pytest.mark.parametrize("folder", ["html", "epub"])
def test_the_web_formats_templates_run_in_the_sandbox_too(folder: str) -> None:
    env = web.environment(folder)
    with pytest.raises(Exception, match="unsafe"):
        env.from_string("{{ cycler.__init__.__globals__ }}").render()
