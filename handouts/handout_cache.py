"""Handouts rendered once and reused in every packet that includes them.

A discharge packet is the patient's sheet followed by whole handouts. The
handouts depend only on (kind, language, clinic, page options), never on the
patient, so each is laid out once per process and its tagged PDF is merged
behind every sheet that asks for it (`pdf_merge` keeps each part's tags and
language). `handouts serve` workers and `handouts batch` workers both print
packets through `render_packet`, so a ward's packets cost about one sheet each.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from handouts.clinic import ClinicProfile
from handouts.order import DischargeOrder
from handouts.page import PageOptions

if TYPE_CHECKING:
    from handouts.rendering import RenderedPdf, Renderer

# Each entry is a few hundred kB; 3 kinds x 11 languages x 2 papers x 2 sizes fits.
DEFAULT_ENTRIES = 160


def clinic_key(clinic: ClinicProfile) -> str:
    """The profile's printed values and its logo's bytes: a changed logo file is a new key."""
    digest = hashlib.sha256(repr(sorted(clinic.printed_text().items())).encode("utf-8"))
    digest.update(repr((clinic.country, clinic.paper, clinic.is_sample, clinic.folder)).encode("utf-8"))
    if clinic.logo is not None and clinic.logo.is_file():
        digest.update(clinic.logo.read_bytes())
    return digest.hexdigest()


@dataclass(frozen=True)
class HandoutKey:
    kind: str
    language: str
    clinic: str
    paper: str
    large_print: bool
    catalog: str | None


class HandoutCache:
    """Rendered handouts by key, least recently used dropped first."""

    def __init__(self, entries: int = DEFAULT_ENTRIES) -> None:
        self._entries = entries
        self._pdfs: OrderedDict[HandoutKey, RenderedPdf] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def handout(
        self, renderer: Renderer, kind: str, clinic: ClinicProfile, options: PageOptions
    ) -> RenderedPdf:
        key = HandoutKey(
            kind,
            options.language.tag,
            clinic_key(clinic),
            options.paper,
            options.large_print,
            str(options.catalog) if options.catalog else None,
        )
        found = self._pdfs.get(key)
        if found is not None:
            self.hits += 1
            self._pdfs.move_to_end(key)
            return found
        self.misses += 1
        pdf = renderer.render(kind, clinic, options)
        self._pdfs[key] = pdf
        while len(self._pdfs) > self._entries:
            self._pdfs.popitem(last=False)
        return pdf

    def __len__(self) -> int:
        return len(self._pdfs)


_SHARED = HandoutCache()


def shared_cache() -> HandoutCache:
    """This process's cache (one per serve or batch worker)."""
    return _SHARED


def render_packet(
    renderer: Renderer,
    order: DischargeOrder,
    clinic: ClinicProfile,
    options: PageOptions,
    include: tuple[str, ...] = (),
    cache: HandoutCache | None = None,
) -> RenderedPdf:
    """The sheet, then each handout asked for from the cache: one tagged PDF."""
    sheet = renderer.render_discharge(order, clinic, options)
    if not include:
        return sheet
    from handouts.pdf_merge import merge_tagged
    from handouts.rendering import RenderedPdf

    store = cache if cache is not None else _SHARED
    handouts = [store.handout(renderer, kind, clinic, options) for kind in include]
    parts = [sheet, *handouts]
    return RenderedPdf(merge_tagged([part.data for part in parts]), sum(part.pages for part in parts))


def render_handouts(
    renderer: Renderer,
    kinds: tuple[str, ...],
    clinic: ClinicProfile,
    options: PageOptions,
    cache: HandoutCache | None = None,
) -> RenderedPdf:
    """Several handouts as one PDF (one print job), each from the cache."""
    from handouts.pdf_merge import merge_tagged
    from handouts.rendering import RenderedPdf

    store = cache if cache is not None else _SHARED
    parts = [store.handout(renderer, kind, clinic, options) for kind in kinds]
    if len(parts) == 1:
        return parts[0]
    return RenderedPdf(merge_tagged([part.data for part in parts]), sum(part.pages for part in parts))
