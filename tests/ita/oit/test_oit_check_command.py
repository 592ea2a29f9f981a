"""`manage.py oit_check --org CODE --year YYYY [--json]`: checks, stores, prints; Thai errors for a bad org or year."""

from __future__ import annotations

import json
from io import StringIO

from django.core.management import CommandError, call_command

from ita.models import EvidenceChecklist, LinkCheck
from ita.oit.status import LINK_KEYS
from tests.ita.oit.helpers import YEAR, LinkSiteTestCase


class CommandTests(LinkSiteTestCase):
    def run_command(self, *args: str) -> str:
        out = StringIO()
        call_command("oit_check", *args, stdout=out)
        return out.getvalue()

    def test_text_summary_per_item(self):
        self.save({self.o1: ["/year-thai"], self.o2: ["/no-such-page"], self.o3: ["/hop/1"]})
        lines = self.run_command("--org", "ALPHA", "--year", "๒๕๖๘").splitlines()
        self.assertTrue(lines[0].startswith("เทศบาลตำบลอัลฟา (ALPHA) หลักฐาน OIT ปีงบประมาณ พ.ศ. ๒๕๖๘ ตรวจลิงก์เมื่อ "))
        self.assertEqual(lines[1], "O1 ✓ ใช้ได้")
        self.assertEqual(lines[2], f"    ✓ {self.page('/year-thai')} : เปิดได้ และพบปีงบประมาณ ๒๕๖๘ ในเนื้อหา")
        self.assertEqual(lines[3], "O2 ✗ ใช้ไม่ได้")
        self.assertEqual(lines[4], f"    ✗ {self.page('/no-such-page')} : ไม่พบหน้านี้บนเว็บ (รหัส ๔๐๔)")
        self.assertEqual(lines[6], f"    ✓ {self.page('/hop/1')} : เปิดได้ และพบปีงบประมาณ ๒๕๖๘ ในเนื้อหา")
        self.assertEqual(lines[7], f"      ไปจบที่ {self.page('/year-thai')}")
        self.assertIn("O4 – ยังไม่มีลิงก์", lines)
        self.assertEqual(lines[-1], "ใช้ได้ ๒ ข้อ, ควรตรวจดู ๐ ข้อ, ใช้ไม่ได้ ๑ ข้อ, ยังไม่มีลิงก์ ๔๐ ข้อ, ยังไม่ได้ตรวจ ๐ ข้อ")
        self.assertEqual(LinkCheck.objects.count(), 3)  # stored like the button's check
        self.assertIsNotNone(EvidenceChecklist.objects.get().links_checked_at)

    def test_json(self):
        self.save({self.o1: ["/year-thai"], self.o2: ["/last-year"]})
        data = json.loads(self.run_command("--org", "ALPHA", "--year", str(YEAR), "--json"))
        self.assertEqual(set(data), {"org", "year", "checked_at", "items"})
        self.assertEqual((data["org"], data["year"]), ("ALPHA", YEAR))
        self.assertIsNotNone(data["checked_at"])
        self.assertEqual(len(data["items"]), 43)
        first, second, third = data["items"][:3]
        self.assertEqual((first["code"], first["state"], second["state"]), ("O1", "green", "amber"))
        self.assertEqual(third, {"code": "O3", "state": "missing", "links": []})
        link = first["links"][0]
        self.assertEqual(tuple(link), LINK_KEYS)
        self.assertEqual(
            {key: link[key] for key in ("url", "verdict", "reason", "status", "content_type", "redirects")},
            {
                "url": self.page("/year-thai"),
                "verdict": "green",
                "reason": "ok",
                "status": 200,
                "content_type": "text/html",
                "redirects": 0,
            },
        )
        self.assertEqual(link["last_modified"], "2025-10-01T08:00:00+00:00")
        self.assertIs(link["mentions_year"], True)
        self.assertEqual(second["links"][0]["reason"], "year_missing")

    def test_bad_organisation_or_year_is_a_thai_error(self):
        self.save({self.o1: ["/year-thai"]})
        cases = [
            (["--org", "NOPE", "--year", "2568"], "ไม่พบหน่วยงานรหัส NOPE"),
            (["--org", "AL PHA\x00", "--year", "2568"], "ไม่พบหน่วยงานรหัส"),
            (["--org", "ALPHA", "--year", "ปีหน้า"], "ไม่ใช่ปีงบประมาณ"),
            (["--org", "ALPHA", "--year", "2567"], "เทศบาลตำบลอัลฟา ยังไม่มีรายการหลักฐาน OIT ของปีงบประมาณ ๒๕๖๗"),
            (["--org", "BETA", "--year", "2568"], "ยังไม่มีรายการหลักฐาน OIT"),
        ]
        for args, message in cases:
            with self.subTest(args=args), self.assertRaisesMessage(CommandError, message):
                self.run_command(*args)
        self.assertEqual(self.fetched(), [])
        self.assertFalse(LinkCheck.objects.exists())
