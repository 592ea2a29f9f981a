"""The to-do item of the OIT evidence: what staff still lack while ITAS collects it (ita.todo.oit_evidence)."""

from __future__ import annotations

import datetime
from unittest import mock

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ita.models import Framework, LinkCheck, Membership
from ita.oit.checklist import oit_items
from ita.todo import registry
from ita.todo.oit_evidence import oit_evidence_gaps
from ita.todo.registry import Priority, todo_for
from tests.base import BaseTestCase
from tests.factory import make_evidence, make_framework, make_user

D = datetime.date
IN_WINDOW = D(2026, 3, 2)  # fiscal 2569 collects from 1 January to 30 June 2026
V = LinkCheck.Verdict


def on(day: datetime.date):
    return mock.patch("django.utils.timezone.localdate", return_value=day)


class OitTodoCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.y2569 = make_framework(2569, oit_items=6)
        cls.o1, cls.o2, cls.o3, cls.o4, cls.o5, cls.o6 = oit_items(cls.y2569)

    def items(self, user, day=IN_WINDOW):
        with on(day):
            return oit_evidence_gaps(user, getattr(user, "membership", None))

    def texts(self, user, day=IN_WINDOW) -> list[str]:
        return [item.text for item in self.items(user, day)]

    def fill(self, organization=None) -> None:
        """O1 missing; O2 red; O3 without the year; O4 green; O5 unchecked; O6 green, a stale red for an old URL."""
        organization = organization or self.alpha
        framework = self.y2569
        make_evidence(
            organization, framework, self.o2, ["https://a.go.th/2"], [("https://a.go.th/2", V.RED, "not_found")]
        )
        make_evidence(
            organization, framework, self.o3, ["https://a.go.th/3"], [("https://a.go.th/3", V.AMBER, "year_missing")]
        )
        make_evidence(organization, framework, self.o4, ["https://a.go.th/4"], [("https://a.go.th/4", V.GREEN, "ok")])
        make_evidence(organization, framework, self.o5, ["https://a.go.th/5"])
        make_evidence(
            organization,
            framework,
            self.o6,
            ["https://a.go.th/6"],
            [("https://a.go.th/6", V.GREEN, "ok"), ("https://a.go.th/old", V.RED, "dns")],
        )


class TextTests(OitTodoCase):
    def test_a_year_without_a_checklist_counts_every_item_as_missing(self):
        [item] = self.items(self.alice)
        self.assertEqual(item.text, "หลักฐาน OIT ปี พ.ศ. ๒๕๖๙: ยังไม่มีลิงก์ ๖ ข้อ")
        self.assertEqual(item.url, reverse("oit:checklist", args=["ALPHA", 2569]))
        self.assertEqual(item.detail, "ปิดรับหลักฐาน ๓๐ มิถุนายน ๒๕๖๙ (อีก ๑๒๐ วัน)")

    def test_each_kind_is_counted_once_per_item_and_a_changed_link_forgets_its_old_check(self):
        self.fill()
        self.assertEqual(
            self.texts(self.alice),
            ["หลักฐาน OIT ปี พ.ศ. ๒๕๖๙: ยังไม่มีลิงก์ ๑ ข้อ, ลิงก์ใช้ไม่ได้ ๑ ข้อ, ไม่พบปีปัจจุบัน ๑ ข้อ, ยังไม่ได้ตรวจลิงก์ ๑ ข้อ"],
        )

    def test_only_the_parts_that_are_not_zero_are_named(self):
        for item in (self.o1, self.o2, self.o3, self.o4, self.o6):
            make_evidence(
                self.alpha, self.y2569, item, ["https://a.go.th/x"], [("https://a.go.th/x", V.RED, "timeout")]
            )
        make_evidence(self.alpha, self.y2569, self.o5, ["https://a.go.th/5"], [("https://a.go.th/5", V.GREEN, "ok")])
        self.assertEqual(self.texts(self.alice), ["หลักฐาน OIT ปี พ.ศ. ๒๕๖๙: ลิงก์ใช้ไม่ได้ ๕ ข้อ"])

    def test_an_item_with_a_red_link_and_a_page_without_the_year_counts_in_both(self):
        urls = ["https://a.go.th/a", "https://a.go.th/b"]
        checks = [(urls[0], V.RED, "connect"), (urls[1], V.AMBER, "year_missing")]
        make_evidence(self.alpha, self.y2569, self.o1, urls, checks)
        for item in (self.o2, self.o3, self.o4, self.o5, self.o6):
            make_evidence(self.alpha, self.y2569, item, ["https://a.go.th/ok"], [("https://a.go.th/ok", V.GREEN, "ok")])
        self.assertEqual(self.texts(self.alice), ["หลักฐาน OIT ปี พ.ศ. ๒๕๖๙: ลิงก์ใช้ไม่ได้ ๑ ข้อ, ไม่พบปีปัจจุบัน ๑ ข้อ"])

    def test_nothing_when_every_item_has_a_checked_link_without_a_problem(self):
        for item in oit_items(self.y2569):
            checks = (
                [("https://a.go.th/x", V.GREEN, "ok")]
                if item != self.o1
                else [("https://a.go.th/x", V.AMBER, "off_host")]
            )
            make_evidence(self.alpha, self.y2569, item, ["https://a.go.th/x"], checks)
        self.assertEqual(self.items(self.alice), [])

    def test_another_organisations_evidence_does_not_count(self):
        self.fill(self.beta)
        self.assertEqual(self.texts(self.alice), ["หลักฐาน OIT ปี พ.ศ. ๒๕๖๙: ยังไม่มีลิงก์ ๖ ข้อ"])
        [beta] = self.items(self.charlie)
        self.assertTrue(beta.text.startswith("หลักฐาน OIT ปี พ.ศ. ๒๕๖๙: ยังไม่มีลิงก์ ๑ ข้อ, ลิงก์ใช้ไม่ได้ ๑ ข้อ"))
        self.assertEqual(beta.url, reverse("oit:checklist", args=["BETA", 2569]))


