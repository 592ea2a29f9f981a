"""The lines WeasyPrint laid out, for tests of line breaking: one list of line texts per block."""

from __future__ import annotations

from typing import Any

from weasyprint.formatting_structure import boxes

from reports.pdf.render import render_document


def _line_text(line: Any) -> str:
    return "".join(box.text for box in line.descendants() if isinstance(box, boxes.TextBox))


def laid_out_blocks(html: str) -> list[list[str]]:
    """Every block's lines, in page order; a block split over pages continues as a new block."""
    blocks: list[list[str]] = []
    document = render_document(html)
    for page in document.pages:
        pending = [page._page_box]
        while pending:
            box = pending.pop()
            children = list(getattr(box, "children", ()))
            lines = [child for child in children if isinstance(child, boxes.LineBox)]
            if lines:
                blocks.append([_line_text(line) for line in lines])
            pending.extend(reversed([child for child in children if not isinstance(child, boxes.LineBox)]))
    return blocks


def rows_split_across_pages(html: str) -> list[str]:
    """The text of every table row (but header rows, which repeat) that WeasyPrint laid out on more than one page."""
    pages_of: dict[Any, set[int]] = {}
    document = render_document(html)
    for number, page in enumerate(document.pages):
        pending = [page._page_box]
        while pending:
            box = pending.pop()
            if isinstance(box, boxes.TableRowGroupBox) and box.is_header:
                continue  # a header repeats on every page by design
            if isinstance(box, boxes.TableRowBox) and box.element is not None:
                pages_of.setdefault(box.element, set()).add(number)
            pending.extend(getattr(box, "children", ()))
    return ["".join(element.itertext())[:40] for element, pages in pages_of.items() if len(pages) > 1]
