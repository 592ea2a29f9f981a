"""Organisation codes: letters, digits, "-" and "_" (SECURITY.md B3), held by the form and by the database.

The migration that adds the database's rule (ita 0012) is run here on a database that is clean and
on one that already holds an offending code: it lists the offenders instead of failing on them on
PostgreSQL (constraint NOT VALID), and stops with the same list on SQLite (development only).
"""

import io
from contextlib import redirect_stderr
from unittest import skipUnless

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test import TestCase, TransactionTestCase

from ita.models import Organization
from ita.models.organizations import CODE_MESSAGE
from tests.base import BaseTestCase
from tests.factory import make_organization

BEFORE = [("ita", "0011_import_retention")]
AFTER = [("ita", "0012_organization_code_charset")]


class CodeRuleTests(TestCase):
    def test_the_validator_accepts_the_documented_characters(self):
        for code in ("6340103", "DEMO-NONGLAENG", "org_1", "a"):
            with self.subTest(code=code):
                Organization(code=code, name="ทดสอบ").full_clean()

    def test_the_validator_refuses_anything_else_in_thai(self):
        for code in ("A/B", "A B", "รหัส", "๑๒๓", "A\n", "A.B", "A\x00"):
            with self.subTest(code=code), self.assertRaises(ValidationError) as caught:
                Organization(code=code, name="ทดสอบ").full_clean()
            self.assertIn(str(CODE_MESSAGE), caught.exception.message_dict["code"])

    def test_the_database_refuses_what_the_validator_refuses(self):
        for code in ("A/B", "A B", "A\n", "ก"):
            with self.subTest(code=code), self.assertRaises(IntegrityError), transaction.atomic():
                make_organization(code=code)


class AdminCodeTests(BaseTestCase):
    def test_the_admin_form_refuses_a_slash_with_the_rule(self):
        self.client.force_login(self.root)
        data = {"code": "A/B", "name": "หน่วยงานใหม่", "org_type": "other"}
        response = self.client.post("/admin/ita/organization/add/", data)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, str(CODE_MESSAGE))
        self.assertFalse(Organization.objects.filter(code="A/B").exists())


class CodeMigrationTests(TransactionTestCase):
    """ita 0012 run forward from 0011 on a clean database and on one with an offender."""

    def setUp(self):
        self.executor = MigrationExecutor(connection)
        self.executor.migrate(BEFORE)
        self.executor.loader.build_graph()
        self.old_apps = self.executor.loader.project_state(BEFORE).apps

    def tearDown(self):
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

    def forward(self) -> str:
        stderr = io.StringIO()
        with redirect_stderr(stderr):
            self.executor.migrate(AFTER)
        return stderr.getvalue()

    def old_organization(self, code: str):
        return self.old_apps.get_model("ita", "Organization").objects.create(code=code, name="เดิม")

    def test_a_clean_database_gets_the_constraint(self):
        self.old_organization("6340103")
        self.assertEqual(self.forward(), "")
        with self.assertRaises(IntegrityError), transaction.atomic():
            make_organization(code="A/B")

    @skipUnless(connection.vendor == "postgresql", "NOT VALID constraints are PostgreSQL's")
    def test_offenders_are_listed_and_new_rows_are_checked_on_postgresql(self):
        old = self.old_organization("A/B")
        report = self.forward()
        self.assertIn(f"'A/B' (id {old.pk})", report)
        self.assertIn("VALIDATE CONSTRAINT organization_code_charset", report)
        self.assertEqual(Organization.objects.get(pk=old.pk).code, "A/B")
        with self.assertRaises(IntegrityError), transaction.atomic():
            make_organization(code="C D")
        with connection.cursor() as cursor:
            cursor.execute("SELECT convalidated FROM pg_constraint WHERE conname = 'organization_code_charset'")
            self.assertEqual(cursor.fetchone(), (False,))
        # Corrected in the admin, the rows can be vouched for by the database.
        Organization.objects.filter(pk=old.pk).update(code="A-B")
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE ita_organization VALIDATE CONSTRAINT organization_code_charset")

    @skipUnless(connection.vendor == "sqlite", "SQLite cannot add a constraint its rows break")
    def test_offenders_stop_the_migration_with_the_list_on_sqlite(self):
        old = self.old_organization("A/B")
        with self.assertRaisesMessage(RuntimeError, f"'A/B' (id {old.pk})"):
            self.forward()
        executor = MigrationExecutor(connection)
        self.assertNotIn(AFTER[0], executor.loader.applied_migrations)
        self.assertEqual(Organization.objects.get(pk=old.pk).code, "A/B")
        # Corrected, the migration goes through.
        Organization.objects.filter(pk=old.pk).update(code="A-B")
        self.assertEqual(self.forward(), "")
