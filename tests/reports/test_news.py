"""reports:plan_news and reports.news: the ข่าวประชาสัมพันธ์ generated from a plan (issue 11, item 6)."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

from django.db import connection
from django.test import SimpleTestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ita.models import AuditEvent, Membership
from ita.thai import format_number, format_score, thai_date
from measures.models import Finding, Measure, MeasurePlan
from measures.plans import create_plan
from reports.news import BLANK, NewsInput, Weakness, build_news, missing_facts, news_html, news_input
from tests.factory import make_user
from tests.measures import SeedTestCase

SEED_PLANS = {"maesai": 2567, "nonglaeng": 2565, "lohjud": 2567, "khuansaothong": 2569}
MEETING = {
    "meeting_date": datetime.date(2023, 12, 8),
    "meeting_body": "คณะทำงานขับเคลื่อนคุณธรรมและความโปร่งใส",
    "meeting_place": "ห้องประชุมสำนักงานเทศบาล",
    "approver_name": "นายทดสอบ ใจดี",
    "approver_position": "นายกเทศมนตรี",
}
HOSTILE = "<script>alert(1)</script>&amp;\"'"
THAI_DIGIT = re.compile("[๐-๙]")


def with_meeting(plan: MeasurePlan, **overrides) -> MeasurePlan:
    MeasurePlan.objects.filter(pk=plan.pk).update(**{**MEETING, **overrides})
    plan.refresh_from_db()
    return plan


class SeedNewsTests(SeedTestCase):
    """The news of each demo seed plan, checked against the plan's own findings and measures."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.plans = {
            name: create_plan(organization=cls.orgs[name], fiscal_year=year) for name, year in SEED_PLANS.items()
        }

    def test_meeting_result_weaknesses_and_measures_of_every_seed_plan(self):
        for name, plan in self.plans.items():
            with self.subTest(seed=name):
                plan = with_meeting(plan)
                news = build_news(news_input(plan))
                text = news["text"]
                self.assertIn(f"เมื่อวันที่ {thai_date(MEETING['meeting_date'])} ", text)
                self.assertIn("๘ ธันวาคม ๒๕๖๖", text)
                self.assertIn(f"ณ {MEETING['meeting_place']} ", text)
                self.assertIn(f"ได้จัดประชุม{MEETING['meeting_body']} ", text)
                self.assertIn("โดยมี นายทดสอบ ใจดี นายกเทศมนตรี เป็นประธานการประชุม", text)
                self.assertIn(f"{plan.organization.name} ได้", text)
                titles = list(plan.measures.order_by("order", "pk").values_list("title", flat=True))
                # The only blank left is the list of measures of a plan that has none (Loh Jud: all strong).
                self.assertEqual(text.count(BLANK), 0 if titles else 1)
                self.assertEqual(len(news["measures"]), max(len(titles), 1))
                for title in titles:
                    self.assertIn(title, text)
                findings = plan.findings.filter(kind__in=[Finding.Kind.STRENGTH, Finding.Kind.WEAKNESS])
                self.assertTrue(findings.exists())
                for finding in findings:
                    mention = f"ตัวชี้วัดที่ {format_number(finding.indicator)} "
                    if finding.kind == Finding.Kind.WEAKNESS:
                        self.assertLess(finding.score, plan.threshold)
                        self.assertIn(mention, text)
                        self.assertIn(f"({format_score(finding.score)} คะแนน)", text)
                    else:
                        self.assertNotIn(mention, text)
                self.assertIn("รอบ ๖ เดือน", text)
                self.assertIn("รอบ ๑๒ เดือน", text)

    def test_mae_sai_names_its_four_weak_indicators_with_their_scores(self):
        text = build_news(news_input(self.plans["maesai"]))["text"]
        self.assertIn("ได้คะแนนรวม ๙๑.๔๗ คะแนน อยู่ในระดับ ผ่าน", text)
        self.assertIn("มีตัวชี้วัดที่ได้คะแนนต่ำกว่าเกณฑ์ ๔ ตัวชี้วัด", text)
        for expected in (
            "ตัวชี้วัดที่ ๒ การใช้งบประมาณ (๘๔.๔๕ คะแนน)",
            "ตัวชี้วัดที่ ๔ การใช้ทรัพย์สินของราชการ (๘๓.๐๗ คะแนน)",
            "ตัวชี้วัดที่ ๗ ประสิทธิภาพการสื่อสาร (๘๔.๕๔ คะแนน)",
            "ตัวชี้วัดที่ ๘ การปรับปรุงการทำงาน (๘๒.๗๓ คะแนน)",
        ):
            self.assertIn(expected, text)
        for strong in (1, 3, 5, 6, 9, 10):
            self.assertNotIn(f"ตัวชี้วัดที่ {format_number(strong)} ", text)

    def test_a_lower_threshold_leaves_out_what_is_no_longer_below_it(self):
        plan = self.plans["maesai"]
        MeasurePlan.objects.filter(pk=plan.pk).update(threshold=Decimal("84.00"))
        text = build_news(news_input(plan))["text"]
        self.assertIn("เกณฑ์ ๘๔ คะแนน", text)
        self.assertIn("ต่ำกว่าเกณฑ์ ๒ ตัวชี้วัด", text)
        self.assertIn("(๘๓.๐๗ คะแนน)", text)
        self.assertNotIn("(๘๔.๔๕ คะแนน)", text)

    def test_a_plan_without_weaknesses_keeps_its_level(self):
        text = build_news(news_input(self.plans["lohjud"]))["text"]
        self.assertIn("ทุกตัวชี้วัดได้คะแนนตั้งแต่เกณฑ์ ๘๕ คะแนนขึ้นไป", text)
        self.assertIn("รักษาระดับ", text)
        self.assertNotIn("ต่ำกว่าเกณฑ์", text)

    def test_unknown_meeting_facts_are_marked_blanks_not_invented(self):
        plan = self.plans["nonglaeng"]
        data = news_input(plan)
        text = build_news(data)["text"]
        self.assertIn(f"เมื่อวันที่ {BLANK} ", text)
        self.assertIn(f"ณ {BLANK} โดยมี {BLANK} เป็นประธาน", text)
        self.assertEqual(missing_facts(data), ["วันที่ประชุม", "ที่ประชุม", "สถานที่ประชุม", "ชื่อผู้อนุมัติ (ประธานการประชุม)"])
        self.assertIsNone(re.search(r"\d{1,2} [ก-๛]+ [๐-๙]{4}", text.split("\n")[2]))

    def test_arabic_digits(self):
        plan = with_meeting(self.plans["maesai"])
        news = build_news(news_input(plan), digits="arabic")
        self.assertIn("8 ธันวาคม 2566", news["text"])
        self.assertIn("91.47", news["text"])
        self.assertIn("(84.45 คะแนน)", news["text"])
        self.assertIsNone(THAI_DIGIT.search(news["text"] + news["html"]))
        with self.assertRaises(ValueError):
            build_news(news_input(plan), digits="roman")

    def test_hostile_text_is_escaped_in_the_html(self):
        plan = with_meeting(self.plans["maesai"], meeting_place=HOSTILE, approver_name=HOSTILE)
        Measure.objects.create(plan=plan, order=99, title=HOSTILE)
        news = build_news(news_input(plan))
        self.assertIn(HOSTILE, news["text"])
        self.assertNotIn("<script", news["html"])
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;&amp;amp;&quot;&#x27;", news["html"])
        self.assertEqual(news["html"].count("&lt;script&gt;"), 3)


