"""Reading the rendered public list the way a visitor sees it: header and cell texts."""

import re
from html.parser import HTMLParser


class _TableReader(HTMLParser):
    """Collects the text of every cell (th or td) of the first <table>, row by row."""

    def __init__(self):
        super().__init__()
        self.header: list[str] = []
        self.rows: list[list[str]] = []
        self._in_table = self._done = False
        self._in_head = False
        self._hidden_depth = 0
        self._cell: list[str] | None = None
        self._row: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self._done:
            return
        if tag == "table":
            self._in_table = True
        elif self._in_table and tag == "thead":
            self._in_head = True
        elif self._in_table and tag == "tr":
            self._row = []
        elif self._in_table and tag in ("th", "td"):
            self._cell = []
        elif self._cell is not None and tag == "span":
            # Screen-reader-only text is not what the eye reads.
            hidden = "visually-hidden" in (attrs.get("class") or "")
            if self._hidden_depth or hidden:
                self._hidden_depth += 1

    def handle_endtag(self, tag):
        if self._done or not self._in_table:
            return
        if tag == "span" and self._hidden_depth:
            self._hidden_depth -= 1
        elif tag in ("th", "td") and self._cell is not None:
            self._row.append(re.sub(r"\s+", " ", "".join(self._cell)).strip())
            self._cell = None
        elif tag == "tr":
            if self._in_head:
                # Without the sort arrow of the sorted column.
                self.header = [cell.rstrip(" \xa0▲▼↕") for cell in self._row]
            else:
                self.rows.append(self._row)
        elif tag == "thead":
            self._in_head = False
        elif tag == "table":
            self._done = True

    def handle_data(self, data):
        if self._cell is not None and not self._hidden_depth:
            self._cell.append(data)


def read_table(html: str) -> tuple[list[str], list[list[str]]]:
    reader = _TableReader()
    reader.feed(html)
    return reader.header, reader.rows


def names_in(response) -> list[str]:
    return [row[0] for row in read_table(response.content.decode())[1]]
