import re
from decimal import Decimal

from django.apps import apps
from django.db import IntegrityError, transaction
from django.test import SimpleTestCase

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


THAI = re.compile(r"[\u0e00-\u0e7f]")


def english_names(app_label: str) -> list[str]:
    """Every model and field name of an app that the admin would show without a Thai word (auto ids aside)."""
    found = []
    for model in apps.get_app_config(app_label).get_models():
        meta = model._meta
        for name in (meta.verbose_name, meta.verbose_name_plural):
            if not THAI.search(str(name)):
                found.append(f"{meta.label}: {name}")
        # A proxy of another package's model (ita.LoginLockout of django-axes) keeps that package's field
        # names; its admin shows them only through Thai columns (test_the_lockouts_admin_speaks_thai).
        inherited = meta.proxy and meta.concrete_model._meta.app_label != app_label
        for field in [] if inherited else meta.get_fields():
            if field.auto_created and (not field.concrete or field.primary_key):
                continue  # reverse relations and the automatic id
            if not THAI.search(str(field.verbose_name)):
                found.append(f"{meta.label}.{field.name}: {field.verbose_name}")
    return found


class ThaiNamesTests(SimpleTestCase):
    def test_every_model_and_field_of_every_app_has_a_thai_name(self):
        for app_label in ("ita", "measures", "reports"):
            with self.subTest(app=app_label):
                self.assertEqual(english_names(app_label), [])

    def test_the_lockouts_admin_speaks_thai(self):
        from django.contrib import admin

        from ita.models import LoginLockout

        model_admin = admin.site._registry[LoginLockout]
        for name in [*model_admin.list_display, *model_admin.fields]:
            with self.subTest(column=name):
                self.assertRegex(str(getattr(model_admin, name).short_description), THAI)

    def test_the_apps_are_named_in_thai_in_the_admin(self):
        for app_label in ("ita", "reports", "measures"):
            with self.subTest(app=app_label):
                self.assertRegex(str(apps.get_app_config(app_label).verbose_name), THAI)

    def test_every_choice_label_is_thai(self):
        # IIT, EIT and OIT are the tools' official names and stay as they are.
        official = {"IIT", "EIT", "OIT"}
        for app_label in ("ita", "reports", "measures"):
            for model in apps.get_app_config(app_label).get_models():
                for field in model._meta.concrete_fields:
                    for value, label in field.flatchoices or []:
                        with self.subTest(field=f"{model._meta.label}.{field.name}", value=value):
                            self.assertTrue(THAI.search(str(label)) or str(label) in official, label)
