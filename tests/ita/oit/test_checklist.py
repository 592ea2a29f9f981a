"""The OIT evidence checklist: validation, the version guard, audit rows, copy-out, carry-forward, access."""

from django.core.exceptions import ValidationError
from django.urls import reverse

from ita.models import AuditEvent, EvidenceChecklist, EvidenceEntry, ItemCrosswalk, Membership
from ita.models.oit import validate_evidence_urls
from ita.oit.checklist import carry_forward, checklist_for, itas_text, oit_items, save_entries, stored_values
from tests.base import BaseTestCase
from tests.factory import make_framework, make_user


class ChecklistTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.items = oit_items(cls.framework)
        cls.o1, cls.o2, cls.o3 = cls.items[:3]

    def url(self, name="checklist", org=None, year=2564):
        return reverse(f"oit:{name}", kwargs={"code": (org or self.alpha).code, "year": year})

    def save(self, wanted, version=0, org=None):
        checklist = checklist_for(org or self.alpha, self.framework)
        return save_entries(checklist=checklist, version=version, wanted=wanted, user=self.alice, summary="ทดสอบ")

    def form_data(self, version, **values):
        data = {"version": str(version)}
        for item in self.items:
            data[f"urls_{item.code}"], data[f"note_{item.code}"] = values.get(item.code, ("", ""))
        return data


class ModelTests(ChecklistTestCase):
    def test_urls_are_http_or_https_at_most_five_each_at_most_2000_chars(self):
        validate_evidence_urls(["https://a.go.th/x", "http://b.go.th"])
        for bad in (["ftp://a.th"], ["javascript:alert(1)"], ["https://a.th/" + "x" * 2000], ["https://a.th"] * 6, "x"):
            with self.subTest(bad=str(bad)[:30]), self.assertRaises(ValidationError):
                validate_evidence_urls(bad)

    def test_oit_items_are_the_frameworks_oit_items_in_order(self):
        self.assertEqual([item.code for item in self.items], [f"o{n}" for n in range(1, 44)])


class SaveTests(ChecklistTestCase):
    def test_a_save_stores_entries_moves_the_version_and_records_one_event(self):
        event = self.save({self.o1: (["https://a.th/1"], "หน้าแรก"), self.o2: ([], "")})
        checklist = EvidenceChecklist.objects.get(organization=self.alpha, fiscal_year=2564)
        self.assertEqual(checklist.version, 1)
        self.assertEqual(stored_values(checklist), {self.o1.pk: (["https://a.th/1"], "หน้าแรก")})
        self.assertEqual(EvidenceEntry.objects.get().updated_by, self.alice)
        self.assertEqual(event.subject_type, "ita.evidencechecklist")
        self.assertEqual(event.organization_id, self.alpha.pk)
        self.assertEqual(
            event.changes,
            {
                "o1:urls": {"label": "ข้อ O1 ลิงก์", "old": [], "new": ["https://a.th/1"]},
                "o1:note": {"label": "ข้อ O1 หมายเหตุ", "old": "", "new": "หน้าแรก"},
            },
        )

    def test_a_stale_version_is_refused_and_nothing_changes(self):
        from ita.oit.checklist import StaleChecklist

        self.save({self.o1: (["https://a.th/1"], "")})
        with self.assertRaises(StaleChecklist):
            self.save({self.o1: (["https://a.th/2"], "")}, version=0)
        self.assertEqual(EvidenceEntry.objects.get().urls, ["https://a.th/1"])
        self.assertEqual(AuditEvent.objects.count(), 1)

    def test_a_save_without_changes_records_nothing(self):
        self.save({self.o1: (["https://a.th/1"], "")})
        self.assertIsNone(self.save({self.o1: (["https://a.th/1"], "")}, version=1))
        self.assertEqual(EvidenceChecklist.objects.get().version, 1)
        self.assertEqual(AuditEvent.objects.count(), 1)

    def test_copy_out_is_one_line_per_url_in_framework_order(self):
        self.save({self.o2: (["https://a.th/2a", "https://a.th/2b"], "x"), self.o1: (["https://a.th/1"], "")})
        values = stored_values(checklist_for(self.alpha, self.framework))
        text = itas_text(self.items[:3], values)
        self.assertEqual(text, "O1\thttps://a.th/1\nO2\thttps://a.th/2a\nO2\thttps://a.th/2b\nO3\t\n")


class CarryForwardTests(ChecklistTestCase):
    def test_items_go_through_the_crosswalk_and_unlinked_ones_are_listed(self):
        nxt = make_framework(2565)
        n1, n2, n3 = oit_items(nxt)[:3]
        ItemCrosswalk.objects.create(from_item=self.o1, to_item=n2)
        ItemCrosswalk.objects.create(from_item=self.o3, to_item=n3)
        self.save(
            {
                self.o1: (["https://a.th/1"], "ปีก่อน"),
                self.o2: (["https://a.th/2"], ""),
                self.o3: (["https://a.th/3"], ""),
            }
        )
        target = checklist_for(self.alpha, nxt)
        save_entries(
            checklist=target, version=0, wanted={n3: (["https://a.th/new"], "")}, user=self.alice, summary="ก่อน"
        )
        source = checklist_for(self.alpha, self.framework)
        result = carry_forward(checklist=source, target=nxt, user=self.alice)
        self.assertEqual((result.carried, result.not_linked, result.kept), (["O1"], ["O2"], ["O3"]))
        self.assertEqual(
            stored_values(result.checklist),
            {n2.pk: (["https://a.th/1"], "ปีก่อน"), n3.pk: (["https://a.th/new"], "")},
        )
        self.assertNotIn(n1.pk, stored_values(result.checklist))
        self.assertEqual(AuditEvent.objects.for_subject(result.checklist).count(), 2)