class NewsTextTests(SimpleTestCase):
    """The pure builder and the text → HTML layout."""

    def data(self, **overrides) -> NewsInput:
        base = {
            "organization": "เทศบาลตำบลทดสอบ",
            "fiscal_year": 2569,
            "assessed_year": 2568,
            "overall": Decimal("80.5"),
            "level": "ต้องปรับปรุง",
            "threshold": Decimal("84.50"),
            "scored_indicators": 10,
            "weaknesses": (Weakness(9, "การเปิดเผยข้อมูล", Decimal("70.25")),),
            "measures": ("เผยแพร่ข้อมูล\nให้ครบ", "  "),
        }
        return NewsInput(**{**base, **overrides})

    def test_shape_and_layout(self):
        news = build_news(self.data())
        self.assertEqual(set(news), {"title", "paragraphs", "measures", "closing", "body", "text", "html"})
        self.assertTrue(news["text"].startswith(news["title"] + "\n\n"))
        self.assertIn("เกณฑ์ ๘๔.๕๐ คะแนน", news["text"])
        self.assertIn("ได้คะแนนรวม ๘๐.๕๐ คะแนน อยู่ในระดับ ต้องปรับปรุง", news["text"])
        self.assertEqual(news["measures"], ["๑. เผยแพร่ข้อมูล ให้ครบ", f"๒. {BLANK}"])
        self.assertTrue(news["html"].startswith("<h2>เทศบาลตำบลทดสอบ ประชุม"))
        self.assertIn("<br>\n๑. เผยแพร่ข้อมูล ให้ครบ<br>\n", news["html"])
        self.assertEqual(news["html"].count("<p>"), len(news["paragraphs"]) + 2)
        self.assertEqual(news["html"], news_html(news["title"], news["body"]))

    def test_nothing_scored_makes_no_claim_about_indicators(self):
        news = build_news(self.data(scored_indicators=0, weaknesses=(), overall=None, level=""))
        self.assertNotIn("ตัวชี้วัด", news["body"].split("ที่ประชุมได้กำหนด")[0])
        self.assertIn(f"ได้คะแนนรวม {BLANK} คะแนน\n", news["body"])

    def test_provisional_level_says_so(self):
        self.assertIn("อยู่ในระดับ ผ่าน (ผลเบื้องต้น)", build_news(self.data(level="ผ่าน", provisional=True))["text"])

    def test_a_leading_word_for_meeting_is_not_repeated(self):
        text = build_news(self.data(meeting_body="การประชุมคณะผู้บริหาร"))["text"]
        self.assertIn("ได้จัดประชุมคณะผู้บริหาร ณ", text)

    def test_html_of_edited_text(self):
        self.assertEqual(
            news_html(" หัว\nข้อ ", "ย่อหน้า ๑\r\nบรรทัดสอง\r\n \r\n\r\n<b>ย่อหน้า ๒</b>\n"),
            "<h2>หัว ข้อ</h2>\n<p>ย่อหน้า ๑<br>\nบรรทัดสอง</p>\n<p>&lt;b&gt;ย่อหน้า ๒&lt;/b&gt;</p>",
        )
        self.assertEqual(news_html("", "\n\n"), "")


