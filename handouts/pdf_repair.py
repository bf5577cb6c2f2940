"""The repair stage after WeasyPrint: every PDF the tool writes passes here,
so a screen reader and a text search get what is printed."""

from __future__ import annotations

import io
from collections.abc import Sequence

import pikepdf

from handouts.pdf_structure import repair_structure


def repair_pdf(data: bytes, document_starts: Sequence[int] = (0,)) -> bytes:
    """The PDF with its structure tree repaired; the same input gives the same bytes."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        repair_structure(pdf, document_starts)
        buffer = io.BytesIO()
        pdf.save(buffer, deterministic_id=True)
    return buffer.getvalue()
