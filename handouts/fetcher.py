"""The one URL fetcher WeasyPrint is given: local files under allowed roots
and inline data, nothing else. No network access during rendering, ever."""

from __future__ import annotations

import mimetypes
import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from handouts.clinic import MAX_LOGO_BYTES
from handouts.input_files import UnreadableFile, read_capped, size_in_words

# The package's own largest file is a CJK font of 3.4 MB.
MAX_ASSET_BYTES = 16 * 1024 * 1024


class RefusedResource(FatalURLFetchingError):
    """Raised to stop the render: a page must not silently lose an image."""

    def __init__(self, url: str, reason: str):
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


class RestrictedFetcher(URLFetcher):
    """Serves file: URLs inside the given roots (after resolving symlinks)
    and data: URLs; refuses every other scheme before any socket is opened."""

    def __init__(self, roots: tuple[Path, ...], user_roots: tuple[Path, ...] = ()):
        super().__init__(allowed_protocols=("file", "data"), fail_on_errors=True)
        self.roots = tuple(Path(os.path.realpath(root)) for root in roots)
        # Folders a user fills (the clinic's): their files are held to the logo's cap.
        self.user_roots = tuple(Path(os.path.realpath(root)) for root in user_roots)
        # WeasyPrint swallows some errors (inside SVG images, for one), so the
        # renderer also checks this list after every document.
        self.refused: list[RefusedResource] = []

    def for_document(self, *extra: Path) -> RestrictedFetcher:
        """A fresh fetcher for one document, with its own list of refusals."""
        return RestrictedFetcher(self.roots, self.user_roots + tuple(extra))

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
        if any(path.is_relative_to(root) for root in self.roots):
            limit = MAX_ASSET_BYTES
        elif any(path.is_relative_to(root) for root in self.user_roots):
            limit = MAX_LOGO_BYTES
        else:
            raise self._refuse(url, "it is outside the project's assets and the clinic's folder")
        try:
            body = read_capped(path, limit)
        except FileNotFoundError:
            raise self._refuse(url, "no such file") from None
        except UnreadableFile as problem:
            reason = (
                f"it is larger than {size_in_words(limit)}" if problem.size else f"it is {problem.reason}"
            )
            raise self._refuse(url, reason) from None
        except OSError as problem:
            raise self._refuse(url, f"it cannot be read ({problem.strerror})") from None
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), body=body, headers={"Content-Type": content_type})
