from decimal import Decimal

from django.db import IntegrityError, transaction

from ita.models import Assessment, Score
from tests.base import BaseTestCase


class ScoreConstraintTests(BaseTestCase):
    def test_database_refuses_scores_above_100(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            Score.objects.create(assessment=self.alpha_2564, kind="tool", code="IIT", value=Decimal("100.01"))

    def test_database_refuses_negative_scores(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            Score.objects.create(assessment=self.alpha_2564, kind="item", code="i1", value=Decimal("-0.01"))

    def test_database_refuses_out_of_range_official_overall(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            Assessment.objects.filter(pk=self.alpha_2564.pk).update(official_overall=Decimal("100.5"))

    def test_bounds_are_accepted(self):
        Score.objects.create(assessment=self.alpha_2564, kind="tool", code="IIT", value=Decimal("0"))
        Score.objects.create(assessment=self.alpha_2564, kind="tool", code="OIT", value=Decimal("100"))
        self.assertEqual(self.alpha_2564.scores.count(), 2)


class ForUserTests(BaseTestCase):
    def test_staff_sees_only_own_organisation(self):
        self.assertEqual(list(Assessment.objects.for_user(self.alice)), [self.alpha_2564])
        self.assertEqual(list(Assessment.objects.for_user(self.charlie)), [self.beta_2564])

    def test_administrator_sees_everything(self):
        self.assertEqual(Assessment.objects.for_user(self.root).count(), 2)
