"""The Jinja environment every template runs in: the immutable sandbox, and where it failed.

A templates folder (``--templates``) may come from a partner's "house style" on a shared
drive, so its templates are not trusted as code: Jinja's ``ImmutableSandboxedEnvironment``
lets a template read the values it is given and call their public methods, never reach an
attribute starting with ``_`` (``cycler.__init__.__globals__.os``), a function's or a
frame's internals, or change a list or a dict. A refused access is a ``SecurityError``,
said as ``template <file>:<line>: …`` (``where``).
"""

from __future__ import annotations

from typing import Any

from jinja2 import Template, TemplateError, TemplateSyntaxError
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

REFUSED = ("templates run in a sandbox: they may read the values they are given, "
           "never Python's internals, and change nothing")


def environment(**settings: Any) -> ImmutableSandboxedEnvironment:
    """Return a sandboxed Jinja environment with these settings (loader, autoescape…)."""
    return ImmutableSandboxedEnvironment(**settings)


def where(exc: TemplateError, template: Template) -> str:
    """Return ``file:line`` of the template where a rendering failed (its file alone if
    Jinja's traceback names no template line)."""
    if isinstance(exc, TemplateSyntaxError):
        return f"{exc.filename}:{exc.lineno}"
    place = str(template.filename)
    tb = exc.__traceback__
    while tb is not None:  # Jinja rewrites its frames as the template's own lines
        name = tb.tb_frame.f_code.co_filename
        if not name.endswith(".py") and not name.startswith("<"):
            place = f"{name}:{tb.tb_lineno}"
        tb = tb.tb_next
    return place


def message(exc: TemplateError) -> str:
    """Return what went wrong, saying why a refused access was refused."""
    return f"{exc} ({REFUSED})" if isinstance(exc, SecurityError) else str(exc)
