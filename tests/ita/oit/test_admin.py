"""The admin's list of stored link checks: filtered by verdict, searched by URL, read-only."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from ita.models import EvidenceChecklist, LinkCheck
from ita.oit.checklist import oit_items
from tests.base import BaseTestCase


class LinkCheckAdminTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.o1, cls.o2 = oit_items(cls.framework)[:2]
        checklist = EvidenceChecklist.objects.create(organization=cls.alpha, fiscal_year=2564, framework=cls.framework)
        now = timezone.now()
        for item, url, verdict in [
            (cls.o1, "https://alpha.go.th/plan-2568", "green"),
            (cls.o2, "https://alpha.go.th/old-report", "red"),
        ]:
            LinkCheck.objects.create(
                checklist=checklist, item=item, url=url, checked_at=now, verdict=verdict, reason="ok", reason_text="-"
            )

    def setUp(self):
        super().setUp()
        self.client.force_login(self.root)

    def test_list_filters_by_verdict_and_searches_urls(self):
        url = reverse("admin:ita_linkcheck_changelist")
        response = self.client.get(url)
        self.assertContains(response, "plan-2568")
        self.assertContains(response, "old-report")
        response = self.client.get(url, {"verdict__exact": "red"})
        self.assertNotContains(response, "plan-2568")
        self.assertContains(response, "old-report")
        response = self.client.get(url, {"q": "plan-25"})
        self.assertContains(response, "plan-2568")
        self.assertNotContains(response, "old-report")

    def test_nobody_adds_or_edits_a_result_here(self):
        check = LinkCheck.objects.get(item=self.o1)
        self.assertEqual(self.client.get(reverse("admin:ita_linkcheck_add")).status_code, 403)
        change = reverse("admin:ita_linkcheck_change", args=[check.pk])
        self.assertNotContains(self.client.get(change), 'name="url"')
        self.client.post(change, {"url": "https://elsewhere.example/", "verdict": "green"})
        check.refresh_from_db()
        self.assertEqual(check.url, "https://alpha.go.th/plan-2568")
