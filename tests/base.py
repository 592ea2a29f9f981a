"""The named cast every view test uses.

alice is staff of Alpha, bob is Alpha's executive, charlie is staff of Beta (no access to
Alpha), and root is an administrator (superuser).
"""

import re

from django.contrib.auth.models import User
from django.test import TestCase

from ita.models import Membership

from .factory import make_assessment, make_framework, make_organization, make_user


class BaseTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.framework = make_framework(2564)
        cls.alpha = make_organization(code="ALPHA", name="เทศบาลตำบลอัลฟา", province="บึงกาฬ")
        cls.beta = make_organization(code="BETA", name="องค์การบริหารส่วนตำบลเบตา", province="นราธิวาส")
        cls.alice = make_user("alice", organization=cls.alpha, role=Membership.Role.STAFF)
        cls.bob = make_user("bob", organization=cls.alpha, role=Membership.Role.EXECUTIVE)
        cls.charlie = make_user("charlie", organization=cls.beta, role=Membership.Role.STAFF)
        cls.root = User.objects.create_superuser("root", "root@example.org", "password")
        cls.alpha_2564 = make_assessment(cls.alpha, cls.framework)
        cls.beta_2564 = make_assessment(cls.beta, cls.framework)

    def assertErrorSummary(self, response, field_ids: list[str]) -> str:
        """The page opens with the focusable error summary (templates/_error_summary.html), one link per field.

        Each link points at an element of the page, in the order given. Returns the summary's HTML.
        """
        page = response.content.decode()
        self.assertEqual(page.count('class="error-summary"'), 1)
        start = page.index('<div class="error-summary"')
        summary = page[start : page.index("</div>", start)]
        for attribute in ('role="alert"', 'tabindex="-1"', "autofocus", "data-error-summary"):
            self.assertIn(attribute, summary)
        self.assertIn("js/error_summary.js", page)
        self.assertEqual(re.findall(r'href="#([^"]+)"', summary), field_ids)
        for field_id in field_ids:
            self.assertIn(f'id="{field_id}"', page)
        return summary

    def assertNoErrorSummary(self, response) -> None:
        self.assertNotContains(response, "error-summary")
        self.assertNotContains(response, "error_summary.js")
