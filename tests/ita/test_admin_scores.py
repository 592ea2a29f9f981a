"""The admin's assessment page writes through the score form's path: version, ScoreRevision, audit, regrade."""

from __future__ import annotations

from decimal import Decimal
from unittest import mock

from django.db.models import F
from django.urls import reverse

from ita.admin import AssessmentAdmin
from ita.models import Assessment, AuditEvent, Score, ScoreRevision, Source, ValueSource
from tests.base import BaseTestCase
from tests.factory import make_framework
from tests.trust.test_lost_updates import hidden


def admin_form_data(response) -> dict[str, object]:
    """What the admin change page posts back unchanged: the form, each inline row and the management form."""
    data: dict[str, object] = {}

    def add(form) -> None:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            data[form.add_prefix(name)] = value

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        add(inline.formset.management_form)
        for form in inline.formset.forms:
            add(form)
    return data


def row_index(data: dict[str, object], kind: str, code: str) -> int:
    """The inline row of a stored score on the page."""
    for key, value in data.items():
        if key.startswith("scores-") and key.endswith("-code") and value == code:
            index = int(key.split("-")[1])
            if data[f"scores-{index}-kind"] == kind:
                return index
    raise AssertionError(f"no row {kind}:{code}")


class AdminScoreTestCase(BaseTestCase):
    def setUp(self):
        values = {(Score.Kind.INDICATOR, str(n)): Decimal("90") for n in range(1, 11)}
        self.alpha_2564.set_scores(values, user=self.alice, source=ValueSource.FORM)
        self.url = reverse("admin:ita_assessment_change", args=[self.alpha_2564.pk])
        self.staff_url = reverse("ita:assessment_detail", args=[self.alpha_2564.pk])
        self.client.force_login(self.root)

    def opened(self) -> dict[str, object]:
        return admin_form_data(self.client.get(self.url))

    def stored(self) -> Assessment:
        return Assessment.objects.get(pk=self.alpha_2564.pk)

    def value(self, code: str, kind: str = "indicator") -> Decimal | None:
        return (
            Score.objects.filter(assessment=self.alpha_2564, kind=kind, code=code)
            .values_list("value", flat=True)
            .first()
        )

    def admin_events(self):
        return AuditEvent.objects.filter(
            object_type="ita.assessment", object_id=self.alpha_2564.pk, source=Source.ADMIN
        )


class AdminWritePathTests(AdminScoreTestCase):
    def test_the_page_carries_the_version_it_was_opened_with(self):
        self.assertEqual(self.opened()["opened_version"], self.stored().version)

    def test_a_score_correction_bumps_the_version_keeps_history_audits_once_and_regrades(self):
        version = self.stored().version
        data = self.opened()
        for number in range(1, 11):
            data[f"scores-{row_index(data, 'indicator', str(number))}-value"] = "100"
        self.assertEqual(self.client.post(self.url, data).status_code, 302)
        saved = self.stored()
        self.assertEqual(saved.version, version + 1)
        self.assertEqual((saved.overall, saved.level, saved.updated_by), (Decimal("100"), "AA", self.root))
        revisions = ScoreRevision.objects.filter(assessment=saved)
        self.assertEqual(revisions.count(), 10)
        self.assertEqual(
            {(r.old_value, r.new_value, r.new_source, r.changed_by) for r in revisions},
            {(Decimal("90"), Decimal("100"), ValueSource.ADMIN, self.root)},
        )
        self.assertEqual(Score.objects.get(assessment=saved, kind="indicator", code="1").source, ValueSource.ADMIN)
        [event] = self.admin_events()
        self.assertEqual((event.user, event.action), (self.root, "update"))
        self.assertEqual(event.changes["indicator:1"], {"label": "ตัวชี้วัดที่ ๑", "old": "90.00", "new": "100.00"})
        self.assertEqual(event.changes["level"]["new"], "AA")

    def test_an_official_value_edit_is_audited(self):
        data = self.opened()
        data |= {"official_overall": "87.5", "official_level": "A"}
        self.assertEqual(self.client.post(self.url, data).status_code, 302)
        [event] = self.admin_events()
        self.assertEqual(event.changes["official_overall"], {"label": "คะแนนรวม (ทางการ)", "old": None, "new": "87.50"})
        self.assertEqual(event.changes["official_level"]["new"], "A")
        self.assertEqual(self.stored().official_overall, Decimal("87.5"))

    def test_deleting_a_row_and_adding_one_go_through_the_same_path(self):
        data = self.opened()
        data[f"scores-{row_index(data, 'indicator', '10')}-DELETE"] = "on"
        extra = data["scores-TOTAL_FORMS"]
        data |= {f"scores-{extra}-kind": "item", f"scores-{extra}-code": "I7", f"scores-{extra}-value": "55"}
        data["scores-TOTAL_FORMS"] = int(extra) + 1
        self.assertEqual(self.client.post(self.url, data).status_code, 302)
        self.assertIsNone(self.value("10"))
        self.assertEqual(self.value("i7", kind="item"), Decimal("55"))  # stored as the form stores item codes
        removed = ScoreRevision.objects.get(assessment=self.alpha_2564, code="10")
        self.assertEqual((removed.old_value, removed.new_value), (Decimal("90"), None))

    def test_a_code_the_framework_does_not_know_is_refused_in_thai(self):
        data = self.opened()
        extra = data["scores-TOTAL_FORMS"]
        data |= {f"scores-{extra}-kind": "item", f"scores-{extra}-code": "zz9", f"scores-{extra}-value": "55"}
        data["scores-TOTAL_FORMS"] = int(extra) + 1
        response = self.client.post(self.url, data)
        self.assertContains(response, "ไม่มีในกรอบการประเมิน")
        self.assertEqual((self.stored().version, self.admin_events().count()), (self.alpha_2564.version, 0))

    def test_a_second_row_for_a_stored_score_is_refused(self):
        data = self.opened()
        extra = data["scores-TOTAL_FORMS"]
        data |= {f"scores-{extra}-kind": "indicator", f"scores-{extra}-code": "๓", f"scores-{extra}-value": "10"}
        data["scores-TOTAL_FORMS"] = int(extra) + 1
        self.assertContains(self.client.post(self.url, data), "อยู่แล้วในรายการ")
        self.assertEqual(self.value("3"), Decimal("90"))

    def test_organisation_and_year_stay_what_they_are(self):
        data = self.opened() | {"organization": self.beta.pk, "fiscal_year": 2599, "official_level": "B"}
        self.assertEqual(self.client.post(self.url, data).status_code, 302)
        saved = self.stored()
        self.assertEqual((saved.organization_id, saved.fiscal_year, saved.official_level), (self.alpha.pk, 2564, "B"))


