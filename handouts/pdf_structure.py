"""Repairs to the structure tree WeasyPrint writes, so that a screen reader
meets each thing once and in one piece.

WeasyPrint builds the tree page by page (its issues #2902 and #1836): an
element that runs over a page break becomes one element per page (a calendar
over four pages is announced as four tables), the running header and footer
are marked content that no element reaches, and a table's header row repeated
on each page is read again on each page. This module works on the finished
PDF with pikepdf and is idempotent, so a merged file can be repaired again.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator, Sequence

import pikepdf
from pikepdf import Array, Dictionary, Name, NumberTree, Object, Pdf

# Elements that only ever continue from one page to the next: HTML has one
# <main> per document, and two different tables or lists never touch without
# a heading or paragraph between them. A paragraph or section cannot be told
# apart from its neighbour this way, so they are left as they are.
_CONTINUABLE = {"/Part", "/Table", "/TBody", "/L", "/Sect"}
# A section that starts with a heading is a new section, not the rest of the one before.
_HEADINGS = {"/H1", "/H2", "/H3", "/H4", "/H5", "/H6"}
# Nothing inside these continues over a page break as a separate element
# (WeasyPrint never splits a row, and text splits into lines of one element).
_NO_CONTINUED_INSIDE = {"/Span", "/Link", "/Figure", "/P", "/H1", "/H2", "/H3", "/H4", "/H5", "/H6", "/TR", "/Lbl"}  # fmt: skip
_MARKED = re.compile(rb"/[A-Za-z]+\s*<<\s*/MCID\s+(\d+)\s*>>\s*BDC")
_ARTIFACT = b"/Artifact <</Type /Pagination>> BDC"

PageMcid = tuple[int, int]  # (page index, MCID)


def repair_structure(pdf: Pdf, document_starts: Sequence[int] = (0,)) -> None:
    """Fix the tree in place; document_starts are the first page of each
    document in a print job (a discharge sheet and its handouts)."""
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return
    pages = {page.obj.objgen: index for index, page in enumerate(pdf.pages)}
    artifacts: set[PageMcid] = set()
    for document in _elements(root):
        if len(document_starts) > 1 and document.get("/S") == Name.Document:
            _group_documents(pdf, document, pages, document_starts)
        _join_continued(document, pages, artifacts)
    artifacts |= _unreached_content(pdf, root)
    _mark_artifacts(pdf, root, artifacts)


def _elements(node: Object) -> list[Object]:
    """The structure element children of node (not its marked content)."""
    return [kid for kid in _kids(node) if isinstance(kid, Dictionary) and "/S" in kid]


def _kids(node: Object) -> list[Object]:
    kids = node.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, Array) else [kids]


def _page_of(element: Object, pages: dict[tuple[int, int], int]) -> int | None:
    page = element.get("/Pg")
    return pages.get(page.objgen) if page is not None else None


def _last_page(element: Object, pages: dict[tuple[int, int], int]) -> int:
    """The page its content ends on: content is in reading order, so the last kid has it."""
    kids = _elements(element)
    own = _page_of(element, pages) or 0
    return max(own, _last_page(kids[-1], pages)) if kids else own


def _set_kids(element: Object, kids: list[Object]) -> None:
    element.K = Array(kids)
    for kid in kids:
        if isinstance(kid, Dictionary) and "/S" in kid:
            kid.P = element


def _group_documents(
    pdf: Pdf, document: Object, pages: dict[tuple[int, int], int], starts: Sequence[int]
) -> None:
    """One Art element per document of a print job, so that nothing of one is
    ever joined to the next, and a reader can move from one to the next."""
    groups: dict[int, list[Object]] = defaultdict(list)
    for kid in _kids(document):
        page = _page_of(kid, pages) if isinstance(kid, Dictionary) else None
        index = max((i for i, start in enumerate(starts) if start <= (page or 0)), default=0)
        groups[index].append(kid)
    articles: list[Object] = []
    for index in sorted(groups):
        article = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Art, P=document))
        first_page = pdf.pages[starts[index]].obj if starts[index] < len(pdf.pages) else None
        if first_page is not None:
            article.Pg = first_page
        _set_kids(article, groups[index])
        articles.append(article)
    _set_kids(document, articles)


def _join_continued(element: Object, pages: dict[tuple[int, int], int], artifacts: set[PageMcid]) -> None:
    """Join each element with its continuation on the next page, then do the
    same inside it, so that a table in a part split over pages joins too."""
    kids = _kids(element)
    joined: list[Object] = []
    for kid in kids:
        previous = joined[-1] if joined else None
        if (
            isinstance(kid, Dictionary)
            and isinstance(previous, Dictionary)
            and kid.get("/S") == previous.get("/S")
            and str(kid.get("/S")) in _CONTINUABLE
            and _page_of(kid, pages) == _last_page(previous, pages) + 1
            and not (str(kid.get("/S")) == "/Sect" and _starts_with_heading(kid))
        ):
            _append_continuation(previous, kid, pages, artifacts)
        else:
            joined.append(kid)
    if len(joined) < len(kids):
        _set_kids(element, joined)
    for kid in _elements(element):
        if str(kid.get("/S")) not in _NO_CONTINUED_INSIDE:
            _join_continued(kid, pages, artifacts)


def _starts_with_heading(element: Object) -> bool:
    first = _elements(element)[:1]
    return bool(first) and str(first[0].get("/S")) in _HEADINGS


def _append_continuation(
    first: Object, continuation: Object, pages: dict[tuple[int, int], int], artifacts: set[PageMcid]
) -> None:
    moved = _elements(continuation)
    items = _kids(continuation)
    if str(first.S) == "/Table":
        repeated = [kid for kid in moved if kid.get("/S") == Name.THead]
        heads = [kid for kid in _elements(first) if kid.get("/S") == Name.THead]
        if repeated and heads:
            # The header row printed again on this page: the reader has it once.
            renamed = dict(zip(_header_ids(repeated[0]), _header_ids(heads[0]), strict=False))
            for head in repeated:
                artifacts.update(_marked_content(head, pages, _page_of(head, pages) or 0))
            items = [item for item in items if not any(item.objgen == head.objgen for head in repeated)]
            _rename_headers(continuation, renamed)
    _set_kids(first, _kids(first) + items)


def _header_ids(head: Object) -> list[str]:
    return [str(cell.ID) for cell in _descendants(head) if cell.get("/S") == Name.TH and "/ID" in cell]


def _rename_headers(element: Object, renamed: dict[str, str]) -> None:
    for cell in _descendants(element):
        attributes = cell.get("/A")
        for owner in attributes if isinstance(attributes, Array) else [attributes]:
            if isinstance(owner, Dictionary) and "/Headers" in owner:
                owner.Headers = Array(
                    [pikepdf.String(renamed.get(str(header), str(header))) for header in owner.Headers]
                )


def _descendants(element: Object) -> Iterator[Object]:
    for kid in _elements(element):
        yield kid
        yield from _descendants(kid)


def _marked_content(element: Object, pages: dict[tuple[int, int], int], page: int) -> set[PageMcid]:
    """Every (page, MCID) under element; a kid inherits its parent's page."""
    own = _page_of(element, pages)
    page = page if own is None else own
    found: set[PageMcid] = set()
    for kid in _kids(element):
        if isinstance(kid, int):
            found.add((page, kid))
        elif isinstance(kid, Dictionary) and "/S" in kid:
            found |= _marked_content(kid, pages, page)
        elif isinstance(kid, Dictionary) and kid.get("/Type") == Name.MCR:
            on = _page_of(kid, pages)
            found.add((page if on is None else on, int(kid.MCID)))
    return found


