"""Shared pieces of the import page tests: small ITAS files and the calls that walk a job through."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ita.models import ImportJob

INDICATORS = ",".join(f"ตัวชี้วัดที่ {n}" for n in range(1, 11))
HEADER = f"รหัสหน่วยงาน,ปีงบประมาณ,คะแนนรวม,ระดับ,{INDICATORS},i1,o27"
ORG_HEADER = "รหัสหน่วยงาน,ชื่อหน่วยงาน,จังหวัด,ปีงบประมาณ,IIT,ข้อ i๑"


def wide_row(code: str = "ALPHA", year: str = "2564", *, overall: str = "90", i1: str = "95", o27: str = "100") -> str:
    return f"{code},{year},{overall},A," + ",".join(["90"] * 10) + f",{i1},{o27}"


def csv_file(*rows: str, name: str = "ผล.csv", header: str = HEADER) -> SimpleUploadedFile:
    text = "\n".join([header, *rows]) + "\n"
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


class FlowMixin:
    """Drives the pages as a browser would, running the after-commit task callbacks (eager Celery)."""

    def upload(self, upload: SimpleUploadedFile, **extra):
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(reverse("importers:new"), {"kind": "file", "file": upload, **extra})
        return response

    def paste(self, text: str, year: str = "๒๕๖๔", **extra):
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                reverse("importers:new"), {"kind": "paste", "text": text, "fiscal_year": year, **extra}
            )
        return response

    def confirm(self, job: ImportJob):
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(reverse("importers:confirm", args=[job.pk]))

    def latest_job(self) -> ImportJob:
        return ImportJob.objects.order_by("-pk").first()
