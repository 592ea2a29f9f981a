"""Driving django-import-export's admin pages as an administrator does: upload → preview → confirm."""

import csv
import io

from import_export.formats.base_formats import CSV, XLSX

from ita.onboarding.admin_mixins import FILE_FORMATS

CSV_FORMAT = str(FILE_FORMATS.index(CSV))
XLSX_FORMAT = str(FILE_FORMATS.index(XLSX))


def csv_file(rows: list[list[str]], name: str = "data.csv") -> io.BytesIO:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    upload = io.BytesIO(buffer.getvalue().encode("utf-8"))
    upload.name = name
    return upload


def preview(client, url: str, rows: list[list[str]], name: str = "data.csv"):
    """The dry run: the preview page, with its confirm form when the file has no error."""
    return client.post(url, {"format": CSV_FORMAT, "import_file": csv_file(rows, name)})


def confirm(client, process_url: str, response):
    """Post the confirm form the preview page carries."""
    form = response.context["confirm_form"]
    return client.post(process_url, {name: form.initial[name] for name in form.initial})


def export(client, url: str, resource_class, file_format: str = CSV_FORMAT, resource_index: int = 0):
    """The export page's form with every column of the resource ticked."""
    prefix = resource_class.__name__.lower()
    data = {"format": file_format, "resource": str(resource_index)}
    data |= {f"{prefix}_{name}": "on" for name in resource_class().get_export_order()}
    return client.post(url, data)
