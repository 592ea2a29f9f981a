"""Organisation codes limited to letters, digits, "-" and "_" (SECURITY.md B3), reporting old offenders.

A database that already holds an offending code (the admin accepted anything but "/" before) is not
refused: the codes are listed for an administrator to correct in the admin, and on PostgreSQL the
constraint is added NOT VALID, so every new or changed row is checked from now on while the old
rows wait for their correction. Once they are corrected, `VALIDATE CONSTRAINT` (README, "Limits
and budgets") makes the database vouch for every row. SQLite is for development only and cannot add
a constraint its rows break: there the migration stops with the same list.
"""

import re
import sys

import django.core.validators
from django.db import migrations, models

CODE_REGEX = "\\A[A-Za-z0-9_-]+\\Z"


def offending_codes(organization_model, using: str) -> list[tuple[int, str]]:
    """(id, code) of every organisation whose code breaks the rule, checked in Python, row by row."""
    rule = re.compile(CODE_REGEX)
    rows = organization_model.objects.using(using).order_by("pk").values_list("pk", "code")
    return [(pk, code) for pk, code in rows.iterator() if not rule.search(code)]


def offenders_report(offenders: list[tuple[int, str]]) -> str:
    shown = ", ".join(f"{code!r} (id {pk})" for pk, code in offenders[:50])
    more = f" and {len(offenders) - 50} more" if len(offenders) > 50 else ""
    return (
        f"{len(offenders)} organisation code(s) use characters other than A-Z, a-z, 0-9, '-' and '_': "
        f"{shown}{more}. Correct them in the admin (หน่วยงาน → รหัสหน่วยงาน), then validate the constraint: "
        "ALTER TABLE ita_organization VALIDATE CONSTRAINT organization_code_charset;\n"
        "รหัสหน่วยงานข้างต้นมีอักขระนอกเหนือจากตัวอักษรภาษาอังกฤษ ตัวเลข - และ _ โปรดแก้ไขในหน้าผู้ดูแลระบบ"
    )


class AddCodeCharsetConstraint(migrations.AddConstraint):
    """AddConstraint that lists existing offenders instead of failing on them (NOT VALID on PostgreSQL)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        model = to_state.apps.get_model(app_label, self.model_name)
        offenders = offending_codes(model, schema_editor.connection.alias)
        if not offenders:
            return super().database_forwards(app_label, schema_editor, from_state, to_state)
        report = offenders_report(offenders)
        if schema_editor.connection.vendor != "postgresql":
            raise RuntimeError(report)
        sys.stderr.write(f"\n{report}\n")
        # As django.contrib.postgres.operations.AddConstraintNotValid does: the SQL comes interpolated.
        schema_editor.execute(str(self.constraint.create_sql(model, schema_editor)) + " NOT VALID", params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("ita", "0011_import_retention"),
    ]

    operations = [
        migrations.AlterField(
            model_name="organization",
            name="code",
            field=models.CharField(
                max_length=32,
                unique=True,
                validators=[
                    django.core.validators.RegexValidator(
                        CODE_REGEX,
                        code="code_charset",
                        message="รหัสหน่วยงานใช้ได้เฉพาะตัวอักษรภาษาอังกฤษ ตัวเลข เครื่องหมายขีด (-) และขีดล่าง (_) โดยไม่มีช่องว่าง",
                    )
                ],
                verbose_name="รหัสหน่วยงาน",
            ),
        ),
        AddCodeCharsetConstraint(
            model_name="organization",
            constraint=models.CheckConstraint(
                condition=models.Q(("code__regex", CODE_REGEX)), name="organization_code_charset"
            ),
        ),
    ]
