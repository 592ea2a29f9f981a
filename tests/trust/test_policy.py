"""A2: the role policy (ita.policy) answers "may this user do ACTION to this object" the same everywhere."""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from ita import policy
from ita.models import Assessment, AuditorAssignment, ImportJob, Membership
from ita.policy import Action, Standing
from measures.models import Measure, MeasurePlan
from tests.base import BaseTestCase
from tests.factory import make_user


class PolicyTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.audrey = make_user("audrey", role=Membership.Role.AUDITOR)  # assigned to Alpha
        cls.otto = make_user("otto", role=Membership.Role.AUDITOR)  # assigned to nobody
        AuditorAssignment.objects.create(user=cls.audrey, organization=cls.alpha)
        cls.nobody = make_user("nobody")  # signed in, no membership
        cls.draft = MeasurePlan.objects.create(organization=cls.alpha, fiscal_year=2565, based_on=cls.alpha_2564)
        cls.published = MeasurePlan.objects.create(
            organization=cls.beta, fiscal_year=2565, based_on=cls.beta_2564, status=MeasurePlan.Status.PUBLISHED
        )

    def fresh(self, user):
        """The user as a new request would load it (nothing remembered from an earlier check)."""
        return type(user).objects.get(pk=user.pk) if user.is_authenticated else user


class StandingTests(PolicyTestCase):
    def test_each_role_toward_alpha(self):
        expected = {
            "root": Standing.ADMINISTRATOR,
            "alice": Standing.STAFF,
            "bob": Standing.EXECUTIVE,
            "charlie": Standing.OUTSIDER,
            "audrey": Standing.ASSIGNED_AUDITOR,
            "otto": Standing.OUTSIDER,
            "nobody": Standing.OUTSIDER,
        }
        for name, standing in expected.items():
            user = getattr(self, name)
            with self.subTest(user=name):
                self.assertEqual(policy.standing(self.fresh(user), self.alpha.pk), standing)
        self.assertEqual(policy.standing(AnonymousUser(), self.alpha.pk), Standing.OUTSIDER)

    def test_an_auditor_with_an_organisation_is_not_its_staff(self):
        inside = make_user("inside", organization=self.alpha, role=Membership.Role.AUDITOR)
        self.assertEqual(policy.standing(inside, self.alpha.pk), Standing.OUTSIDER)
        self.assertFalse(policy.can(inside, Action.EDIT_SCORES, self.alpha_2564))

    def test_no_organisation_is_the_administrators_alone(self):
        national = ImportJob(organization=None, filename="all.xlsx", sha256="0")
        self.assertTrue(policy.can(self.root, Action.VIEW, national))
        for user in (self.alice, self.bob, self.audrey):
            self.assertFalse(policy.can(user, Action.VIEW, national))


