"""`manage.py import_itas FILE [--dry-run] [--create-orgs]`: preview an ITAS results file, then import it.

Prints the preview (counts, a sample of changes, every error). Exits 1 with nothing written when the
file has any error, 0 otherwise; --dry-run stops after the preview.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ita.importers.load import ImportRefused, apply_import, plan_import
from ita.importers.parse import ParseError, read_file_bytes, read_table


class Command(BaseCommand):
    @property
    def help(self) -> str:
        # A property, not a lazy string: argparse needs a real str, translated when the parser is built.
        return _("นำเข้าผลการประเมิน ITA จากไฟล์ .xlsx หรือ CSV (แสดงตัวอย่างก่อน และบันทึกทั้งหมดหรือไม่บันทึกเลย)")

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help=_("ไฟล์ผลการประเมิน (.xlsx, .csv หรือ .txt)"))
        parser.add_argument("--dry-run", action="store_true", help=_("แสดงตัวอย่างและข้อผิดพลาดโดยไม่บันทึก"))
        parser.add_argument(
            "--create-orgs", action="store_true", help=_("สร้างหน่วยงานที่ยังไม่มีในระบบ (ต้องมีชื่อหน่วยงานและจังหวัดในไฟล์)")
        )

    def handle(self, *args, **options) -> None:
        path = Path(options["file"])
        try:
            data = read_file_bytes(path)
            table = read_table(data, path.name)
        except ParseError as error:
            raise CommandError(str(error), returncode=1) from error
        plan = plan_import(
            table, filename=path.name, sha256=hashlib.sha256(data).hexdigest(), create_orgs=options["create_orgs"]
        )
        self.stdout.write("\n".join(plan.summary_lines()))
        if plan.errors:
            raise CommandError(
                _("พบข้อผิดพลาด %(count)s รายการ ไม่ได้บันทึกข้อมูลใด ๆ") % {"count": f"{len(plan.errors):,}"}, returncode=1
            )
        if options["dry_run"]:
            self.stdout.write(_("ทดลองนำเข้า (--dry-run): ไม่ได้บันทึกข้อมูล"))
            return
        try:
            batch = apply_import(plan)
        except ImportRefused as error:
            raise CommandError(str(error), returncode=1) from error
        self.stdout.write(
            _("บันทึกแล้ว (การนำเข้าหมายเลข %(id)s): คะแนนเพิ่มใหม่ %(created)s เปลี่ยนค่า %(changed)s ไม่เปลี่ยน %(same)s")
            % {
                "id": batch.pk,
                "created": f"{batch.values_created:,}",
                "changed": f"{batch.values_changed:,}",
                "same": f"{batch.values_unchanged:,}",
            }
        )