class NewsPageTests(SeedTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.plan = with_meeting(create_plan(organization=cls.maesai, fiscal_year=2567))
        cls.url = reverse("reports:plan_news", args=[cls.plan.pk])

    def test_members_and_administrators_see_the_news(self):
        root = make_user("root", is_superuser=True)
        for user in (self.alice, self.bob, root):
            self.client.force_login(user)
            response = self.client.get(self.url)
            self.assertEqual(response.status_code, 200, user.username)
            self.assertContains(response, "๘ ธันวาคม ๒๕๖๖")
            self.assertContains(response, 'id="news-title"')
            self.assertContains(response, "คัดลอกข้อความ")
            self.assertContains(response, "คัดลอกแบบ HTML")
            self.assertContains(response, "ระบบไม่บันทึกสิ่งที่แก้ในหน้านี้")
            self.assertContains(response, "/static/js/news.js")

    def test_outsiders_get_404_and_anonymous_users_the_login_page(self):
        auditor = make_user("audrey", role=Membership.Role.AUDITOR)
        for user in (self.charlie, self.dave, auditor):
            self.client.force_login(user)
            self.assertEqual(self.client.get(self.url).status_code, 404, user.username)
        self.client.logout()
        response = self.client.get(self.url)
        self.assertRedirects(response, f"{reverse('login')}?next={self.url}", fetch_redirect_response=False)
        self.client.force_login(self.alice)
        self.assertEqual(self.client.get(reverse("reports:plan_news", args=[999999])).status_code, 404)

    def test_get_only_and_it_never_writes(self):
        self.client.force_login(self.alice)
        self.assertEqual(self.client.post(self.url).status_code, 405)
        before = (AuditEvent.objects.count(), MeasurePlan.objects.get(pk=self.plan.pk).lock_version)
        with CaptureQueriesContext(connection) as captured:
            response = self.client.get(self.url)
        writes = [q["sql"] for q in captured if q["sql"].split()[0].upper() in ("INSERT", "UPDATE", "DELETE")]
        # The session row Django may touch is the only write allowed; the plan's rows never change.
        self.assertFalse([sql for sql in writes if "session" not in sql], writes)
        self.assertEqual(before, (AuditEvent.objects.count(), MeasurePlan.objects.get(pk=self.plan.pk).lock_version))
        content = response.content.decode()
        main = content.split('<main id="main"', 1)[1]
        self.assertNotIn("<form", main)
        self.assertNotIn("csrfmiddlewaretoken", main)

    def test_hostile_text_comes_out_literal_on_the_page(self):
        with_meeting(self.plan, meeting_place=HOSTILE)
        self.client.force_login(self.alice)
        response = self.client.get(self.url)
        self.assertNotContains(response, "<script>alert")
        self.assertContains(response, "&lt;script&gt;alert(1)&lt;/script&gt;")
        # The HTML code box shows the escaped HTML, escaped once more for the page.
        self.assertContains(response, "&amp;lt;script&amp;gt;alert(1)")

    def test_digits_option(self):
        self.client.force_login(self.alice)
        response = self.client.get(self.url, {"digits": "arabic"})
        self.assertContains(response, "8 ธันวาคม 2566")
        self.assertEqual(self.client.get(self.url, {"digits": "x" * 500}).status_code, 400)

    def test_the_plan_page_links_to_the_news(self):
        self.client.force_login(self.alice)
        response = self.client.get(reverse("measures:detail", args=[self.plan.pk]))
        self.assertContains(response, f'href="{self.url}"')
        self.assertContains(response, "ข่าวประชาสัมพันธ์")

    def test_missing_facts_are_listed(self):
        plan = create_plan(organization=self.orgs["nonglaeng"], fiscal_year=2565)
        self.client.force_login(self.charlie)
        response = self.client.get(reverse("reports:plan_news", args=[plan.pk]))
        self.assertContains(response, "ยังมีช่องว่าง")
        self.assertContains(response, "<li>สถานที่ประชุม</li>", html=True)
