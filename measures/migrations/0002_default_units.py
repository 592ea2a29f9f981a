"""Store the default units of every organisation that has none yet.

Reading the units used to store the default list on first sight (a write on a GET). Reading no
longer writes, so organisations that existed before get their list here, and their units page stays
as it was; later ones get it with their first plan or their first edit of the list. Only rows are
added: no existing unit is changed.
"""

from django.db import migrations

# As measures.models.DEFAULT_UNITS when this migration was written (a migration keeps its own copy).
DEFAULT_UNITS = ("สำนักปลัด", "กองคลัง", "กองช่าง", "กองการศึกษา", "กองสาธารณสุขและสิ่งแวดล้อม", "ทุกสำนัก/กอง")
BATCH = 1000


def store_default_units(apps, schema_editor) -> None:
    Organization = apps.get_model("ita", "Organization")
    OrgUnit = apps.get_model("measures", "OrgUnit")
    without_units = Organization.objects.filter(units__isnull=True).values_list("pk", flat=True)
    rows = [
        OrgUnit(organization_id=organization_id, name=name, order=order)
        for organization_id in without_units.iterator()
        for order, name in enumerate(DEFAULT_UNITS)
    ]
    OrgUnit.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("measures", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(store_default_units, migrations.RunPython.noop),
    ]
