"""A5: two people editing the same thing — the second save is refused with the current values shown."""

from __future__ import annotations

import datetime
import re

from django.urls import reverse

from ita.models import Assessment, Score
from measures.models import Measure, MeasurePlan, Progress
from tests.measures.views import PlanWebTestCase
from tests.measures.views.test_measures import measure_data


def hidden(response, name: str) -> str:
    """The value of a hidden input on the page, as the browser would send it back."""
    match = re.search(rf'name="{name}" value="([^"]*)"', response.content.decode())
    assert match, f"no hidden {name} on the page"
    return match.group(1)


class ScoreFormTests(PlanWebTestCase):
    def test_the_second_save_from_the_same_version_is_refused(self):
        url = reverse("ita:assessment_detail", args=[self.alpha_2564.pk])
        self.client.force_login(self.alice)
        version = hidden(self.client.get(url), "version")  # alice and root both open the page
        self.client.force_login(self.root)
        self.assertEqual(self.client.post(url, {"version": version, "indicator_1": "77"}).status_code, 302)
        self.client.force_login(self.alice)
        response = self.client.post(url, {"version": version, "indicator_1": "66"})
        self.assertContains(response, "มีผู้อื่นแก้ไขคะแนน", status_code=409)
        self.assertContains(response, 'value="๗๗.๐๐"', status_code=409)  # the current value, in the form
        self.assertEqual(Score.objects.get(assessment=self.alpha_2564, kind="indicator", code="1").value, 77)
        self.assertEqual(Assessment.objects.get(pk=self.alpha_2564.pk).updated_by, self.root)


class PlanDetailsTests(PlanWebTestCase):
    def test_a_stale_lock_version_is_refused(self):
        plan = self.make_plan()
        url = reverse("measures:details", args=[plan.pk])
        data = {"lock_version": plan.lock_version, "threshold": "85", "grouping": "indicator", "office": "กองคลัง"}
        self.client.force_login(self.alice)
        self.assertEqual(self.client.post(url, data).status_code, 302)
        response = self.client.post(url, {**data, "office": "สำนักปลัด"})
        self.assertContains(response, "มีผู้อื่นบันทึกมาตรการฉบับนี้ก่อนหน้าคุณ", status_code=409)
        self.assertEqual(MeasurePlan.objects.get(pk=plan.pk).office, "กองคลัง")


class MeasureEditTests(PlanWebTestCase):
    def setUp(self):
        self.plan = self.make_plan()
        self.measure = Measure.objects.create(plan=self.plan, title="มาตรการเดิม", responsible="สำนักปลัด")
        self.url = reverse("measures:measure_edit", args=[self.plan.pk, self.measure.pk])
        self.client.force_login(self.alice)

    def test_the_form_carries_the_version_it_was_made_from(self):
        self.assertEqual(hidden(self.client.get(self.url), "fingerprint"), self.measure.fingerprint())

    def test_the_second_save_is_refused_with_the_current_values(self):
        loaded = hidden(self.client.get(self.url), "fingerprint")
        first = self.client.post(self.url, {**measure_data(title="บันทึกก่อน"), "fingerprint": loaded})
        self.assertEqual(first.status_code, 302)
        response = self.client.post(self.url, {**measure_data(title="บันทึกทีหลัง"), "fingerprint": loaded})
        self.assertContains(response, "มีผู้อื่นแก้ไขมาตรการนี้", status_code=409)
        self.assertContains(response, "บันทึกก่อน", status_code=409)
        self.measure.refresh_from_db()
        self.assertEqual(self.measure.title, "บันทึกก่อน")
        # The refused page carries the new version: saving from it now works.
        again = self.client.post(
            self.url, {**measure_data(title="บันทึกทีหลัง"), "fingerprint": hidden(response, "fingerprint")}
        )
        self.assertEqual(again.status_code, 302)
        self.measure.refresh_from_db()
        self.assertEqual(self.measure.title, "บันทึกทีหลัง")

    def test_a_reorder_meanwhile_does_not_make_an_edit_stale(self):
        loaded = hidden(self.client.get(self.url), "fingerprint")
        Measure.objects.filter(pk=self.measure.pk).update(order=5)
        response = self.client.post(self.url, {**measure_data(title="ย้ายแล้วก็ยังแก้ได้"), "fingerprint": loaded})
        self.assertEqual(response.status_code, 302)


class ProgressTests(PlanWebTestCase):
    def test_entries_are_added_never_overwritten(self):
        """Progress entries are append-only: two people recording at once both keep their entry."""
        plan = self.make_plan()
        measure = Measure.objects.create(plan=plan, title="มาตรการติดตามผล")
        plan.submit(by=self.alice)
        plan.approve(by=self.bob)
        url = reverse("measures:progress", args=[plan.pk, measure.pk])
        self.client.force_login(self.alice)
        for note, day in (("คนแรก", "1/12/2564"), ("คนที่สอง", "2/12/2564")):
            data = {"date": day, "status": "in_progress", "percent": "30", "note": note}
            self.assertEqual(self.client.post(url, data).status_code, 302)
        notes = list(Progress.objects.filter(measure=measure).order_by("date").values_list("note", flat=True))
        self.assertEqual(notes, ["คนแรก", "คนที่สอง"])
        self.assertEqual(Progress.objects.filter(measure=measure).first().date, datetime.date(2021, 12, 1))
