"""The text of a chart drawn as SVG with `svg.fonttype = none` (each line a <text>): its
words, and how high they show when the chart is shown a given number of pixels wide."""

import base64
import re
import xml.etree.ElementTree as ET

TEXT = "{http://www.w3.org/2000/svg}text"


def lines(svg: bytes) -> list[str]:
    """Each <text>'s words (a wrapped name is one <text> a line)."""
    return [t.text or "" for t in ET.fromstring(svg).iter(TEXT)]


def smallest_px(svg: bytes, shown: float) -> float:
    """The smallest text's height in CSS pixels once the SVG is scaled to `shown` px wide."""
    root = ET.fromstring(svg)
    view_width = float(root.attrib["viewBox"].split()[2])
    sizes = [_font_size(t.attrib["style"]) for t in root.iter(TEXT)]
    assert sizes, "no <text>: was the text drawn as paths?"
    return min(sizes) * shown / view_width


def width_px(svg: bytes) -> float:
    """The SVG's own width in CSS pixels (matplotlib gives it in points)."""
    width = ET.fromstring(svg).attrib["width"]
    assert width.endswith("pt"), width
    return float(width[:-2]) * 96 / 72


def from_data_uri(uri: str) -> bytes:
    prefix = "data:image/svg+xml;base64,"
    assert uri.startswith(prefix), uri[:40]
    return base64.b64decode(uri[len(prefix) :])


def _font_size(style: str) -> float:
    found = re.search(r"font-size:\s*([\d.]+)px", style) or re.search(r"font:\s*([\d.]+)px", style)
    assert found, style
    return float(found.group(1))
