"""A1, A2, A3: every URL pattern × every role × own and another organisation's objects, against the policy table.

The table below is the policy as users meet it. Columns are roles: anonymous; staff and executive
of Alpha; an auditor assigned to Alpha; an auditor assigned to nobody; an administrator. "own" rows
use Alpha's objects (the staff's, executive's and assigned auditor's organisation), "other" rows
Beta's; "own-pub"/"other-pub" a published plan (or its published copy) of that organisation.

Answers: ok = 200, a redirect that is not to a login page, or a form error (400/409) — the request
was allowed; login = 302 to the login page; 404 = may not see it (the same answer as for an id that
does not exist, so no existence oracle); 403 = sees it but may not do this; 405 = method not
allowed (GET-only pages, POST-only actions). Every POST also carries `org`/`organization` fields
naming the other organisation, which no view may follow.

A new URL pattern that this table does not cover fails test_every_pattern_is_in_the_table, so no
one can add an unprotected page without deciding who may use it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from ita.models import Assessment, AuditorAssignment, ImportJob, Membership, ValueSource
from measures.models import Finding, LibraryMeasure, Measure, MeasurePlan, OrgUnit, Progress, ProgressAttachment
from reports.models import PublishedVersion
from tests.base import BaseTestCase
from tests.factory import make_framework, make_user

ROLES = ("anonymous", "staff", "executive", "auditor", "auditor_other", "admin")

# route | method | objects | anonymous staff executive auditor auditor_other admin
POLICY_TABLE = """
healthz                                           | GET  | -         | ok    ok   ok   ok   ok   ok
healthz                                           | POST | -         | 405   405  405  405  405  405
                                                  | GET  | -         | login ok   ok   ok   ok   ok
                                                  | POST | -         | login ok   ok   ok   ok   ok
