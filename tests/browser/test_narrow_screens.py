"""Every kind of page fits a 390 px phone: no sideways scrolling of the page itself.

Wide tables may scroll inside their own container (.table-wrap); the page around them may not. Each
role's pages are opened in Chromium at 390 px and document.documentElement.scrollWidth is measured.
"""

import pytest
from django.contrib.auth.models import User

from measures.plans import create_plan

from .plan_data import office_with_last_years_scores, published_plan

pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")

WIDTH = 390

# Runs in the page: what sticks out past the right edge outside any scrolling box (for the message).
_WIDE_JS = """
() => {
  const width = document.documentElement.clientWidth;
  const scrolls = (el) => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      if (["auto", "scroll", "hidden"].includes(getComputedStyle(p).overflowX)) return true;
    }
    return false;
  };
  return [...document.querySelectorAll("body *")]
    .filter((el) => el.getBoundingClientRect().right > width + 0.5 && !scrolls(el))
    .slice(0, 5)
    .map((el) => `${el.tagName.toLowerCase()}.${el.className} ends at ${Math.round(el.getBoundingClientRect().right)}`);
}
"""


def _too_wide(page, paths: list[str]) -> list[str]:
    found = []
    for path in paths:
        response = page.goto(path)
        assert response is not None and response.status < 500, path
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > WIDTH:
            found.append(f"{path}: {width} px wide ({'; '.join(page.evaluate(_WIDE_JS))})")
    return found


def test_no_page_scrolls_sideways_at_390_px(page, login_as):
    office = office_with_last_years_scores()
    plan = published_plan(office)
    drafting = office_with_last_years_scores(code="6570302", name="เทศบาลตำบลหนองแหลงใต้", usernames=("kanya", "suda"))
    draft = create_plan(organization=drafting.organization, fiscal_year=2565, by=drafting.staff)
    measure = draft.measures.first()
    code = office.organization.code
    admin = User.objects.create_superuser("root", "root@example.org", "password")
    page.set_viewport_size({"width": WIDTH, "height": 844})

    too_wide = _too_wide(page, ["/accounts/login/", "/public/", f"/public/organizations/{code}/", "/public/national/"])
    pages_by_user = {
        office.staff: [
            "/",
            f"/assessments/{office.assessment.pk}/",
            f"/assessments/{office.assessment.pk}/?tab=history",
            f"/organizations/{code}/",
            f"/organizations/{code}/trend/",
            "/plans/",
            f"/plans/{plan.pk}/",
            "/plans/units/",
            "/imports/",
            "/imports/new/",
            "/accounts/password_change/",
            "/public/",
            "/no-such-page/",
        ],
        drafting.staff: [
            f"/plans/{draft.pk}/",
            f"/plans/{draft.pk}/library/",
            f"/plans/{draft.pk}/measures/add/",
            *([f"/plans/{draft.pk}/measures/{measure.pk}/"] if measure else []),
        ],
        office.executive: ["/", f"/plans/{plan.pk}/"],
        drafting.executive: [f"/plans/{draft.pk}/"],
        admin: ["/", f"/assessments/{office.assessment.pk}/", "/plans/"],
    }
    for user, paths in pages_by_user.items():
        page.context.clear_cookies()
        login_as(user)
        too_wide += _too_wide(page, paths)
        if user == office.staff:
            # The signed-in header: the log-out button is on screen, not pushed past the right edge.
            page.goto("/")
            box = page.get_by_role("button", name="ออกจากระบบ").bounding_box()
            assert box is not None and box["x"] + box["width"] <= WIDTH
    assert too_wide == [], "\n".join(too_wide)
