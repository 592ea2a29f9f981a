"""Cells of a measures spreadsheet: every period spelling, steps, answered items/indicators and unit names."""

from unittest import TestCase

from ita.thai import ThaiValueError
from measures.importers.cells import Period, parse_answers, parse_period, parse_steps, split_units, unit_key
from measures.models import PeriodKind

MONTHS = PeriodKind.MONTHS
WHOLE = PeriodKind.WHOLE_YEAR


class ParsePeriodTests(TestCase):
    def test_spellings(self):
        cases = {
            "ม.ค. – มี.ค. ๖๕": Period(MONTHS, 1, 3, 2565),
            "ม.ค.-มี.ค. 65": Period(MONTHS, 1, 3, 2565),
            "มค - มีค": Period(MONTHS, 1, 3, None),
            "ต.ค. 66 - ก.ย. 67": Period(MONTHS, 10, 9, 2567),
            "ต.ค. – ธ.ค. ๖๖": Period(MONTHS, 10, 12, 2567),  # October 2566 opens fiscal 2567
            "พ.ย. ๒๕๖๖ ถึง ก.พ. ๒๕๖๗": Period(MONTHS, 11, 2, 2567),
            "มกราคม – มีนาคม 2567": Period(MONTHS, 1, 3, 2567),
            "เดือนพฤศจิกายน ๒๕๖๖ - เดือนกุมภาพันธ์ ๒๕๖๗": Period(MONTHS, 11, 2, 2567),
            "ตุลาคม 2023 - ธันวาคม 2023": Period(MONTHS, 10, 12, 2567),  # ค.ศ. 2023 is พ.ศ. 2566
            "ก.พ.": Period(MONTHS, 2, 2, None),
            "มี.ค. ๖๗": Period(MONTHS, 3, 3, 2567),
            "ตลอดปีงบประมาณ": Period(WHOLE),
            "ตลอดปี": Period(WHOLE),
            "ตลอด ปีงบประมาณ พ.ศ. ๒๕๖๗": Period(WHOLE, stated_year=2567),
            "ปีงบประมาณ 2567": Period(WHOLE, stated_year=2567),
            "ทั้งปี": Period(WHOLE),
        }
        for text, expected in cases.items():
            with self.subTest(text=text):
                self.assertEqual(parse_period(text), expected)

    def test_errors_say_what_is_wrong(self):
        cases = {
            "": "ไม่ได้ระบุระยะเวลา",
            "มี.ค. – ม.ค.": "อยู่หลังเดือนสิ้นสุด",
            "ก.ย. – ต.ค.": "อยู่หลังเดือนสิ้นสุด",
            "ม.ค. 65 – มี.ค. 67": "คร่อมสองปีงบประมาณ",
            "ต.ค. 66 – ต.ค. 67": "คร่อมสองปีงบประมาณ",
            "ม.ค. – ก.พ. – มี.ค.": "มากกว่าหนึ่งช่วง",
            "ไตรมาสที่ 2": "ไม่ใช่ชื่อเดือน",
            "ภายใน 30 วัน": "อ่านระยะเวลา",
        }
        for text, fragment in cases.items():
            with self.subTest(text=text), self.assertRaises(ThaiValueError) as caught:
                parse_period(text)
            self.assertIn(fragment, str(caught.exception))


class ParseStepsTests(TestCase):
    def test_line_breaks_and_bullets(self):
        self.assertEqual(
            parse_steps("- จัดทำคู่มือ\n• แจ้งเวียน\n\n  ประชุม ก.พ. 67  "), ["จัดทำคู่มือ", "แจ้งเวียน", "ประชุม ก.พ. 67"]
        )

    def test_numbered_steps_in_one_line(self):
        self.assertEqual(parse_steps("๑. จัดทำประกาศ ๒. เผยแพร่ ๓) ติดตามผล"), ["จัดทำประกาศ", "เผยแพร่", "ติดตามผล"])
        self.assertEqual(parse_steps("1) ประชุม 2) สรุปผล 85.00 คะแนน"), ["ประชุม", "สรุปผล 85.00 คะแนน"])

    def test_numbers_inside_a_step_are_not_bullets(self):
        self.assertEqual(parse_steps("จัดอบรม 2 ครั้ง ปี 2567"), ["จัดอบรม 2 ครั้ง ปี 2567"])
        self.assertEqual(parse_steps("1. อบรม 3 รุ่น 2. สรุปผล"), ["อบรม 3 รุ่น", "สรุปผล"])

    def test_blank(self):
        self.assertEqual(parse_steps(None), [])
        self.assertEqual(parse_steps(" \n "), [])


class ParseAnswersTests(TestCase):
    def test_spellings(self):
        self.assertEqual(parse_answers("i7, 4"), (["i7"], [4]))
        self.assertEqual(parse_answers("ข้อ E1 ตัวชี้วัดที่ ๔"), (["e1"], [4]))
        self.assertEqual(parse_answers("O13/๐๒๗ และ ๑๐; i7, I7"), (["o13", "o27", "i7"], [10]))
        self.assertEqual(parse_answers(None), ([], []))

    def test_errors(self):
        for text, fragment in {"i7, 11": "ตัวชี้วัดที่ ๑๑ ไม่มี", "x9": "ไม่ใช่รหัสข้อ", "0": "ตัวชี้วัดที่ ๐ ไม่มี"}.items():
            with self.subTest(text=text), self.assertRaises(ThaiValueError) as caught:
                parse_answers(text)
            self.assertIn(fragment, str(caught.exception))


class SplitUnitsTests(TestCase):
    known = {unit_key(n): n for n in ("สำนักปลัด", "กองคลัง", "ทุกสำนัก/กอง", "กองสาธารณสุขและสิ่งแวดล้อม")}

    def test_whole_cell_first_then_parts(self):
        self.assertEqual(split_units("ทุกสำนัก/กอง", self.known), (["ทุกสำนัก/กอง"], []))
        self.assertEqual(split_units("สำนัก ปลัด,\nกองคลัง", self.known), (["สำนักปลัด", "กองคลัง"], []))
        self.assertEqual(split_units("กองคลัง/กองช่าง", self.known), (["กองคลัง", "กองช่าง"], ["กองช่าง"]))
        self.assertEqual(split_units("กองสาธารณสุข และสิ่งแวดล้อม", self.known), (["กองสาธารณสุขและสิ่งแวดล้อม"], []))
