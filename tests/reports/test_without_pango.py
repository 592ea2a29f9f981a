"""The site runs where WeasyPrint cannot load Pango: every page but the PDF itself (issue 13).

The check runs in a fresh interpreter in which importing WeasyPrint fails as it does on a machine
without Pango (cffi's OSError), since this test process has loaded WeasyPrint long ago. There it
migrates a new SQLite database, makes an organisation with a plan, and asks for pages as staff and as
a visitor, then for the plan's PDF; it prints what it saw as JSON for the assertions here.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PROBE = r"""
import importlib.abc, json, sys

class NoPango(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "weasyprint" or name.startswith("weasyprint."):
            raise OSError("cannot load library 'libpango-1.0-0': libpango-1.0-0: cannot open shared object file")
        return None

sys.meta_path.insert(0, NoPango())
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.test import Client
from measures.plans import create_plan
from tests.browser.plan_data import office_with_last_years_scores

office = office_with_last_years_scores()
plan = create_plan(organization=office.organization, fiscal_year=2565, by=office.staff)
staff = Client()
staff.force_login(office.staff)
visitor = Client()
pages = {
    "home": staff.get("/").status_code,
    "plan": staff.get(f"/plans/{plan.pk}/").status_code,
    "plan_history": staff.get(f"/plans/{plan.pk}/?tab=history").status_code,
    "measure": staff.get(f"/plans/{plan.pk}/measures/{plan.measures.first().pk}/").status_code,
    "docx": staff.get(f"/documents/plans/{plan.pk}/docx/").status_code,
    "news": staff.get(f"/documents/plans/{plan.pk}/news/").status_code,
    "public": visitor.get("/public/").status_code,
    "login": visitor.get("/accounts/login/").status_code,
}
asked = staff.post(f"/documents/plans/{plan.pk}/pdf/", follow=True)
health = visitor.get("/healthz")
print(json.dumps({
    "pages": pages,
    "pdf_status": asked.status_code,
    "pdf_page": asked.content.decode(),
    "health_status": health.status_code,
    "health": health.json(),
    "weasyprint_loaded": "weasyprint" in sys.modules,
}))
"""


@pytest.mark.slow
def test_every_page_but_the_pdf_works_without_pango(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "ita.settings",
        "DEBUG": "1",
        "ALLOWED_HOSTS": "testserver",
    }
    for name in ("CELERY_BROKER_URL", "REDIS_URL"):
        env.pop(name, None)
    result = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stderr[-4000:]
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["pages"] == dict.fromkeys(seen["pages"], 200)
    assert not seen["weasyprint_loaded"]
    # Asking for the PDF ends on the document's page, which says why there is none.
    assert seen["pdf_status"] == 200
    assert "ยังไม่ได้ติดตั้งโปรแกรมสร้างเอกสาร PDF" in seen["pdf_page"]
    # Healthy (the site works) but the missing part is named.
    assert seen["health_status"] == 200
    assert seen["health"]["status"] == "ok"
    assert [reason.split(":")[0] for reason in seen["health"]["missing"]] == ["pdf"]
    assert "libpango" in seen["health"]["missing"][0]
