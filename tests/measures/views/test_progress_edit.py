"""Correcting and deleting a progress entry: staff of a plan in force, stale forms refused, changes in the history."""

from __future__ import annotations

from ita.models import AuditEvent
from measures.models import MeasurePlan, Progress
from measures.progress import update_progress
from tests.measures.views.progress_helpers import PublishedEntryTestCase


class EditTests(PublishedEntryTestCase):
    def test_staff_correct_an_entry_and_the_plan_history_shows_it(self):
        page = self.client.get(self.entry_url())
        self.assertContains(page, 'name="fingerprint"')
        self.assertContains(page, "ประกาศแล้ว")
        response = self.client.post(self.entry_url(), self.edit_data(percent="๖๐", note="ประกาศและแจ้งเวียนแล้ว"))
        self.assertEqual(response.status_code, 302)
        self.entry.refresh_from_db()
        self.assertEqual((self.entry.percent, self.entry.note), (60, "ประกาศและแจ้งเวียนแล้ว"))
        event = AuditEvent.objects.get(action="update", object_type="measures.progress")
        self.assertEqual(event.changes["percent"]["old"], 40)
        self.assertEqual(event.changes["percent"]["new"], 60)
        self.assertEqual((event.subject_type, event.subject_id, event.user), ("plan", self.plan.pk, self.alice))
        history = self.client.get(self.url("detail", self.plan.pk), {"tab": "history"})
        self.assertContains(history, "แก้ไขบันทึกความก้าวหน้าของมาตรการ")

    def test_an_edit_from_older_values_is_refused_with_the_current_ones(self):
        opened = self.entry.fingerprint()
        update_progress(entry=Progress.objects.get(pk=self.entry.pk), by=self.root, fingerprint=opened, percent=70)
        response = self.client.post(self.entry_url(), self.edit_data(percent="๙๐", fingerprint=opened))
        self.assertContains(response, "มีผู้อื่นแก้ไขบันทึกความก้าวหน้านี้", status_code=409)
        self.assertEqual(response.context["form"]["percent"].value(), "๗๐")
        self.assertEqual(Progress.objects.get(pk=self.entry.pk).percent, 70)
        self.assertEqual(AuditEvent.objects.filter(action="update", object_type="measures.progress").count(), 1)

    def test_errors_are_listed_at_the_top_with_links_to_their_fields(self):
        response = self.client.post(self.entry_url(), self.edit_data(percent="๑๒๐", date="เมื่อวาน"))
        self.assertContains(response, "data-error-summary", status_code=400)
        self.assertContains(response, 'href="#id_percent"', status_code=400)
        self.assertContains(response, 'href="#id_date"', status_code=400)
        self.assertContains(response, "error_summary.js", status_code=400)
        self.assertEqual(Progress.objects.get(pk=self.entry.pk).percent, 40)

    def test_the_add_form_lists_its_errors_at_the_top_too(self):
        response = self.client.post(self.url("progress", self.plan.pk, self.measure.pk), {"date": "", "status": "x"})
        self.assertContains(response, "data-error-summary", status_code=400)
        self.assertContains(response, 'href="#id_date"', status_code=400)

    def test_a_form_without_its_fingerprint_is_refused(self):
        response = self.client.post(self.entry_url(), self.edit_data(fingerprint="", percent="๙๐"))
        self.assertContains(response, "ข้อมูลฟอร์มไม่ครบ", status_code=400)
        self.assertEqual(Progress.objects.get(pk=self.entry.pk).percent, 40)


