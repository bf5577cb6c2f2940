"""What one run of the tool gets from outside, injected rather than global
(as httpie does): the tests run the whole CLI in-process and share one
Renderer, and the web app keeps one per worker."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from handouts.rendering import Renderer


@dataclass
class Environment:
    _renderer: Renderer | None = field(default=None, repr=False)

    def renderer(self) -> Renderer:
        """The Renderer, built on first use: importing WeasyPrint takes a second,
        and bad input should fail before it."""
        if self._renderer is None:
            from handouts.rendering import Renderer

            self._renderer = Renderer()
        return self._renderer
