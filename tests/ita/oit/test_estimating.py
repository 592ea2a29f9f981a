"""The checklist's estimated OIT from the database: which IIT and EIT it borrows, the official comparison, the page."""

from decimal import Decimal

from django.urls import reverse

from ita.models import Assessment, EvidenceChecklist
from ita.oit.checklist import checklist_for, oit_items, stored_values
from ita.oit.estimate import AGREE, DISAGREE, FAIL, NO_OFFICIAL, PARTIAL, PASS, UNKNOWN, LevelRange, Range
from ita.oit.estimating import estimate_for
from ita.oit.status import item_health
from tests.base import BaseTestCase
from tests.factory import make_assessment, make_evidence, make_framework

D = Decimal


class EstimateTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # Four OIT items: o1, o2 in indicator 9, o3, o4 in indicator 10, no sub-indicators.
        cls.frameworks = {year: make_framework(year, oit_items=4, sub_indicators=False) for year in (2566, 2568, 2569)}
        cls.items = oit_items(cls.frameworks[2569])
        o1, o2, o3, _o4 = cls.items
        # o1 green → pass; o2 red → fail; o3 green and amber → unknown; o4 has no URL → fail.
        for item, checks in (
            (o1, [("https://a.go.th/1", "green")]),
            (o2, [("https://a.go.th/2", "red")]),
            (o3, [("https://a.go.th/3a", "green"), ("https://a.go.th/3b", "amber")]),
        ):
            urls = [url for url, _verdict in checks]
            cls.checklist = make_evidence(
                cls.alpha,
                cls.frameworks[2569],
                item,
                urls,
                [(url, verdict, "test", "ทดสอบ") for url, verdict in checks],
            )

    def assessment(self, year: int, *, tools=None, indicators=None, items=None) -> Assessment:
        """Alpha's assessment of `year` with the given scores (code → text)."""
        assessment = make_assessment(self.alpha, self.frameworks[year])
        values = {}
        for kind, given in (("tool", tools), ("indicator", indicators), ("item", items)):
            values |= {(kind, str(code)): D(value) for code, value in (given or {}).items()}
        assessment.set_scores(values, user=self.alice, source="form")
        return assessment

    def estimate(self):
        checklist = EvidenceChecklist.objects.get(pk=self.checklist.pk)
        return estimate_for(checklist, self.items, item_health(checklist, self.items, stored_values(checklist)))


class EstimateForTests(EstimateTestCase):
    def test_items_and_oit_range_by_hand(self):
        estimate = self.estimate()
        assert [(item.code, item.outcome) for item in estimate.items] == [
            ("o1", PASS),
            ("o2", FAIL),
            ("o3", UNKNOWN),
            ("o4", FAIL),
        ]
        # Low: indicator 9 = (100 + 0) / 2 = 50; indicator 10 = (0 + 0) / 2 = 0; OIT = 25.
        # High: indicator 10 = (100 + 0) / 2 = 50; OIT = (50 + 50) / 2 = 50.
        assert estimate.indicators == {9: Range(D("50.00"), D("50.00")), 10: Range(D("0.00"), D("50.00"))}
        assert estimate.oit == Range(D("25.00"), D("50.00"))

    def test_same_year_tools_graded_from_indicators_only(self):
        # 2569 entered as indicators only: IIT = mean of 1–5 = 90, EIT = mean of 6–8 = 80.
        self.assessment(2569, indicators={1: "90", 2: "90", 3: "90", 4: "90", 5: "90", 6: "80", 7: "80", 8: "80"})
        self.assessment(2568, tools={"IIT": "50", "EIT": "50"})
        estimate = self.estimate()
        assert (estimate.tools, estimate.tools_year) == ({"IIT": D("90.00"), "EIT": D("80.00")}, 2569)
        # Low = 27 + 24 + 0.4 × 25 = 61.00 → ต้องปรับปรุงโดยด่วน; high = 27 + 24 + 0.4 × 50 = 71.00 → ต้องปรับปรุง.
        assert estimate.overall == Range(D("61.00"), D("71.00"))
        assert estimate.level == LevelRange("ต้องปรับปรุงโดยด่วน", "ต้องปรับปรุง")
        assert estimate.note == "ใช้คะแนน IIT และ EIT ของปี พ.ศ. ๒๕๖๙ (IIT ๙๐.๐๐, EIT ๘๐.๐๐)"

    def test_the_latest_earlier_year_when_this_year_has_no_iit_and_eit(self):
        # This year holds only official OIT items (and its own OIT, never borrowed); 2568 is newer than 2566.
        self.assessment(2569, tools={"OIT": "75"}, items={"o1": "100", "o2": "100", "o3": "50"})
        self.assessment(2568, tools={"IIT": "95", "EIT": "85", "EIT1": "90", "EIT2": "80"})
        self.assessment(2566, tools={"IIT": "60", "EIT": "60"})
        estimate = self.estimate()
        assert estimate.tools_year == 2568
        assert estimate.tools == {"IIT": D("95.00"), "EIT": D("85.00"), "EIT1": D("90.00"), "EIT2": D("80.00")}
        # Low = 28.5 + 25.5 + 10 = 64.00; high = 28.5 + 25.5 + 20 = 74.00.
        assert estimate.overall == Range(D("64.00"), D("74.00"))
        assert estimate.note.startswith("ใช้คะแนน IIT และ EIT ของปี พ.ศ. ๒๕๖๘ (")
        assert estimate.note.endswith("ซึ่งเป็นปีล่าสุดที่มีคะแนน คะแนนจริงของปีนี้อาจต่างไป")
        # The comparison reads this year's official items: o1 100 vs pass, o2 100 vs fail, o3 50, o4 none.
        assert [row.agreement for row in estimate.comparisons] == [AGREE, DISAGREE, PARTIAL, NO_OFFICIAL]

    def test_a_later_year_is_never_borrowed(self):
        later = make_framework(2570, oit_items=4, sub_indicators=False)
        make_assessment(self.alpha, later).set_scores(
            {("tool", "IIT"): D(90), ("tool", "EIT"): D(90)}, user=self.alice, source="form"
        )
        estimate = self.estimate()
        assert (estimate.tools, estimate.tools_year, estimate.overall) == ({}, None, None)

    def test_no_iit_and_eit_anywhere_estimates_oit_only(self):
        estimate = self.estimate()
        assert (estimate.overall, estimate.level) == (None, None)
        assert estimate.note == "ยังไม่มีคะแนน IIT และ EIT ของปีนี้หรือปีก่อน จึงประมาณได้เฉพาะ OIT ยังประมาณคะแนนรวมและระดับไม่ได้"
        assert not estimate.has_official

    def test_another_organisations_scores_are_never_borrowed(self):
        make_assessment(self.beta, self.frameworks[2569]).set_scores(
            {("tool", "IIT"): D(90), ("tool", "EIT"): D(90), ("item", "o2"): D(100)}, user=self.charlie, source="form"
        )
        estimate = self.estimate()
        assert (estimate.tools, estimate.has_official) == ({}, False)

    def test_queries_do_not_grow_with_years(self):
        for year in (2569, 2568, 2566):
            self.assessment(year, tools={"IIT": "90", "EIT": "90"}, items={"o1": "100"})
        checklist = EvidenceChecklist.objects.get(pk=self.checklist.pk)
        health = item_health(checklist, self.items, stored_values(checklist))
        # The checklist's framework, the assessments, three for the specs, one for the scores.
        with self.assertNumQueries(6):
            estimate_for(checklist, self.items, health)

    def test_an_empty_unsaved_checklist_estimates_every_item_as_fail(self):
        checklist = checklist_for(self.beta, self.frameworks[2569])
        estimate = estimate_for(checklist, self.items, item_health(checklist, self.items, {}))
        assert {item.outcome for item in estimate.items} == {FAIL}
        assert estimate.oit == Range(D("0.00"), D("0.00"))


