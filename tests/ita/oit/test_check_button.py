"""The checklist page's link check: the button (eager), its cool-down, who may press it, and what the page shows."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from ita.models import AuditorAssignment, EvidenceChecklist, LinkCheck, Membership
from tests.factory import make_user
from tests.ita.oit.helpers import YEAR, LinkSiteTestCase


class ButtonTests(LinkSiteTestCase):
    def url(self, name="check_links", org=None):
        return reverse(f"oit:{name}", kwargs={"code": (org or self.alpha).code, "year": YEAR})

    def press(self, user=None):
        """POST the button (the task runs in-process once the request's transaction commits), then open the page."""
        self.client.force_login(user or self.alice)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(self.url())
        self.assertRedirects(response, self.url("checklist"), fetch_redirect_response=False)
        return self.client.get(response["Location"])

    def test_a_press_checks_every_link_and_the_page_shows_why(self):
        self.save({self.o1: ["/year-thai"], self.o2: ["/no-such-page"], self.o3: ["/hop/1", "/last-year"]})
        response = self.press()
        self.assertContains(response, "สั่งตรวจลิงก์แล้ว")
        self.assertEqual(LinkCheck.objects.count(), 4)
        checklist = EvidenceChecklist.objects.get()
        self.assertLessEqual(checklist.links_requested_at, checklist.links_checked_at)
        self.assertNotContains(response, "กำลังตรวจลิงก์")
        self.assertContains(response, "ใช้ได้ ๑ ข้อ, ควรตรวจดู ๑ ข้อ, ใช้ไม่ได้ ๑ ข้อ, ยังไม่มีลิงก์ ๔๐ ข้อ, ยังไม่ได้ตรวจ ๐ ข้อ")
        page = response.content.decode()
        item = page[page.index('id="item-o2"') : page.index('id="item-o3"')]
        self.assertIn('class="oit-badge oit-red"><span aria-hidden="true">✗</span> ใช้ไม่ได้', item)
        self.assertIn("ไม่พบหน้านี้บนเว็บ (รหัส ๔๐๔)", item)
        self.assertIn("รหัสตอบกลับ ๔๐๔", item)
        self.assertIn("ตรวจเมื่อ", item)
        item = page[page.index('id="item-o3"') : page.index('id="item-o4"')]
        self.assertIn("ควรตรวจดู", item)  # the last year's page makes the item amber
        self.assertIn("ไปจบที่", item)  # /hop/1 ended at /year-thai
        self.assertIn(self.page("/year-thai"), item)
        self.assertIn("ยังไม่มีลิงก์", page[page.index('id="item-o4"') : page.index('id="item-o5"')])

    def test_a_second_press_within_the_cool_down_is_refused_and_fetches_nothing(self):
        self.save({self.o1: ["/year-thai"]})
        self.press()
        first = EvidenceChecklist.objects.get().links_requested_at
        fetched = len(self.fetched())
        response = self.press()
        self.assertContains(response, "เพิ่งสั่งตรวจลิงก์ไปเมื่อไม่นานนี้")
        self.assertEqual(len(self.fetched()), fetched)
        self.assertEqual(EvidenceChecklist.objects.get().links_requested_at, first)
        # Once the cool-down has passed, a press checks again.
        EvidenceChecklist.objects.update(links_requested_at=first - datetime.timedelta(minutes=11))
        response = self.press()
        self.assertContains(response, "สั่งตรวจลิงก์แล้ว")
        self.assertEqual(len(self.fetched()), fetched + 1)

    def test_a_checklist_without_links_has_nothing_to_check(self):
        response = self.press()
        self.assertContains(response, "ยังไม่มีลิงก์ให้ตรวจ")
        self.assertFalse(EvidenceChecklist.objects.exists())

    def test_who_may_press(self):
        self.save({self.o1: ["/year-thai"]})
        audrey = make_user("audrey", role=Membership.Role.AUDITOR)
        AuditorAssignment.objects.create(user=audrey, organization=self.alpha)
        for user, org, status in [
            (self.bob, self.alpha, 403),  # executive
            (audrey, self.alpha, 403),  # assigned auditor
            (self.charlie, self.alpha, 404),  # another organisation's staff
            (self.alice, self.beta, 404),
        ]:
            self.client.force_login(user)
            with self.subTest(user=user.username, org=org.code), self.captureOnCommitCallbacks(execute=True):
                self.assertEqual(self.client.post(self.url(org=org)).status_code, status)
        self.assertEqual(self.fetched(), [])
        self.assertIsNone(EvidenceChecklist.objects.get().links_requested_at)
        self.client.force_login(self.bob)
        self.assertNotContains(self.client.get(self.url("checklist")), self.url())  # no button for executives

    def test_the_button_only_posts(self):
        self.client.force_login(self.alice)
        self.assertEqual(self.client.get(self.url()).status_code, 405)


class CheckingTests(LinkSiteTestCase):
    def page(self, path=""):
        if path:
            return super().page(path)
        self.client.force_login(self.alice)
        return self.client.get(reverse("oit:checklist", kwargs={"code": self.alpha.code, "year": YEAR}))

    def test_the_page_says_checking_and_reloads_while_a_request_is_newer_than_the_last_check(self):
        self.save({self.o1: ["/year-thai"]})
        now = timezone.now()
        EvidenceChecklist.objects.update(links_requested_at=now, links_checked_at=now - datetime.timedelta(days=3))
        response = self.page()
        self.assertContains(response, "กำลังตรวจลิงก์…")
        self.assertContains(response, '<meta http-equiv="refresh" content="10">', html=False)
        self.assertContains(response, "ยังไม่ได้ตรวจ")  # the badge of a URL with no result yet

    def test_a_finished_or_lost_request_is_not_shown_as_checking(self):
        self.save({self.o1: ["/year-thai"]})
        now = timezone.now()
        for requested, checked in [
            (now - datetime.timedelta(minutes=5), now),  # finished
            (now - datetime.timedelta(hours=2), None),  # lost (a worker died): the page stops waiting
        ]:
            EvidenceChecklist.objects.update(links_requested_at=requested, links_checked_at=checked)
            with self.subTest(requested=requested, checked=checked):
                response = self.page()
                self.assertNotContains(response, "กำลังตรวจลิงก์")
                self.assertNotContains(response, "http-equiv")
