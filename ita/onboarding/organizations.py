"""Organisations in and out of a spreadsheet: the whole country's อปท. (about 7,850 rows) in one file."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from import_export import fields
from import_export.instance_loaders import CachedInstanceLoader

from ita.models import Organization
from ita.models.organizations import validate_code
from ita.onboarding.base import ChoiceWidget, ThaiResource

CODE_MAX = Organization._meta.get_field("code").max_length


def check_code(code: str) -> None:
    """ValidationError unless the code can key an organisation: present, short enough, of the documented characters."""
    if not code:
        raise ValidationError(gettext("ต้องระบุรหัสหน่วยงาน"))
    if len(code) > CODE_MAX:
        raise ValidationError(gettext("รหัสหน่วยงานยาวได้ไม่เกิน %(max)s ตัวอักษร") % {"max": CODE_MAX})
    validate_code(code)  # the character set the model and the database hold (ita.models.organizations)


class OrganizationResource(ThaiResource):
    """One row per organisation, matched on its code: new codes are created, known ones updated, unchanged skipped."""

    org_type = fields.Field(
        attribute="org_type",
        column_name=str(Organization._meta.get_field("org_type").verbose_name),
        widget=ChoiceWidget(Organization.Type.choices),
        saves_null_values=False,
    )
    code_columns = ("code", "phone")

    class Meta:
        model = Organization
        name = "หน่วยงาน"
        fields = ("code", "name", "org_type", "district", "province", "phone", "website")
        import_id_fields = ("code",)
        instance_loader_class = CachedInstanceLoader  # one query for the file's codes, not one per row
        use_bulk = True
        batch_size = 1000

    def before_import(self, dataset, **kwargs) -> None:
        super().before_import(dataset, **kwargs)
        self._seen: dict[str, int] = {}

    def before_import_row(self, row, **kwargs) -> None:
        code = row.get(self.fields["code"].column_name) or ""
        try:
            check_code(code)
        except ValidationError as error:
            raise ValidationError({"code": error.messages}) from error
        first = self._seen.setdefault(code, kwargs.get("row_number", 0))
        if first != kwargs.get("row_number", 0):
            message = gettext("รหัส “%(code)s” ซ้ำกับแถว %(row)s") % {"code": code, "row": first + 1}
            raise ValidationError({"code": message})

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # Codes are unique within the file (checked above) and known ones update their row: no query per row.
        super().validate_instance(instance, import_validation_errors, validate_unique=False)
