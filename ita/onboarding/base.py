"""What every import-export resource shares: Thai headers, Thai choice labels, safe cells, all or nothing, audit.

- Column headers are the model's Thai verbose names; on import the field names are accepted too.
- A text cell that a spreadsheet would run as a formula (= + - @, tab, carriage return) is exported
  with a leading apostrophe, and that apostrophe is dropped again on import, so files round-trip.
  django-import-export's own IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT only strips a leading "=" and
  turns every cell into text (an empty cell becomes "None"), so it stays off.
- A file with any bad row writes nothing (use_transactions and rollback on validation errors), and
  each error names the spreadsheet row (the header is row 1) and the Thai column.
- Every created or changed row gets its AuditEvent (source import), written in bulk after the
  rows, only when the import is confirmed.
"""

from __future__ import annotations

import contextlib

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.utils.translation import gettext
from import_export import resources, widgets
from import_export.results import RowResult

from ita import audit
from ita.models import Source
from ita.thai import normalize_text, to_arabic_digits

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ROW_OFFSET = 1  # data row 1 is the spreadsheet's row 2: the header takes row 1


def escape_formula(value: object) -> object:
    """A text a spreadsheet would evaluate, made inert with a leading apostrophe; other values unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def unescape_formula(value: object) -> object:
    """The inverse of escape_formula for a cell read back from one of our files."""
    if isinstance(value, str) and len(value) > 1 and value[0] == "'" and value[1] in FORMULA_STARTS:
        return value[1:]
    return value


def plain_code(value: object) -> str:
    """A code or telephone number as typed: Thai and full-width digits to ASCII, runs of spaces to one."""
    if value is None:
        return ""
    text = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
    return " ".join(to_arabic_digits(text).split())


class ChoiceWidget(widgets.Widget):
    """A choice written as its Thai label; the stored value or the label (any case) is accepted back."""

    def __init__(self, choices, **kwargs) -> None:
        super().__init__(**kwargs)
        self.choices = list(choices)
        self.labels = {value: str(label) for value, label in self.choices}

    def clean(self, value, row=None, **kwargs):
        text = normalize_text(str(value)) if value is not None else ""
        if not text:
            return None  # not given: the field keeps its value (a new row: the model's default)
        for choice, label in self.labels.items():
            if text.casefold() in (choice.casefold(), label.casefold()):
                return choice
        allowed = ", ".join(self.labels.values())
        raise ValueError(gettext("ค่า “%(value)s” ไม่ใช่ตัวเลือกที่ใช้ได้ (%(allowed)s)") % {"value": text, "allowed": allowed})

    def render(self, value, obj=None, **kwargs):
        return self.labels.get(value, value or "")


class ThaiResource(resources.ModelResource):
    """A ModelResource with Thai headers, formula-safe cells, all-or-nothing imports and audited rows."""

    # Columns whose digits are normalised (Thai ๐-๙ → 0-9) and spaces collapsed before anything reads them.
    code_columns: tuple[str, ...] = ()
    # Never read: a file with a column whose header contains one of these is refused whole.
    forbidden_columns: tuple[str, ...] = ()

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        model = self._meta.model
        for name, field in self.fields.items():
            if field.column_name == name:
                with contextlib.suppress(FieldDoesNotExist):  # a column that is no model field keeps its name
                    field.column_name = str(model._meta.get_field(field.attribute or name).verbose_name)
        self._audited: list[tuple[object, object | None]] = []
        self._events: list = []  # further events a subclass builds while importing (related rows)

    # --- export --------------------------------------------------------------------------------

    def export_field(self, field, instance, **kwargs):
        return escape_formula(super().export_field(field, instance, **kwargs))

    # --- import: headers and cells --------------------------------------------------------------

    def header_aliases(self) -> dict[str, str]:
        """Casefolded header → the column name the resource reads: its Thai name or the field's name."""
        aliases = {}
        for name, field in self.fields.items():
            for alias in (name, field.attribute, field.column_name):
                if alias:
                    aliases[str(alias).strip().casefold()] = field.column_name
        return aliases

    def before_import(self, dataset, **kwargs) -> None:
        headers = [str(header).strip() if header is not None else "" for header in dataset.headers or []]
        forbidden = [h for h in headers if any(word.casefold() in h.casefold() for word in self.forbidden_columns)]
        if forbidden:
            raise ValueError(
                gettext("ไฟล์นี้มีคอลัมน์ “%(column)s” ซึ่งระบบไม่รับ: ไม่ได้นำเข้าข้อมูลใดเลย โปรดลบคอลัมน์นี้ออกแล้วนำเข้าใหม่")
                % {"column": forbidden[0]}
            )
        aliases = self.header_aliases()
        headers = [aliases.get(header.casefold(), header) for header in headers]
        codes = {self.fields[name].column_name for name in self.code_columns}
        rows = [
            [self.clean_cell(header, cell, header in codes) for header, cell in zip(headers, row, strict=False)]
            for row in dataset
        ]
        dataset.wipe()
        dataset.headers = headers
        for row in rows:
            dataset.append(row)

    def clean_cell(self, header: str, value: object, is_code: bool) -> object:
        value = unescape_formula(value)
        if is_code:
            return plain_code(value)
        if isinstance(value, str):
            return normalize_text(value)
        return value

    # --- import: errors ------------------------------------------------------------------------

    def import_data(self, dataset, **kwargs):
        # All or nothing: a row that fails validation undoes the whole file, on the confirm step too.
        kwargs["rollback_on_validation_errors"] = True
        kwargs.setdefault("use_transactions", True)
        self._audited, self._events = [], []
        return super().import_data(dataset, **kwargs)

    def import_row(self, row, instance_loader, **kwargs):
        result = super().import_row(row, instance_loader, **kwargs)
        if result.validation_error is not None:
            result.validation_error = self.thai_error(result.validation_error, kwargs.get("row_number", 0))
        return result

    def column_of(self, key: str) -> str:
        for name, field in self.fields.items():
            if key in (name, field.attribute):
                return field.column_name
        return key

    def thai_error(self, error: ValidationError, row_number: int) -> ValidationError:
        """The row's errors keyed by Thai column, each message naming the spreadsheet row and the column."""
        line = str(row_number + ROW_OFFSET)
        by_column: dict[str, list[str]] = {}
        error_dict = error.message_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: error.messages}
        for key, messages in error_dict.items():
            column = gettext("ทั้งแถว") if key == NON_FIELD_ERRORS else self.column_of(key)
            for message in messages:
                text = gettext("แถว %(row)s คอลัมน์ “%(column)s”: %(message)s") % {
                    "row": line,
                    "column": column,
                    "message": message,
                }
                by_column.setdefault(column, []).append(text)
        return ValidationError(by_column)

    # --- audit ---------------------------------------------------------------------------------

    def audit_fields(self) -> list[str]:
        """The model columns an import can change, as the audit history compares them."""
        model = self._meta.model
        names = []
        for field in self.get_import_fields():
            attribute = (field.attribute or "").split("__")[0]
            try:
                model_field = model._meta.get_field(attribute)
            except FieldDoesNotExist:  # a computed column (a membership's organisation, say)
                continue
            if model_field.concrete and not model_field.many_to_many and attribute not in names:
                names.append(attribute)
        return names

    def after_import_row(self, row, row_result, **kwargs) -> None:
        if row_result.import_type in (RowResult.IMPORT_TYPE_NEW, RowResult.IMPORT_TYPE_UPDATE):
            self._audited.append((row_result.instance, row_result.original))

    def after_import(self, dataset, result, **kwargs) -> None:
        super().after_import(dataset, result, **kwargs)
        if kwargs.get("dry_run") or result.has_errors() or result.has_validation_errors():
            return
        audit.record_many([*self.audit_events(kwargs.get("user"), kwargs.get("file_name") or ""), *self._events])

    def audit_events(self, user, file_name: str) -> list:
        """One event per created or changed row, with old → new of the columns the file carries."""
        model = self._meta.model
        fields = self.audit_fields()
        events = []
        for instance, original in self._audited:
            before = audit.snapshot(original, fields) if original is not None else {}
            after = audit.snapshot(instance, fields)
            changes = audit.model_diff(model, before, after)
            if original is not None and not changes:
                continue
            summary = gettext("%(verb)s%(model)s “%(obj)s” จากไฟล์ %(file)s") % {
                "verb": gettext("แก้ไข") if original is not None else gettext("เพิ่ม"),
                "model": model._meta.verbose_name,
                "obj": str(instance)[:120],
                "file": file_name or "-",
            }
            events.append(
                audit.build(
                    action="update" if original is not None else "create",
                    obj=instance,
                    user=user,
                    source=Source.IMPORT,
                    changes=changes,
                    summary=summary,
                )
            )
        return events

    class Meta:
        use_transactions = True
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        store_instance = True
