"""Checking a checklist's links and storing the results: verdicts, replacement, the organisation's host, bounds."""

from __future__ import annotations

import datetime
from unittest import mock

from ita.linkcheck import LinkResult
from ita.models import EvidenceChecklist, LinkCheck
from ita.oit.checklist import stored_values
from ita.oit.linkhealth import check_checklists
from ita.oit.status import AMBER, GREEN, MISSING, RED, UNCHECKED, counts, item_health
from tests.ita.oit.helpers import YEAR, LinkSiteTestCase, small_policy


class StoreTests(LinkSiteTestCase):
    def check(self, checklist: EvidenceChecklist) -> dict[str, LinkCheck]:
        self.assertEqual(check_checklists([checklist], policy=small_policy()), 1)
        return {row.url.removeprefix(self.site.root): row for row in LinkCheck.objects.filter(checklist=checklist)}

    def test_good_broken_redirected_last_year_and_oversized_pages(self):
        checklist = self.save(
            {
                self.o1: ["/year-thai"],
                self.o2: ["/no-such-page"],
                self.o3: ["/hop/2"],
                self.o4: ["/last-year"],
                self.o5: ["/big", "/big.pdf"],
            }
        )
        rows = self.check(checklist)
        good = rows["/year-thai"]
        self.assertEqual((good.verdict, good.reason, good.status, good.item_id), (GREEN, "ok", 200, self.o1.pk))
        self.assertEqual(good.content_type, "text/html")
        self.assertTrue(good.mentions_year)
        self.assertEqual(good.last_modified, datetime.datetime(2025, 10, 1, 8, 0, tzinfo=datetime.UTC))
        self.assertEqual(good.final_url, self.page("/year-thai"))
        self.assertEqual((rows["/no-such-page"].verdict, rows["/no-such-page"].status), (RED, 404))
        self.assertEqual(rows["/no-such-page"].reason_text, "ไม่พบหน้านี้บนเว็บ (รหัส ๔๐๔)")
        hop = rows["/hop/2"]
        self.assertEqual((hop.verdict, hop.redirects, hop.final_url), (GREEN, 2, self.page("/year-thai")))
        self.assertEqual((rows["/last-year"].verdict, rows["/last-year"].reason), (AMBER, "year_missing"))
        big, big_pdf = rows["/big"], rows["/big.pdf"]
        self.assertEqual((big.verdict, big.reason, big.truncated), (AMBER, "too_large", True))
        self.assertGreater(big.size, 1024 * 1024)  # the size the server announced, not the 64 KB read
        self.assertEqual((big_pdf.verdict, big_pdf.reason, big_pdf.mentions_year), (AMBER, "too_large", None))
        checklist.refresh_from_db()
        self.assertIsNotNone(checklist.links_checked_at)
        health = item_health(checklist, self.items, stored_values(checklist))
        self.assertEqual([health[item.pk].state for item in self.items[:6]], [GREEN, RED, GREEN, AMBER, AMBER, MISSING])

    def test_a_new_check_replaces_the_rows_and_a_changed_url_is_unchecked_until_then(self):
        checklist = self.save({self.o1: ["/year-thai", "/last-year"], self.o2: ["/no-such-page"]})
        self.check(checklist)
        self.assertEqual(LinkCheck.objects.count(), 3)
        checklist = self.save({self.o1: ["/year-thai", "/report.pdf"], self.o2: []})
        health = item_health(checklist, self.items, stored_values(checklist))
        self.assertEqual(health[self.o1.pk].verdicts, (GREEN, None))
        self.assertEqual((health[self.o1.pk].state, health[self.o2.pk].state), (UNCHECKED, MISSING))
        rows = self.check(checklist)
        self.assertEqual(sorted(rows), ["/report.pdf", "/year-thai"])
        self.assertEqual(rows["/report.pdf"].verdict, GREEN)
        health = item_health(checklist, self.items, stored_values(checklist))
        self.assertEqual(counts(health)[GREEN], 1)

    def test_the_same_url_in_two_items_is_fetched_once_and_stored_for_both(self):
        checklist = self.save({self.o1: ["/year-thai"], self.o2: ["/year-thai"]})
        self.check(checklist)
        self.assertEqual(self.fetched().count("/year-thai"), 1)
        stored = LinkCheck.objects.filter(checklist=checklist).values_list("item_id", "verdict")
        self.assertEqual(sorted(stored), sorted([(self.o1.pk, GREEN), (self.o2.pk, GREEN)]))

    def test_a_page_off_the_organisations_website_is_amber(self):
        self.alpha.website = "https://www.alpha.go.th/"
        self.alpha.save()
        self.beta.website = self.site.root
        self.beta.save()
        mine = self.save({self.o1: ["/year-thai"], self.o2: ["/no-such-page"]})
        theirs = self.save({self.o1: ["/year-thai"]}, org=self.beta)
        self.assertEqual(check_checklists([mine, theirs], policy=small_policy()), 2)
        off = LinkCheck.objects.get(checklist=mine, item=self.o1)
        self.assertEqual((off.verdict, off.reason), (AMBER, "off_host"))
        self.assertIn("127.0.0.1", off.reason_text)
        self.assertEqual(LinkCheck.objects.get(checklist=mine, item=self.o2).reason, "not_found")  # red stays red
        self.assertEqual(LinkCheck.objects.get(checklist=theirs).verdict, GREEN)

    def test_a_checklist_without_urls_is_marked_checked_and_loses_its_old_rows(self):
        checklist = self.save({self.o1: ["/year-thai"]})
        self.check(checklist)
        checklist = self.save({self.o1: []})
        self.assertEqual(self.check(checklist), {})
        checklist.refresh_from_db()
        self.assertIsNotNone(checklist.links_checked_at)

    def test_texts_are_cut_to_their_columns_and_an_impossible_size_is_dropped(self):
        checklist = self.save({self.o1: ["https://a.go.th/x"]})
        result = LinkResult(
            url="https://a.go.th/x",
            verdict="red",
            reason="http_error",
            reason_text="ก" * 1000,
            status=500,
            final_url="https://a.go.th/" + "y" * 10_000,
            content_type="text/" + "z" * 1000,
            size=10**30,
            error="e" * 5000,
        )
        with mock.patch("ita.oit.linkhealth.check_many", return_value=iter([(0, result)])):
            check_checklists([checklist])
        row = LinkCheck.objects.get()
        self.assertEqual((len(row.reason_text), len(row.content_type), len(row.error)), (300, 200, 500))
        self.assertEqual(len(row.final_url), 4000)
        self.assertIsNone(row.size)

    def test_a_deleted_checklist_is_skipped(self):
        checklist = self.save({self.o1: ["/year-thai"]})
        EvidenceChecklist.objects.filter(pk=checklist.pk).delete()
        self.assertEqual(check_checklists([checklist], policy=small_policy()), 0)
        self.assertFalse(LinkCheck.objects.exists())

    def test_checklists_of_two_years_are_judged_against_their_own_year(self):
        from ita.oit.checklist import checklist_for, save_entries
        from tests.factory import make_framework

        older = make_framework(YEAR - 1)
        previous = checklist_for(self.alpha, older)
        item = older.items.get(code="o1")
        save_entries(
            checklist=previous,
            version=0,
            wanted={item: ([self.page("/last-year")], None)},
            user=self.alice,
            summary="ทดสอบ",
        )
        current = self.save({self.o1: ["/last-year"]})
        previous = checklist_for(self.alpha, older)
        check_checklists([previous, current], policy=small_policy())
        self.assertEqual(LinkCheck.objects.get(checklist=previous).verdict, GREEN)  # the page names 2567
        self.assertEqual(LinkCheck.objects.get(checklist=current).verdict, AMBER)
