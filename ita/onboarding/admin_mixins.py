"""The admin's import and export buttons: django-import-export's pages, for administrators only, in Thai where ours."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext
from import_export.admin import ExportMixin, ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX
from import_export.results import RowResult

from ita.thai import format_number

FILE_FORMATS = (XLSX, CSV)


def _administrator(request) -> bool:
    return request.user.is_active and request.user.is_superuser


class ExportOnlyMixin(ExportMixin):
    """Export the change list (its filters and search apply) as xlsx or csv; administrators only."""

    formats = FILE_FORMATS

    def has_export_permission(self, request) -> bool:
        return _administrator(request)


class FileImportExportMixin(ImportExportMixin):
    """Import (upload → preview → confirm) and export as xlsx or csv; administrators only.

    The preview is a dry run inside a transaction that is rolled back; the confirm step imports the
    stored upload again for real, all or nothing (ita.onboarding.base.ThaiResource).
    """

    formats = FILE_FORMATS
    # The admin's own change log would repeat the AuditEvents the resource writes.
    skip_admin_log = True

    def has_import_permission(self, request) -> bool:
        return _administrator(request)

    def has_export_permission(self, request) -> bool:
        return _administrator(request)

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            # The data changed between the preview and the confirmation: nothing was written.
            messages.error(request, gettext("ไม่ได้นำเข้าข้อมูลใดเลย: ไฟล์มีข้อผิดพลาด โปรดนำเข้าใหม่เพื่อดูรายละเอียด"))
            return HttpResponseRedirect(reverse("admin:{}_{}_import".format(*self.get_model_info())))
        return super().process_result(result, request)

    def add_success_message(self, result, request) -> None:
        totals = result.totals
        messages.success(
            request,
            gettext("นำเข้า%(model)sแล้ว: เพิ่ม %(new)s รายการ แก้ไข %(update)s รายการ ไม่เปลี่ยน %(skip)s รายการ")
            % {
                "model": self.model._meta.verbose_name_plural,
                "new": format_number(totals[RowResult.IMPORT_TYPE_NEW]),
                "update": format_number(totals[RowResult.IMPORT_TYPE_UPDATE]),
                "skip": format_number(totals[RowResult.IMPORT_TYPE_SKIP]),
            },
        )
