"""What a person reads on a rendered page: its text, without scripts, styles and the
elements marked as references (`class="reference"`: a pseudonymous reference shown on
purpose, for the DPO to copy), and the rows of its tables. Standard library only."""

from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}  # fmt: skip
HIDDEN = {"script", "style", "template"}


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self.rows: list[tuple[list[str], list[str]]] = []  # (the row's classes, its cells)
        self._skipping: list[str] = []  # open tags of a skipped element
        self._row: list[str] | None = None
        self._row_classes: list[str] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            return
        classes = (dict(attrs).get("class") or "").split()
        if self._skipping or tag in HIDDEN or "reference" in classes:
            self._skipping.append(tag)
            return
        if tag == "tr":
            self._row, self._row_classes = [], classes
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if self._skipping:
            if tag in self._skipping:
                while self._skipping.pop() != tag:
                    pass
            return
        if tag in ("td", "th") and self._row is not None and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append((self._row_classes, self._row))
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._skipping:
            return
        self.chunks.append(data)
        if self._cell is not None:
            self._cell.append(data)


def read(html: str) -> _Reader:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader


def text_of(html: str) -> str:
    """The page's text, every run of spaces (non-breaking ones too) folded into one."""
    return " ".join(" ".join(read(html).chunks).split())


def rows_of(html: str, row_class: str | None = None) -> list[list[str]]:
    """The cells of every table row (of this class, if given), as text."""
    return [cells for classes, cells in read(html).rows if row_class in (None, *classes)]
