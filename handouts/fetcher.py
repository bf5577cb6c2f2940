"""The one URL fetcher WeasyPrint is given: local files under allowed roots
and inline data, nothing else. No network access during rendering, ever."""

from __future__ import annotations

import mimetypes
import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse


class RefusedResource(FatalURLFetchingError):
    """Raised to stop the render: a page must not silently lose an image."""

    def __init__(self, url: str, reason: str):
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


class RestrictedFetcher(URLFetcher):
    """Serves file: URLs inside the given roots (after resolving symlinks)
    and data: URLs; refuses every other scheme before any socket is opened."""

    def __init__(self, roots: tuple[Path, ...]):
        super().__init__(allowed_protocols=("file", "data"), fail_on_errors=True)
        self.roots = tuple(Path(os.path.realpath(root)) for root in roots)
        # WeasyPrint swallows some errors (inside SVG images, for one), so the
        # renderer also checks this list after every document.
        self.refused: list[RefusedResource] = []

    def for_document(self, *extra: Path) -> RestrictedFetcher:
        """A fresh fetcher for one document, with its own list of refusals."""
        return RestrictedFetcher(self.roots + tuple(extra))

    def _refuse(self, url: str, reason: str) -> RefusedResource:
        refusal = RefusedResource(url, reason)
        self.refused.append(refusal)
        return refusal

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            # The base class decodes data: URLs in memory; no I/O happens.
            return super().fetch(url, headers)
        if scheme != "file":
            raise self._refuse(url, "only the project's own files may be used, not the network")
        path = Path(os.path.realpath(unquote(urlsplit(url).path)))
        if not any(path.is_relative_to(root) for root in self.roots):
            raise self._refuse(url, "it is outside the project's assets and the clinic's folder")
        if not path.is_file():
            raise self._refuse(url, "no such file")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            path.as_uri(), body=path.read_bytes(), headers={"Content-Type": content_type}
        )
