"""Finding texts are guarded like measures: a save started from an older text answers 409 with the current one."""

from __future__ import annotations

import re

from ita.models import AuditEvent
from measures.models import Finding, StaleEdit
from tests.measures.views import PlanWebTestCase


def finding_fingerprint(response, url: str) -> str:
    """The fingerprint the page's edit form of one finding sends back, as a browser would."""
    html = response.content.decode()
    match = re.search(rf'action="{re.escape(url)}">.*?name="fingerprint" value="([^"]*)"', html, re.S)
    assert match, f"no edit form for {url} on the page"
    return match.group(1)


class StaleFindingTests(PlanWebTestCase):
    def setUp(self):
        self.plan = self.make_plan()
        self.finding = self.plan.findings.get(key="indicator:4")
        self.edit_url = self.url("finding_edit", self.plan.pk, self.finding.pk)
        self.client.force_login(self.alice)
        self.loaded = finding_fingerprint(self.client.get(self.url("detail", self.plan.pk)), self.edit_url)

    def events(self) -> int:
        return AuditEvent.objects.filter(object_type="measures.finding", object_id=self.finding.pk).count()

    def test_the_form_carries_the_fingerprint_of_the_stored_text(self):
        self.assertEqual(self.loaded, self.finding.fingerprint())

    def test_two_editors_from_one_page_load_the_second_is_refused(self):
        first = self.client.post(self.edit_url, {"text": "ข้อความของคนแรก", "fingerprint": self.loaded})
        self.assertEqual(first.status_code, 302)
        self.client.force_login(self.root)
        second = self.client.post(self.edit_url, {"text": "ข้อความของคนที่สอง", "fingerprint": self.loaded})
        self.assertContains(second, "มีผู้อื่นแก้ไขข้อความนี้", status_code=409)
        # The stored text is shown, and the refused one is offered back in the edit box.
        self.assertContains(second, "ข้อความของคนแรก", status_code=409)
        self.assertContains(second, "ข้อความของคนที่สอง</textarea>", status_code=409)
        self.finding.refresh_from_db()
        self.assertEqual(self.finding.text, "ข้อความของคนแรก")
        self.assertEqual(self.events(), 1)

    def test_the_refused_page_carries_the_new_fingerprint_so_saving_again_works(self):
        self.client.post(self.edit_url, {"text": "ข้อความของคนแรก", "fingerprint": self.loaded})
        refused = self.client.post(self.edit_url, {"text": "ข้อความของคนที่สอง", "fingerprint": self.loaded})
        self.assertEqual(refused.status_code, 409)
        again = {"text": "ข้อความของคนที่สอง", "fingerprint": finding_fingerprint(refused, self.edit_url)}
        self.assertEqual(self.client.post(self.edit_url, again).status_code, 302)
        self.finding.refresh_from_db()
        self.assertEqual(self.finding.text, "ข้อความของคนที่สอง")
        self.assertEqual(self.events(), 2)

    def test_a_regeneration_meanwhile_makes_the_edit_stale(self):
        Finding.objects.filter(pk=self.finding.pk).update(text="ข้อความที่ระบบสร้างใหม่")
        response = self.client.post(self.edit_url, {"text": "ข้อความของฉัน", "fingerprint": self.loaded})
        self.assertEqual(response.status_code, 409)
        self.finding.refresh_from_db()
        self.assertEqual((self.finding.text, self.finding.edited), ("ข้อความที่ระบบสร้างใหม่", False))

    def test_the_offered_back_text_is_escaped(self):
        self.client.post(self.edit_url, {"text": "ข้อความของคนแรก", "fingerprint": self.loaded})
        hostile = {"text": "</textarea><script>x()</script>", "fingerprint": self.loaded}
        response = self.client.post(self.edit_url, hostile)
        self.assertEqual(response.status_code, 409)
        self.assertNotContains(response, "<script>x()", status_code=409)
        self.assertContains(response, "&lt;/textarea&gt;&lt;script&gt;", status_code=409)

    def test_a_save_without_a_fingerprint_keeps_working(self):
        """A page rendered before the fingerprint existed still saves (like measures)."""
        self.assertEqual(self.client.post(self.edit_url, {"text": "ข้อความเดิมของหน้าเก่า"}).status_code, 302)

    def test_the_model_refuses_a_stale_fingerprint_and_writes_nothing(self):
        self.finding.edit("ก่อน", by=self.alice, fingerprint=self.loaded)
        with self.assertRaises(StaleEdit):
            Finding.objects.get(pk=self.finding.pk).edit("หลัง", by=self.alice, fingerprint=self.loaded)
        self.finding.refresh_from_db()
        self.assertEqual(self.finding.text, "ก่อน")
        self.assertEqual(self.events(), 1)