class WhenTests(OitTodoCase):
    def test_due_on_the_last_day_missing_until_fourteen_days_before_then_due_soon(self):
        [item] = self.items(self.alice, D(2026, 6, 15))
        self.assertEqual((item.priority, item.due), (Priority.MISSING, D(2026, 6, 30)))
        [item] = self.items(self.alice, D(2026, 6, 16))
        self.assertEqual((item.priority, item.due), (Priority.DUE_SOON, D(2026, 6, 30)))
        self.assertEqual(item.detail, "ปิดรับหลักฐาน ๓๐ มิถุนายน ๒๕๖๙ (อีก ๑๔ วัน)")
        [item] = self.items(self.alice, D(2026, 6, 30))
        self.assertEqual(item.detail, "ปิดรับหลักฐานวันนี้ (๓๐ มิถุนายน ๒๕๖๙)")

    def test_thirty_days_before_the_window_opens_the_item_appears_with_both_dates(self):
        self.assertEqual(self.items(self.alice, D(2025, 12, 1)), [])
        [item] = self.items(self.alice, D(2025, 12, 2))
        self.assertEqual(item.detail, "เปิดรับหลักฐาน ๑ มกราคม ๒๕๖๙ ถึง ๓๐ มิถุนายน ๒๕๖๙")
        self.assertEqual(item.priority, Priority.MISSING)

    def test_after_the_window_closes_nothing(self):
        self.assertEqual(self.items(self.alice, D(2026, 7, 1)), [])

    def test_the_dates_an_administrator_entered_decide(self):
        Framework.objects.filter(pk=self.y2569.pk).update(oit_opens=D(2026, 4, 1), oit_closes=D(2026, 4, 20))
        [item] = self.items(self.alice, D(2026, 4, 10))
        self.assertEqual((item.priority, item.due), (Priority.DUE_SOON, D(2026, 4, 20)))
        self.assertEqual(self.items(self.alice, D(2026, 4, 21)), [])

    def test_two_years_collecting_at_once_give_one_item_each(self):
        make_framework(2570, oit_items=3)
        Framework.objects.filter(fiscal_year=2570).update(oit_opens=D(2026, 6, 1), oit_closes=D(2026, 9, 30))
        self.assertEqual(
            self.texts(self.alice, D(2026, 6, 10)),
            ["หลักฐาน OIT ปี พ.ศ. ๒๕๖๙: ยังไม่มีลิงก์ ๖ ข้อ", "หลักฐาน OIT ปี พ.ศ. ๒๕๗๐: ยังไม่มีลิงก์ ๓ ข้อ"],
        )


class WhoTests(OitTodoCase):
    def test_only_staff_of_the_organisation_see_it(self):
        audrey = make_user("audrey", role=Membership.Role.AUDITOR)
        for user in (self.bob, self.root, audrey):
            with self.subTest(user=user.username):
                self.assertEqual(self.items(user), [])
        self.assertEqual(len(self.items(self.alice)), 1)

    def test_it_is_registered_and_shows_on_the_home_page(self):
        names = {f"{p.__module__}.{p.__name__}" for p in registry.providers()}
        self.assertIn("ita.todo.oit_evidence.oit_evidence_gaps", names)
        with on(IN_WINDOW):
            self.assertIn(
                "หลักฐาน OIT ปี พ.ศ. ๒๕๖๙: ยังไม่มีลิงก์ ๖ ข้อ", [i.text for i in todo_for(self.alice, self.alice.membership)]
            )
            self.client.force_login(self.alice)
            page = self.client.get(reverse("ita:home"))
        url = reverse("oit:checklist", args=["ALPHA", 2569])
        self.assertContains(page, f'<a href="{url}">หลักฐาน OIT ปี พ.ศ. ๒๕๖๙: ยังไม่มีลิงก์ ๖ ข้อ</a>', html=True)


class QueryTests(OitTodoCase):
    def queries(self, user, day) -> int:
        membership = Membership.objects.select_related("organization").get(user=user)
        with on(day), CaptureQueriesContext(connection) as captured:
            oit_evidence_gaps(user, membership)
        return len(captured)

    def test_four_queries_whatever_the_number_of_years_items_and_links(self):
        self.assertEqual(self.queries(self.alice, IN_WINDOW), 4)
        self.fill()
        big = make_framework(2570, oit_items=40)
        Framework.objects.filter(pk=big.pk).update(oit_opens=D(2026, 1, 1), oit_closes=D(2026, 9, 30))
        for n, item in enumerate(oit_items(big)):
            urls = [f"https://a.go.th/{n}/{k}" for k in range(5)]
            make_evidence(self.alpha, big, item, urls, [(url, V.RED, "dns") for url in urls])
        self.assertEqual(len(self.items(self.alice)), 2)
        self.assertEqual(self.queries(self.alice, IN_WINDOW), 4)

    def test_outside_every_window_one_query(self):
        self.assertEqual(self.queries(self.alice, D(2026, 8, 1)), 1)
        self.assertEqual(self.queries(self.bob, IN_WINDOW), 0)
