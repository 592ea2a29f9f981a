"""The list of import jobs: own organisation for staff, everything for administrators, constant queries."""

from django.urls import reverse

from ita.models import ImportJob
from tests.base import BaseTestCase


def make_job(user, organization, name: str, **overrides) -> ImportJob:
    fields = {"created_by": user, "organization": organization, "filename": name, "sha256": "a" * 64}
    fields.update(overrides)
    return ImportJob.objects.create(content=b"BYTES" * 1000, **fields)


class JobListTests(BaseTestCase):
    def test_staff_see_their_organisations_jobs_only(self):
        make_job(self.alice, self.alpha, "ของอัลฟา.csv")
        make_job(self.charlie, self.beta, "ของเบตา.csv")
        make_job(self.root, None, "ระดับประเทศ.xlsx")
        self.client.force_login(self.alice)
        response = self.client.get(reverse("importers:list"))
        self.assertContains(response, "ของอัลฟา.csv")
        self.assertNotContains(response, "ของเบตา.csv")
        self.assertNotContains(response, "ระดับประเทศ.xlsx")
        self.assertContains(response, reverse("importers:new"))

    def test_executive_sees_the_list_without_the_import_button(self):
        make_job(self.alice, self.alpha, "ของอัลฟา.csv")
        self.client.force_login(self.bob)
        response = self.client.get(reverse("importers:list"))
        self.assertContains(response, "ของอัลฟา.csv")
        self.assertNotContains(response, reverse("importers:new"))

    def test_administrators_see_every_job(self):
        make_job(self.alice, self.alpha, "ของอัลฟา.csv")
        make_job(self.root, None, "ระดับประเทศ.xlsx")
        self.client.force_login(self.root)
        response = self.client.get(reverse("importers:list"))
        self.assertContains(response, "ของอัลฟา.csv")
        self.assertContains(response, "ระดับประเทศ.xlsx")

    def test_query_count_does_not_grow_with_the_jobs(self):
        self.client.force_login(self.alice)
        make_job(self.alice, self.alpha, "a.csv")
        # session, user, membership (access), count and page of jobs (with users and organisations joined)
        with self.assertNumQueries(5):
            self.client.get(reverse("importers:list"))
        for n in range(30):
            make_job(self.alice, self.alpha, f"{n}.csv", rows_total=n)
        with self.assertNumQueries(5):
            response = self.client.get(reverse("importers:list"))
        self.assertEqual(len(response.context["rows"]), 31)

    def test_admin_list_query_count_is_constant(self):
        self.client.force_login(self.root)
        for n in range(3):
            make_job(self.charlie, self.beta, f"{n}.csv")
        with self.assertNumQueries(4):
            self.client.get(reverse("importers:list"))
        for n in range(20):
            make_job(self.alice, self.alpha, f"x{n}.csv")
        with self.assertNumQueries(4):
            self.client.get(reverse("importers:list"))

    def test_the_list_never_loads_the_uploads(self):
        make_job(self.alice, self.alpha, "a.csv")
        self.client.force_login(self.alice)
        response = self.client.get(reverse("importers:list"))
        job = response.context["page"].object_list[0]
        self.assertIn("content", job.get_deferred_fields())