def _unreached_content(pdf: Pdf, root: Object) -> set[PageMcid]:
    """Marked content whose element no path from the root reaches: what
    WeasyPrint draws in the page margins (running header, footer, page number)."""
    reached: set[tuple[int, int]] = set()
    stack = list(_elements(root))
    while stack:
        element = stack.pop()
        if element.objgen in reached:
            continue
        reached.add(element.objgen)
        stack.extend(_elements(element))
    tree = NumberTree(root.ParentTree)
    unreached: set[PageMcid] = set()
    for index, page in enumerate(pdf.pages):
        if "/StructParents" not in page.obj or int(page.obj.StructParents) not in tree:
            continue
        for mcid, element in enumerate(tree[int(page.obj.StructParents)]):
            if isinstance(element, Dictionary) and element.objgen not in reached:
                unreached.add((index, mcid))
    return unreached


def _mark_artifacts(pdf: Pdf, root: Object, artifacts: set[PageMcid]) -> None:
    """Turn that marked content into pagination artifacts, and drop it from
    the parent tree so that no element claims it."""
    if not artifacts:
        return
    tree = NumberTree(root.ParentTree)
    by_page: dict[int, set[int]] = defaultdict(set)
    for index, mcid in artifacts:
        by_page[index].add(mcid)
    for index, mcids in by_page.items():
        page = pdf.pages[index].obj

        def to_artifact(match: re.Match[bytes], mcids: set[int] = mcids) -> bytes:
            return _ARTIFACT if int(match[1]) in mcids else match[0]

        # WeasyPrint writes "/Span <</MCID 3>> BDC" and its glyphs as hex
        # strings, so a pattern finds the operators ten times faster than parsing.
        content = page.Contents
        streams = list(content) if isinstance(content, Array) else [content]
        for stream in streams:
            stream.write(_MARKED.sub(to_artifact, stream.read_bytes()))
        key = int(page.StructParents)
        if key in tree:
            numbers = tree[key]
            for mcid in mcids:
                if mcid < len(numbers):
                    numbers[mcid] = None
