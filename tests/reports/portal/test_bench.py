"""bench/portal.py builds its data and times every page without error (a small run, so the script cannot rot)."""

import io
import random
from contextlib import redirect_stdout

import pytest
from django.test import TestCase

from bench import portal as bench
from ita.models import Assessment, Organization
from measures.models import MeasurePlan


@pytest.mark.slow
class BenchSmokeTests(TestCase):
    def test_build_and_time_every_page(self):
        out = io.StringIO()
        with redirect_stdout(out):
            bench.build(12, seed=1)
            bench.run(runs=1)
        self.assertEqual(Organization.objects.count(), 12)
        self.assertEqual(Assessment.objects.count(), 12 * len(bench.YEARS))
        self.assertTrue(MeasurePlan.objects.published().exists())
        report = out.getvalue()
        for label, *_rest in bench.pages():
            self.assertIn(label, report)
        self.assertNotIn("HTTP", report)

    def test_names_and_types_look_real(self):
        rows = bench.build_organizations(40, random.Random(3))
        self.assertEqual(rows[0].name, bench.TARGET_NAME)
        self.assertTrue(all(row.province in bench.PROVINCES for row in rows))
        prefixes = {prefix for _type, prefix, _share in bench.ORG_TYPES}
        self.assertTrue(all(any(row.name.startswith(p) for p in prefixes) for row in rows))
