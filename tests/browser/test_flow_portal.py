"""Flow 4: an anonymous visitor searches the portal by part of a Thai name, opens the organisation, gets the PDF.

Two organisations have published plans, so the search has something to leave out; a third has only
a draft, which the public must never see.
"""

import pytest

from measures.plans import create_plan
from reports.models import PublishedVersion

from .a11y import assert_accessible_basics
from .plan_data import office_with_last_years_scores, published_plan

expect = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed").expect


def _three_offices():
    nong_laeng = office_with_last_years_scores()
    published_plan(nong_laeng)
    mae_sai = office_with_last_years_scores(
        code="5570702",
        name="องค์การบริหารส่วนตำบลแม่สายมิตรภาพ",
        district="แม่สาย",
        province="เชียงราย",
        usernames=("malee", "wichai"),
    )
    published_plan(mae_sai)
    draft_only = office_with_last_years_scores(code="6570302", name="เทศบาลตำบลหนองแหลงใต้", usernames=("kanya", "suda"))
    create_plan(organization=draft_only.organization, fiscal_year=2565, by=draft_only.staff)
    return nong_laeng


def test_visitor_finds_the_published_plan_by_part_of_its_name_and_downloads_it(page):
    office = _three_offices()
    copy = PublishedVersion.objects.get(plan__organization=office.organization)

    page.goto("/public/")
    expect(page.get_by_role("heading", name="เอกสาร ๒ ฉบับ")).to_be_visible()
    search = page.get_by_role("search")
    search.get_by_label("ชื่อหรือรหัสหน่วยงาน").press_sequentially("หนองแหลง")
    search.get_by_role("button", name="ค้นหา").click()

    # Both organisations named หนองแหลง match; only the one that published has a document.
    matches = page.get_by_role("region", name="หน่วยงานที่ตรงกับคำค้น (๒ แห่ง)")
    expect(matches.get_by_role("link", name="เทศบาลตำบลหนองแหลง", exact=True)).to_be_visible()
    expect(matches.get_by_role("link", name="เทศบาลตำบลหนองแหลงใต้")).to_be_visible()
    documents = page.get_by_role("region", name="เอกสาร ๑ ฉบับ")
    rows = documents.get_by_role("table").locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first.get_by_role("rowheader")).to_contain_text("เทศบาลตำบลหนองแหลง")
    expect(rows.first).to_contain_text("ลำปาง")
    expect(documents).not_to_contain_text("แม่สายมิตรภาพ")
    assert_accessible_basics(page)

    # The visitor first tries the other match: its draft is not published, so there is nothing to read.
    matches.get_by_role("link", name="เทศบาลตำบลหนองแหลงใต้").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("เทศบาลตำบลหนองแหลงใต้")
    expect(page.get_by_text("หน่วยงานนี้ยังไม่ได้เผยแพร่มาตรการผ่านระบบ")).to_be_visible()
    page.go_back()

    # The organisation page lists the published copy with its fingerprint, and serves its PDF.
    rows.first.get_by_role("link", name="เทศบาลตำบลหนองแหลง").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("เทศบาลตำบลหนองแหลง")
    published = page.get_by_role("region", name="มาตรการส่งเสริมคุณธรรมและความโปร่งใสที่เผยแพร่")
    row = published.get_by_role("row", name="๒๕๖๕")
    assert_accessible_basics(page)
    expect(row).to_contain_text(copy.sha256)
    with page.expect_download() as started:
        row.get_by_role("link", name="PDF").click()
    download = started.value
    assert download.suggested_filename == "มาตรการ-เทศบาลตำบลหนองแหลง-2565.pdf"
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

    # The page of the published copy (where the PDF's QR code leads) names the same plan.
    row.get_by_role("link", name="ดูฉบับเผยแพร่").click()
    expect(page.get_by_role("main")).to_contain_text("เทศบาลตำบลหนองแหลง")
    expect(page.get_by_role("main")).to_contain_text(copy.data_sha256)
