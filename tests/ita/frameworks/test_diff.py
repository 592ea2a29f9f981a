"""ita.frameworks.diff (pure): a file's rows against stored rows, and who changed what."""

from decimal import Decimal
from unittest import TestCase

from ita.frameworks.diff import Differences, compare, differing


class DifferingTests(TestCase):
    def test_only_the_files_fields_are_compared_and_equal_decimals_agree(self):
        wanted = {"text": "ใหม่", "weight": Decimal("1.00")}
        stored = {"text": "เดิม", "weight": Decimal("1"), "note": "ไม่อยู่ในไฟล์"}
        self.assertEqual(differing(wanted, stored), ("text",))

    def test_a_field_the_row_lacks_differs(self):
        self.assertEqual(differing({"sub_indicator": None}, {}), ("sub_indicator",))


class CompareTests(TestCase):
    wanted = {
        "o1": {"text": "ก", "weight": Decimal(1)},
        "o2": {"text": "ข"},
        "o3": {"text": "ค"},
        "o4": {"text": "ง"},
        "o5": {"text": "จ"},
    }

    def test_added_updated_edited_extra_and_deleted(self):
        stored = {
            "o1": {"text": "ก", "weight": Decimal("2.00")},  # weight differs: follows the file
            "o2": {"text": "แก้แล้ว"},  # a person changed it: kept
            "o4": {"text": "ง"},  # the same
            "o9": {"text": "เพิ่มเอง"},  # not in the file: kept
        }
        found = compare(self.wanted, stored, edited={"o2", "o4"}, deleted={"o5"})
        self.assertEqual(found.added, ("o3",))
        self.assertEqual(dict(found.updated), {"o1": ("weight",)})
        self.assertEqual(dict(found.edited), {"o2": ("text",)})
        self.assertEqual(found.extra, ("o9",))
        self.assertEqual(found.deleted, ("o5",))
        self.assertTrue(found.writes)

    def test_rows_that_agree_need_no_write(self):
        found = compare(self.wanted, self.wanted)
        self.assertEqual(found, Differences())
        self.assertFalse(found.writes)

    def test_a_row_only_kept_or_left_alone_writes_nothing(self):
        stored = {**self.wanted, "o1": {"text": "แก้แล้ว", "weight": Decimal(1)}, "o9": {}}
        found = compare({k: v for k, v in self.wanted.items() if k != "o5"}, stored, edited={"o1"})
        self.assertFalse(found.writes)
        self.assertEqual((dict(found.edited), found.extra), ({"o1": ("text",)}, ("o5", "o9")))