class AdminStaleTests(AdminScoreTestCase):
    def test_a_stale_admin_save_is_refused_in_thai_and_writes_nothing(self):
        data = self.opened()
        # Meanwhile, staff save the score form (its blank inputs delete the other rows the admin page shows).
        self.client.force_login(self.alice)
        version = hidden(self.client.get(self.staff_url), "version")
        self.assertEqual(self.client.post(self.staff_url, {"version": version, "indicator_1": "70"}).status_code, 302)
        saved_version = self.stored().version
        self.client.force_login(self.root)
        data[f"scores-{row_index(data, 'indicator', '1')}-value"] = "99"
        data["official_level"] = "C"
        response = self.client.post(self.url, data, follow=True)
        self.assertRedirects(response, self.url)
        self.assertContains(response, "มีผู้อื่นแก้ไขคะแนนของการประเมินนี้")
        self.assertEqual(self.value("1"), Decimal("70"))
        self.assertEqual((self.stored().version, self.stored().official_level), (saved_version, ""))
        self.assertEqual(self.admin_events().count(), 0)

    def test_a_staff_form_opened_before_the_admin_save_is_then_stale(self):
        self.client.force_login(self.alice)
        staff_version = hidden(self.client.get(self.staff_url), "version")  # staff open the form
        self.client.force_login(self.root)
        data = self.opened()
        data[f"scores-{row_index(data, 'indicator', '1')}-value"] = "95"
        data["official_overall"] = "91"
        self.assertEqual(self.client.post(self.url, data).status_code, 302)  # the admin corrects
        self.client.force_login(self.alice)
        response = self.client.post(self.staff_url, {"version": staff_version, "indicator_1": "60"})
        self.assertContains(response, "มีผู้อื่นแก้ไขคะแนน", status_code=409)
        self.assertEqual(self.value("1"), Decimal("95"))  # the admin's values are kept
        self.assertEqual(self.stored().official_overall, Decimal("91"))
        self.assertEqual(self.stored().updated_by, self.root)

    def test_a_save_that_loses_the_race_inside_the_transaction_is_rolled_back(self):
        """The early check passed (as when two saves interleave): save_assessment's conditional update refuses."""
        data = self.opened()
        Assessment.objects.filter(pk=self.alpha_2564.pk).update(version=F("version") + 1)
        data[f"scores-{row_index(data, 'indicator', '2')}-value"] = "10"
        with mock.patch.object(AssessmentAdmin, "_check_version"):
            response = self.client.post(self.url, data)
        self.assertRedirects(response, self.url)
        self.assertEqual(self.value("2"), Decimal("90"))
        self.assertFalse(ScoreRevision.objects.filter(assessment=self.alpha_2564).exists())
        self.assertEqual(self.admin_events().count(), 0)


class AdminAddTests(BaseTestCase):
    def test_a_new_assessment_with_scores_is_created_then_saved_through_the_same_path(self):
        framework = make_framework(2565)
        self.client.force_login(self.root)
        url = reverse("admin:ita_assessment_add")
        data = admin_form_data(self.client.get(url))
        data |= {"organization": self.alpha.pk, "framework": framework.pk, "fiscal_year": 2565}
        data["scores-TOTAL_FORMS"] = 3
        for index, code in enumerate(("iit", "EIT", "oit")):
            data |= {f"scores-{index}-kind": "tool", f"scores-{index}-code": code, f"scores-{index}-value": "80"}
        self.assertEqual(self.client.post(url, data).status_code, 302)
        assessment = Assessment.objects.get(organization=self.alpha, fiscal_year=2565)
        self.assertEqual(
            set(assessment.scores.values_list("code", "value", "source")),
            {(code, Decimal("80"), ValueSource.ADMIN) for code in ("IIT", "EIT", "OIT")},
        )
        self.assertEqual((assessment.overall, assessment.level), (Decimal("80"), "B"))  # graded
        actions = AuditEvent.objects.filter(object_type="ita.assessment", object_id=assessment.pk).order_by("pk")
        self.assertEqual([event.action for event in actions], ["create", "update"])
