"""An SVG logo, checked before WeasyPrint draws it: self-contained and of a
bounded size.

An SVG can pull in other files (<image>, <use>, CSS @import, url(...),
@font-face, entities), itself among them, which makes WeasyPrint loop for
ever; nested <use> can multiply a few lines into millions of shapes; an
embedded picture can unpack to gigabytes. So a logo may refer only to its own
parts (#id), without cycles and within a bound on what is drawn, and may embed
only PNG or JPEG pictures that pass the same checks as a PNG logo.
"""

from __future__ import annotations

import base64
import binascii
import re
import xml.etree.ElementTree as ElementTree
import xml.parsers.expat
from urllib.parse import unquote_to_bytes

from handouts.input_files import quoted
from handouts.raster_images import ImageProblem, check_raster

# Far more than any logo draws (a detailed one has a few hundred shapes).
MAX_SHAPES = 20_000
MAX_NESTING = 100
SELF_CONTAINED = "save the logo with its pictures embedded and its text as shapes, or use a PNG"
_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.IGNORECASE | re.DOTALL)


def check_svg(data: bytes, max_side: int) -> None:
    """Raise ImageProblem unless the SVG is self-contained and bounded."""
    _refuse_declarations(data)
    root = ElementTree.fromstring(data)
    if _local(root.tag) != "svg":
        raise ImageProblem("is not an SVG image", SELF_CONTAINED)
    ids = {element.get("id"): element for element in root.iter() if element.get("id")}
    targets: dict[int, ElementTree.Element] = {}
    for element in root.iter():
        tag = _local(element.tag)
        if tag == "style":
            _check_css(element.text or "")
        for name, value in element.attrib.items():
            attribute = _local(name)
            if attribute == "href":
                target = _check_reference(tag, value, ids, max_side)
                if target is not None:
                    targets[id(element)] = target
            elif attribute == "style":
                _check_css(value)
            else:
                _check_urls(value)
    _count_shapes(root, targets)


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def _refuse_declarations(data: bytes) -> None:
    """A DOCTYPE can declare entities (other files, or a billion copies of a
    word); a processing instruction can attach a stylesheet. A logo needs neither."""
    parser = xml.parsers.expat.ParserCreate()

    def doctype(*_: object) -> None:
        raise ImageProblem("has a DOCTYPE or entity declaration", SELF_CONTAINED)

    def instruction(target: str, _data: str) -> None:
        raise ImageProblem(f"has the processing instruction <?{quoted(target)}", SELF_CONTAINED)

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    parser.ProcessingInstructionHandler = instruction
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError as error:
        raise ImageProblem(
            f"is not a well-formed SVG file (line {error.lineno})", "save it again from the drawing program"
        ) from None


def _check_reference(
    tag: str, value: str, ids: dict[str | None, ElementTree.Element], max_side: int
) -> ElementTree.Element | None:
    """The element an href points to inside the logo; a picture is checked."""
    value = value.strip()
    if value.startswith("#"):
        return ids.get(value[1:])
    if value[:5].lower() == "data:":
        if tag != "image":
            raise ImageProblem(f"has inline data in a <{quoted(tag)}> element", SELF_CONTAINED)
        try:
            check_raster(_data_url_bytes(value), max_side)
        except ImageProblem as problem:
            raise ImageProblem(f"has an embedded picture that {problem.what}", problem.fix) from None
        return None
    raise ImageProblem(f"refers to another file or address ('{quoted(value)}')", SELF_CONTAINED)


def _data_url_bytes(url: str) -> bytes:
    header, _, payload = url[5:].partition(",")
    try:
        if header.lower().endswith(";base64"):
            return base64.b64decode("".join(payload.split()))
        return unquote_to_bytes(payload)
    except (binascii.Error, ValueError):
        raise ImageProblem("has an embedded picture that cannot be decoded", SELF_CONTAINED) from None


def _check_css(text: str) -> None:
    lowered = text.lower()
    # An escape can spell url( or @import so that no check sees it.
    if "\\" in text:
        raise ImageProblem("has a backslash escape in its style", SELF_CONTAINED)
    for rule in ("@import", "@font-face"):
        if rule in lowered:
            raise ImageProblem(f"has {rule} in its style, which loads another file", SELF_CONTAINED)
    _check_urls(text)


def _check_urls(text: str) -> None:
    if "url(" not in text.lower():
        return
    for match in _URL.finditer(text):
        if not match.group(2).strip().startswith("#"):
            raise ImageProblem(
                f"refers to another file or address ('{quoted(match.group(2))}')", SELF_CONTAINED
            )


def _count_shapes(root: ElementTree.Element, targets: dict[int, ElementTree.Element]) -> None:
    """What WeasyPrint would draw: each element, its children and what it
    refers to (drawn again each time). A loop with its own stack, not
    recursion, so a deep file cannot overflow Python's."""
    drawn: dict[int, int] = {}
    open_now: set[int] = set()  # the path being followed: meeting one again is a cycle
    stack: list[tuple[ElementTree.Element, bool]] = [(root, False)]
    while stack:
        element, finished = stack.pop()
        key = id(element)
        parts = [*element, *([targets[key]] if key in targets else [])]
        if finished:
            open_now.discard(key)
            drawn[key] = 1 + sum(drawn[id(part)] for part in parts)
            if drawn[key] > MAX_SHAPES:
                raise ImageProblem(
                    f"would draw more than {MAX_SHAPES} shapes", "simplify the logo, or use a PNG"
                )
            continue
        if key in drawn:
            continue
        if key in open_now or any(id(part) in open_now for part in parts):
            raise ImageProblem("refers to itself, so it would never finish drawing", SELF_CONTAINED)
        open_now.add(key)
        if len(open_now) > MAX_NESTING:
            raise ImageProblem(
                f"nests more than {MAX_NESTING} levels deep", "simplify the logo, or use a PNG"
            )
        stack.append((element, True))
        stack.extend((part, False) for part in parts if id(part) not in drawn)
