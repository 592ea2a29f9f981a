"""Imports within bounds (issue 14, B2): errors capped and counted, their CSV streamed, memory growing with the file
and not with its errors, and a damaged xlsx answered with a message about the file all the way through the job."""

import csv
import io
import json
import tracemalloc
import zipfile
from unittest import mock

import openpyxl
from django.http import StreamingHttpResponse
from django.urls import reverse

from ita.importers import jobs as import_jobs
from ita.importers import sheetxml
from ita.importers.errorlog import ERRORS_KEPT, ErrorLog
from ita.importers.load import plan_import
from ita.importers.parse import DEFAULT_LIMITS, CellError, Limits, ParseError, read_table
from ita.models import ImportJob
from tests.base import BaseTestCase
from tests.ita.importers.helpers import FlowMixin
from tests.ita.importers.test_xlsx_read import SHEET, corrupt_crc, workbook_bytes

Status = ImportJob.Status
LONG_HEADER = "รหัสหน่วยงาน,ปีงบประมาณ,รายการ,คะแนน"


def conflicting_csv(rows: int) -> bytes:
    """A long-format file of one organisation whose every row after the first contradicts the first."""
    lines = [LONG_HEADER, "ALPHA,2564,ตัวชี้วัดที่ 1,50"]
    lines += [f"ALPHA,2564,ตัวชี้วัดที่ 1,{51 + row % 40}" for row in range(rows - 1)]
    return ("\n".join(lines) + "\n").encode()


class ErrorLogTests(BaseTestCase):
    def test_keeps_the_first_errors_by_row_and_column_whatever_order_they_come_in(self):
        log = ErrorLog(cap=3)
        for row, column in [(9, 1), (2, 5), (7, 2), (2, 1), (5, 5), (2, 1)]:
            log.add(CellError(row, column, "", f"{row}/{column}"))
        self.assertEqual([(e.row, e.column) for e in log.kept()], [(2, 1), (2, 1), (2, 5)])
        self.assertEqual((log.total, log.more), (6, 3))

    def test_same_cell_errors_keep_their_order(self):
        log = ErrorLog(cap=10, errors=[CellError(3, 1, "", "first"), CellError(3, 1, "", "second")])
        self.assertEqual([e.message for e in log.kept()], ["first", "second"])


class ErrorCapTests(FlowMixin, BaseTestCase):
    ROWS = ERRORS_KEPT + 500

    def setUp(self):
        self.client.force_login(self.alice)

    def planned(self, content: bytes) -> ImportJob:
        with self.captureOnCommitCallbacks(execute=True):
            job = import_jobs.start_import(user=self.alice, organization=self.alpha, filename="ผล.csv", content=content)
        job.refresh_from_db()
        return job

    def test_a_file_with_many_conflicts_stores_the_first_thousand_and_counts_the_rest(self):
        job = self.planned(conflicting_csv(self.ROWS))
        self.assertEqual(job.status, Status.INVALID)
        self.assertEqual(len(job.errors), ERRORS_KEPT)
        self.assertEqual(job.errors_total, self.ROWS - 1)
        self.assertEqual([e["row"] for e in job.errors], list(range(3, ERRORS_KEPT + 3)))
        self.assertEqual(bytes(job.content), b"")  # refused: the upload is not kept

    def test_the_page_and_the_csv_say_how_many_more(self):
        job = self.planned(conflicting_csv(self.ROWS))
        page = self.client.get(reverse("importers:detail", args=[job.pk]))
        self.assertContains(page, "พบข้อผิดพลาด ๑,๔๙๙ รายการ")
        self.assertContains(page, "ยังมีข้อผิดพลาดอีก ๔๙๙ รายการ")
        response = self.client.get(reverse("importers:errors_csv", args=[job.pk]))
        self.assertIsInstance(response, StreamingHttpResponse)
        rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
        self.assertEqual(len(rows), 1 + ERRORS_KEPT + 1)
        self.assertIn("ยังมีข้อผิดพลาดอีก 499 รายการ", rows[-1][3])

    def test_what_is_stored_does_not_grow_with_the_errors(self):
        sizes = []
        for rows in (self.ROWS, 2 * self.ROWS):
            job = self.planned(conflicting_csv(rows))
            sizes.append(len(json.dumps(job.errors, ensure_ascii=False)))
            self.assertEqual(job.errors_total, rows - 1)
        self.assertLess(abs(sizes[1] - sizes[0]), sizes[0] // 10)


class PlanMemoryTests(BaseTestCase):
    """Peak memory of checking a file grows with the file by a bounded factor, not with its errors' text."""

    def peak(self, content: bytes) -> int:
        tracemalloc.start()
        try:
            table = read_table(content, "ผล.csv")
            plan_import(table, filename="ผล.csv", sha256="0" * 64, only_organization=self.alpha)
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    def test_the_marginal_memory_per_byte_of_upload_is_bounded(self):
        small, large = conflicting_csv(4_000), conflicting_csv(8_000)
        self.peak(small)  # warm the caches (score texts, catalogue queries) so both runs start alike
        growth = self.peak(large) - self.peak(small)
        per_byte = growth / (len(large) - len(small))
        print(f"plan growth {growth} bytes for {len(large) - len(small)} bytes of file: {per_byte:.1f}x")
        self.assertLess(per_byte, 25)


class DamagedFileTests(FlowMixin, BaseTestCase):
    def setUp(self):
        self.client.force_login(self.alice)

    def test_a_bad_crc_ends_the_job_with_a_message_about_the_file(self):
        from django.core.files.uploadedfile import SimpleUploadedFile

        data = corrupt_crc(workbook_bytes(), SHEET)
        self.upload(SimpleUploadedFile("ผล.xlsx", data))
        job = self.latest_job()
        self.assertEqual(job.status, Status.INVALID)
        self.assertIn("ไฟล์ .xlsx เสียหาย", job.errors[0]["message"])
        page = self.client.get(reverse("importers:detail", args=[job.pk]))
        self.assertContains(page, "ไฟล์ .xlsx เสียหาย")
        self.assertNotContains(page, import_jobs.FAILED_MESSAGE)


class SheetPartLimitTests(BaseTestCase):
    """A small xlsx whose sheet unzips large is refused from the zip directory, before any XML is read."""

    def sheet_of(self, rows: int) -> bytes:
        workbook = openpyxl.Workbook()
        for row in range(1, rows + 1):
            workbook.active.append([f"ALPHA{row}", 2564, row % 100])
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()

    def test_a_sheet_part_over_the_limit_is_refused_in_thai(self):
        data = self.sheet_of(2_000)
        sheet_size = zipfile.ZipFile(io.BytesIO(data)).getinfo(SHEET).file_size
        limits = Limits(max_part_bytes=sheet_size - 1)
        with mock.patch.object(sheetxml, "scan_sheet", side_effect=AssertionError("the XML was read")):
            with self.assertRaisesMessage(ParseError, "ที่ขยายแล้วมีขนาด"):
                read_table(data, "ผล.xlsx", limits=limits)
        read_table(data, "ผล.xlsx", limits=Limits(max_part_bytes=sheet_size))

    def test_the_default_leaves_room_for_the_national_sheet(self):
        national_sheet = 29 * 1000 * 1000  # bench/national_file.py, 8,300 organisations
        self.assertGreater(DEFAULT_LIMITS.max_part_bytes, national_sheet * 1.3)
        self.assertLess(DEFAULT_LIMITS.max_part_bytes, DEFAULT_LIMITS.max_unzipped_bytes)
