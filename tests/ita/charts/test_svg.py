"""The shared SVG chart toolkit (ita.charts.svg): rounding, score axis, ticks, slots, x positions and paths."""

from decimal import Decimal
from unittest import TestCase

from ita.charts.svg import (
    OTHER_COLOUR,
    TOOL_COLOURS,
    Tick,
    axis_ticks,
    centred_in_slot,
    line_coords,
    path_of,
    quantize,
    scale_y,
    slot_width,
    x_positions,
)

D = Decimal


class QuantizeTests(TestCase):
    def test_two_decimals_half_up(self):
        self.assertEqual(str(quantize(D("84.995"))), "85.00")
        self.assertEqual(str(quantize(D("12.344"))), "12.34")
        self.assertEqual(str(quantize(7)), "7.00")


class ScaleTests(TestCase):
    def test_zero_to_hundred_axis(self):
        self.assertEqual(scale_y(D(0), top=28, bottom=268), D("268.00"))
        self.assertEqual(scale_y(D(100), top=28, bottom=268), D("28.00"))
        self.assertEqual(scale_y(D("85"), top=28, bottom=268), D("64.00"))
        self.assertEqual(str(scale_y(D("88.95"), top=28, bottom=268)), "54.52")  # 268 - 213.48

    def test_values_outside_the_axis_are_clamped(self):
        self.assertEqual(scale_y(D("150"), top=20, bottom=280), scale_y(D(100), top=20, bottom=280))
        self.assertEqual(scale_y(D("-5"), top=20, bottom=280), D(280))
        self.assertEqual(scale_y(D("60"), top=20, bottom=280, floor=70), D(280))

    def test_axis_starting_at_a_floor(self):
        self.assertEqual(scale_y(D(80), top=20, bottom=280, floor=80), D(280))
        self.assertEqual(scale_y(D(90), top=20, bottom=280, floor=80), D("150.00"))
        # 260 / 30 is not a finite decimal: the result is rounded half up once, at the end.
        self.assertEqual(str(scale_y(D(71), top=20, bottom=280, floor=70)), "271.33")

    def test_accepts_whole_numbers(self):
        self.assertEqual(scale_y(50, top=0, bottom=200), D("100.00"))


class TickTests(TestCase):
    def test_a_tick_every_step_from_the_floor_up_to_hundred(self):
        ticks = axis_ticks(25, top=24, bottom=224)
        self.assertEqual([tick.text for tick in ticks], ["๐", "๒๕", "๕๐", "๗๕", "๑๐๐"])
        self.assertEqual([tick.y for tick in ticks], [D(224), D(174), D(124), D(74), D(24)])
        self.assertIsInstance(ticks[0], Tick)

    def test_floor_and_arabic_digits(self):
        ticks = axis_ticks(5, top=20, bottom=280, floor=80, digits="arabic")
        self.assertEqual([tick.text for tick in ticks], ["80", "85", "90", "95", "100"])
        self.assertEqual((ticks[0].y, ticks[-1].y), (D(280), D(20)))


class SlotTests(TestCase):
    def test_equal_slots_and_a_whole_plot_for_no_items(self):
        self.assertEqual(slot_width(10, 48, 848), D(80))
        self.assertEqual(slot_width(0, 40, 620), D(580))
        self.assertEqual(str(slot_width(3, 0, 100)), "33.33333333333333333333333333")

    def test_bar_is_centred_in_its_slot(self):
        self.assertEqual(centred_in_slot(0, D(80), 44, 48), (D("66.00"), D("88.00")))
        self.assertEqual(centred_in_slot(2, D(80), 44, 48), (D("226.00"), D("248.00")))
        x, middle = centred_in_slot(1, slot_width(3, 0, 100), D(20), 0)
        self.assertEqual((str(x), str(middle)), ("40.00", "50.00"))


class XPositionTests(TestCase):
    def test_points_spread_inside_the_padding(self):
        self.assertEqual(x_positions(3, 56, 760, 40), [D("96.00"), D("408.00"), D("720.00")])
        self.assertEqual(x_positions(2, 0, 120, 4), [D("4.00"), D("116.00")])

    def test_a_single_point_sits_in_the_middle(self):
        self.assertEqual(x_positions(1, 56, 760, 40), [D("408.00")])


class PathTests(TestCase):
    def test_missing_points_break_the_line(self):
        self.assertEqual(path_of([(D(1), D(2)), None, (D(5), D(6)), (D(7), D(8))]), "M1 2 M5 6 L7 8")
        self.assertEqual(path_of([None, None]), "")

    def test_line_coords_scale_known_values_and_keep_gaps(self):
        coords = line_coords([D(4), D(60), D(116)], [D(80), None, D(100)], top=4, bottom=28, floor=80)
        self.assertEqual(coords, [(D(4), D("28.00")), None, (D(116), D("4.00"))])
        self.assertEqual(path_of(coords), "M4 28.00 M116 4.00")


class ColourTests(TestCase):
    def test_each_tool_has_its_own_colour_and_others_are_grey(self):
        self.assertEqual(set(TOOL_COLOURS), {"IIT", "EIT", "OIT"})
        self.assertEqual(len(set(TOOL_COLOURS.values())), 3)
        self.assertNotIn(OTHER_COLOUR, TOOL_COLOURS.values())
