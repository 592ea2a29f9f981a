"""Administrators: a multi-organisation file that creates organisations, and the admin entry points."""

from decimal import Decimal

from django.urls import reverse

from ita.models import ImportJob, Organization, Score, ScoreRevision
from tests.base import BaseTestCase
from tests.factory import make_organization
from tests.ita.importers.helpers import ORG_HEADER, FlowMixin, csv_file, wide_row

Status = ImportJob.Status
ROWS = (
    "NEW01,เทศบาลตำบลใหม่หนึ่ง,เชียงราย,2564,80,90",
    "NEW02,องค์การบริหารส่วนตำบลใหม่สอง,น่าน,๒๕๖๔,๘๕.๕,๗๐",
    "ALPHA,,,2564,88,95",
    "BETA,,,64,77,66",
)


class AdminMultiOrganisationTests(FlowMixin, BaseTestCase):
    def setUp(self):
        self.client.force_login(self.root)

    def test_file_of_several_organisations_creates_the_new_ones(self):
        self.upload(csv_file(*ROWS, header=ORG_HEADER), create_orgs="on")
        job = self.latest_job()
        self.assertEqual((job.status, job.organization, job.create_orgs), (Status.PREVIEW, None, True))
        self.assertEqual(job.preview["organizations_new"], 2)
        self.assertEqual([o["code"] for o in job.preview["new_organizations"]], ["NEW01", "NEW02"])
        self.assertEqual(job.preview["assessments_to_create"], 2)
        page = self.client.get(reverse("importers:detail", args=[job.pk]))
        self.assertContains(page, "เทศบาลตำบลใหม่หนึ่ง")
        self.assertFalse(Organization.objects.filter(code="NEW01").exists())
        self.confirm(job)
        job.refresh_from_db()
        self.assertEqual(job.status, Status.DONE)
        new = Organization.objects.get(code="NEW02")
        self.assertEqual((new.name, new.province, new.org_type), ("องค์การบริหารส่วนตำบลใหม่สอง", "น่าน", "sao"))
        self.assertEqual(new.assessments.get().score_values()[("tool", "IIT")], Decimal("85.50"))
        self.assertEqual(job.batch.organizations_created, 2)
        self.assertEqual(Score.objects.filter(batch=job.batch).count(), 8)

    def test_without_create_orgs_unknown_codes_are_errors(self):
        self.upload(csv_file(*ROWS, header=ORG_HEADER))
        job = self.latest_job()
        self.assertEqual(job.status, Status.INVALID)
        self.assertEqual({e["row"] for e in job.errors}, {2, 3})
        self.assertFalse(Organization.objects.filter(code__startswith="NEW").exists())

    def test_a_new_code_outside_the_allowed_characters_is_a_row_error(self):
        # Codes are part of URLs (ita.models.organizations.CODE_REGEX); the database would refuse it anyway.
        rows = ("NEW01,เทศบาลตำบลใหม่หนึ่ง,เชียงราย,2564,80,90", "NEW/02,องค์การบริหารส่วนตำบลใหม่สอง,น่าน,2564,85,70")
        self.upload(csv_file(*rows, header=ORG_HEADER), create_orgs="on")
        job = self.latest_job()
        self.assertEqual(job.status, Status.INVALID)
        [error] = job.errors
        self.assertEqual(error["row"], 3)
        self.assertIn("สร้างหน่วยงานรหัส NEW/02 ไม่ได้", error["message"])
        self.assertFalse(Organization.objects.filter(code__startswith="NEW").exists())

    def test_a_big_preview_shows_a_sample_and_says_so(self):
        codes = ["ALPHA", "BETA"] + [make_organization().code for _ in range(3)]
        self.upload(csv_file(*(wide_row(code) for code in codes)))
        job = self.latest_job()
        self.assertEqual(job.preview["values_created"], 70)
        self.assertEqual((len(job.preview["changes"]), job.preview["sampled"]), (50, True))
        self.assertContains(self.client.get(reverse("importers:detail", args=[job.pk])), "แสดงเป็นตัวอย่าง ๕๐ รายการแรก")

    def test_upload_page_offers_create_orgs_only_to_administrators(self):
        self.assertContains(self.client.get(reverse("importers:new")), 'name="create_orgs"')
        self.client.force_login(self.alice)
        self.assertNotContains(self.client.get(reverse("importers:new")), 'name="create_orgs"')


class AdminEntryTests(BaseTestCase):
    def setUp(self):
        self.client.force_login(self.root)

    def test_assessment_and_batch_lists_have_the_import_button(self):
        for name in ("admin:ita_assessment_changelist", "admin:ita_importbatch_changelist"):
            response = self.client.get(reverse(name))
            self.assertContains(response, "นำเข้าผล ITAS")
            self.assertContains(response, f'href="{reverse("importers:new")}"')

    def test_import_jobs_are_read_only_and_never_show_the_upload(self):
        job = ImportJob.objects.create(
            created_by=self.alice, organization=self.alpha, filename="ลับ.csv", sha256="f" * 64, content=b"SECRET-BYTES"
        )
        self.assertContains(self.client.get(reverse("admin:ita_importjob_changelist")), "ลับ.csv")
        page = self.client.get(reverse("admin:ita_importjob_change", args=[job.pk]))
        self.assertContains(page, reverse("importers:detail", args=[job.pk]))
        self.assertNotContains(page, "SECRET-BYTES")
        self.assertNotContains(page, 'name="filename"')
        self.assertEqual(self.client.get(reverse("admin:ita_importjob_add")).status_code, 403)

    def test_score_revisions_are_read_only(self):
        revision = ScoreRevision.objects.create(
            assessment=self.alpha_2564,
            kind="item",
            code="i1",
            old_value=Decimal("80"),
            old_source="form",
            old_updated_at=self.alpha_2564.created_at,
            new_value=Decimal("90"),
            new_source="import",
        )
        self.assertContains(self.client.get(reverse("admin:ita_scorerevision_changelist")), "i1")
        self.assertEqual(self.client.get(reverse("admin:ita_scorerevision_add")).status_code, 403)
        self.assertEqual(
            self.client.get(reverse("admin:ita_scorerevision_delete", args=[revision.pk])).status_code, 403
        )
        page = self.client.get(reverse("admin:ita_scorerevision_change", args=[revision.pk]))
        self.assertNotContains(page, 'name="old_value"')
