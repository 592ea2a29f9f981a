"""The document's bar chart: the threshold line's centre is the threshold, and no score label touches the line."""

from __future__ import annotations

from decimal import Decimal

from django.template.loader import render_to_string
from django.test import SimpleTestCase
from weasyprint.formatting_structure import boxes

from reports.documents.measures import LABEL_GAP, LABEL_HEIGHT, label_bottom
from reports.pdf.render import render_document

PLOT = """<html><body><div class="chart"><div class="plot">
<div class="threshold" style="bottom: 85%;"></div>
<div class="value" style="left: 0; width: 10%; bottom: {bottom}%;"><span>85.07</span></div>
</div></div></body></html>"""


def _boxes_by_class(document, name: str) -> list:
    found, pending = [], [page._page_box for page in document.pages]
    while pending:
        box = pending.pop()
        box = getattr(box, "_box", box)  # an absolutely positioned box sits behind a placeholder
        if isinstance(box, boxes.Box) and box.element is not None and name in (box.element.get("class") or "").split():
            found.append(box)
        pending.extend(getattr(box, "children", ()))
    return found


class LabelPlacementTests(SimpleTestCase):
    def test_a_label_near_the_threshold_is_lifted_clear_of_the_line(self):
        threshold = Decimal(85)
        for height in ("85.07", "85.00", "84.45", "80.01", "86.49"):
            with self.subTest(height):
                bottom = label_bottom(Decimal(height), threshold)
                self.assertTrue(bottom >= threshold + LABEL_GAP or bottom + LABEL_HEIGHT <= threshold)
                self.assertGreaterEqual(bottom, Decimal(height))

    def test_a_label_far_from_the_line_sits_on_its_bar(self):
        self.assertEqual(label_bottom(Decimal("60.00"), Decimal(85)), Decimal("60.50"))
        self.assertEqual(label_bottom(Decimal("100.00"), Decimal(85)), Decimal("100.50"))


class ThresholdLineTests(SimpleTestCase):
    def test_the_line_is_centred_on_the_threshold(self):
        styles = render_to_string("reports/documents/measures.html", {"result": {}, "cover": {}, "digits": "thai"})
        head = styles[: styles.index("</head>")] + "</head>"
        document = render_document(head + PLOT.format(bottom="86.5"))
        plot = _boxes_by_class(document, "plot")[0]
        line = _boxes_by_class(document, "threshold")[0]
        plot_bottom = plot.content_box_y() + plot.height
        centre = line.border_box_y() + line.border_top_width / 2
        expected = plot_bottom - plot.height * 0.85
        self.assertAlmostEqual(centre, expected, delta=0.05)  # CSS px; the old line sat 0.83 px (0.625 pt) high