class ViewTests(ChecklistTestCase):
    def test_staff_save_then_a_stale_form_answers_409_with_the_typed_text(self):
        self.client.force_login(self.alice)
        response = self.client.post(self.url(), self.form_data(0, o1=("https://a.th/1\nhttps://a.th/1b", "ดูหน้าแรก")))
        self.assertRedirects(response, self.url())
        self.assertEqual(
            stored_values(checklist_for(self.alpha, self.framework))[self.o1.pk][0],
            ["https://a.th/1", "https://a.th/1b"],
        )
        response = self.client.post(self.url(), self.form_data(0, o1=("https://mine.th/<b>", "ข้อความของฉัน")))
        self.assertEqual(response.status_code, 409)
        self.assertContains(response, "ข้อความที่ยังไม่ได้บันทึก", status_code=409)
        self.assertContains(response, "https://mine.th/&lt;b&gt;", status_code=409)
        self.assertContains(response, "https://a.th/1b", status_code=409)
        self.assertEqual(AuditEvent.objects.count(), 1)

    def test_an_invalid_url_is_a_form_error_in_thai(self):
        self.client.force_login(self.alice)
        response = self.client.post(self.url(), self.form_data(0, o1=("ftp://a.th", "")))
        self.assertContains(response, "ไม่ใช่ลิงก์เว็บ", status_code=400)
        self.assertFalse(EvidenceEntry.objects.exists())

    def test_paste_previews_then_applies(self):
        self.client.force_login(self.alice)
        data = {"version": "0", "text": "ข้อ ๐๑ https://a.th/1\nO2: https://a.th/2", "action": "preview"}
        response = self.client.post(self.url("paste"), data)
        self.assertContains(response, "สิ่งที่จะเปลี่ยน")
        self.assertContains(response, 'value="apply"')
        self.assertFalse(EvidenceEntry.objects.exists())
        response = self.client.post(self.url("paste"), {**data, "action": "apply"})
        self.assertRedirects(response, self.url())
        values = stored_values(checklist_for(self.alpha, self.framework))
        self.assertEqual(values[self.o2.pk], (["https://a.th/2"], ""))
        self.assertEqual(AuditEvent.objects.get().summary, "วางรายการลิงก์ OIT: เปลี่ยน ๒ ข้อ")

    def test_paste_with_errors_saves_nothing(self):
        self.client.force_login(self.alice)
        data = {"version": "0", "text": "O1 https://a.th/1\nO77 https://a.th", "action": "apply"}
        response = self.client.post(self.url("paste"), data)
        self.assertContains(response, "บรรทัด ๒: ไม่มีข้อ O77")
        self.assertNotContains(response, 'value="apply"')
        self.assertFalse(EvidenceEntry.objects.exists())

    def test_download_and_page_show_the_copy_out(self):
        self.save({self.o1: (["https://a.th/1"], "")})
        self.client.force_login(self.bob)
        response = self.client.get(self.url("download"))
        self.assertEqual(response["Content-Type"], "text/plain; charset=utf-8")
        self.assertTrue(response.content.decode().startswith("O1\thttps://a.th/1\nO2\t\n"))
        page = self.client.get(self.url())
        self.assertContains(page, "O1\thttps://a.th/1")
        self.assertNotContains(page, 'name="urls_o1"')  # executives read only

    def test_history_tab_lists_the_saves(self):
        self.save({self.o1: (["https://a.th/1"], "")})
        self.client.force_login(self.alice)
        response = self.client.get(self.url() + "?tab=history")
        self.assertContains(response, "ข้อ O1 ลิงก์")
        self.assertContains(response, "https://a.th/")

    def test_access_matrix(self):
        auditor = make_user("audrey", role=Membership.Role.AUDITOR)
        cases = [
            (self.alice, self.url(), "get", 200),
            (self.bob, self.url(), "get", 200),
            (self.root, self.url(org=self.beta), "get", 200),
            (self.charlie, self.url(), "get", 404),
            (self.alice, self.url(org=self.beta), "get", 404),
            (self.alice, self.url(year=2599), "get", 404),
            (self.bob, self.url(), "post", 403),
            (self.charlie, self.url("paste"), "post", 404),
            (self.bob, self.url("carry_forward"), "post", 403),
            (auditor, self.url(), "get", 404),  # assigned to no one (the walk covers an assigned auditor)
        ]
        for user, url, method, status in cases:
            self.client.force_login(user)
            with self.subTest(user=user.username, url=url, method=method):
                response = getattr(self.client, method)(url, self.form_data(0) if method == "post" else None)
                self.assertEqual(response.status_code, status)

    def test_home_and_assessment_link_to_the_checklist(self):
        self.client.force_login(self.alice)
        self.assertContains(self.client.get(reverse("ita:home")), self.url())
        self.assertContains(self.client.get(reverse("ita:assessment_detail", args=[self.alpha_2564.pk])), self.url())
