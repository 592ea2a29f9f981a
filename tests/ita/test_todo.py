"""The to-do card of every home page: the registry's order, and ita's own items.

ita's items: years without scores, imports waiting for their confirmation.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from unittest import mock

from django.test import SimpleTestCase
from django.urls import reverse

from ita.models import AuditorAssignment, ImportJob, Membership, Score
from ita.todo import registry
from ita.todo.oit_evidence import oit_evidence_gaps
from ita.todo.registry import Item, Priority, todo_for
from tests.base import BaseTestCase
from tests.factory import make_assessment, make_framework, make_user

# Fiscal 2565 runs from 1 October 2021 to 30 September 2022.
IN_2565 = datetime.date(2022, 1, 15)


def on(day: datetime.date):
    return mock.patch("django.utils.timezone.localdate", return_value=day)


def add_score(assessment) -> None:
    Score.objects.create(assessment=assessment, kind=Score.Kind.TOOL, code="IIT", value=Decimal("90"))


class RegistryTests(SimpleTestCase):
    def test_items_sort_by_priority_then_date_then_text(self):
        day = datetime.date(2022, 3, 31)
        items = [
            Item(text="ข", url="/b", priority=Priority.MISSING),
            Item(text="ค", url="/c", priority=Priority.DUE_SOON, due=day),
            Item(text="ก", url="/a", priority=Priority.DUE_SOON),
            Item(text="ง", url="/d", priority=Priority.DUE_SOON, due=day - datetime.timedelta(days=1)),
            Item(text="จ", url="/e", priority=Priority.DECIDE),
        ]
        ordered = sorted(items, key=registry.sort_key)
        self.assertEqual([item.text for item in ordered], ["จ", "ง", "ค", "ก", "ข"])

    def test_every_priority_has_a_thai_word_and_a_class(self):
        for priority in Priority:
            item = Item(text="x", url="/", priority=priority)
            self.assertTrue(item.label)
            self.assertTrue(item.css_class.startswith("todo-"))
        self.assertEqual(Item(text="x", url="/", priority=Priority.DUE_SOON).css_class, "todo-due-soon")

    def test_registering_twice_adds_a_provider_once(self):
        def provider(user, membership):
            return [Item(text="งานทดสอบ", url="/", priority=Priority.WAITING)]

        before = registry.providers()
        try:
            registry.register(provider)
            registry.register(provider)
            self.assertEqual(registry.providers().count(provider), 1)
        finally:
            registry._providers[:] = list(before)

    def test_apps_register_their_providers_at_start(self):
        names = {f"{p.__module__}.{p.__name__}" for p in registry.providers()}
        self.assertIn("ita.todo.providers.years_without_scores", names)
        self.assertIn("ita.todo.providers.imports_to_confirm", names)
        self.assertIn("measures.todo.plans_to_decide", names)


class TodoCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.audrey = make_user("audrey", role=Membership.Role.AUDITOR)
        AuditorAssignment.objects.create(user=cls.audrey, organization=cls.alpha)

    def items(self, user, day: datetime.date = IN_2565) -> list[Item]:
        # The OIT evidence item (2565 collects its evidence in January) has its own tests:
        # tests/ita/test_todo_oit_evidence.py.
        membership = getattr(user, "membership", None)
        with on(day):
            oit = oit_evidence_gaps(user, membership)
            return [item for item in todo_for(user, membership) if item not in oit]

    def texts(self, user, day: datetime.date = IN_2565) -> list[str]:
        return [item.text for item in self.items(user, day)]


class YearsWithoutScoresTests(TodoCase):
    def test_a_year_added_without_scores_waits_for_staff(self):
        [item] = self.items(self.alice)
        self.assertEqual(item.text, "ผลการประเมินปีงบประมาณ พ.ศ. ๒๕๖๔ ยังไม่มีคะแนน")
        self.assertEqual(item.url, reverse("ita:assessment_detail", args=[self.alpha_2564.pk]))
        self.assertEqual(item.priority, Priority.MISSING)
        self.client.force_login(self.alice)
        self.assertEqual(self.client.get(item.url).status_code, 200)

    def test_only_staff_of_the_organisation_are_asked(self):
        for user in (self.bob, self.audrey, self.root):
            with self.subTest(user=user.username):
                self.assertEqual(self.texts(user), [])
        self.assertEqual(self.texts(self.charlie), ["ผลการประเมินปีงบประมาณ พ.ศ. ๒๕๖๔ ยังไม่มีคะแนน"])
        add_score(self.beta_2564)
        self.assertEqual(self.texts(self.charlie), [])
        self.assertEqual(len(self.texts(self.alice)), 1)  # Beta's scores answer nothing for Alpha

    def test_one_score_is_enough(self):
        add_score(self.alpha_2564)
        self.assertEqual(self.texts(self.alice), [])

    def test_the_current_year_is_asked_for_when_its_framework_exists(self):
        add_score(self.alpha_2564)
        self.assertEqual(self.texts(self.alice), [])  # no framework for 2565 yet: nothing to add it with
        make_framework(2565)
        [item] = self.items(self.alice)
        self.assertEqual(item.text, "ยังไม่ได้เพิ่มผลการประเมินปีงบประมาณ พ.ศ. ๒๕๖๕")
        self.assertEqual(item.url, reverse("ita:home") + "#add-heading")
        self.client.force_login(self.alice)
        with on(IN_2565):
            page = self.client.get(item.url)
        self.assertContains(page, 'id="add-heading"')
        # On 1 October the current year is 2566, whose framework does not exist.
        self.assertEqual(self.texts(self.alice, datetime.date(2022, 10, 1)), [])

    def test_the_current_year_added_but_empty_is_named_once(self):
        add_score(self.alpha_2564)
        current = make_assessment(self.alpha, make_framework(2565))
        self.assertEqual(self.texts(self.alice), ["ผลการประเมินปีงบประมาณ พ.ศ. ๒๕๖๕ ยังไม่มีคะแนน"])
        add_score(current)
        self.assertEqual(self.texts(self.alice), [])

    def test_a_future_year_is_not_asked_for(self):
        add_score(self.alpha_2564)
        make_assessment(self.alpha, make_framework(2566))
        self.assertEqual(self.texts(self.alice), [])
        self.assertEqual(
            self.texts(self.alice, datetime.date(2022, 10, 1)), ["ผลการประเมินปีงบประมาณ พ.ศ. ๒๕๖๖ ยังไม่มีคะแนน"]
        )


class ImportsToConfirmTests(TodoCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        add_score(cls.alpha_2564)
        add_score(cls.beta_2564)
        cls.erin = make_user("erin", organization=cls.alpha)

    def job(self, user, organization, status=ImportJob.Status.PREVIEW, filename="ผล ITA.xlsx") -> ImportJob:
        return ImportJob.objects.create(
            created_by=user, organization=organization, filename=filename, sha256="0" * 64, content=b"", status=status
        )

    def test_a_job_in_preview_waits_for_the_staff_member_who_started_it(self):
        job = self.job(self.alice, self.alpha)
        [item] = self.items(self.alice)
        self.assertEqual(item.text, "การนำเข้า “ผล ITA.xlsx” รอคุณยืนยัน")
        self.assertEqual(item.url, reverse("importers:detail", args=[job.pk]))
        self.assertEqual(item.priority, Priority.WAITING)
        self.assertIn("เริ่มเมื่อ", item.detail)
        self.client.force_login(self.alice)
        self.assertEqual(self.client.get(item.url).status_code, 200)
        for user in (self.erin, self.bob, self.charlie, self.audrey, self.root):
            with self.subTest(user=user.username):
                self.assertEqual(self.texts(user), [])

    def test_jobs_in_other_states_wait_for_nobody(self):
        for status in ImportJob.Status:
            if status != ImportJob.Status.PREVIEW:
                self.job(self.alice, self.alpha, status=status)
        self.assertEqual(self.texts(self.alice), [])

    def test_administrators_see_the_national_jobs_waiting(self):
        national = self.job(self.root, None, filename="ผลทั้งประเทศ.csv")
        self.job(self.alice, self.alpha)
        [item] = self.items(self.root)
        self.assertEqual(item.url, reverse("importers:detail", args=[national.pk]))
        self.assertEqual(self.texts(self.alice), ["การนำเข้า “ผล ITA.xlsx” รอคุณยืนยัน"])
        self.client.force_login(self.root)
        self.assertEqual(self.client.get(item.url).status_code, 200)

    def test_a_file_name_is_text_on_the_page(self):
        self.job(self.alice, self.alpha, filename='<img src=x onerror="alert(1)">.csv')
        self.client.force_login(self.alice)
        page = self.client.get(reverse("ita:home"))
        self.assertNotContains(page, '<img src=x onerror="alert(1)">')
        self.assertContains(page, "&lt;img src=x onerror=")


class HomeCardTests(TodoCase):
    def test_every_signed_in_home_starts_with_the_card(self):
        for user in (self.alice, self.bob, self.audrey, self.root):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                page = self.client.get(reverse("ita:home")).content.decode()
                self.assertIn('<h2 id="todo-heading">สิ่งที่รอคุณ</h2>', page)
                # The card comes before the page's other sections.
                self.assertLess(
                    page.index("todo-heading"), page.index('<section class="card"', page.index("todo-heading") + 1)
                )

    def test_the_items_are_links_in_a_list_and_the_empty_card_says_so(self):
        self.client.force_login(self.alice)
        page = self.client.get(reverse("ita:home"))
        self.assertContains(page, '<ul class="todo-list">')
        url = reverse("ita:assessment_detail", args=[self.alpha_2564.pk])
        link = f'<a href="{url}">ผลการประเมินปีงบประมาณ พ.ศ. ๒๕๖๔ ยังไม่มีคะแนน</a>'
        self.assertContains(page, link, html=True)
        self.assertContains(page, '<span class="badge todo-badge">ยังไม่มีข้อมูล</span>', html=True)
        self.client.force_login(self.bob)
        page = self.client.get(reverse("ita:home"))
        self.assertContains(page, "ตอนนี้ไม่มีงานที่รอคุณ")
        self.assertNotContains(page, '<ul class="todo-list">')
