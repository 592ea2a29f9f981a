"""Items without question text, and the warning on every page of a framework no one has verified yet."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from ita.forms import ScoreEntryForm, item_label
from ita.models import Framework, ImportJob, Item, Score, ValueSource
from tests.base import BaseTestCase

MISSING = "ยังไม่มีข้อความคำถามในกรอบการประเมิน"
BANNER = "ยังไม่ได้ตรวจสอบกับเอกสารทางการของสำนักงาน ป.ป.ช."


class ItemWithoutTextTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.blank = Item.objects.get(framework=cls.framework, code="i3")
        cls.blank.text = ""
        cls.blank.save()
        cls.url = reverse("ita:assessment_detail", args=[cls.alpha_2564.pk])
        cls.fill_url = reverse("admin:ita_item_change", args=[cls.blank.pk])

    def test_the_label_says_the_text_is_missing_instead_of_repeating_the_code(self):
        self.client.force_login(self.alice)
        response = self.client.get(self.url)
        missing = f'<span class="muted item-text-missing">{MISSING}</span>'
        self.assertContains(response, f'<span class="item-code">I3</span> {missing}')
        self.assertNotContains(response, '<span class="item-code">I3</span> I3<')
        self.assertContains(response, '<span class="item-code">I4</span> ข้อ i4</label>')
        self.assertNotContains(response, self.fill_url)  # staff cannot fill it: no link to the admin

    def test_an_administrator_gets_a_link_to_fill_the_text(self):
        self.client.force_login(self.root)
        response = self.client.get(self.url)
        self.assertContains(response, f'href="{self.fill_url}"', count=1)
        self.assertContains(response, "เพิ่มข้อความคำถามของข้อ I3")
        self.assertEqual(self.client.get(self.fill_url).status_code, 200)

    def test_the_form_field_label_names_the_item_in_thai(self):
        form = ScoreEntryForm(assessment=self.alpha_2564)
        self.assertEqual(form.fields["item_i3"].label, f"I3 {MISSING}")
        self.assertEqual(form.fields["item_i4"].label, "I4 ข้อ i4")
        self.assertEqual(item_label(Item(code="o7", text="  ")), f"O7 {MISSING}")

    def test_the_trend_page_says_the_text_is_missing(self):
        self.alpha_2564.set_scores({(Score.Kind.ITEM, "i3"): Decimal("70")}, user=None, source=ValueSource.FORM)
        self.client.force_login(self.alice)
        response = self.client.get(reverse("trend:organization", args=["ALPHA"]))
        self.assertContains(response, MISSING)


class UnverifiedFrameworkBannerTests(BaseTestCase):
    def setUp(self):
        self.detail = reverse("ita:assessment_detail", args=[self.alpha_2564.pk])
        self.admin_link = reverse("admin:ita_framework_change", args=[self.framework.pk])

    def set_verified(self, verified: bool) -> None:
        Framework.objects.filter(pk=self.framework.pk).update(verified=verified)

    def test_staff_and_executives_see_it_on_the_scores_and_the_history(self):
        self.set_verified(False)
        for user in (self.alice, self.bob):
            self.client.force_login(user)
            for params in ({}, {"tab": "history"}):
                with self.subTest(user=user.username, params=params):
                    response = self.client.get(self.detail, params)
                    self.assertContains(response, "กรอบการประเมินปี พ.ศ. ๒๕๖๔ " + BANNER)
                    self.assertNotContains(response, self.admin_link)

    def test_an_administrator_gets_a_link_to_verify_it(self):
        self.set_verified(False)
        self.client.force_login(self.root)
        self.assertContains(self.client.get(self.detail), f'href="{self.admin_link}"')

    def test_a_verified_framework_shows_no_banner(self):
        self.set_verified(True)
        self.client.force_login(self.alice)
        for params in ({}, {"tab": "history"}):
            self.assertNotContains(self.client.get(self.detail, params), BANNER)

    def test_an_import_into_an_unverified_year_shows_it(self):
        job = ImportJob.objects.create(
            created_by=self.alice,
            organization=self.alpha,
            fiscal_year=2564,
            filename="ผล.csv",
            sha256="0" * 64,
            content=b"x",
            status=ImportJob.Status.PREVIEW,
        )
        page = reverse("importers:detail", args=[job.pk])
        self.client.force_login(self.alice)
        self.set_verified(False)
        self.assertContains(self.client.get(page), BANNER)
        self.set_verified(True)
        self.assertNotContains(self.client.get(page), BANNER)
        ImportJob.objects.filter(pk=job.pk).update(fiscal_year=None)  # a job of several years names none
        self.set_verified(False)
        self.assertNotContains(self.client.get(page), BANNER)
