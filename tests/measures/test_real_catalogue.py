"""The shipped catalogue files (fixtures/catalogue/) load cleanly and cover the 2564–2568 frameworks."""

import io

from django.core.management import call_command
from django.test import TestCase

from ita.models import Framework, Item, Organization
from measures.catalogue import CATALOGUE_DIR, load_catalogue, recommendations_for
from measures.models import IndicatorText, LibraryMeasure
from measures.plans import create_plan, plan_document


class RealCatalogueTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("seed_demo", "--no-users", verbosity=0, stdout=io.StringIO())
        cls.report = load_catalogue(CATALOGUE_DIR)

    def test_loads_without_notes_and_reloads_as_unchanged(self):
        self.assertEqual(self.report.notes, [])
        again = load_catalogue(CATALOGUE_DIR)
        self.assertEqual((again.created, again.updated), ({}, {}))

    def test_every_item_of_2564_to_2568_has_a_recommendation(self):
        items = list(Item.objects.filter(framework__fiscal_year__range=(2564, 2568)))
        found = recommendations_for(items)
        missing = sorted(f"{i.framework.fiscal_year} {i.code}" for i in items if i.pk not in found)
        self.assertEqual(missing, [])

    def test_indicator_texts_and_library(self):
        self.assertEqual(IndicatorText.objects.count(), 10 * Framework.objects.count())
        self.assertGreater(LibraryMeasure.objects.count(), 5)
        self.assertFalse(LibraryMeasure.objects.filter(items=None, indicators=[]).exists())

    def test_mae_sai_plan_with_the_real_catalogue(self):
        plan = create_plan(organization=Organization.objects.get(code="DEMO-MAESAIMITTRAPHAP"), fiscal_year=2567)
        document = plan_document(plan)
        self.assertEqual(document["weaknesses"], [7, 2, 4, 8])
        self.assertTrue(document["measures"])
        answered = {answer for measure in document["measures"] for answer in measure["answers"]}
        self.assertTrue({"7", "2", "4", "8"} <= answered, answered)
