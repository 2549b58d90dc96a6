"""Fetch the PDF's resources only from where they may come: the leaflet, templates and fonts.

A content image or a user template that points anywhere else (``file:///etc/passwd``, an
``https://`` address) stops the build with a ``BuildError``: nothing is embedded from
outside and no network request is made.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher

from lmets_docs.errors import BuildError

# data: URLs carry their content inline, so they fetch nothing from anywhere.
SCHEMES = ("file", "data")


class LeafletFetcher(URLFetcher):  # type: ignore[misc]
    """A WeasyPrint URL fetcher that refuses every resource outside the allowed places."""

    def __init__(self, folders: Iterable[Path], files: Iterable[Path]) -> None:
        super().__init__(allowed_protocols=SCHEMES, fail_on_errors=True)
        self.folders = tuple(folder.resolve() for folder in folders)
        self.files = frozenset(file.resolve() for file in files)
        self.refused: list[str] = []
        """Every refusal: WeasyPrint drops an SVG's refused resource with only a warning."""

    def fetch(self, url: str, headers: Any = None) -> Any:
        """Fetch ``url`` if it is allowed; raise BuildError saying why not otherwise."""
        scheme = urlsplit(url).scheme.lower()
        if scheme == "file":
            self.check_path(url)
        elif scheme not in SCHEMES:
            self._refuse(f"refused to fetch {url}: the PDF uses only files from the leaflet "
                         "folder, the templates and the fonts, never the network")
        return super().fetch(url, headers)

    def _refuse(self, message: str) -> None:
        self.refused.append(message)
        raise BuildError(message)

    def check_path(self, url: str) -> Path:
        """Return the local path of a ``file:`` URL; raise BuildError if it is not allowed."""
        parts = urlsplit(url)
        path = Path(url2pathname(parts.path)).resolve()
        if parts.netloc not in ("", "localhost") or not self.allowed(path):
            places = ", ".join(str(folder) for folder in self.folders)
            self._refuse(f"refused to read {url}: the PDF uses only files in {places} "
                         "and its fonts")
        return path

    def allowed(self, path: Path) -> bool:
        """Say whether a resolved path is a font or lies inside an allowed folder."""
        return path in self.files or any(path.is_relative_to(f) for f in self.folders)