class DeleteTests(PublishedEntryTestCase):
    def test_confirmation_page_then_delete_recorded_with_what_was_removed(self):
        page = self.client.get(self.entry_url("progress_delete"))
        self.assertContains(page, "ยืนยันลบบันทึกนี้")
        self.assertContains(page, "ประกาศแล้ว")
        self.assertTrue(Progress.objects.filter(pk=self.entry.pk).exists())
        response = self.client.post(self.entry_url("progress_delete"), {"fingerprint": self.entry.fingerprint()})
        self.assertRedirects(response, self.url("progress", self.plan.pk, self.measure.pk))
        self.assertFalse(Progress.objects.filter(pk=self.entry.pk).exists())
        event = AuditEvent.objects.get(action="delete", object_type="measures.progress")
        self.assertEqual(event.object_id, self.entry.pk)
        self.assertEqual(event.changes["note"], {"label": "สิ่งที่ดำเนินการ", "old": "ประกาศแล้ว", "new": None})
        self.assertEqual(event.subject_id, self.plan.pk)

    def test_a_get_never_deletes_and_a_post_without_the_version_seen_is_refused(self):
        self.client.get(self.entry_url("progress_delete"))
        self.assertEqual(self.client.post(self.entry_url("progress_delete"), {}).status_code, 400)
        self.assertTrue(Progress.objects.filter(pk=self.entry.pk).exists())

    def test_a_delete_of_a_changed_entry_shows_it_again(self):
        opened = self.entry.fingerprint()
        update_progress(entry=Progress.objects.get(pk=self.entry.pk), by=self.alice, fingerprint=opened, percent=80)
        response = self.client.post(self.entry_url("progress_delete"), {"fingerprint": opened})
        self.assertContains(response, "ยังไม่ได้ลบ", status_code=409)
        self.assertContains(response, "๘๐", status_code=409)
        self.assertTrue(Progress.objects.filter(pk=self.entry.pk).exists())


class WhoAndWhenTests(PublishedEntryTestCase):
    def test_roles(self):
        data = self.edit_data(percent="๕๐")
        for user, status in ((self.bob, 403), (self.dora, 403), (self.charlie, 404)):
            self.client.force_login(user)
            with self.subTest(user=user.username):
                self.assertEqual(self.client.get(self.entry_url()).status_code, status)
                self.assertEqual(self.client.post(self.entry_url(), data).status_code, status)
                self.assertEqual(self.client.get(self.entry_url("progress_delete")).status_code, status)
                delete = self.client.post(self.entry_url("progress_delete"), {"fingerprint": data["fingerprint"]})
                self.assertEqual(delete.status_code, status)
        self.assertEqual(Progress.objects.get(pk=self.entry.pk).percent, 40)
        self.client.force_login(self.root)
        self.assertEqual(self.client.post(self.entry_url(), data).status_code, 302)
        self.assertEqual(Progress.objects.get(pk=self.entry.pk).percent, 50)

    def test_the_entries_page_offers_edit_and_delete_to_staff_only(self):
        list_url = self.url("progress", self.plan.pk, self.measure.pk)
        self.assertContains(self.client.get(list_url), self.entry_url())
        self.client.force_login(self.bob)
        self.assertNotContains(self.client.get(list_url), self.entry_url())

    def test_not_on_a_superseded_version(self):
        self.plan.new_version(by=self.alice)
        response = self.client.post(self.entry_url(), self.edit_data(percent="๙๐"))
        self.assertContains(self.client.get(response["Location"]), "ให้บันทึกความก้าวหน้าในฉบับล่าสุด")
        response = self.client.post(self.entry_url("progress_delete"), {"fingerprint": self.entry.fingerprint()})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Progress.objects.get(pk=self.entry.pk).percent, 40)

    def test_not_on_a_draft(self):
        MeasurePlan.objects.filter(pk=self.plan.pk).update(status=MeasurePlan.Status.DRAFT)
        response = self.client.get(self.entry_url())
        self.assertContains(self.client.get(response["Location"]), "ได้รับอนุมัติแล้วเท่านั้น")
        self.client.post(self.entry_url("progress_delete"), {"fingerprint": self.entry.fingerprint()})
        self.assertTrue(Progress.objects.filter(pk=self.entry.pk).exists())

    def test_an_entry_through_another_plans_address_is_not_found(self):
        other = self.make_plan(self.beta)
        self.client.force_login(self.root)
        self.assertEqual(self.client.get(self.url("progress_edit", other.pk, self.entry.pk)).status_code, 404)
