"""The measure library of a plan: search, filters, paging, and copying a measure into the plan."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db import connection
from django.test.utils import CaptureQueriesContext

from ita.models import ItemCrosswalk
from measures.library import PAGE_SIZE
from measures.models import LibraryMeasure, Measure
from tests.factory import make_framework
from tests.measures.views import PlanWebTestCase
from tests.trust.html_audit import audit


def found(response) -> list[str]:
    return [row["measure"].key for row in response.context["rows"]]


class LibraryPageTests(PlanWebTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.gift = LibraryMeasure.objects.create(
            key="no-gift",
            title="ประกาศนโยบายไม่รับของขวัญ (No Gift Policy)",
            steps=["ติดประกาศภายใน ๓๐ วัน", "ชี้แจงบุคลากรทุกกอง"],
            monitoring="ตรวจการเบิกจ่าย 100% ของโครงการ",
            indicators=[1, 9],
            order=3,
        )
        cls.assets.items.add(cls.framework.items.get(code="i7"))

    def setUp(self):
        self.plan = self.make_plan()
        self.client.force_login(self.alice)

    def get(self, **params):
        return self.client.get(self.url("library", self.plan.pk), params)

    def test_suggestions_for_the_weaknesses_come_first_then_library_order(self):
        response = self.get()
        self.assertEqual(found(response), ["asset-manual", "unrelated", "no-gift"])
        self.assertEqual([row["suggested"] for row in response.context["rows"]], [True, False, False])
        self.assertContains(response, "พบ ๓ มาตรการ")
        self.assertContains(response, "ม.ค. – มี.ค. ๖๕")
        self.assertContains(response, "แนะนำ</span>", count=1)

    def test_words_are_found_in_the_title_the_steps_and_the_monitoring(self):
        cases = {
            "คู่มือ": ["asset-manual"],  # title
            "แจ้งเวียน": ["asset-manual"],  # a step
            "เมษายน": ["asset-manual"],  # monitoring
            "no GIFT policy": ["no-gift"],  # any case
            "ประกาศ   ของขวัญ": ["no-gift"],  # every word, anywhere, extra spaces ignored
            "ประกาศ คู่มือ": [],
            "ไม่มีคำนี้ในคลัง": [],
        }
        for query, keys in cases.items():
            with self.subTest(query):
                self.assertEqual(found(self.get(q=query)), keys)
        self.assertContains(self.get(q="ไม่มีคำนี้ในคลัง"), "ไม่พบมาตรการที่ตรงกับการค้นหา")

    def test_thai_and_arabic_digits_find_each_other(self):
        self.assertEqual(found(self.get(q="30 วัน")), ["no-gift"])
        self.assertEqual(found(self.get(q="๑๐๐%")), ["no-gift"])

    def test_percent_and_underscore_match_themselves(self):
        self.assertEqual(found(self.get(q="%")), ["no-gift"])
        self.assertEqual(found(self.get(q="_")), [])

    def test_filter_by_indicator_with_the_years_indicator_names(self):
        response = self.get(indicator="9")
        self.assertEqual(found(response), ["unrelated", "no-gift"])
        self.assertContains(response, "ตัวชี้วัดที่ ๙ การเปิดเผยข้อมูล")
        self.assertEqual(found(self.get(indicator="4")), ["asset-manual"])
        self.assertEqual(found(self.get(indicator="9", q="ของขวัญ")), ["no-gift"])

    def test_filter_by_item_code_in_any_case_and_digits(self):
        for code in ("i7", "I7", "i๗", "ข้อ I๗"):
            with self.subTest(code):
                response = self.get(item=code)
                self.assertEqual(found(response), ["asset-manual"])
        self.assertContains(self.get(item="i7"), "ข้อที่ตอบ (กรอบการประเมินปี ๒๕๖๔)")

    def test_an_unknown_or_malformed_item_code_is_explained_and_finds_nothing(self):
        response = self.get(item="o99")
        self.assertEqual((response.status_code, found(response)), (200, []))
        self.assertContains(response, "ไม่มีข้อ O99 ในกรอบการประเมินปี พ.ศ. ๒๕๖๔")
        self.assertContains(self.get(item="x1"), "ไม่ใช่รหัสข้อคำถาม")

    def test_the_year_defaults_to_the_plans_framework_and_items_cross_years(self):
        response = self.get()
        self.assertEqual(response.context["form"].chosen_year, 2564)
        self.assertContains(response, '<option value="2564" selected>')
        # A 2565 item linked to the 2564 item the measure names reaches it through the crosswalk.
        later = make_framework(2565)
        ItemCrosswalk.objects.create(from_item=self.framework.items.get(code="i7"), to_item=later.items.get(code="i8"))
        response = self.get(year="2565", item="I8")
        self.assertEqual(found(response), ["asset-manual"])
        self.assertContains(response, "ข้อที่ตอบ (กรอบการประเมินปี ๒๕๖๕)")
        self.assertEqual(found(self.get(year="2565", item="i7")), [])

    def test_garbage_parameters_are_refused_without_an_error_page(self):
        for params in (
            {"year": "abc"},
            {"year": "๒๕๖๔"},
            {"year": "1999"},
            {"indicator": "11"},
            {"indicator": "x"},
            {"q": "ก" * 101},
            {"item": "i" * 21},
            {"page": "-1"},
            {"page": "x"},
        ):
            with self.subTest(params):
                response = self.get(**params)
                self.assertEqual(response.status_code, 200)
        self.assertEqual(found(self.get(q="ก" * 101)), [])
        self.assertContains(self.get(q="ก" * 101), "คำค้นยาวได้ไม่เกิน ๑๐๐ ตัวอักษร")
        self.assertEqual(len(found(self.get(page="x"))), 3)

    def test_text_from_the_query_is_escaped(self):
        response = self.get(q='<script>alert("x")</script>')
        self.assertNotContains(response, "<script>alert")
        self.assertContains(response, "&lt;script&gt;")

    def test_the_page_passes_the_accessibility_audit(self):
        for params in ({}, {"item": "o99", "q": "ประกาศ"}):
            with self.subTest(params):
                result = audit(self.get(**params).content.decode())
                self.assertEqual(result.h1_count, 1)
                self.assertEqual(result.unlabelled(), [])
                self.assertEqual(result.duplicate_ids(), [])
                self.assertEqual(result.csp_problems, [])

    def test_the_measures_in_the_plan_are_left_out(self):
        self.client.post(self.url("library_add", self.plan.pk, self.assets.pk))
        self.assertEqual(found(self.get()), ["unrelated", "no-gift"])


class LibraryPagingTests(PlanWebTestCase):
    def setUp(self):
        self.plan = self.make_plan()
        self.client.force_login(self.alice)

    def add_library(self, count: int, start: int = 0) -> None:
        LibraryMeasure.objects.bulk_create(
            [
                LibraryMeasure(key=f"set-{i}", title=f"มาตรการชุดทดสอบที่ {i}", indicators=[2], order=100 + i)
                for i in range(start, start + count)
            ]
        )
        for measure in LibraryMeasure.objects.filter(key__startswith="set-"):
            measure.items.add(self.framework.items.get(code=f"i{1 + measure.order % 5}"))

    def test_pages_of_ten_keep_the_filters(self):
        self.add_library(25)
        url = self.url("library", self.plan.pk)
        first = self.client.get(url, {"q": "ชุดทดสอบ", "indicator": "2"})
        self.assertEqual(len(first.context["rows"]), PAGE_SIZE)
        self.assertContains(first, "พบ ๒๕ มาตรการ")
        self.assertContains(first, "หน้า ๑ จาก ๓")
        page_2 = urlencode({"q": "ชุดทดสอบ", "year": 2564, "indicator": 2, "page": 2})
        self.assertContains(first, f'href="?{page_2.replace("&", "&amp;")}"')
        last = self.client.get(url, {"q": "ชุดทดสอบ", "indicator": "2", "page": "3"})
        self.assertEqual(found(last), [f"set-{i}" for i in range(20, 25)])
        beyond = self.client.get(url, {"q": "ชุดทดสอบ", "page": "99"})
        self.assertEqual(beyond.context["page"].number, 3)

    def test_the_number_of_queries_does_not_grow_with_the_library(self):
        self.add_library(3)
        url = self.url("library", self.plan.pk)
        params = {"q": "มาตรการ", "item": "i2"}
        with CaptureQueriesContext(connection) as few:
            self.assertEqual(self.client.get(url, params).status_code, 200)
        self.add_library(40, start=3)
        with CaptureQueriesContext(connection) as many:
            response = self.client.get(url, params)
        self.assertEqual(response.context["page"].paginator.count, 9)  # set-1, set-6, … set-41 answer i2
        self.assertEqual(len(many.captured_queries), len(few.captured_queries))


class LibraryAddTests(PlanWebTestCase):
    def setUp(self):
        self.plan = self.make_plan()
        self.client.force_login(self.alice)

    def add(self, plan, library_measure, **data):
        return self.client.post(self.url("library_add", plan.pk, library_measure.pk), data)

    def test_pick_prefills_the_five_columns_and_opens_the_editor(self):
        response = self.add(self.plan, self.assets)
        measure = Measure.objects.get(plan=self.plan)
        self.assertRedirects(response, self.url("measure_edit", self.plan.pk, measure.pk))
        self.assertEqual(
            (measure.title, measure.steps, measure.responsible, measure.start_month, measure.end_month),
            (self.assets.title, self.assets.steps, "กองคลัง", 1, 3),
        )
        self.assertEqual(
            (measure.monitoring, measure.indicators, measure.library), (self.assets.monitoring, [4], self.assets)
        )

    def test_picking_from_a_filtered_page_returns_to_it(self):
        page = self.client.get(self.url("library", self.plan.pk), {"indicator": "9", "q": "ไม่ตรง"})
        here = page.context["here"]
        query = urlencode({"q": "ไม่ตรง", "year": 2564, "indicator": 9, "page": 1})
        self.assertEqual(here, f"{self.url('library', self.plan.pk)}?{query}")
        self.assertContains(page, f'name="next" value="{here.replace("&", "&amp;")}"')
        response = self.add(self.plan, self.unrelated, next=here)
        self.assertRedirects(response, here, fetch_redirect_response=False)
        self.assertEqual(Measure.objects.get(plan=self.plan).library, self.unrelated)
        after = self.client.get(here)
        self.assertContains(after, "เพิ่ม “มาตรการที่ไม่ตรงกับจุดอ่อน” ท้ายตารางมาตรการแล้ว")
        self.assertEqual(found(after), [])

    def test_a_next_elsewhere_is_ignored(self):
        other_plan = self.make_plan(self.beta)
        library = self.url("library", self.plan.pk)
        for target in (
            "https://evil.example/",
            "//evil.example" + library,
            f"https://evil.example{library}",
            self.url("detail", self.plan.pk),
            self.url("library", other_plan.pk),
            library + "x/",
            "javascript:alert(1)",
        ):
            with self.subTest(target):
                response = self.add(self.plan, self.unrelated, next=target)
                measure = Measure.objects.filter(plan=self.plan).latest("pk")
                self.assertRedirects(response, self.url("measure_edit", self.plan.pk, measure.pk))

    def test_the_library_is_shared_but_the_plan_must_be_ones_own(self):
        beta_plan = self.make_plan(self.beta)
        self.client.force_login(self.charlie)
        self.assertIn("asset-manual", found(self.client.get(self.url("library", beta_plan.pk))))
        self.assertEqual(self.client.get(self.url("library", self.plan.pk)).status_code, 404)
        mine = self.url("library", self.plan.pk)
        self.assertEqual(self.add(self.plan, self.assets, next=mine).status_code, 404)
        self.assertFalse(Measure.objects.filter(plan=self.plan).exists())
        response = self.add(beta_plan, self.assets, next=self.url("library", beta_plan.pk))
        self.assertRedirects(response, self.url("library", beta_plan.pk))
        self.assertEqual(Measure.objects.get(plan=beta_plan).library, self.assets)

    def test_only_staff_of_the_organisation(self):
        self.client.force_login(self.bob)
        self.assertEqual(self.client.get(self.url("library", self.plan.pk)).status_code, 403)
        self.assertEqual(self.add(self.plan, self.assets).status_code, 403)
        self.client.force_login(self.charlie)
        self.assertEqual(self.add(self.plan, self.assets).status_code, 404)
        self.assertFalse(Measure.objects.exists())
