"""`handouts list`: the handout kinds, one line each."""

from __future__ import annotations

from handouts.content import load_content


def handout_lines() -> list[str]:
    handouts = load_content().handouts
    width = max(len(kind) for kind in handouts)
    return [f"{kind.ljust(width)}  {entry.summary}" for kind, entry in handouts.items()]
