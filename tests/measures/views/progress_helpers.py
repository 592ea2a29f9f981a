"""A published plan with one measure and one progress entry, for the progress entry and attachment tests."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from measures.models import Measure, PeriodKind, Progress
from measures.progress import add_progress
from tests.measures.views import PlanWebTestCase

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(40)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(40) + b"\xff\xd9"


def upload(name: str, content: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


class PublishedEntryTestCase(PlanWebTestCase):
    """alice's published 2565 plan with one measure and one entry (40 %), signed in as alice."""

    def setUp(self):
        plan = self.make_plan()
        self.measure = Measure.objects.create(
            plan=plan, title="ประกาศนโยบายไม่รับของขวัญ", period_kind=PeriodKind.MONTHS, start_month=10, end_month=12
        )
        plan.submit(by=self.alice)
        plan.approve(by=self.bob)
        plan.publish(by=self.bob)
        self.plan = plan
        self.entry = add_progress(
            measure=self.measure,
            by=self.alice,
            date=datetime.date(2021, 12, 15),
            status=Progress.Status.IN_PROGRESS,
            percent=40,
            note="ประกาศแล้ว",
            evidence_url="",
        )
        self.client.force_login(self.alice)

    def entry_url(self, name: str = "progress_edit", *extra) -> str:
        return self.url(name, self.plan.pk, self.entry.pk, *extra)

    def edit_data(self, **overrides) -> dict:
        data = {
            "date": "๑๕/๑๒/๒๕๖๔",
            "status": "in_progress",
            "percent": "๔๐",
            "note": "ประกาศแล้ว",
            "evidence_url": "",
            "fingerprint": self.entry.fingerprint(),
        }
        return {**data, **overrides}