class EstimatePageTests(EstimateTestCase):
    def url(self, year=2569):
        return reverse("oit:checklist", kwargs={"code": self.alpha.code, "year": year})

    def test_the_page_shows_the_estimate_clearly_labelled(self):
        self.assessment(2568, tools={"IIT": "90", "EIT": "80"})
        self.client.force_login(self.alice)
        response = self.client.get(self.url())
        self.assertContains(response, "คะแนน OIT โดยประมาณจากรายการหลักฐาน — ไม่ใช่ผลทางการ")
        self.assertContains(response, "ผ่าน ๑ ข้อ · ไม่ผ่าน ๒ ข้อ · ยังไม่แน่ชัด ๑ ข้อ")
        page = response.content.decode()
        # OIT 25–50 as above; overall low = 27 + 24 + 10 = 61.00, high = 71.00.
        for shown in (
            "๒๕.๐๐–๕๐.๐๐",
            "๖๑.๐๐–๗๑.๐๐",
            "ต้องปรับปรุงโดยด่วน ถึง ต้องปรับปรุง",
            "ใช้คะแนน IIT และ EIT ของปี พ.ศ. ๒๕๖๘",
        ):
            assert shown in page, shown
        # Without official item scores the items are listed, not compared.
        assert "ผลโดยประมาณรายข้อ" in page
        assert "ผลโดยประมาณเทียบกับคะแนนทางการรายข้อ" not in page
        assert "ยังไม่แน่ชัด — มีลิงก์ที่ควรตรวจดูด้วยตนเอง" in page

    def test_the_page_sets_estimate_against_official_in_a_scrolling_table(self):
        self.assessment(2569, items={"o1": "100", "o2": "100", "o3": "50"})
        self.client.force_login(self.bob)
        response = self.client.get(self.url())
        page = response.content.decode()
        assert "ผลโดยประมาณเทียบกับคะแนนทางการรายข้อ" in page
        table = page[page.index("ผลโดยประมาณเทียบกับคะแนนทางการรายข้อ") :]
        assert "ตรงกัน ๑ ข้อ · ไม่ตรงกัน ๑ ข้อ" in page
        assert "๑๐๐.๐๐ (ผ่าน)" in table and "๕๐.๐๐ (ได้บางส่วน)" in table
        assert "ทางการให้คะแนนบางส่วน จึงเทียบผ่าน/ไม่ผ่านไม่ได้" in table
        assert "ยังไม่มีคะแนนทางการ" in table
        assert page.count('class="row-warning"') == 1
        # The wide table sits in a scroll wrapper (readable at 390 px).
        section = page[
            page.index('id="estimate-heading"') : page.index("</section>", page.index('id="estimate-heading"'))
        ]
        assert section.count('<div class="table-wrap">') == section.count("<table")

    def test_another_organisation_cannot_see_the_estimate(self):
        self.client.force_login(self.charlie)
        assert self.client.get(self.url()).status_code == 404
