"""Flow 2: an administrator imports an ITAS file through the upload, preview and confirm pages.

The file is what a provincial office would send: Thai headers, Thai digits, two organisations the
system does not know yet. A second test uploads the same file with one bad cell and checks that the
error table names it and that nothing at all is written.
"""

from decimal import Decimal

import pytest

from ita.models import Assessment, ImportBatch, ImportJob, Organization, Score
from tests.factory import make_framework, make_user

from .a11y import assert_accessible_basics

expect = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed").expect

HEADER = "รหัสหน่วยงาน,ชื่อหน่วยงาน,อำเภอ,จังหวัด,ปีงบประมาณ,คะแนนรวม,ระดับ,IIT,EIT,OIT"
NEW_ONE = "๖๕๐๑๐๑,เทศบาลตำบลหนองแหลง,เมือง,เชียงราย,๒๕๖๔,๘๒.๗๖,B,๘๒.๖๓,๘๔.๓๗,๘๑.๔๑"
NEW_TWO = "๖๕๐๑๐๒,องค์การบริหารส่วนตำบลแม่สายมิตรภาพ,แม่สาย,เชียงราย,๒๕๖๔,๙๑.๐๕,A,๙๓.๕,๘๘.๑,๙๐.๕๕"


def _csv(*rows: str) -> dict:
    """A file for Playwright's set_input_files, as Excel saves Thai CSV (UTF-8 with a BOM)."""
    text = "\n".join([HEADER, *rows]) + "\n"
    return {"name": "ผลITAS-เชียงราย.csv", "mimeType": "text/csv", "buffer": ("\ufeff" + text).encode("utf-8")}


def _administrator():
    make_framework(2564)
    return make_user("somsri", is_staff=True, is_superuser=True, first_name="สมศรี", last_name="ใจดี")


def _upload_from_admin(page, upload: dict) -> None:
    """Admin index → ผลการประเมิน → นำเข้าผล ITAS → choose the file, tick create organisations, send."""
    page.goto("/admin/")
    page.get_by_role("link", name="ผลการประเมิน", exact=True).click()
    page.get_by_role("link", name="นำเข้าผล ITAS").click()
    expect(page.get_by_role("heading", name="นำเข้าผลการประเมิน ITAS", level=1)).to_be_visible()
    page.get_by_label("ไฟล์ผลการประเมิน", exact=True).set_input_files(upload)
    page.get_by_label("สร้างหน่วยงานที่ยังไม่มีในระบบ").check()
    page.get_by_role("button", name="ตรวจไฟล์และแสดงตัวอย่าง").click()


def test_administrator_previews_confirms_and_the_scores_are_saved(login_as, held_worker):
    page = login_as(_administrator())
    _upload_from_admin(page, _csv(NEW_ONE, NEW_TWO))

    # The file waits for the worker: the job page says it is being checked, then reloads by itself.
    expect(page.get_by_role("heading", name="กำลังตรวจสอบข้อมูล")).to_be_visible()
    assert held_worker.run_all() == ["ita.plan_import_job"]
    preview = page.get_by_role("region", name="ตัวอย่างสิ่งที่จะบันทึก")
    expect(preview).to_be_visible()
    assert_accessible_basics(page)

    # The preview lists the two new organisations and their values; nothing is written yet.
    new_orgs = preview.get_by_role("table").first
    expect(new_orgs.get_by_role("row", name="เทศบาลตำบลหนองแหลง")).to_contain_text("เชียงราย")
    expect(new_orgs.get_by_role("row", name="องค์การบริหารส่วนตำบลแม่สายมิตรภาพ")).to_contain_text("แม่สาย")
    changes = preview.get_by_role("table").last
    expect(changes).to_contain_text("๘๒.๗๖")
    expect(changes).to_contain_text("๙๓.๕๐")
    assert not Organization.objects.filter(code__in=["650101", "650102"]).exists()

    page.get_by_role("button", name="ยืนยันและบันทึก").click()
    expect(page.get_by_role("status").filter(has_text="ยืนยันแล้ว ระบบกำลังบันทึกข้อมูล")).to_be_visible()
    expect(page.get_by_role("heading", name="รอคิวบันทึก")).to_be_visible()
    assert held_worker.run_all() == ["ita.apply_import_job"]
    expect(page.get_by_role("heading", name="บันทึกเรียบร้อยแล้ว")).to_be_visible()
    done = page.get_by_role("region", name="บันทึกเรียบร้อยแล้ว")
    expect(done.get_by_role("link", name="เทศบาลตำบลหนองแหลง · ปีงบประมาณ ๒๕๖๔")).to_be_visible()
    assert_accessible_basics(page)

    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.DONE and job.batch.organizations_created == 2
    first = Assessment.objects.get(organization__code="650101", fiscal_year=2564)
    assert (first.organization.name, first.organization.province) == ("เทศบาลตำบลหนองแหลง", "เชียงราย")
    assert (first.official_overall, first.official_level) == (Decimal("82.76"), "B")
    second = Assessment.objects.get(organization__code="650102", fiscal_year=2564)
    assert second.score_values() == {
        ("tool", "IIT"): Decimal("93.50"),
        ("tool", "EIT"): Decimal("88.10"),
        ("tool", "OIT"): Decimal("90.55"),
    }

    # The result links to the imported assessment, which shows the official figures.
    done.get_by_role("link", name="องค์การบริหารส่วนตำบลแม่สายมิตรภาพ · ปีงบประมาณ ๒๕๖๔").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("ผลการประเมิน ITA ปีงบประมาณ พ.ศ. ๒๕๖๔")
    expect(page.locator(".page-heading")).to_contain_text("องค์การบริหารส่วนตำบลแม่สายมิตรภาพ")
    expect(page.get_by_role("region", name="ผลการประเมิน", exact=True)).to_contain_text("๙๑.๐๕")


def test_one_bad_row_shows_the_error_table_and_writes_nothing(login_as):
    page = login_as(_administrator())
    bad_two = NEW_TWO.replace("๙๓.๕", "๑๐๓.๕")  # a score above 100
    _upload_from_admin(page, _csv(NEW_ONE, bad_two))

    errors = page.get_by_role("region", name="พบข้อผิดพลาด ๑ รายการ จึงไม่ได้บันทึกข้อมูลใด ๆ")
    expect(errors).to_be_visible()
    rows = errors.get_by_role("table", name="รายการข้อผิดพลาด").locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first.get_by_role("cell").nth(0)).to_have_text("๓")  # the header is row ๑
    expect(rows.first.get_by_role("cell").nth(2)).to_have_text("๑๐๓.๕")
    expect(page.get_by_role("button", name="ยืนยันและบันทึก")).to_have_count(0)
    expect(page.get_by_role("link", name="นำเข้าไฟล์อื่น")).to_be_visible()
    assert_accessible_basics(page)

    assert ImportJob.objects.get().status == ImportJob.Status.INVALID
    assert not Organization.objects.exists()
    assert not Assessment.objects.exists()
    assert not Score.objects.exists() and not ImportBatch.objects.exists()


def test_the_upload_form_describes_its_fields(login_as):
    page = login_as(_administrator())
    page.goto("/imports/new/")
    assert_accessible_basics(page)
