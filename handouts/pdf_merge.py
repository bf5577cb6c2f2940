"""Several tagged PDFs as one tagged PDF, for a single print job.

Copying pages alone would drop what a screen reader needs. So each part's
structure tree comes across too, renumbered so its marked content still
points at the right elements, and each part keeps its own language: a
merged stack of Spanish and Arabic sheets still reads each in its language.

Given a maker of blank pages, a print job is duplex-safe: after a part with
an odd number of pages comes a page that says it is intentionally blank, so
every part starts on the front of a sheet and no sheet holds two patients.
"""

from __future__ import annotations

import io
from collections.abc import Callable

import pikepdf
from pikepdf import Array, Dictionary, Name, NumberTree, Pdf

from handouts.pdf_repair import repair_pdf

# (language tag, width, height in points) -> a one-page PDF, all of it an artifact.
BlankPageMaker = Callable[[str, float, float], bytes]


def merge_tagged(
    parts: list[bytes], title: str | None = None, blank_page: BlankPageMaker | None = None
) -> bytes:
    """The parts in order, as one tagged PDF; its title defaults to the first part's.
    With blank_page, each part after the first starts on an odd page."""
    merged = Pdf.new()
    elements = Array()
    tree = merged.make_indirect(Dictionary(Type=Name.StructTreeRoot, K=elements))
    parent_tree = NumberTree.new(merged)
    next_key = 0
    languages: list[str] = []
    # qpdf copies stream data only when saving, so every source stays open until then.
    sources = [Pdf.open(io.BytesIO(data)) for data in parts]
    fillers: list[Pdf] = []
    for source in sources:
        if title is None:
            title = str(source.docinfo.get("/Title", ""))
        source_tree = source.Root.StructTreeRoot
        language = str(source.Root.get("/Lang", ""))
        languages.append(language)
        offset = next_key
        first_page = len(merged.pages)
        merged.pages.extend(source.pages)
        for page in merged.pages[first_page:]:
            _shift_struct_parents(page.obj, offset)
        top = source_tree.K if isinstance(source_tree.K, Array) else Array([source_tree.K])
        for element in top:
            del element["/P"]  # its old root stays behind; the new one is set below
            copied = merged.copy_foreign(element)
            copied.P = tree
            if language:
                copied.Lang = pikepdf.String(language)
            elements.append(copied)
        for key, value in NumberTree(source_tree.ParentTree).items():
            parent_tree[key + offset] = _copy(merged, value)
        next_key = offset + int(source_tree.get("/ParentTreeNextKey", _last_key(source_tree) + 1))
        if "/RoleMap" in source_tree and "/RoleMap" not in tree:
            tree.RoleMap = merged.copy_foreign(source_tree.RoleMap)
        if blank_page is not None and source is not sources[-1] and len(source.pages) % 2:
            # The same paper as the page it backs; it joins no structure element.
            box = [float(value) for value in source.pages[-1].mediabox]
            filler = Pdf.open(io.BytesIO(blank_page(language, box[2] - box[0], box[3] - box[1])))
            fillers.append(filler)
            merged.pages.append(filler.pages[0])
    tree.ParentTree = parent_tree.obj
    tree.ParentTreeNextKey = next_key
    merged.Root.StructTreeRoot = tree
    merged.Root.MarkInfo = Dictionary(Marked=True)
    merged.Root.Lang = pikepdf.String(languages[0] if languages else "")
    merged.Root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
    merged.docinfo.Title = pikepdf.String(title or "")
    _write_metadata(merged, title or "")
    buffer = io.BytesIO()
    # Object streams pack the thousands of small structure elements; the same parts give the same bytes.
    merged.save(buffer, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    for source in sources + fillers:
        source.close()
    # Parts are repaired already; this is for any merged PDF, and changes nothing twice.
    return repair_pdf(buffer.getvalue())


def _copy(pdf: Pdf, value: pikepdf.Object) -> pikepdf.Object:
    """Copy from another PDF; qpdf copies only indirect objects, so direct
    arrays (a page's list of elements) are rebuilt around their copied items."""
    if value.is_indirect:
        return pdf.copy_foreign(value)
    if isinstance(value, Array):
        # None holds an artifact's place in a page's list (handouts.pdf_structure).
        return Array([None if item is None else _copy(pdf, item) for item in value])
    return value


def _shift_struct_parents(page: Dictionary, offset: int) -> None:
    if "/StructParents" in page:
        page.StructParents = int(page.StructParents) + offset
    for annotation in page.get("/Annots", Array()):
        if "/StructParent" in annotation:
            annotation.StructParent = int(annotation.StructParent) + offset


def _last_key(source_tree: pikepdf.Object) -> int:
    keys = [key for key, _value in NumberTree(source_tree.ParentTree).items()]
    return max(keys, default=-1)


def _write_metadata(pdf: Pdf, title: str) -> None:
    with pdf.open_metadata(set_pikepdf_as_editor=False) as metadata:
        metadata["dc:title"] = title
        metadata["pdfuaid:part"] = "1"
