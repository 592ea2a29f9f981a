"""A checklist of fiscal year 2568 for Alpha, and the link checker's loopback site serving its pages."""

from __future__ import annotations

import threading

from django.test import override_settings

from ita.linkcheck import Policy
from ita.models import EvidenceChecklist
from ita.oit.checklist import checklist_for, oit_items, save_entries
from tests.base import BaseTestCase
from tests.factory import make_framework
from tests.ita.linkcheck.site import Site

YEAR = 2568  # the year the site's pages are written for


@override_settings(LINKCHECK_ALLOW_LOOPBACK=True)
class LinkSiteTestCase(BaseTestCase):
    """BaseTestCase's cast, a framework of 2568 and a loopback site for the whole class."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.site = Site()
        threading.Thread(target=cls.site.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    @classmethod
    def tearDownClass(cls):
        cls.site.shutdown()
        cls.site.server_close()
        super().tearDownClass()

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.framework_2568 = make_framework(YEAR)
        cls.items = oit_items(cls.framework_2568)
        cls.o1, cls.o2, cls.o3, cls.o4, cls.o5 = cls.items[:5]

    def setUp(self):
        super().setUp()
        with self.site.lock:
            self.site.requests.clear()

    def page(self, path: str) -> str:
        return self.site.root + path

    def save(self, urls_by_item: dict, org=None) -> EvidenceChecklist:
        """Store these URLs (item → list of site paths or full URLs) in the 2568 checklist; return it."""
        checklist = checklist_for(org or self.alpha, self.framework_2568)
        wanted = {
            item: ([url if url.startswith("http") else self.page(url) for url in urls], None)
            for item, urls in urls_by_item.items()
        }
        save_entries(checklist=checklist, version=checklist.version, wanted=wanted, user=self.alice, summary="ทดสอบ")
        return checklist_for(org or self.alpha, self.framework_2568)

    def fetched(self) -> list[str]:
        """The paths the site answered since the test began."""
        with self.site.lock:
            return [path for path, _headers in self.site.requests]


def small_policy() -> Policy:
    """The loopback site with a 64 KB body cap (so /big is cut) and short limits."""
    return Policy(allow_loopback=True, timeout=2.0, max_bytes=64 * 1024, user_agent="ITA-Measures-LinkCheck/1 (+test)")
