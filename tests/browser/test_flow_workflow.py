"""Flow 7 (issue 12): approval that binds, work that finds its people, an auditor assigned from a page.

Staff submit → the executive finds it on the home page's to-do card → returns it with a reason →
staff find the return on theirs, read the reason, fix and submit again (the reason mailed to them) →
the executive approves the version they read → publishes. An approval made from a page the plan has
changed under is refused with the current content. An administrator assigns an auditor through the
assignment page, and the auditor opens that organisation's draft.
"""

import pytest
from django.contrib.auth.models import User
from django.core import mail

from ita.models import Membership
from measures.models import MeasurePlan
from measures.plans import create_plan
from tests.factory import make_user

from .a11y import assert_accessible_basics
from .plan_data import office_with_last_years_scores

expect = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed").expect

REASON = "ขอให้ระบุหน่วยงานผู้รับผิดชอบและเบอร์โทรศัพท์ให้ครบก่อนเสนอใหม่"


def _message(page, text: str):
    return page.get_by_role("status").filter(has_text=text)


def _todo(page):
    return page.get_by_role("region", name="สิ่งที่รอคุณ")


def test_return_with_a_reason_fix_resubmit_approve_the_version_seen_and_publish(login_as):
    office = office_with_last_years_scores()
    office.staff.email = "somchai@nonglaeng.go.th"
    office.staff.save()
    plan = create_plan(organization=office.organization, fiscal_year=2565, by=office.staff)

    # Staff submit from the plan page.
    page = login_as(office.staff)
    page.goto(f"/plans/{plan.pk}/")
    page.get_by_role("button", name="เสนอผู้บริหารพิจารณา").click()
    expect(_message(page, "เสนอมาตรการต่อผู้บริหารแล้ว")).to_be_visible()

    # The executive's home starts with the plan waiting for them; the link leads to it.
    login_as(office.executive)
    page.goto("/")
    todo = _todo(page)
    expect(todo).to_be_visible()
    assert_accessible_basics(page)
    todo.get_by_role("link", name="มาตรการปี ๒๕๖๕ รอคุณพิจารณาอนุมัติหรือส่งกลับไปแก้ไข").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("๒๕๖๕")

    # Returning needs a reason: none is refused, one is kept.
    page.get_by_role("button", name="ส่งกลับไปแก้ไข").click()
    expect(page.locator("#reason-error")).to_contain_text("โปรดระบุเหตุผลที่ส่งกลับไปแก้ไข")
    page.get_by_label("เหตุผลที่ส่งกลับไปแก้ไข").fill(REASON)
    page.get_by_role("button", name="ส่งกลับไปแก้ไข").click()
    expect(_message(page, "ส่งมาตรการกลับไปแก้ไขแล้ว")).to_be_visible()

    # Staff are told: by e-mail, with the reason, and on their home page.
    returned_mail = [message for message in mail.outbox if office.staff.email in message.to]
    assert returned_mail and REASON in returned_mail[-1].body
    login_as(office.staff)
    page.goto("/")
    item = _todo(page).get_by_role("listitem").filter(has_text="ผู้บริหารส่งมาตรการปี ๒๕๖๕ กลับไปแก้ไข")
    expect(item).to_contain_text(REASON)
    item.get_by_role("link").click()
    expect(page.locator("#return-reason")).to_contain_text(REASON)

    # They fix what was asked and submit again; the timeline keeps both cycles.
    page.get_by_label("ส่วนราชการผู้รับผิดชอบ").fill("สำนักปลัด")
    page.get_by_label("โทรศัพท์").fill("๐ ๕๔๒๘ ๑๒๓๔")
    page.get_by_role("button", name="บันทึกรายละเอียด").click()
    expect(_message(page, "บันทึกรายละเอียดของมาตรการแล้ว")).to_be_visible()
    page.get_by_role("button", name="เสนอผู้บริหารพิจารณา").click()
    expect(_message(page, "เสนอมาตรการต่อผู้บริหารแล้ว")).to_be_visible()
    timeline = page.get_by_role("region", name="ขั้นตอนการอนุมัติ").get_by_role("listitem")
    expect(timeline.filter(has_text="เสนอผู้บริหาร")).to_have_count(2)
    expect(timeline.filter(has_text=REASON)).to_have_count(1)

    # The executive opens the confirmation page, and reads this version.
    login_as(office.executive)
    page.goto("/")
    _todo(page).get_by_role("link", name="มาตรการปี ๒๕๖๕ รอคุณพิจารณาอนุมัติหรือส่งกลับไปแก้ไข").click()
    page.get_by_role("link", name="อนุมัติมาตรการ…").click()
    assert_accessible_basics(page)

    # Meanwhile the plan goes back and forth elsewhere (another executive returns it, staff change a measure
    # and submit again): the page open in front of this executive no longer shows what is stored.
    other_executive = make_user("wichai", organization=office.organization, role=Membership.Role.EXECUTIVE)
    plan.refresh_from_db()
    plan.return_to_draft(by=other_executive, reason="แก้ชื่อมาตรการ")
    measure = plan.measures.first()
    measure.title = "จัดทำคู่มือการยืมและใช้ทรัพย์สินของราชการ ฉบับปรับปรุง"
    measure.save()
    plan.submit(by=office.staff)

    page.get_by_role("button", name="ยืนยันอนุมัติมาตรการฉบับนี้").click()
    expect(page.get_by_text("ยังไม่ได้ดำเนินการ: มาตรการฉบับนี้เปลี่ยนไปหลังจากที่คุณเปิดดู").first).to_be_visible()
    expect(page.get_by_text("ฉบับปรับปรุง").first).to_be_visible()  # the current content is on the page
    plan.refresh_from_db()
    assert plan.status == MeasurePlan.Status.SUBMITTED and plan.approved_by is None

    # Having read the current version, the executive approves it, then publishes.
    page.get_by_role("link", name="อนุมัติมาตรการ…").click()
    expect(page.get_by_text("ฉบับปรับปรุง").first).to_be_visible()
    page.get_by_role("button", name="ยืนยันอนุมัติมาตรการฉบับนี้").click()
    expect(_message(page, "อนุมัติมาตรการแล้ว")).to_be_visible()
    page.get_by_role("link", name="เผยแพร่มาตรการ…").click()
    page.get_by_role("button", name="ยืนยันเผยแพร่มาตรการฉบับนี้ต่อสาธารณะ").click()
    expect(_message(page, "เผยแพร่มาตรการแล้ว")).to_be_visible()
    plan.refresh_from_db()
    assert (plan.status, plan.approved_by, plan.published_by) == (
        MeasurePlan.Status.PUBLISHED,
        office.executive,
        office.executive,
    )
    assert plan.measures.filter(title__endswith="ฉบับปรับปรุง").exists()
    # Nothing waits for the executive any more.
    page.goto("/")
    expect(_todo(page).get_by_text("ตอนนี้ไม่มีงานที่รอคุณ")).to_be_visible()


