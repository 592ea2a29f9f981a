"""`manage.py load_catalogue [--dir DIR]`: load recommendations, indicator texts and the measure library.

Safe to run again: entries are matched by item, indicator or key; entries an administrator
edited are never overwritten; one bad file means nothing is written.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from measures.catalogue import CATALOGUE_DIR, CatalogueError, LoadReport, load_catalogue

LABELS = {"recommendations": "ข้อเสนอแนะรายข้อ", "indicator_texts": "คำอธิบายตัวชี้วัด", "measures": "คลังมาตรการ"}


class Command(BaseCommand):
    @property
    def help(self) -> str:
        return _("โหลดคลังข้อเสนอแนะ คำอธิบายตัวชี้วัด และคลังมาตรการ (รันซ้ำได้ ไม่เขียนทับรายการที่ผู้ดูแลแก้ไข)")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dir", default=str(CATALOGUE_DIR), help=_("โฟลเดอร์ของไฟล์ JSON"))

    def handle(self, *args, **options) -> None:
        try:
            report = load_catalogue(options["dir"])
        except CatalogueError as error:
            raise CommandError(str(error)) from error
        self._report(report)

    def _report(self, report: LoadReport) -> None:
        for name, label in LABELS.items():
            self.stdout.write(
                _("%(label)s: เพิ่ม %(created)d ปรับปรุง %(updated)d คงเดิม %(unchanged)d ไม่เขียนทับ (แก้ไขแล้ว) %(kept)d")
                % {
                    "label": label,
                    "created": report.created.get(name, 0),
                    "updated": report.updated.get(name, 0),
                    "unchanged": report.unchanged.get(name, 0),
                    "kept": report.kept.get(name, 0),
                }
            )
        for note in report.notes:
            self.stdout.write(f"  - {note}")
