"""The OIT collection window: the default (January to June of the fiscal year), the dates an administrator
enters on the framework, and which frameworks are collecting on a given day."""

from __future__ import annotations

import datetime

from django.test import override_settings
from django.urls import reverse

from ita.admin import FrameworkAdmin
from ita.models import Framework
from ita.oit.window import Window, collection_window, default_window, frameworks_collecting
from tests.base import BaseTestCase
from tests.factory import make_framework

D = datetime.date


def _field(value) -> object:
    return "" if value is None else value


class DefaultWindowTests(BaseTestCase):
    def test_fiscal_2569_collects_from_1_january_to_30_june_2026(self):
        framework = make_framework(2569, oit_items=2)
        self.assertEqual(collection_window(framework), Window(D(2026, 1, 1), D(2026, 6, 30), from_framework=False))

    @override_settings(OIT_COLLECTION_DEFAULT=((10, 15), (2, 29)))
    def test_october_falls_in_the_year_before_and_a_day_past_the_months_end_is_its_last_day(self):
        self.assertEqual(default_window(2569), Window(D(2025, 10, 15), D(2026, 2, 28), from_framework=False))
        self.assertEqual(default_window(2571).closes, D(2028, 2, 29))  # 2028 is a leap year

    def test_the_frameworks_own_dates_win_when_both_are_set(self):
        framework = make_framework(2569, oit_items=2)
        framework.oit_opens, framework.oit_closes = D(2026, 2, 1), D(2026, 5, 15)
        self.assertEqual(collection_window(framework), Window(D(2026, 2, 1), D(2026, 5, 15), from_framework=True))

    def test_one_date_alone_falls_back_to_the_default(self):
        framework = make_framework(2569, oit_items=2)
        framework.oit_closes = D(2026, 3, 31)
        self.assertEqual(collection_window(framework), default_window(2569))

    def test_open_and_days_left_count_both_ends(self):
        window = default_window(2569)
        self.assertFalse(window.is_open(D(2025, 12, 31)))
        self.assertTrue(window.is_open(D(2026, 1, 1)))
        self.assertTrue(window.is_open(D(2026, 6, 30)))
        self.assertFalse(window.is_open(D(2026, 7, 1)))
        self.assertEqual(window.days_left(D(2026, 6, 30)), 0)
        self.assertEqual(window.days_left(D(2026, 6, 16)), 14)


class CollectingTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.y2569 = make_framework(2569, oit_items=2)
        cls.y2570 = make_framework(2570, oit_items=2)

    def years(self, day, lead_days=0):
        return [(f.fiscal_year, w.closes) for f, w in frameworks_collecting(day, lead_days=lead_days)]

    def test_the_year_whose_window_is_open_that_day(self):
        self.assertEqual(self.years(D(2026, 3, 1)), [(2569, D(2026, 6, 30))])
        self.assertEqual(self.years(D(2026, 7, 1)), [])
        self.assertEqual(self.years(D(2025, 12, 31)), [])

    def test_lead_days_bring_in_a_window_that_opens_soon(self):
        self.assertEqual(self.years(D(2025, 12, 2), lead_days=30), [(2569, D(2026, 6, 30))])
        self.assertEqual(self.years(D(2025, 12, 1), lead_days=30), [])
        self.assertEqual(self.years(D(2026, 12, 5), lead_days=30), [(2570, D(2027, 6, 30))])

    def test_dates_set_by_an_administrator_move_the_window(self):
        Framework.objects.filter(pk=self.y2569.pk).update(oit_opens=D(2026, 6, 1), oit_closes=D(2026, 8, 31))
        self.assertEqual(self.years(D(2026, 3, 1)), [])
        self.assertEqual(self.years(D(2026, 8, 31)), [(2569, D(2026, 8, 31))])
        self.assertEqual(self.years(D(2026, 9, 1)), [])

    def test_several_windows_open_at_once_are_listed_oldest_first(self):
        Framework.objects.filter(pk=self.y2570.pk).update(oit_opens=D(2026, 6, 1), oit_closes=D(2026, 9, 30))
        self.assertEqual(self.years(D(2026, 6, 15)), [(2569, D(2026, 6, 30)), (2570, D(2026, 9, 30))])

    def test_one_query(self):
        with self.assertNumQueries(1):
            frameworks_collecting(D(2026, 3, 1), lead_days=30)


class AdminTests(BaseTestCase):
    """An administrator enters the year's dates in the framework's admin page."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.y2569 = make_framework(2569, oit_items=2)
        cls.url = reverse("admin:ita_framework_change", args=[cls.y2569.pk])

    def post_data(self, opens: str, closes: str) -> dict:
        framework = self.y2569
        data = {
            "fiscal_year": framework.fiscal_year,
            "source": framework.source,
            "name": framework.name,
            "weight_iit": framework.weight_iit,
            "weight_eit": framework.weight_eit,
            "weight_oit": framework.weight_oit,
            "note": "",
            "oit_opens": opens,
            "oit_closes": closes,
        }
        for prefix, rows, fields in (
            ("levels", framework.levels.all(), ["label", "min_overall", "min_tool", "order"]),
            ("indicators", framework.indicators.all(), ["number", "tool", "name"]),
        ):
            rows = list(rows)
            data.update({f"{prefix}-TOTAL_FORMS": len(rows), f"{prefix}-INITIAL_FORMS": len(rows)})
            for n, row in enumerate(rows):
                data.update({f"{prefix}-{n}-id": row.pk, f"{prefix}-{n}-framework": framework.pk})
                data.update({f"{prefix}-{n}-{name}": _field(getattr(row, name)) for name in fields})
        return data

    def test_the_change_page_shows_both_dates_with_a_thai_help_text(self):
        self.client.force_login(self.root)
        response = self.client.get(self.url)
        self.assertContains(response, 'name="oit_opens"')
        self.assertContains(response, 'name="oit_closes"')
        self.assertContains(response, "ช่วงรับหลักฐาน OIT")
        self.assertContains(response, "ว่างไว้ทั้งสองช่องเมื่อยังไม่ทราบ")

    def test_saving_the_dates_moves_the_window(self):
        self.client.force_login(self.root)
        response = self.client.post(self.url, self.post_data("2026-02-01", "2026-05-15"))
        self.assertEqual(response.status_code, 302, response.content.decode()[:2000])
        self.y2569.refresh_from_db()
        self.assertEqual(collection_window(self.y2569), Window(D(2026, 2, 1), D(2026, 5, 15), from_framework=True))

    def test_one_date_alone_or_a_close_before_the_open_is_refused_in_thai(self):
        self.client.force_login(self.root)
        response = self.client.post(self.url, self.post_data("2026-02-01", ""))
        self.assertContains(response, "ใส่ทั้งวันเปิดและวันปิดรับหลักฐาน OIT หรือว่างไว้ทั้งสองช่อง")
        response = self.client.post(self.url, self.post_data("2026-05-15", "2026-02-01"))
        self.assertContains(response, "วันปิดรับหลักฐาน OIT ต้องไม่ก่อนวันเปิดรับ")
        self.y2569.refresh_from_db()
        self.assertIsNone(self.y2569.oit_opens)

    def test_the_admin_uses_the_form_that_checks_the_pair(self):
        self.assertIn(("oit_opens", "oit_closes"), FrameworkAdmin.fieldsets[1][1]["fields"])
