"""`manage.py import_itas`: preview output, exit codes, --dry-run and --create-orgs."""

import tempfile
from decimal import Decimal
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError

from ita.models import ImportBatch, Organization, Score
from tests.base import BaseTestCase

GOOD = "รหัสหน่วยงาน,ปีงบประมาณ,IIT,ข้อ i๑\nALPHA,๒๕๖๔,๘๘.๕,๙๕\n"


class ImportItasCommandTests(BaseTestCase):
    def setUp(self):
        directory = tempfile.TemporaryDirectory()
        self.addCleanup(directory.cleanup)
        self.directory = Path(directory.name)

    def write(self, text: str, name: str = "ผล.csv", encoding: str = "utf-8") -> str:
        path = self.directory / name
        path.write_bytes(text.encode(encoding))
        return str(path)

    def run_command(self, *args) -> str:
        out = StringIO()
        call_command("import_itas", *args, stdout=out)
        return out.getvalue()

    def run_failing(self, *args) -> tuple[str, CommandError]:
        out = StringIO()
        with self.assertRaises(CommandError) as caught:
            call_command("import_itas", *args, stdout=out)
        self.assertEqual(caught.exception.returncode, 1)
        return out.getvalue(), caught.exception

    def test_imports_and_reports(self):
        output = self.run_command(self.write(GOOD, encoding="cp874"))
        self.assertIn("คะแนนที่จะเพิ่มใหม่: 2 · ที่จะเปลี่ยนค่า: 0 · ที่ไม่เปลี่ยน: 0", output)
        self.assertIn("บันทึกแล้ว", output)
        batch = ImportBatch.objects.get()
        self.assertEqual((batch.filename, len(batch.sha256), batch.created_by), ("ผล.csv", 64, None))
        score = Score.objects.get(code="IIT")
        self.assertEqual((score.value, score.source, score.batch), (Decimal("88.50"), "import", batch))

    def test_second_run_reports_no_change(self):
        path = self.write(GOOD)
        self.run_command(path)
        output = self.run_command(path)
        self.assertIn("ที่จะเปลี่ยนค่า: 0 · ที่ไม่เปลี่ยน: 2", output)
        self.assertEqual(Score.objects.count(), 2)

    def test_dry_run_writes_nothing(self):
        output = self.run_command(self.write(GOOD), "--dry-run")
        self.assertIn("--dry-run", output)
        self.assertFalse(Score.objects.exists())
        self.assertFalse(ImportBatch.objects.exists())

    def test_any_error_exits_1_and_writes_nothing(self):
        text = GOOD + "BETA,2564,80,95\nBETA,2564,,๑๐๕\n"
        output, error = self.run_failing(self.write(text))
        self.assertIn("แถว 4", output)
        self.assertIn("๑๐๕", output)
        self.assertIn("ไม่ได้บันทึกข้อมูลใด ๆ", str(error))
        self.assertFalse(Score.objects.exists())
        self.assertFalse(ImportBatch.objects.exists())

    def test_unknown_org_needs_create_orgs(self):
        text = "รหัสหน่วยงาน,ชื่อหน่วยงาน,จังหวัด,ปีงบประมาณ,OIT\nN1,เทศบาลเมืองใหม่,น่าน,2564,70\n"
        path = self.write(text)
        output, _error = self.run_failing(path)
        self.assertIn("ไม่พบหน่วยงานรหัส N1", output)
        self.assertFalse(Organization.objects.filter(code="N1").exists())
        output = self.run_command(path, "--create-orgs")
        self.assertIn("หน่วยงานที่จะสร้างใหม่: 1", output)
        self.assertEqual(Organization.objects.get(code="N1").org_type, "town")

    def test_unreadable_file_exits_1(self):
        _output, error = self.run_failing(self.write("x", name="old.xls"))
        self.assertIn(".xlsx", str(error))
        _output, error = self.run_failing(str(self.directory / "missing.csv"))
        self.assertIn("ไม่พบไฟล์", str(error))