def test_an_auditor_assigned_through_the_page_sees_the_draft(login_as):
    office = office_with_last_years_scores()
    plan = create_plan(organization=office.organization, fiscal_year=2565, by=office.staff)
    auditor = make_user("auditor1", role=Membership.Role.AUDITOR, first_name="มานี", last_name="ตรวจดี")
    admin = User.objects.create_superuser("root", "root@example.org", "password")

    page = login_as(admin)
    page.goto("/accounts/auditors/")
    assert_accessible_basics(page)
    page.get_by_label("ค้นหาด้วยชื่อหรือรหัสหน่วยงาน หรือชื่อผู้ตรวจสอบ").fill("หนองแหลง")
    page.get_by_role("button", name="ค้นหา").click()
    page.get_by_label("ผู้ตรวจสอบ", exact=True).select_option(label="มานี ตรวจดี (auditor1)")
    page.get_by_label("หน่วยงาน", exact=True).select_option(label=f"เทศบาลตำบลหนองแหลง ({office.organization.code})")
    page.get_by_role("button", name="มอบหมาย").click()
    expect(page.get_by_role("row", name="เทศบาลตำบลหนองแหลง")).to_contain_text("มานี ตรวจดี")

    login_as(auditor)
    page.goto("/")
    # Their home lists the organisation (not "this account belongs to no organisation").
    expect(page.get_by_role("link", name="เทศบาลตำบลหนองแหลง").first).to_be_visible()
    page.goto(f"/plans/{plan.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("๒๕๖๕")
    expect(page.get_by_text("ร่าง").first).to_be_visible()
    # Reading only: no step of the workflow is offered.
    expect(page.get_by_role("button", name="เสนอผู้บริหารพิจารณา")).to_have_count(0)
    expect(page.get_by_role("link", name="อนุมัติมาตรการ…")).to_have_count(0)