class CanTests(PolicyTestCase):
    def assertAllowed(self, action, obj, allowed: set[str]):
        for name in ("root", "alice", "bob", "charlie", "audrey", "otto", "nobody"):
            with self.subTest(action=str(action), user=name):
                self.assertEqual(policy.can(self.fresh(getattr(self, name)), action, obj), name in allowed)
        self.assertEqual(policy.can(AnonymousUser(), action, obj), "public" in allowed)

    def test_assessment(self):
        self.assertAllowed(Action.VIEW, self.alpha_2564, {"root", "alice", "bob", "audrey"})
        self.assertAllowed(Action.EDIT_SCORES, self.alpha_2564, {"root", "alice"})

    def test_draft_plan_and_its_measures(self):
        measure = Measure(plan=self.draft, title="x")
        for obj in (self.draft, measure):
            self.assertAllowed(Action.VIEW, obj, {"root", "alice", "bob", "audrey"})
            self.assertAllowed(Action.DRAFT_PLAN, obj, {"root", "alice"})
        self.assertAllowed(Action.SUBMIT, self.draft, {"alice"})
        self.assertAllowed(Action.APPROVE, self.draft, {"bob"})
        self.assertAllowed(Action.PUBLISH, self.draft, {"root", "bob"})
        self.assertAllowed(Action.NEW_VERSION, self.draft, {"root", "alice"})
        self.assertAllowed(Action.RECORD_PROGRESS, self.draft, {"root", "alice"})
        self.assertAllowed(Action.RENDER, self.draft, {"root", "alice", "bob"})

    def test_published_plans_are_read_by_every_auditor_but_changed_by_none(self):
        self.assertAllowed(Action.VIEW, self.published, {"root", "charlie", "audrey", "otto"})
        self.assertAllowed(Action.DOWNLOAD, self.published, {"root", "charlie", "audrey", "otto"})
        self.assertAllowed(Action.DRAFT_PLAN, self.published, {"root", "charlie"})

    def test_import_into_the_own_organisation(self):
        self.assertAllowed(Action.IMPORT, None, {"root", "alice", "charlie"})  # None: into their own organisation
        self.assertAllowed(Action.IMPORT, self.alpha, {"root", "alice"})
        self.assertTrue(policy.may_import_nationally(self.root))
        self.assertFalse(policy.may_import_nationally(self.alice))

    def test_the_import_workflow_asks_the_policy_too(self):
        from ita.importers import jobs as import_jobs

        for user, organization in ((self.alice, self.beta), (self.bob, self.alpha), (self.audrey, self.alpha)):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                import_jobs.start_import(user=user, organization=organization, filename="x.csv", content=b"")
        self.assertFalse(ImportJob.objects.exists())

    def test_manage_is_for_administrators(self):
        self.assertAllowed(Action.MANAGE, None, {"root"})

    def test_require_raises_403(self):
        policy.require(self.alice, Action.EDIT_SCORES, self.alpha_2564)
        with self.assertRaises(PermissionDenied):
            policy.require(self.bob, Action.EDIT_SCORES, self.alpha_2564)

    def test_unknown_objects_are_refused_loudly(self):
        with self.assertRaises(TypeError):
            policy.can(self.root, Action.VIEW, self.alice)

    def test_the_model_checks_ask_the_policy(self):
        self.assertTrue(policy.can(self.alice, Action.EDIT_SCORES, self.alpha_2564))
        self.assertFalse(policy.can(self.bob, Action.EDIT_SCORES, self.alpha_2564))
        self.assertFalse(policy.can(self.audrey, Action.EDIT_SCORES, self.alpha_2564))


class ScopeTests(PolicyTestCase):
    def visible(self, queryset, user):
        return set(queryset.for_user(self.fresh(user)).values_list("pk", flat=True))

    def test_assessments(self):
        both = {self.alpha_2564.pk, self.beta_2564.pk}
        self.assertEqual(self.visible(Assessment.objects, self.root), both)
        self.assertEqual(self.visible(Assessment.objects, self.alice), {self.alpha_2564.pk})
        self.assertEqual(self.visible(Assessment.objects, self.bob), {self.alpha_2564.pk})
        self.assertEqual(self.visible(Assessment.objects, self.charlie), {self.beta_2564.pk})
        self.assertEqual(self.visible(Assessment.objects, self.audrey), {self.alpha_2564.pk})
        self.assertEqual(self.visible(Assessment.objects, self.otto), set())
        self.assertEqual(self.visible(Assessment.objects, self.nobody), set())
        self.assertEqual(set(Assessment.objects.for_user(AnonymousUser())), set())

    def test_plans(self):
        both = {self.draft.pk, self.published.pk}
        self.assertEqual(self.visible(MeasurePlan.objects, self.root), both)
        self.assertEqual(self.visible(MeasurePlan.objects, self.alice), {self.draft.pk})
        self.assertEqual(self.visible(MeasurePlan.objects, self.charlie), {self.published.pk})
        self.assertEqual(self.visible(MeasurePlan.objects, self.audrey), both)  # Alpha's draft: assigned
        self.assertEqual(self.visible(MeasurePlan.objects, self.otto), {self.published.pk})
        self.assertEqual(self.visible(MeasurePlan.objects, self.nobody), set())

    def test_scope_agrees_with_can(self):
        """Whatever a queryset shows, can(VIEW) allows, and the other way round."""
        objects = [*Assessment.objects.all(), *MeasurePlan.objects.all()]
        for user in (self.root, self.alice, self.bob, self.charlie, self.audrey, self.otto, self.nobody):
            for obj in objects:
                with self.subTest(user=user.username, obj=str(obj)):
                    in_scope = type(obj).objects.for_user(self.fresh(user)).filter(pk=obj.pk).exists()
                    self.assertEqual(in_scope, policy.can(self.fresh(user), Action.VIEW, obj))

    def test_an_auditor_costs_one_query_per_request(self):
        audrey = self.fresh(self.audrey)
        policy.can(audrey, Action.VIEW, self.alpha_2564)  # loads the membership and the assignments
        with self.assertNumQueries(0):
            for _ in range(5):
                policy.can(audrey, Action.VIEW, self.alpha_2564)
                policy.can(audrey, Action.VIEW, self.beta_2564)
