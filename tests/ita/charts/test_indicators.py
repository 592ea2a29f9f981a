from decimal import Decimal

from django.test import SimpleTestCase

from ita.charts.indicators import (
    PLOT_BOTTOM,
    PLOT_HEIGHT,
    IndicatorValue,
    build_indicator_chart,
    render_indicator_chart,
    value_to_y,
    wrap_label,
)

NONG_LAENG_2564 = ["88.95", "78.28", "84.01", "81.40", "78.82", "84.95", "86.63", "83.53", "69.07", "93.75"]
NAMES = [
    "การปฏิบัติหน้าที่",
    "การใช้งบประมาณ",
    "การใช้อำนาจ",
    "การใช้ทรัพย์สินของราชการ",
    "การแก้ไขปัญหาการทุจริต",
    "คุณภาพการดำเนินงาน",
    "ประสิทธิภาพการสื่อสาร",
    "การปรับปรุงการทำงาน",
    "การเปิดเผยข้อมูล",
    "การป้องกันการทุจริต",
]
TOOLS = ["IIT"] * 5 + ["EIT"] * 3 + ["OIT"] * 2


def values(scores=NONG_LAENG_2564, names=NAMES):
    return [
        IndicatorValue(number=n, name=name, tool=tool, value=None if v is None else Decimal(v))
        for n, (name, tool, v) in enumerate(zip(names, TOOLS, scores, strict=True), start=1)
    ]


class GeometryTests(SimpleTestCase):
    def test_bar_heights_are_proportional_to_scores(self):
        chart = build_indicator_chart(values(), title="t")
        for bar, score in zip(chart.bars, NONG_LAENG_2564, strict=True):
            expected = (Decimal(score) * PLOT_HEIGHT / 100).quantize(Decimal("0.01"))
            self.assertEqual(bar.height, expected)
            self.assertEqual(bar.y + bar.height, PLOT_BOTTOM)
        # 93.75 is 93.75/69.07 times as tall as 69.07 (within SVG rounding).
        ratio = chart.bars[9].height / chart.bars[8].height
        self.assertAlmostEqual(float(ratio), 93.75 / 69.07, places=3)

    def test_full_and_empty_scores(self):
        chart = build_indicator_chart(values(["100", "0", None, *NONG_LAENG_2564[3:]]), title="t")
        self.assertEqual(chart.bars[0].height, PLOT_HEIGHT)
        self.assertEqual(chart.bars[1].height, 0)
        self.assertIsNone(chart.bars[2].value)
        self.assertEqual(chart.bars[2].height, 0)
        self.assertEqual(chart.bars[2].value_text, "–")

    def test_threshold_line_sits_at_85(self):
        chart = build_indicator_chart(values(), title="t")
        self.assertEqual(chart.threshold_y, PLOT_BOTTOM - Decimal("0.85") * PLOT_HEIGHT)
        self.assertEqual(chart.threshold_text, "เกณฑ์ ๘๕")
        other = build_indicator_chart(values(), title="t", threshold=Decimal("97"))
        self.assertEqual(other.threshold_y, PLOT_BOTTOM - Decimal("0.97") * PLOT_HEIGHT)

    def test_bars_do_not_overlap_and_are_ordered_by_number(self):
        shuffled = list(reversed(values()))
        chart = build_indicator_chart(shuffled, title="t")
        self.assertEqual([bar.number for bar in chart.bars], list(range(1, 11)))
        for left, right in zip(chart.bars, chart.bars[1:], strict=False):
            self.assertLess(left.x + left.width, right.x)

    def test_out_of_range_values_stay_inside_the_plot(self):
        self.assertEqual(value_to_y(Decimal("150")), value_to_y(Decimal("100")))
        self.assertEqual(value_to_y(Decimal("-5")), PLOT_BOTTOM)

    def test_bar_colour_follows_tool(self):
        chart = build_indicator_chart(values(), title="t")
        colours = {bar.tool: bar.colour for bar in chart.bars}
        self.assertEqual(len(set(colours.values())), 3)

    def test_arabic_digits_on_request(self):
        chart = build_indicator_chart(values(), title="t", digits="arabic")
        self.assertEqual(chart.bars[0].value_text, "88.95")
        self.assertEqual(chart.threshold_text, "เกณฑ์ 85")


class WrapLabelTests(SimpleTestCase):
    def test_lines_break_at_word_boundaries_and_keep_the_text(self):
        lines = wrap_label("การใช้ทรัพย์สินของราชการ", max_chars=10)
        self.assertGreater(len(lines), 1)
        self.assertEqual("".join(lines), "การใช้ทรัพย์สินของราชการ")
        self.assertIn("ราชการ", lines)

    def test_lines_are_balanced_rather_than_greedy(self):
        self.assertEqual(wrap_label("การป้องกันการทุจริต", max_chars=10), ("การป้องกัน", "การทุจริต"))
        self.assertEqual(wrap_label("การใช้อำนาจ", max_chars=10), ("การใช้อำนาจ",))
        for name in NAMES:
            lines = wrap_label(name, max_chars=10)
            self.assertEqual("".join(lines), name)
            self.assertLessEqual(len(lines), 3)

    def test_too_long_labels_are_shortened(self):
        lines = wrap_label("การป้องกันการทุจริต" * 5, max_chars=10, max_lines=3)
        self.assertEqual(len(lines), 3)
        self.assertTrue(lines[-1].endswith("…"))


class RenderTests(SimpleTestCase):
    def test_svg_has_thai_labels_values_and_accessible_title(self):
        chart = build_indicator_chart(values(), title="คะแนนรายตัวชี้วัด เทศบาลตำบลหนองเล็ง", chart_id="c1")
        svg = render_indicator_chart(chart)
        self.assertTrue(svg.lstrip().startswith("<svg"))
        self.assertIn('role="img"', svg)
        self.assertIn('aria-labelledby="c1-title c1-desc"', svg)
        self.assertIn('<title id="c1-title">คะแนนรายตัวชี้วัด เทศบาลตำบลหนองเล็ง</title>', svg)
        self.assertIn(">ราชการ</tspan>", svg)
        self.assertIn("๘๘.๙๕", svg)
        self.assertIn("๙๓.๗๕", svg)
        self.assertIn("เกณฑ์ ๘๕", svg)
        self.assertNotIn("88.95", svg)
        self.assertIn("ตัวชี้วัดที่ต่ำกว่าเกณฑ์: ๒ ๓ ๔ ๕ ๖ ๘ ๙", svg)

    def test_names_are_escaped(self):
        names = ["<script>alert(1)</script>", *NAMES[1:]]
        chart = build_indicator_chart(values(names=names), title='"><script>alert(2)</script>')
        svg = render_indicator_chart(chart)
        self.assertNotIn("<script>", svg)
        self.assertIn("&lt;script&gt;", svg)
