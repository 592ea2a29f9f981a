"""Loading the catalogue files, keeping administrators' edits, and finding a recommendation through the crosswalk."""

import io
import json
import tempfile
from pathlib import Path

from django.contrib import admin
from django.core.management import call_command

from ita.models import Framework, Item
from measures.admin import RecommendationAdmin
from measures.catalogue import CatalogueError, load_catalogue, recommendation_for, recommendations_for
from measures.models import IndicatorText, LibraryMeasure, OrgUnit, Recommendation

from . import RECOMMENDATIONS, SeedTestCase, write_catalogue


def _item(year: int, code: str) -> Item:
    return Item.objects.get(framework__fiscal_year=year, code=code)


class LoadCatalogueTests(SeedTestCase):
    def setUp(self):
        self.folder = tempfile.TemporaryDirectory()
        self.addCleanup(self.folder.cleanup)
        self.path = Path(self.folder.name)

    def test_first_load_filled_every_framework_and_the_library(self):
        self.assertEqual(Recommendation.objects.count(), 5)
        self.assertEqual(IndicatorText.objects.count(), 10 * Framework.objects.count())
        asset = LibraryMeasure.objects.get(key="asset-manual")
        self.assertEqual(asset.period_kind, "months")
        self.assertEqual((asset.start_month, asset.end_month), (1, 3))
        self.assertEqual(asset.steps, ["จัดทำคู่มือ", "แจ้งเวียนบุคลากร"])
        linked = sorted((i.framework.fiscal_year, i.code) for i in asset.items.select_related("framework"))
        self.assertEqual(linked, [(2566, "i20"), (2566, "i23"), (2568, "i10")])

    def test_reloading_changes_nothing(self):
        report = load_catalogue(write_catalogue(self.path))
        self.assertEqual(report.created, {})
        self.assertEqual(report.updated, {})
        self.assertEqual(report.unchanged["recommendations"], 5)
        self.assertIn("ข้ามข้อเสนอแนะปี 2599: ไม่มีกรอบการประเมินปีนี้ในระบบ", report.notes)

    def test_an_edited_entry_is_kept_and_the_others_follow_the_file(self):
        edited = Recommendation.objects.get(item=_item(2566, "i7"))
        edited.action, edited.edited = "ข้อความของผู้ดูแล", True
        edited.save()
        changed = json.loads(json.dumps(RECOMMENDATIONS))
        changed["years"]["2566"]["i7"]["action"] = "ข้อความใหม่จากไฟล์"
        changed["years"]["2566"]["e4"]["action"] = "ข้อความใหม่จากไฟล์"
        report = load_catalogue(write_catalogue(self.path, recommendations=changed))
        self.assertEqual(report.kept["recommendations"], 1)
        self.assertEqual(report.updated["recommendations"], 1)
        self.assertEqual(Recommendation.objects.get(item=_item(2566, "i7")).action, "ข้อความของผู้ดูแล")
        self.assertEqual(Recommendation.objects.get(item=_item(2566, "e4")).action, "ข้อความใหม่จากไฟล์")

    def test_admin_save_marks_the_entry_edited(self):
        rec = Recommendation.objects.get(item=_item(2566, "e4"))
        rec.issue = "แก้ในหน้าผู้ดูแล"
        RecommendationAdmin(Recommendation, admin.site).save_model(None, rec, None, change=True)
        rec.refresh_from_db()
        self.assertTrue(rec.edited)

    def test_a_bad_file_writes_nothing_and_names_the_place(self):
        bad = json.loads(json.dumps(RECOMMENDATIONS))
        bad["years"]["2566"]["i8"] = {"issue": "ใหม่", "action": ""}
        with self.assertRaisesMessage(CatalogueError, "recommendations.json ปี 2566 ข้อ i8: ต้องเป็นข้อความที่ไม่ว่าง"):
            load_catalogue(write_catalogue(self.path, recommendations=bad))
        self.assertFalse(Recommendation.objects.filter(item=_item(2566, "i8")).exists())

    def test_wrong_version_and_bad_period_are_refused(self):
        with self.assertRaisesMessage(CatalogueError, "ไม่ใช่รูปแบบรุ่นที่ ๑"):
            load_catalogue(write_catalogue(self.path, texts={"version": 2, "indicators": {}}))
        measures = {"version": 1, "measures": [{"key": "x", "title": "t", "period": {"kind": "months", "start": 4}}]}
        with self.assertRaisesMessage(CatalogueError, "measures.json 'x': ต้องระบุทั้งเดือนเริ่มต้นและเดือนสิ้นสุด"):
            load_catalogue(write_catalogue(self.path, measures=measures))

    def test_command_reports_counts(self):
        out = io.StringIO()
        call_command("load_catalogue", "--dir", str(write_catalogue(self.path)), stdout=out)
        self.assertIn("ข้อเสนอแนะรายข้อ: เพิ่ม 0 ปรับปรุง 0 คงเดิม 5", out.getvalue())


class RecommendationLookupTests(SeedTestCase):
    def test_own_entry_wins(self):
        self.assertEqual(recommendation_for(_item(2568, "e9")).item, _item(2568, "e9"))

    def test_renumbered_or_unlisted_items_use_the_crosswalk_in_both_directions(self):
        # 2567 e4 has no entry: the previous year's e4 has one.
        self.assertEqual(recommendation_for(_item(2567, "e4")).item, _item(2566, "e4"))
        # 2566 e8 has none: the following year's e8 has one.
        self.assertEqual(recommendation_for(_item(2566, "e8")).item, _item(2567, "e8"))
        # Two steps away is still found (2565 e8 → 2566 e8 → 2567 e8).
        self.assertEqual(recommendation_for(_item(2565, "e8")).item, _item(2567, "e8"))

    def test_nearest_year_first_and_newer_on_a_tie(self):
        Recommendation.objects.create(item=_item(2566, "e9"), issue="ปี 2566", action="ก")
        Recommendation.objects.create(item=_item(2568, "e6"), issue="ปี 2568", action="ข")  # 2567 e9 → 2568 e6
        self.assertEqual(recommendation_for(_item(2567, "e9")).issue, "ปี 2568")
        Recommendation.objects.create(item=_item(2567, "e9"), issue="ปี 2567", action="ค")
        self.assertEqual(recommendation_for(_item(2565, "e9")).issue, "ปี 2566")

    def test_no_entry_anywhere(self):
        self.assertIsNone(recommendation_for(_item(2568, "o1")))

    def test_bulk_lookup_costs_the_same_for_many_items(self):
        items = list(Item.objects.filter(framework__fiscal_year=2567))
        with self.assertNumQueries(3):
            found = recommendations_for(items)
        self.assertEqual(found[_item(2567, "e8").pk].item, _item(2567, "e8"))


class OrgUnitTests(SeedTestCase):
    def test_defaults_are_created_once_per_organisation(self):
        # Storing the defaults moved from the read (for_organization) to ensure_defaults: a GET never writes.
        OrgUnit.objects.ensure_defaults(self.maesai)
        units = list(OrgUnit.objects.for_organization(self.maesai).values_list("name", flat=True))
        self.assertEqual(units[:2], ["สำนักปลัด", "กองคลัง"])
        OrgUnit.objects.filter(organization=self.maesai, name="กองช่าง").delete()
        OrgUnit.objects.ensure_defaults(self.maesai)
        self.assertNotIn("กองช่าง", OrgUnit.objects.for_organization(self.maesai).values_list("name", flat=True))
