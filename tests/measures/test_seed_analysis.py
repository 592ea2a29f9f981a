"""The analysis of each seed organisation matches its own reference document (../shared/reference/seeds)."""

from decimal import Decimal

from ita.models import Assessment
from measures.catalogue import analyse

from . import SeedTestCase

D = Decimal


def _numbers(findings) -> list[int]:
    return [finding.number for finding in findings]


class SeedAnalysisTests(SeedTestCase):
    def _analyse(self, name: str, year: int, threshold: str = "85", grouping: str = "indicator"):
        assessment = Assessment.objects.get(organization=self.orgs[name], fiscal_year=year)
        return analyse(assessment, threshold=D(threshold), grouping=grouping)

    def test_nong_laeng_2564_ranking_matches_the_reference_table(self):
        analysis = self._analyse("nonglaeng", 2564)
        # 2565-nonglaeng-measures.txt "คะแนนสูงสุดรายตัวชี้วัด": 10, 1, 7, 6, 3, 8, 4, 5, 2, 9.
        self.assertEqual([n for n, _s in analysis.ranking], [10, 1, 7, 6, 3, 8, 4, 5, 2, 9])
        self.assertEqual(analysis.ranking[0], (10, D("93.75")))
        self.assertEqual(analysis.ranking[-1], (9, D("69.07")))
        self.assertEqual(_numbers(analysis.strengths), [10, 1, 7])
        self.assertEqual(_numbers(analysis.weaknesses), [6, 3, 8, 4, 5, 2, 9])
        self.assertEqual(analysis.items, ())  # the seed quotes no item scores

    def test_mae_sai_2566_weaknesses_are_7_2_4_8_in_that_order(self):
        analysis = self._analyse("maesai", 2566)
        self.assertEqual([n for n, _s in analysis.ranking], [9, 10, 1, 3, 5, 6, 7, 2, 4, 8])
        self.assertEqual(_numbers(analysis.strengths), [9, 10, 1, 3, 5, 6])
        self.assertEqual(_numbers(analysis.weaknesses), [7, 2, 4, 8])
        weakest = analysis.weaknesses[-1]
        self.assertEqual(weakest.score, D("82.73"))
        self.assertIn("ตัวชี้วัดที่ ๘ การปรับปรุงการทำงาน ได้คะแนน ๘๒.๗๓ คะแนน", weakest.paragraph)
        self.assertIn("ต่ำกว่าเกณฑ์ ๘๕", weakest.paragraph)
        self.assertIn("ถึงเกณฑ์ ๘๕", analysis.strengths[0].paragraph)

    def test_loh_jud_ties_keep_indicator_order_and_threshold_97_leaves_no_weakness(self):
        analysis = self._analyse("lohjud", 2566, threshold="97")
        self.assertEqual([n for n, _s in analysis.ranking], [1, 2, 3, 5, 9, 10, 4, 6, 7, 8])
        self.assertEqual(_numbers(analysis.weaknesses), [])
        # e4 scored exactly 97.00: at the threshold is not below it.
        self.assertEqual(analysis.items, ())

    def test_loh_jud_items_below_100_are_the_reference_list_lowest_first(self):
        # The reference's urgent list is "below 100 but not below 97": every EIT item, e4 (97.00) lowest.
        analysis = self._analyse("lohjud", 2566, threshold="100")
        self.assertEqual(_numbers(analysis.weaknesses), [4, 6, 7, 8])
        codes = [item.code for item in analysis.items]
        self.assertEqual(codes[:4], ["e4", "e8", "e10", "e13"])
        self.assertEqual(sorted(codes, key=lambda c: int(c[1:])), [f"e{k}" for k in range(1, 16)])
        self.assertEqual(analysis.items[0].score, D("97.00"))
        self.assertTrue(analysis.items[0].recommendation.startswith("ข้อ E4 ประเด็น ผู้รับบริการบางรายถูกเรียกรับสิ่งของ"))

    def test_khuan_sao_thong_2568_items_to_improve_are_the_quoted_low_items(self):
        analysis = self._analyse("khuansaothong", 2568)
        self.assertEqual([n for n, _s in analysis.ranking], [3, 9, 5, 4, 1, 2, 6, 10, 8, 7])
        self.assertEqual(_numbers(analysis.weaknesses), [])
        items = [(item.code, item.score) for item in analysis.items]
        self.assertEqual(
            items,
            [
                ("o27", D("50.00")),
                ("e9", D("79.05")),
                ("e8", D("80.00")),
                ("e1", D("82.86")),
                ("e2", D("82.86")),
                ("e7", D("83.81")),
            ],
        )
        self.assertEqual(
            analysis.items[1].recommendation,
            "ข้อ E9 ประเด็น ผู้รับบริการไม่เคยใช้บริการออนไลน์ ดังนั้น หน่วยงานควรพัฒนาและประชาสัมพันธ์บริการออนไลน์",
        )

    def test_khuan_sao_thong_by_theme_puts_eit_service_items_together_and_o27_under_integrity(self):
        analysis = self._analyse("khuansaothong", 2568, grouping="theme")
        groups = [(group.key, [item.code for item in group.items]) for group in analysis.groups]
        self.assertEqual(groups, [("service", ["e9", "e8", "e1", "e2", "e7"]), ("integrity", ["o27"])])

    def test_grouping_by_indicator(self):
        analysis = self._analyse("khuansaothong", 2568)
        groups = [(group.key, [item.code for item in group.items]) for group in analysis.groups]
        self.assertEqual(groups, [("6", ["e1", "e2"]), ("8", ["e9", "e8", "e7"]), ("10", ["o27"])])
        self.assertEqual(analysis.groups[0].title, "ตัวชี้วัดที่ ๖ คุณภาพการดำเนินงาน")
