"""django-import-export's own pages speak Thai: the project's catalogue (locale/th) translates the package's words."""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.base import BaseTestCase

LOCALE = Path(settings.BASE_DIR) / "locale" / "th" / "LC_MESSAGES"


class ImportPageTests(BaseTestCase):
    def test_the_import_page_is_thai(self):
        self.client.force_login(self.root)
        page = self.client.get(reverse("admin:ita_organization_import"))
        self.assertContains(page, "ไฟล์ที่จะนำเข้า")
        self.assertContains(page, "รูปแบบไฟล์")
        self.assertContains(page, "คอลัมน์ที่จะนำเข้า")
        for english in ("File to import", "This importer will import the following fields", ">Submit<"):
            self.assertNotContains(page, english)

    def test_the_admin_lists_use_thai_for_words_django_has_not_translated(self):
        self.client.force_login(self.root)
        page = self.client.get(reverse("admin:ita_organization_changelist"))
        self.assertContains(page, "แสดงจำนวน")
        self.assertContains(page, "พิมพ์เพื่อกรองรายการ…")
        self.assertContains(page, "ระบบติดตามผลการประเมินคุณธรรมและความโปร่งใส · การจัดการ")
        for english in ("Show counts", "Start typing to filter", "Django administration"):
            self.assertNotContains(page, english)


def test_the_committed_catalogue_is_compiled_from_its_source(tmp_path):
    """django.mo is what `manage.py compilemessages` makes of django.po (GNU msgfmt)."""
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("GNU gettext's msgfmt is not installed: cannot recompile locale/th to compare")
    compiled = tmp_path / "django.mo"
    subprocess.run([msgfmt, "--check-format", "-o", str(compiled), str(LOCALE / "django.po")], check=True)  # noqa: S603
    assert compiled.read_bytes() == (LOCALE / "django.mo").read_bytes(), (
        "locale/th/LC_MESSAGES/django.mo is stale: run `python manage.py compilemessages -l th --ignore=.venv`"
    )