assessments/add/                                  | GET  | -         | login 405  405  405  405  405
assessments/add/                                  | POST | -         | login ok   403  403  403  403
assessments/<int:pk>/                             | GET  | own       | login ok   ok   ok   404  ok
assessments/<int:pk>/                             | GET  | other     | login 404  404  404  404  ok
assessments/<int:pk>/                             | POST | own       | login ok   403  403  404  ok
assessments/<int:pk>/                             | POST | other     | login 404  404  404  404  ok
organizations/<org_code:code>/trend/              | GET  | own       | login ok   ok   ok   404  ok
organizations/<org_code:code>/trend/              | GET  | other     | login 404  404  404  404  ok
organizations/<org_code:code>/trend/              | POST | own       | login 405  405  405  405  405
organizations/<org_code:code>/                    | GET  | own       | login ok   ok   ok   404  ok
organizations/<org_code:code>/                    | GET  | other     | login 404  404  404  404  ok
organizations/<org_code:code>/                    | POST | own       | login ok   ok   403  404  ok
organizations/<org_code:code>/                    | POST | other     | login 404  404  404  404  ok
organizations/<org_code:code>/oit/<int:year>/                | GET  | own   | login ok   ok   ok   404  ok
organizations/<org_code:code>/oit/<int:year>/                | GET  | other | login 404  404  404  404  ok
organizations/<org_code:code>/oit/<int:year>/                | POST | own   | login ok   403  403  404  ok
organizations/<org_code:code>/oit/<int:year>/                | POST | other | login 404  404  404  404  ok
organizations/<org_code:code>/oit/<int:year>/paste/          | POST | own   | login ok   403  403  404  ok
organizations/<org_code:code>/oit/<int:year>/paste/          | POST | other | login 404  404  404  404  ok
organizations/<org_code:code>/oit/<int:year>/paste/          | GET  | own   | login 405  405  405  405  405
organizations/<org_code:code>/oit/<int:year>/itas.txt        | GET  | own   | login ok   ok   ok   404  ok
organizations/<org_code:code>/oit/<int:year>/itas.txt        | GET  | other | login 404  404  404  404  ok
organizations/<org_code:code>/oit/<int:year>/itas.txt        | POST | own   | login 405  405  405  405  405
organizations/<org_code:code>/oit/<int:year>/carry-forward/  | POST | own   | login ok   403  403  404  ok
organizations/<org_code:code>/oit/<int:year>/carry-forward/  | POST | other | login 404  404  404  404  ok
organizations/<org_code:code>/oit/<int:year>/carry-forward/  | GET  | own   | login 405  405  405  405  405
organizations/<org_code:code>/oit/<int:year>/check/          | POST | own   | login ok   403  403  404  ok
organizations/<org_code:code>/oit/<int:year>/check/          | POST | other | login 404  404  404  404  ok
organizations/<org_code:code>/oit/<int:year>/check/          | GET  | own   | login 405  405  405  405  405
imports/                                          | GET  | -         | login ok   ok   ok   ok   ok
imports/                                          | POST | -         | login 405  405  405  405  405
imports/new/                                      | GET  | -         | login ok   ok   ok   ok   ok
imports/new/                                      | POST | -         | login ok   403  403  403  ok
imports/example.<str:file_format>                 | GET  | -         | login ok   ok   ok   ok   ok
imports/example.<str:file_format>                 | POST | -         | login 405  405  405  405  405
imports/<int:pk>/                                 | GET  | own       | login ok   ok   ok   404  ok
imports/<int:pk>/                                 | GET  | other     | login 404  404  404  404  ok
imports/<int:pk>/                                 | POST | own       | login 405  405  405  405  405
imports/<int:pk>/status.json                      | GET  | own       | login ok   ok   ok   404  ok
imports/<int:pk>/status.json                      | GET  | other     | login 404  404  404  404  ok
imports/<int:pk>/status.json                      | POST | own       | login 405  405  405  405  405
imports/<int:pk>/errors.csv                       | GET  | own       | login ok   ok   ok   404  ok
imports/<int:pk>/errors.csv                       | GET  | other     | login 404  404  404  404  ok
imports/<int:pk>/errors.csv                       | POST | own       | login 405  405  405  405  405
imports/<int:pk>/confirm/                         | GET  | own       | login 405  405  405  405  405
imports/<int:pk>/confirm/                         | POST | own       | login ok   403  403  404  ok
imports/<int:pk>/confirm/                         | POST | other     | login 404  404  404  404  ok
imports/<int:pk>/cancel/                          | GET  | own       | login 405  405  405  405  405
imports/<int:pk>/cancel/                          | POST | own       | login ok   403  403  404  ok
imports/<int:pk>/cancel/                          | POST | other     | login 404  404  404  404  ok
todo/changes/seen/                                | POST | -         | login 403  403  ok   ok   403
todo/changes/seen/                                | GET  | -         | login 405  405  405  405  405
plans/                                            | GET  | -         | login ok   ok   ok   ok   ok
plans/                                            | POST | -         | login ok   ok   ok   ok   ok
plans/create/                                     | GET  | -         | login 405  405  405  405  405
plans/create/                                     | POST | -         | login ok   403  403  403  403
plans/units/                                      | GET  | -         | login ok   403  403  403  403
plans/units/                                      | POST | -         | login 405  405  405  405  405
plans/units/add/                                  | GET  | -         | login 405  405  405  405  405
plans/units/add/                                  | POST | -         | login ok   403  403  403  403
plans/units/<int:pk>/rename/                      | POST | own       | login ok   403  403  403  403
plans/units/<int:pk>/rename/                      | POST | other     | login 404  403  403  403  403
plans/units/<int:pk>/rename/                      | GET  | own       | login 405  405  405  405  405
plans/units/<int:pk>/delete/                      | POST | own       | login ok   403  403  403  403
plans/units/<int:pk>/delete/                      | POST | other     | login 404  403  403  403  403
plans/units/<int:pk>/delete/                      | GET  | own       | login 405  405  405  405  405
plans/<int:pk>/                                   | GET  | own       | login ok   ok   ok   404  ok
plans/<int:pk>/                                   | GET  | other     | login 404  404  404  404  ok
plans/<int:pk>/                                   | GET  | own-pub   | login ok   ok   ok   ok   ok
plans/<int:pk>/                                   | GET  | other-pub | login 404  404  ok   ok   ok
plans/<int:pk>/                                   | POST | own       | login 405  405  405  405  405
plans/<int:pk>/details/                           | POST | own       | login ok   403  403  404  ok
plans/<int:pk>/details/                           | POST | other     | login 404  404  404  404  ok
plans/<int:pk>/details/                           | GET  | own       | login 405  405  405  405  405
plans/<int:pk>/findings/<int:finding_pk>/         | POST | own       | login ok   403  403  404  ok
plans/<int:pk>/findings/<int:finding_pk>/         | POST | other     | login 404  404  404  404  ok
plans/<int:pk>/findings/<int:finding_pk>/         | GET  | own       | login 405  405  405  405  405
plans/<int:pk>/regenerate/                        | POST | own       | login ok   403  403  404  ok
plans/<int:pk>/regenerate/                        | POST | other     | login 404  404  404  404  ok
plans/<int:pk>/regenerate/                        | GET  | own       | login 405  405  405  405  405
plans/<int:pk>/new-version/                       | POST | own       | login ok   403  403  404  ok
plans/<int:pk>/new-version/                       | POST | other     | login 404  404  404  404  ok
plans/<int:pk>/new-version/                       | POST | own-pub   | login ok   403  403  403  ok
plans/<int:pk>/new-version/                       | POST | other-pub | login 404  404  403  403  ok
plans/<int:pk>/new-version/                       | GET  | own       | login 405  405  405  405  405
plans/<int:pk>/workflow/<slug:action>/            | POST | own       | login 403  ok   403  404  403
plans/<int:pk>/workflow/<slug:action>/            | POST | other     | login 404  404  404  404  403
plans/<int:pk>/workflow/<slug:action>/            | GET  | own       | login 405  405  405  405  405
plans/<int:pk>/workflow/<slug:action>/confirm/    | GET  | own       | login 403  ok   403  404  403
plans/<int:pk>/workflow/<slug:action>/confirm/    | GET  | other     | login 404  404  404  404  403
plans/<int:pk>/workflow/<slug:action>/confirm/    | POST | own       | login 405  405  405  405  405
plans/<int:pk>/measures/add/                      | GET  | own       | login ok   403  403  404  ok
plans/<int:pk>/measures/add/                      | GET  | other     | login 404  404  404  404  ok
plans/<int:pk>/measures/add/                      | POST | own       | login ok   403  403  404  ok
plans/<int:pk>/measures/add/                      | POST | other     | login 404  404  404  404  ok
plans/<int:pk>/measures/<int:measure_pk>/         | GET  | own       | login ok   403  403  404  ok
plans/<int:pk>/measures/<int:measure_pk>/         | GET  | other     | login 404  404  404  404  ok
plans/<int:pk>/measures/<int:measure_pk>/         | POST | own       | login ok   403  403  404  ok
plans/<int:pk>/measures/<int:measure_pk>/         | POST | other     | login 404  404  404  404  ok
plans/<int:pk>/measures/<int:measure_pk>/delete/  | POST | own       | login ok   403  403  404  ok
plans/<int:pk>/measures/<int:measure_pk>/delete/  | POST | other     | login 404  404  404  404  ok
plans/<int:pk>/measures/<int:measure_pk>/delete/  | GET  | own       | login 405  405  405  405  405
plans/<int:pk>/measures/<int:measure_pk>/move/    | POST | own       | login ok   403  403  404  ok
plans/<int:pk>/measures/<int:measure_pk>/move/    | POST | other     | login 404  404  404  404  ok
plans/<int:pk>/measures/<int:measure_pk>/move/    | GET  | own       | login 405  405  405  405  405
plans/<int:pk>/measures/<int:measure_pk>/progress/ | GET | own       | login ok   ok   ok   404  ok
plans/<int:pk>/measures/<int:measure_pk>/progress/ | GET | other     | login 404  404  404  404  ok
plans/<int:pk>/measures/<int:measure_pk>/progress/ | POST | own      | login ok   403  403  404  ok
plans/<int:pk>/measures/<int:measure_pk>/progress/ | POST | other    | login 404  404  404  404  ok
plans/<int:pk>/progress/<int:entry_pk>/                     | GET  | own       | login ok   403  403  404  ok
plans/<int:pk>/progress/<int:entry_pk>/                     | GET  | other     | login 404  404  404  404  ok
plans/<int:pk>/progress/<int:entry_pk>/                     | GET  | own-pub   | login ok   403  403  403  ok
plans/<int:pk>/progress/<int:entry_pk>/                     | GET  | other-pub | login 404  404  403  403  ok
plans/<int:pk>/progress/<int:entry_pk>/                     | POST | own       | login ok   403  403  404  ok
plans/<int:pk>/progress/<int:entry_pk>/                     | POST | other     | login 404  404  404  404  ok
plans/<int:pk>/progress/<int:entry_pk>/                     | POST | own-pub   | login ok   403  403  403  ok
plans/<int:pk>/progress/<int:entry_pk>/                     | POST | other-pub | login 404  404  403  403  ok
plans/<int:pk>/progress/<int:entry_pk>/delete/              | GET  | own       | login ok   403  403  404  ok
plans/<int:pk>/progress/<int:entry_pk>/delete/              | GET  | other     | login 404  404  404  404  ok
plans/<int:pk>/progress/<int:entry_pk>/delete/              | GET  | own-pub   | login ok   403  403  403  ok
plans/<int:pk>/progress/<int:entry_pk>/delete/              | POST | own       | login ok   403  403  404  ok
plans/<int:pk>/progress/<int:entry_pk>/delete/              | POST | other     | login 404  404  404  404  ok
plans/<int:pk>/progress/<int:entry_pk>/delete/              | POST | own-pub   | login ok   403  403  403  ok
plans/<int:pk>/progress/<int:entry_pk>/delete/              | POST | other-pub | login 404  404  403  403  ok
plans/<int:pk>/progress/<int:entry_pk>/files/<int:file_pk>/ | GET  | own       | login ok   ok   ok   404  ok
plans/<int:pk>/progress/<int:entry_pk>/files/<int:file_pk>/ | GET  | other     | login 404  404  404  404  ok
plans/<int:pk>/progress/<int:entry_pk>/files/<int:file_pk>/ | GET  | own-pub   | login ok   ok   ok   ok   ok
plans/<int:pk>/progress/<int:entry_pk>/files/<int:file_pk>/ | GET  | other-pub | login 404  404  ok   ok   ok
plans/<int:pk>/progress/<int:entry_pk>/files/<int:file_pk>/ | POST | own       | login 405  405  405  405  405
plans/<int:pk>/progress/<int:entry_pk>/files/<int:file_pk>/delete/| POST | own       | login ok   403  403  404  ok
plans/<int:pk>/progress/<int:entry_pk>/files/<int:file_pk>/delete/| POST | other     | login 404  404  404  404  ok
plans/<int:pk>/progress/<int:entry_pk>/files/<int:file_pk>/delete/| POST | own-pub   | login ok   403  403  403  ok
plans/<int:pk>/progress/<int:entry_pk>/files/<int:file_pk>/delete/| POST | other-pub | login 404  404  403  403  ok
plans/<int:pk>/progress/<int:entry_pk>/files/<int:file_pk>/delete/| GET  | own       | login 405  405  405  405  405
plans/<int:pk>/library/                           | GET  | own       | login ok   403  403  404  ok
plans/<int:pk>/library/                           | GET  | other     | login 404  404  404  404  ok
plans/<int:pk>/library/                           | POST | own       | login 405  405  405  405  405
plans/<int:pk>/library/<int:library_pk>/add/      | POST | own       | login ok   403  403  404  ok
plans/<int:pk>/library/<int:library_pk>/add/      | POST | other     | login 404  404  404  404  ok
plans/<int:pk>/library/<int:library_pk>/add/      | GET  | own       | login 405  405  405  405  405
documents/plans/<int:pk>/pdf/                     | GET  | own       | 404   ok   ok   ok   404  ok
documents/plans/<int:pk>/pdf/                     | GET  | other     | 404   404  404  404  404  ok
documents/plans/<int:pk>/pdf/                     | GET  | own-pub   | 404   ok   ok   ok   ok   ok
documents/plans/<int:pk>/pdf/                     | POST | own       | 404   ok   ok   403  404  ok
documents/plans/<int:pk>/pdf/                     | POST | other     | 404   404  404  404  404  ok
documents/plans/<int:pk>/news/                    | GET  | own       | login ok   ok   ok   404  ok
documents/plans/<int:pk>/news/                    | GET  | other     | login 404  404  404  404  ok
documents/plans/<int:pk>/news/                    | GET  | own-pub   | login ok   ok   ok   ok   ok
documents/plans/<int:pk>/news/                    | GET  | other-pub | login 404  404  ok   ok   ok
documents/plans/<int:pk>/news/                    | POST | own       | login 405  405  405  405  405
documents/plans/<int:pk>/docx/                    | GET  | own       | 404   ok   ok   ok   404  ok
documents/plans/<int:pk>/docx/                    | GET  | other     | 404   404  404  404  404  ok
documents/plans/<int:pk>/docx/                    | GET  | own-pub   | 404   ok   ok   ok   ok   ok
documents/plans/<int:pk>/docx/                    | POST | own       | 405   405  405  405  405  405
documents/published/<int:pk>/                     | GET  | own-pub   | ok    ok   ok   ok   ok   ok
documents/published/<int:pk>/                     | GET  | other-pub | ok    ok   ok   ok   ok   ok
documents/published/<int:pk>/                     | POST | own-pub   | 405   405  405  405  405  405
documents/published/<int:pk>/pdf/                 | GET  | own-pub   | ok    ok   ok   ok   ok   ok
documents/published/<int:pk>/pdf/                 | GET  | other-pub | ok    ok   ok   ok   ok   ok
documents/published/<int:pk>/pdf/                 | POST | own-pub   | 403   ok   ok   403  403  ok
documents/published/<int:pk>/pdf/                 | POST | other-pub | 403   403  403  403  403  ok
documents/published/<int:pk>/docx/                | GET  | own-pub   | ok    ok   ok   ok   ok   ok
documents/published/<int:pk>/docx/                | GET  | other-pub | ok    ok   ok   ok   ok   ok
documents/published/<int:pk>/docx/                | POST | own-pub   | 405   405  405  405  405  405
documents/published/<int:pk>/data.json            | GET  | own-pub   | ok    ok   ok   ok   ok   ok
documents/published/<int:pk>/data.json            | GET  | other-pub | ok    ok   ok   ok   ok   ok
documents/published/<int:pk>/data.json            | POST | own-pub   | 405   405  405  405  405  405
public/                                           | GET  | -         | ok    ok   ok   ok   ok   ok
public/                                           | POST | -         | 405   405  405  405  405  405
public/organizations/<org_code:code>/             | GET  | own       | ok    ok   ok   ok   ok   ok
public/organizations/<org_code:code>/             | GET  | other     | ok    ok   ok   ok   ok   ok
public/organizations/<org_code:code>/             | POST | own       | 405   405  405  405  405  405
public/national/                                  | GET  | -         | ok    ok   ok   ok   ok   ok
public/national/                                  | POST | -         | 405   405  405  405  405  405
public/national/<int:year>/                       | GET  | -         | ok    ok   ok   ok   ok   ok
public/national/<int:year>/                       | POST | -         | 405   405  405  405  405  405
public/data/                                      | GET  | -         | ok    ok   ok   ok   ok   ok
public/data/                                      | POST | -         | 405   405  405  405  405  405
public/data/<int:year>/<slug:name>.<slug:fmt>     | GET  | -         | ok    ok   ok   ok   ok   ok
public/data/<int:year>/<slug:name>.<slug:fmt>     | POST | -         | 405   405  405  405  405  405
accounts/login/                                   | GET  | -         | ok    ok   ok   ok   ok   ok
accounts/logout/                                  | GET  | -         | 405   405  405  405  405  405
accounts/logout/                                  | POST | -         | login login login login login login
accounts/password_change/                         | GET  | -         | login ok   ok   ok   ok   ok
accounts/password_change/done/                    | GET  | -         | login ok   ok   ok   ok   ok
accounts/password_reset/                          | GET  | -         | ok    ok   ok   ok   ok   ok
accounts/password_reset/done/                     | GET  | -         | ok    ok   ok   ok   ok   ok
accounts/reset/<uidb64>/<token>/                  | GET  | -         | ok    ok   ok   ok   ok   ok
accounts/reset/done/                              | GET  | -         | ok    ok   ok   ok   ok   ok
accounts/notifications/                           | GET  | -         | login ok   ok   ok   ok   ok
accounts/notifications/                           | POST | -         | login ok   ok   ok   ok   ok
accounts/auditors/                                | GET  | -         | login 403  403  403  403  ok
accounts/auditors/                                | POST | -         | login 405  405  405  405  405
accounts/auditors/add/                            | POST | -         | login 403  403  403  403  ok
accounts/auditors/add/                            | GET  | -         | login 405  405  405  405  405
accounts/auditors/<int:pk>/remove/                | POST | own       | login 403  403  403  403  ok
accounts/auditors/<int:pk>/remove/                | GET  | own       | login 405  405  405  405  405
admin/*                                           | GET  | -         | admin admin admin admin admin ok
admin/*                                           | POST | -         | admin admin admin admin admin ok
"""
# The home page's route is the empty string; the table writes it as a blank first column.
HOME = ""
# Routes every role may reach with any method: the login form answers a POST with its own form error.
ADMIN_PREFIX = "admin/"
OK_STATUSES = {200, 400, 409}


@dataclass(frozen=True)
class Expectation:
    route: str
    method: str
    objects: str
    answers: dict[str, str]


def parse_table(text: str = POLICY_TABLE) -> list[Expectation]:
    rows = []
    for line in text.strip("\n").splitlines():
        route, method, objects, answers = (part.strip() for part in line.split("|"))
        tokens = answers.split()
        assert len(tokens) == len(ROLES), line
        rows.append(Expectation(route, method, objects, dict(zip(ROLES, tokens, strict=True))))
    return rows


def all_routes(resolver: URLResolver | None = None, prefix: str = "") -> list[str]:
    """The route of every URL pattern, nested includes joined; regex patterns as their regex."""
    resolver = resolver or get_resolver()
    routes = []
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            routes += all_routes(entry, route)
        elif isinstance(entry, URLPattern):
            routes.append(route)
    return routes


def covered(route: str, table_routes: set[str]) -> bool:
    return route in table_routes or (route.startswith(ADMIN_PREFIX) and "admin/*" in table_routes)


class WalkTestCase(BaseTestCase):
    """Alpha and Beta each get one object of every kind the URLs name."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_framework(2563)
        cls.audrey = make_user("audrey", role=Membership.Role.AUDITOR)
        cls.otto = make_user("otto", role=Membership.Role.AUDITOR)
        AuditorAssignment.objects.create(user=cls.audrey, organization=cls.alpha)
        cls.library_measure = LibraryMeasure.objects.create(key="walk", title="มาตรการในคลัง", indicators=[1])
        cls.world = {"own": cls._objects(cls.alpha, cls.alice, cls.alpha_2564)}
        cls.world["other"] = cls._objects(cls.beta, cls.charlie, cls.beta_2564)
        cls.users = {
            "anonymous": None,
            "staff": cls.alice,
            "executive": cls.bob,
            "auditor": cls.audrey,
            "auditor_other": cls.otto,
            "admin": cls.root,
        }

    @classmethod
    def _objects(cls, organization, staff, assessment: Assessment) -> SimpleNamespace:
        plan, published = (
            MeasurePlan.objects.create(organization=organization, fiscal_year=year, based_on=assessment)
            for year in (2565, 2566)
        )
        # Measures go in while the plan is a draft; a published plan's rows are frozen.
        published_measure = Measure.objects.create(plan=published, title="มาตรการที่เผยแพร่")
        MeasurePlan.objects.filter(pk=published.pk).update(status=MeasurePlan.Status.PUBLISHED)
        published.refresh_from_db()
        version = PublishedVersion.objects.create(
            plan=published,
            context={"organization": organization.name},
            data_sha256="0" * 64,
            published_at=plan.created_at,
        )
        measure = Measure.objects.create(plan=plan, title="มาตรการทดสอบ")
        entry, published_entry = (
            Progress.objects.create(measure=m, date=plan.created_at.date(), created_by=staff)
            for m in (measure, published_measure)
        )
        return SimpleNamespace(
            organization=organization,
            assessment=assessment,
            plan=plan,
            published=published,
            version=version,
            measure=measure,
            published_measure=published_measure,
            entry=entry,
            published_entry=published_entry,
            file=cls._attachment(entry, staff),
            published_file=cls._attachment(published_entry, staff),
            finding=Finding.objects.create(plan=plan, key="summary", kind=Finding.Kind.SUMMARY, text="สรุป"),
            job=ImportJob.objects.create(
                created_by=staff,
                organization=organization,
                filename="ผล.csv",
                sha256="0" * 64,
                content=b"",
                status=ImportJob.Status.PREVIEW,
            ),
            unit=OrgUnit.objects.create(organization=organization, name="กองทดสอบ"),
        )

    @staticmethod
    def _attachment(entry: Progress, staff) -> ProgressAttachment:
        attachment = ProgressAttachment(
            progress=entry,
            original_name="หลักฐาน.pdf",
            size=9,
            content_type="application/pdf",
            sha256="0" * 64,
            uploaded_by=staff,
        )
        attachment.file.save("walk.pdf", ContentFile(b"%PDF-1.4\n"))
        return attachment

    def kwargs_for(self, route: str, objects: str) -> dict:
        """URL arguments: the objects of the row's organisation (published variants for *-pub rows)."""
        if objects == "-":
            return {
                "year": 2564,
                "name": "results",
                "fmt": "csv",
                "file_format": "csv",
                "uidb64": "MQ",
                "token": "bad-token",
            }
        bundle = self.world[objects.removesuffix("-pub")]
        published = objects.endswith("-pub")
        plan = bundle.published if published else bundle.plan
        measure = bundle.published_measure if published else bundle.measure
        if route.startswith("imports/"):
            pk = bundle.job.pk
        elif route.startswith("assessments/"):
            pk = bundle.assessment.pk
        elif route.startswith("plans/units/"):
            pk = bundle.unit.pk
        elif route.startswith("documents/published/"):
            pk = bundle.version.pk
        elif route.startswith("accounts/auditors/"):
            pk = AuditorAssignment.objects.get(user=self.audrey, organization=bundle.organization).pk
        else:
            pk = plan.pk
        return {
            "pk": pk,
            "code": bundle.organization.code,
            "finding_pk": bundle.finding.pk,
            "measure_pk": measure.pk,
            "entry_pk": (bundle.published_entry if published else bundle.entry).pk,
            "file_pk": (bundle.published_file if published else bundle.file).pk,
            "library_pk": self.library_measure.pk,
            "action": "approve",
            "year": bundle.assessment.fiscal_year,
        }

    def path_for(self, route: str, objects: str) -> str:
        if route == "admin/*":
            return "/admin/"
        values = self.kwargs_for(route, objects)
        return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), route)

    def post_data(self) -> dict:
        # Each POST names the other organisation; no view may act on it (A1).
        other = self.world["other"].organization
        return {"org": other.pk, "organization": other.pk, "organization_id": other.pk, "code": other.code}

    def answer(self, response, login_url: str) -> str:
        status = response.status_code
        if status == 302:
            target = response["Location"]
            if target.startswith("/admin/login/"):
                return "admin"
            return "login" if target.startswith(login_url) else "ok"
        if status in OK_STATUSES:
            return "ok"
        return str(status)

    def request(self, user, method: str, path: str):
        """One request whose writes are rolled back, so that every role meets the same objects."""
        client = Client()
        if user is not None:
            client.force_login(user)
        with transaction.atomic():
            response = client.get(path) if method == "GET" else client.post(path, self.post_data())
            transaction.set_rollback(True)
        return response


class PolicyWalkTests(WalkTestCase):
    def test_the_table_is_well_formed(self):
        rows = parse_table()
        keys = [(row.route, row.method, row.objects) for row in rows]
        self.assertEqual(len(keys), len(set(keys)), "a row appears twice")
        self.assertTrue(all(row.method in ("GET", "POST") for row in rows))

    def test_every_pattern_is_in_the_table(self):
        table_routes = {row.route for row in parse_table()}
        missing = [route for route in all_routes() if not covered(route, table_routes)]
        self.assertEqual(missing, [], "URL patterns without a row in POLICY_TABLE: decide who may use them")
        stale = table_routes - set(all_routes()) - {"admin/*"}
        self.assertEqual(stale, set(), "rows of POLICY_TABLE whose URL pattern no longer exists")

    def test_every_role_gets_what_the_table_says(self):
        login_url = resolve_url(settings.LOGIN_URL)
        mismatches = []
        for row in parse_table():
            if row.route == "admin/*":
                continue  # test_admin_is_for_administrators walks the admin's own patterns
            path = self.path_for(row.route, row.objects)
            for role, expected in row.answers.items():
                response = self.request(self.users[role], row.method, path)
                got = self.answer(response, login_url)
                if got != expected:
                    mismatches.append(f"{row.method} {path} ({row.objects}) as {role}: expected {expected}, got {got}")
        self.assertEqual(mismatches, [])

    def test_admin_is_for_administrators(self):
        """Every admin page without arguments, and a change page, sends everyone but an administrator to log in."""
        paths = ["/admin/", "/admin/ita/", f"/admin/ita/organization/{self.alpha.pk}/change/"]
        paths += ["/" + route for route in all_routes() if route.startswith(ADMIN_PREFIX) and route.endswith("/")]
        # Pages that need arguments or query parameters, and the admin's own login and logout, are left out.
        skipped = ("<", "(", "login", "logout", "autocomplete")
        paths = [p for p in paths if not any(part in p for part in skipped)]
        self.assertGreater(len(paths), 20)
        for path in paths:
            for role, user in self.users.items():
                for method in ("GET", "POST"):
                    with self.subTest(path=path, role=role, method=method):
                        got = self.answer(self.request(user, method, path), resolve_url(settings.LOGIN_URL))
                        if role == "admin":
                            # Records the application alone writes (import jobs, history) have no add page.
                            refused = {"admin", "login", "404", "500"} | (
                                {"403"} if not path.endswith("/add/") else set()
                            )
                            self.assertNotIn(got, refused)
                        else:
                            self.assertEqual(got, "admin")


class CsrfWalkTests(WalkTestCase):
    def test_posts_without_a_token_are_refused_for_every_role(self):
        rows = [row for row in parse_table() if row.method == "POST" and row.route != "admin/*"]
        for row in rows:
            path = self.path_for(row.route, row.objects)
            for role, user in self.users.items():
                client = Client(enforce_csrf_checks=True)
                if user is not None:
                    client.force_login(user)
                with self.subTest(path=path, role=role):
                    self.assertEqual(client.post(path, self.post_data()).status_code, 403)


class OrganisationFieldTests(WalkTestCase):
    """A1: an organisation named in a POST body is ignored in favour of the user's own."""

    def post(self, user, name: str, data: dict):
        self.client.force_login(user)
        return self.client.post(f"/{name}", {**data, **self.post_data()})

    def test_add_year_goes_to_the_own_organisation(self):
        self.post(self.alice, "assessments/add/", {"fiscal_year": "2563"})
        self.assertTrue(Assessment.objects.filter(organization=self.alpha, fiscal_year=2563).exists())
        self.assertFalse(Assessment.objects.filter(organization=self.beta, fiscal_year=2563).exists())

    def test_a_new_unit_goes_to_the_own_organisation(self):
        self.post(self.alice, "plans/units/add/", {"name": "กองใหม่"})
        self.assertEqual(
            list(OrgUnit.objects.filter(name="กองใหม่").values_list("organization", flat=True)), [self.alpha.pk]
        )

    def test_a_pasted_import_goes_to_the_own_organisation(self):
        before = set(ImportJob.objects.values_list("pk", flat=True))
        with self.captureOnCommitCallbacks(execute=False):
            self.post(self.alice, "imports/new/", {"kind": "paste", "fiscal_year": "2564", "text": "1 ตัวชี้วัด 90"})
        job = ImportJob.objects.exclude(pk__in=before).get()
        self.assertEqual(job.organization, self.alpha)

    def test_a_new_plan_goes_to_the_own_organisation(self):
        MeasurePlan.objects.filter(organization=self.alpha, fiscal_year=2565).delete()
        self.alpha_2564.set_scores({("indicator", "1"): Decimal("90")}, user=self.alice, source=ValueSource.FORM)
        self.post(self.alice, "plans/create/", {"fiscal_year": "2565"})
        self.assertTrue(MeasurePlan.objects.filter(organization=self.alpha, fiscal_year=2565).exists())
        self.assertEqual(MeasurePlan.objects.filter(organization=self.beta, fiscal_year=2565).count(), 1)

    def test_anonymous_is_never_an_organisation_member(self):
        self.assertIsNone(Membership.organization_id_for(AnonymousUser()))
